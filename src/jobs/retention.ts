// The retention job: deletes quarantined leads past their account's retention, on a schedule, on one instance at a time.
import type { Db } from '../db/database.ts';
import { repeatEvery } from './repeat.ts';

/** Any fixed number; every instance tries the same advisory lock, so only one purges at a time. */
export const RETENTION_LOCK = 7_345_113_902;

/**
 * The purge, run inside the job's transaction, e.g.
 * `(tx, now) => purgeExpiredQuarantine({ ...serviceDeps, db: tx }, now)`: nested transactions reuse `tx`.
 */
export type PurgeExpiredQuarantine = (tx: Db, now: Date) => Promise<number>;

export interface RetentionRun {
  /** False when another instance held the lock: it is doing the work. */
  readonly ran: boolean;
  readonly purged: number;
}

/**
 * One run. The transaction-scoped advisory lock is taken without waiting: an instance that
 * finds it held skips this round instead of queueing a second purge behind the first.
 */
export async function runRetention(db: Db, purge: PurgeExpiredQuarantine, now: Date): Promise<RetentionRun> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
      RETENTION_LOCK,
    ]);
    if (!row?.locked) return { ran: false, purged: 0 };
    return { ran: true, purged: await purge(tx, now) };
  });
}

export interface RetentionSchedule {
  stop(): Promise<void>;
}

/** Runs retention now and then every `intervalMs` (default hourly); errors go to `onError` and the next round tries again. */
export function startRetentionSchedule(options: {
  readonly db: Db;
  readonly purge: PurgeExpiredQuarantine;
  readonly intervalMs?: number;
  readonly now?: () => Date;
  readonly onRun?: (run: RetentionRun) => void;
  readonly onError?: (error: unknown) => void;
}): RetentionSchedule {
  const now = options.now ?? (() => new Date());
  return repeatEvery(
    options.intervalMs ?? 3600_000,
    () => runRetention(options.db, options.purge, now()).then((run) => options.onRun?.(run)),
    { immediately: true, onError: options.onError },
  );
}
