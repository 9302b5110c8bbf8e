// The search indexer: moves stored leads from lead_search_queue into the trigram-indexed lead_search (migration 0006).
import type { Db } from '../db/database.ts';
import { repeatEvery } from './repeat.ts';
import type { Repeating } from './repeat.ts';

/**
 * Indexes up to `limit` queued leads in one transaction and returns how many it took. Safe on several instances at
 * once: each takes leads the others have not locked. The leads are read under a share lock, so a change to one
 * (retention wiping it, a mark as spam) either waits for this round and then replaces or removes what it wrote, or
 * goes first and this round reads the changed lead, and indexes it only if it is still active (migration 0008).
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
       WHERE a.status = 'active'
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
  /** Leads per round. Default 200 on PostgreSQL, 50 on PGlite. */
  readonly batchSize?: number;
  /**
   * Leads per transaction within a round. Default the whole round on PostgreSQL; 10 on PGlite, whose one connection
   * is shared with intake: a lead arriving during a round waits for one step (about 4 ms) instead of the whole round
   * (about 19 ms for 50 leads), at about 15 % more work a lead indexed.
   */
  readonly stepSize?: number;
  /** Time between rounds (default 250 ms). */
  readonly intervalMs?: number;
  /**
   * How long a burst of leads may wait behind intake (default a minute): during a burst (see `createIndexPace`) the
   * indexer takes a quarter of a batch a round, leaving the database to intake; after this long, whole batches.
   */
  readonly yieldForMs?: number;
  readonly onError?: (error: unknown) => void;
}

export interface IndexPace {
  /** How many queued leads the next round takes at `now`: a whole batch, or a quarter of one during a burst. */
  size(now: number): number;
  /** What a round took tells whether intake is running hot. */
  took(taken: number, now: number): void;
}

/**
 * The indexer's pace. A round that finds a quarter of a batch or more means intake is running hot (200 leads a
 * second on PostgreSQL, 50 on PGlite): from then on each round takes a quarter of a batch, for up to `yieldForMs`,
 * while rounds keep finding that many; a round that finds fewer ends the burst. Small rounds write little at a
 * time: a round's trigram entries are written to the database's log ahead of every commit that follows, so one big
 * round would hold up the commits of the legitimate leads arriving meanwhile.
 */
export function createIndexPace(batchSize: number, yieldForMs: number): IndexPace {
  const small = Math.max(1, Math.ceil(batchSize / 4));
  let burstSince: number | undefined;
  const inBurst = (now: number) => burstSince !== undefined && now - burstSince < yieldForMs;
  return {
    size: (now) => (inBurst(now) ? small : batchSize),
    took(taken, now) {
      if (taken < small) burstSince = undefined;
      else burstSince ??= now;
    },
  };
}

/**
 * Indexes queued leads every `intervalMs`. Ordinary traffic is indexed within a round; a burst (a spam flood, an
 * import) is indexed at a quarter of the pace, in small rounds, for up to `yieldForMs`, so writing trigram entries (most of what
 * storing a lead costs) does not compete with the burst and the legitimate leads beside it. Searches read queued
 * leads directly meanwhile.
 */
export function startSearchIndexer(db: Db, options: SearchIndexerOptions = {}): Repeating {
  const batchSize = options.batchSize ?? (db.kind === 'pglite' ? 50 : 200);
  const stepSize = options.stepSize ?? (db.kind === 'pglite' ? 10 : batchSize);
  const pace = createIndexPace(batchSize, options.yieldForMs ?? 60_000);
  const tick = async () => {
    const wanted = pace.size(Date.now());
    let taken = 0;
    while (taken < wanted) {
      const size = Math.min(stepSize, wanted - taken);
      const took = await indexQueuedLeads(db, size);
      taken += took;
      if (took < size) break;
      // Requests that arrived during the step are read, and their transactions queue for the database, first.
      await new Promise((resolve) => setImmediate(resolve));
    }
    pace.took(taken, Date.now());
  };
  return repeatEvery(options.intervalMs ?? 250, tick, { onError: options.onError });
}
