// Render-token nonces: inserting one that already exists is how a replayed token is told.
import type { Db } from '../database.ts';

/** Claims each nonce once; returns the ones that were already used. */
export async function claimNonces(
  db: Db,
  nonces: readonly { nonce: string; expires_at: string }[],
): Promise<Set<string>> {
  if (nonces.length === 0) return new Set();
  const inserted = await db.query<{ nonce: string }>(
    `INSERT INTO render_token_nonces (nonce, expires_at)
     SELECT nonce, expires_at FROM jsonb_to_recordset($1::jsonb) AS r(nonce text, expires_at timestamptz)
     ON CONFLICT (nonce) DO NOTHING RETURNING nonce`,
    [JSON.stringify(nonces)],
  );
  const fresh = new Set(inserted.map((row) => row.nonce));
  return new Set(nonces.map((n) => n.nonce).filter((nonce) => !fresh.has(nonce)));
}

export async function deleteExpiredNonces(db: Db, now: Date): Promise<number> {
  const rows = await db.query('DELETE FROM render_token_nonces WHERE expires_at < $1 RETURNING nonce', [now]);
  return rows.length;
}
