// Learned model snapshots (global and per account): read the newest, poll versions, write with compare-and-set.
import type { Db } from '../database.ts';

export interface ModelRow {
  scope: string;
  version: number;
  body: string;
  examples: number;
  updated_at: Date;
}

/** bigint arrives as a string from both drivers. */
const toVersion = (value: unknown): number => Number(value);

export async function findModelSnapshot(db: Db, scope: string): Promise<ModelRow | undefined> {
  const rows = await db.query<ModelRow>(
    'SELECT scope, version, body, examples, updated_at FROM models WHERE scope = $1',
    [scope],
  );
  const row = rows[0];
  return row ? { ...row, version: toVersion(row.version) } : undefined;
}

/** Versions of the scopes that have a snapshot; scopes without one are absent from the map. */
export async function listModelVersions(db: Db, scopes: readonly string[]): Promise<Map<string, number>> {
  if (scopes.length === 0) return new Map();
  const rows = await db.query<{ scope: string; version: unknown }>(
    'SELECT scope, version FROM models WHERE scope = ANY($1::text[])',
    [scopes],
  );
  return new Map(rows.map((row) => [row.scope, toVersion(row.version)]));
}

/**
 * Writes a snapshot as `version + 1` only if the stored one is still `version` (0: none stored yet).
 * Returns false when another writer got there first, so the caller merges and retries.
 */
export async function writeModelSnapshot(
  db: Db,
  snapshot: { scope: string; version: number; body: string; examples: number; at: Date },
): Promise<boolean> {
  const params = [snapshot.scope, snapshot.version + 1, snapshot.body, snapshot.examples, snapshot.at];
  const rows =
    snapshot.version === 0
      ? await db.query(
          `INSERT INTO models (scope, version, body, examples, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (scope) DO NOTHING RETURNING scope`,
          params,
        )
      : await db.query(
          `UPDATE models SET version = $2, body = $3, examples = $4, updated_at = $5
           WHERE scope = $1 AND version = $2 - 1 RETURNING scope`,
          params,
        );
  return rows.length > 0;
}
