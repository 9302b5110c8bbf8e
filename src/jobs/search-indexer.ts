// The search indexer: moves stored leads from lead_search_queue into the trigram-indexed lead_search (migration 0006).
import type { Db } from '../db/database.ts';
import { repeatEvery } from './repeat.ts';
import type { Repeating } from './repeat.ts';

/**
 * Indexes up to `limit` queued leads in one transaction and returns how many it took. Safe on several instances at
 * once: each takes leads the others have not locked. The leads are read under a share lock, so a change to one
 * (retention wiping it) either waits for this round and then replaces or removes what it wrote, or goes first and
 * this round reads the changed lead.
 */
export async function indexQueuedLeads(db: Db, limit: number): Promise<number> {
  const [row] = await db.query<{ taken: number }>(
    `WITH taken AS (
       DELETE FROM lead_search_queue
       WHERE activity_id IN (SELECT activity_id FROM lead_search_queue LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING activity_id),
     indexed AS (
       INSERT INTO lead_search (activity_id, account_id, body)
       SELECT a.id, a.account_id, lead_search_text(a.name, a.email, a.phone, a.subject, a.message, a.fields)
       FROM activities a JOIN taken t ON t.activity_id = a.id
       FOR SHARE OF a
       ON CONFLICT (activity_id) DO UPDATE SET body = EXCLUDED.body)
     SELECT count(*)::int AS taken FROM taken`,
    [limit],
  );
  return row?.taken ?? 0;
}

/** Indexes every queued lead, `batchSize` at a time; returns how many. For bulk loads and benchmarks. */
export async function indexAllQueuedLeads(db: Db, batchSize = 10_000): Promise<number> {
  let total = 0;
  for (;;) {
    const taken = await indexQueuedLeads(db, batchSize);
    total += taken;
    if (taken < batchSize) return total;
  }
}

export interface SearchIndexerOptions {
  /**
   * Leads per round. Default 200 on PostgreSQL; 50 on PGlite, whose single connection is shared with intake, so a
   * round (about a millisecond per lead there) holds intake back for at most some 50 ms.
   */
  readonly batchSize?: number;
  /** Time between rounds (default 250 ms). */
  readonly intervalMs?: number;
  /**
   * How long a burst of leads may wait behind intake (default a minute): while rounds keep finding full batches,
   * the indexer runs one round in four, leaving the database to intake; after this long it runs every round.
   */
  readonly yieldForMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Indexes queued leads every `intervalMs`. Ordinary traffic is indexed within a round; a burst is indexed at a
 * quarter of the pace for up to `yieldForMs`, so writing trigram entries (most of what storing a lead costs) does
 * not compete with the burst itself. Searches read queued leads directly meanwhile.
 */
export function startSearchIndexer(db: Db, options: SearchIndexerOptions = {}): Repeating {
  const batchSize = options.batchSize ?? (db.kind === 'pglite' ? 50 : 200);
  const yieldForMs = options.yieldForMs ?? 60_000;
  let backlogSince: number | undefined;
  let round = 0;
  const tick = async () => {
    round += 1;
    const now = Date.now();
    if (backlogSince !== undefined && now - backlogSince < yieldForMs && round % 4 !== 0) return;
    const taken = await indexQueuedLeads(db, batchSize);
    if (taken < batchSize) backlogSince = undefined;
    else backlogSince ??= now;
  };
  return repeatEvery(options.intervalMs ?? 250, tick, { onError: options.onError });
}
