// PGlite runs no autovacuum: this keeps the lead tables' planner statistics and visibility map fresh instead.
import { repeatEvery } from '../jobs/repeat.ts';
import type { Repeating } from '../jobs/repeat.ts';
import type { Db } from './database.ts';

/** The tables the panel's lists, counts, reports and searches read (the search queue's dead rows go too). */
const tables = ['activities', 'history_events', 'lead_search', 'lead_search_queue'];

/** Row counts when each open database was last tended; a restart tends once more as soon as there are rows. */
const rowsAtLastTend = new WeakMap<Db, number>();

/**
 * Vacuums and analyzes the lead tables once they hold 1,000 rows, then again whenever their row count moved by a
 * tenth (plus 1,000) since. Without statistics the planner cannot tell a rare search word from a common one, and
 * without a visibility map every index-only count and report reads the table too. Returns whether it ran. A no-op
 * on PostgreSQL, which has autovacuum.
 *
 * Exact counts rather than the statistics views: PGlite publishes its table statistics at most once a second, so
 * those views lag right after a burst of leads; counting both tables takes milliseconds at 100,000 leads and runs
 * every ten minutes. Leads changed in place (released, flagged) do not move the count; the next count change
 * catches them up.
 */
export async function tendPgliteTables(db: Db): Promise<boolean> {
  if (db.kind !== 'pglite') return false;
  const [state] = await db.query<{ rows: number }>(
    `SELECT ((SELECT count(*) FROM activities) + (SELECT count(*) FROM history_events))::float8 AS rows`,
  );
  const rows = state?.rows ?? 0;
  const last = rowsAtLastTend.get(db);
  const due = last === undefined ? rows >= 1000 : Math.abs(rows - last) >= 0.1 * last + 1000;
  if (!due) return false;
  await db.exec(`VACUUM (ANALYZE) ${tables.join(', ')}`);
  rowsAtLastTend.set(db, rows);
  return true;
}

/** Checks every `intervalMs` (default 10 minutes); the first check runs one interval after start. */
export function startPgliteUpkeep(
  db: Db,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): Repeating {
  if (db.kind !== 'pglite') return { stop: () => Promise.resolve() };
  return repeatEvery(options.intervalMs ?? 600_000, () => tendPgliteTables(db), { onError: options.onError });
}
