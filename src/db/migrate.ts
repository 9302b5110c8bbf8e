// Applies the versioned SQL migrations in src/db/migrations once each, in order; safe when several instances start together.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './database.ts';

const folder = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Any fixed number: every LeadGuard instance takes the same advisory lock while migrating. */
const MIGRATION_LOCK = 7_345_113_901;

export interface Migration {
  readonly version: string;
  readonly sql: string;
}

export function listMigrations(): Migration[] {
  return readdirSync(folder)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: name.replace(/\.sql$/, ''), sql: readFileSync(folder + name, 'utf8') }));
}

/** Returns the versions it applied (empty when the schema was up to date). */
export async function runMigrations(
  db: Db,
  migrations: readonly Migration[] = listMigrations(),
): Promise<string[]> {
  return db.transaction(async (tx) => {
    // Held until commit: a second instance waits here, then finds everything applied.
    if (tx.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).map(
        (row) => row.version,
      ),
    );
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
      applied.push(migration.version);
    }
    return applied;
  });
}
