// PGlite runs no autovacuum: this keeps the lead tables' planner statistics and visibility map fresh instead.
import type { Db } from './database.ts';

/** The tables the panel's lists, counts and reports read through their indexes. */
const tables = ['activities', 'history_events'];

/**
 * Vacuums and analyzes the lead tables when they have never been analyzed or a tenth of their rows changed since.
 * Without statistics the planner cannot tell a rare search word from a common one, and without a visibility map
 * every index-only count and report reads the table too. Returns whether it ran. A no-op on PostgreSQL.
 */
export async function tendPgliteTables(db: Db): Promise<boolean> {
  if (db.kind !== 'pglite') return false;
  const [state] = await db.query<{ rows: number; changed: number; analyzed: boolean }>(
    `SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::float8 AS rows,
            coalesce(sum(s.n_mod_since_analyze + s.n_ins_since_vacuum), 0)::float8 AS changed,
            EXISTS (SELECT 1 FROM pg_stats p WHERE p.tablename = 'activities' AND p.schemaname = current_schema())
              AS analyzed
     FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
     WHERE c.oid = ANY (ARRAY[to_regclass($1), to_regclass($2)])`,
    tables,
  );
  if (!state) return false;
  const due = state.analyzed ? state.changed >= 0.1 * state.rows + 1000 : state.rows + state.changed >= 1000;
  if (!due) return false;
  await db.exec(`VACUUM (ANALYZE) ${tables.join(', ')}`);
  return true;
}

/** Checks every `intervalMs` (default 10 minutes); the first check runs one interval after start. */
export function startPgliteUpkeep(
  db: Db,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): { stop(): Promise<void> } {
  if (db.kind !== 'pglite') return { stop: () => Promise.resolve() };
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = tendPgliteTables(db).catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 600_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
