// Group commit for intake: leads arriving within a few milliseconds (or while a commit is in flight) share one transaction.
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import type { ServiceDeps } from './deps.ts';
import { ingestLeads } from './ingest.ts';
import type { IngestInput, IngestOutput } from './ingest.ts';

export interface IngestBatcherOptions {
  /** Most leads per transaction. */
  readonly maxBatch?: number;
  /** How long the first lead of an idle batcher waits for company. */
  readonly maxWaitMs?: number;
  /** Transactions in flight at once (1 for PGlite, a few for a PostgreSQL pool). */
  readonly concurrency?: number;
  /**
   * Leads that must be waiting before another transaction starts beside one in flight. Below it they wait for the
   * commit and go together: every transaction costs round trips on both sides, and small ones split the load.
   * 16 on PostgreSQL: with 50 submitters at 32, the leads that arrived during one commit (about 25) seldom reached it,
   * so the two slots took turns instead of overlapping (2,145 to 2,542 leads/s in `bench/intake.ts` against 2,670 to
   * 2,681 at 16, interleaved; 8 split the load too far).
   */
  readonly parallelFrom?: number;
  /**
   * Most leads per transaction in the over-limit lane. PGlite runs each statement on this thread, so a big batch
   * would stall every request for its whole length: it takes small ones there (8, about 3 ms; with 25 a legitimate
   * lead's p99 under a 400/s flood was about 56 ms against about 40 in interleaved probes).
   */
  readonly overLimitBatch?: number;
  /** How long the first over-limit lead waits for company before its lane may start a transaction. */
  readonly overLimitWaitMs?: number;
  /** An over-limit lead waiting this long gets the next free transaction even while normal leads wait. */
  readonly overLimitMaxDelayMs?: number;
}

/**
 * `over_limit`: the lead's IP is past its frequency limit or on its way there (see `isBusyAddress`: a flood). Such
 * leads are still committed before their answer, but only when no normal lead is waiting or committing, at most one
 * transaction at a time, so legitimate leads never queue behind a flood.
 */
export type IngestLane = 'normal' | 'over_limit';

export interface IngestBatcher {
  ingest(input: IngestInput, lane?: IngestLane): Promise<IngestOutput>;
  /** Resolves once every queued lead, in both lanes, is committed or failed. */
  drain(): Promise<void>;
}

interface Waiting {
  readonly input: IngestInput;
  readonly resolve: (output: IngestOutput) => void;
  readonly reject: (error: unknown) => void;
  /** When it joined its lane (ms, monotonic). */
  readonly since: number;
}

interface Lane {
  readonly queue: Waiting[];
  inFlight: number;
}

/** Over-limit leads answered per turn of the event loop once their batch is committed. */
const OVER_LIMIT_ANSWERS_PER_TURN = 8;

