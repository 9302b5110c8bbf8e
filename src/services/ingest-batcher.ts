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
   */
  readonly parallelFrom?: number;
}

export interface IngestBatcher {
  ingest(input: IngestInput): Promise<IngestOutput>;
  /** Resolves once every queued lead is committed or failed. */
  drain(): Promise<void>;
}

interface Waiting {
  readonly input: IngestInput;
  readonly resolve: (output: IngestOutput) => void;
  readonly reject: (error: unknown) => void;
}

export function createIngestBatcher(deps: ServiceDeps, options: IngestBatcherOptions = {}): IngestBatcher {
  const maxBatch = options.maxBatch ?? 200;
  const maxWaitMs = options.maxWaitMs ?? 2;
  const concurrency = options.concurrency ?? (deps.db.kind === 'pglite' ? 1 : 2);
  const parallelFrom = options.parallelFrom ?? Math.min(maxBatch, 32);
  const queue: Waiting[] = [];
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;
  let idle: (() => void)[] = [];

  const settleIdle = () => {
    if (queue.length === 0 && inFlight === 0) {
      const waiting = idle;
      idle = [];
      for (const done of waiting) done();
    }
  };

  const settle = (batch: readonly Waiting[], outputs: readonly IngestOutput[]) =>
    batch.forEach((w, i) => {
      const output = outputs[i];
      if (output) w.resolve(output);
      else w.reject(new Error('ingest returned no result'));
    });

  async function run(batch: Waiting[]): Promise<void> {
    let stored = false;
    try {
      // Submitters are answered at the commit; hit counts and learning follow while this slot stays taken.
      await ingestLeads(
        deps,
        batch.map((w) => w.input),
        {
          onStored: (outputs) => {
            stored = true;
            settle(batch, outputs);
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

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (inFlight < concurrency && queue.length >= (inFlight === 0 ? 1 : parallelFrom)) {
      const batch = queue.splice(0, maxBatch);
      inFlight += 1;
      void run(batch).finally(() => {
        inFlight -= 1;
        if (queue.length > 0) flush();
        settleIdle();
      });
    }
  }

  return {
    ingest(input) {
      return new Promise<IngestOutput>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        if (inFlight >= concurrency) return;
        if (inFlight > 0) {
          // A commit is in flight: its end takes these along, unless enough wait to fill a transaction of their own.
          if (queue.length >= parallelFrom) flush();
          return;
        }
        if (queue.length >= maxBatch) flush();
        else timer ??= setTimeout(flush, maxWaitMs);
      });
    },
    drain() {
      if (queue.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}