export function createIngestBatcher(deps: ServiceDeps, options: IngestBatcherOptions = {}): IngestBatcher {
  const maxBatch = options.maxBatch ?? 200;
  const maxWaitMs = options.maxWaitMs ?? 2;
  const concurrency = options.concurrency ?? (deps.db.kind === 'pglite' ? 1 : 2);
  const parallelFrom = options.parallelFrom ?? Math.min(maxBatch, 16);
  const overLimitBatch = options.overLimitBatch ?? (deps.db.kind === 'pglite' ? 8 : 100);
  const overLimitWaitMs = options.overLimitWaitMs ?? 20;
  const overLimitMaxDelayMs = options.overLimitMaxDelayMs ?? 1000;
  const normal: Lane = { queue: [], inFlight: 0 };
  const overLimit: Lane = { queue: [], inFlight: 0 };
  let timer: NodeJS.Timeout | undefined;
  let overLimitTimer: NodeJS.Timeout | undefined;
  let idle: (() => void)[] = [];
  /** Set by `drain` (shutdown): over-limit leads stop waiting for company, so nothing accepted is left behind. */
  let draining = false;
  const inFlight = () => normal.inFlight + overLimit.inFlight;
  const now = () => performance.now();

  const settleIdle = () => {
    if (normal.queue.length === 0 && overLimit.queue.length === 0 && inFlight() === 0) {
      const waiting = idle;
      idle = [];
      draining = false;
      for (const done of waiting) done();
    }
  };

  /**
   * Answers a committed batch. A flood's batch is answered a few leads per turn of the event loop: its answers are
   * written in one go otherwise, and a legitimate request arriving then would wait for all of them.
   */
  const settle = (batch: readonly Waiting[], outputs: readonly IngestOutput[], perTurn = batch.length) => {
    for (let i = 0; i < Math.min(perTurn, batch.length); i++) {
      const output = outputs[i];
      if (output) batch[i]?.resolve(output);
      else batch[i]?.reject(new Error('ingest returned no result'));
    }
    if (batch.length > perTurn)
      setImmediate(() => settle(batch.slice(perTurn), outputs.slice(perTurn), perTurn));
  };

  async function run(batch: Waiting[], lane: Lane): Promise<void> {
    let stored = false;
    try {
      // Submitters are answered at the commit; hit counts and learning follow while this slot stays taken.
      await ingestLeads(
        deps,
        batch.map((w) => w.input),
        {
          onStored: (outputs) => {
            stored = true;
            settle(batch, outputs, lane === overLimit ? OVER_LIMIT_ANSWERS_PER_TURN : batch.length);
          },
        },
      );
    } catch (error) {
      // Committed and answered: a retry would store the batch twice (what follows the commit reports its own errors).
      if (stored) return;
      // A lost database is no single lead's fault, and a COMMIT cut short may have stored the batch: retrying could store it twice.
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        for (const w of batch) w.reject(error);
        return;
      }
      // One bad lead (or a deadlock) must not fail its neighbours: each retries alone.
      await Promise.all(
        batch.map((w) =>
          ingestLeads(deps, [w.input]).then(
            ([output]) => (output ? w.resolve(output) : w.reject(new Error('ingest returned no result'))),
            w.reject,
          ),
        ),
      );
    }
  }

  function start(lane: Lane, size: number): void {
    const batch = lane.queue.splice(0, size);
    lane.inFlight += 1;
    const next = () => {
      flush();
      settleIdle();
    };
    void run(batch, lane).finally(() => {
      lane.inFlight -= 1;
      // After a flood batch the requests that arrived meanwhile are read first (next turn of the event loop): a
      // legitimate lead among them then goes before the next flood batch instead of behind it.
      if (lane === overLimit) setImmediate(next);
      else next();
    });
  }

  /**
   * Whether the over-limit lane takes the next free transaction: never beside another of its own, nor ahead of or
   * beside normal leads (their commit would share the database with the flood's), unless it waited too long.
   */
  function overLimitTurn(at: number): boolean {
    const oldest = overLimit.queue[0];
    if (!oldest || overLimit.inFlight > 0) return false;
    const waited = at - oldest.since;
    if (waited >= overLimitMaxDelayMs) return true;
    if (normal.queue.length > 0 || normal.inFlight > 0) return false;
    return draining || waited >= overLimitWaitMs || overLimit.queue.length >= overLimitBatch;
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const at = now();
    while (inFlight() < concurrency) {
      if (overLimitTurn(at)) start(overLimit, overLimitBatch);
      // Beside a transaction of its own lane a normal batch waits to fill; beside an over-limit one it never waits.
      else if (normal.queue.length >= (normal.inFlight === 0 ? 1 : parallelFrom)) start(normal, maxBatch);
      else break;
    }
    scheduleOverLimit(at);
  }

  /** Wakes the batcher when the oldest over-limit lead's wait is over, in case nothing else does. */
  function scheduleOverLimit(at: number): void {
    if (overLimitTimer) clearTimeout(overLimitTimer);
    overLimitTimer = undefined;
    const oldest = overLimit.queue[0];
    if (!oldest || overLimit.inFlight > 0) return;
    // Normal leads waiting or in flight call flush when they commit; the timer only bounds the flood's wait.
    const normalBusy = normal.queue.length > 0 || normal.inFlight > 0;
    const due = oldest.since + (normalBusy ? overLimitMaxDelayMs : overLimitWaitMs);
    overLimitTimer = setTimeout(flush, Math.max(0, due - at));
  }

  return {
    ingest(input, lane = 'normal') {
      return new Promise<IngestOutput>((resolve, reject) => {
        const waiting = { input, resolve, reject, since: now() };
        if (lane === 'over_limit') {
          overLimit.queue.push(waiting);
          if (overLimit.queue.length === 1 || overLimit.queue.length >= overLimitBatch) flush();
          return;
        }
        normal.queue.push(waiting);
        if (inFlight() >= concurrency) return;
        if (normal.inFlight > 0) {
          // A commit is in flight: its end takes these along, unless enough wait to fill a transaction of their own.
          if (normal.queue.length >= parallelFrom) flush();
          return;
        }
        if (normal.queue.length >= maxBatch) flush();
        else timer ??= setTimeout(flush, maxWaitMs);
      });
    },
    drain() {
      if (normal.queue.length === 0 && overLimit.queue.length === 0 && inFlight() === 0)
        return Promise.resolve();
      const idled = new Promise<void>((resolve) => idle.push(resolve));
      draining = true;
      flush();
      return idled;
    },
  };
}
