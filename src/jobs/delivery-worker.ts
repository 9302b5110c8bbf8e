// The outbox worker: claims due deliveries, runs each kind's handler once, records the attempt, retries with backoff or fails visibly.
import { randomUUID } from 'node:crypto';
import { computeRetryDelay, defaultRetryPolicy } from './backoff.ts';
import type { RetryPolicy } from './backoff.ts';
import { runDeliveryJob } from './delivery-handlers.ts';
import type { DeliveryContext, DeliveryDeps, DeliveryOutcome } from './delivery-handlers.ts';
import type { ClaimedDelivery, DeliveryRepository, LeadStatus, NextState } from './delivery-repository.ts';
import { JobPayloadError } from './job-definition.ts';

export interface DeliveryWorkerOptions {
  readonly repository: DeliveryRepository;
  readonly deps: DeliveryDeps;
  readonly now?: () => Date;
  readonly random?: () => number;
  readonly retry?: RetryPolicy;
  readonly batchSize?: number;
  /** How long a claim holds; a worker that dies mid-attempt frees its rows after this. */
  readonly leaseMs?: number;
  readonly workerId?: string;
  /** Attempts run at once within a batch. */
  readonly concurrency?: number;
}

export interface BatchReport {
  readonly claimed: number;
  readonly delivered: number;
  readonly retrying: number;
  readonly failed: number;
  readonly cancelled: number;
}

// Unique per process, never a pid: two hosts can share a pid, and the claim check relies on the id.
const processWorkerId = `worker-${randomUUID()}`;

/** One attempt of one delivery; never throws: a handler bug becomes a recorded, retryable failure. */
async function attempt(
  delivery: ClaimedDelivery,
  lead: DeliveryContext['lead'],
  options: DeliveryWorkerOptions,
  now: Date,
): Promise<DeliveryOutcome> {
  const context: DeliveryContext = {
    deliveryId: delivery.id,
    accountId: delivery.accountId,
    idempotencyKey: delivery.idempotencyKey,
    now,
    lead,
  };
  try {
    return await runDeliveryJob(delivery.kind, delivery.payload, { ...options.deps, context });
  } catch (error) {
    const bad = error instanceof JobPayloadError;
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      retryable: !bad,
      statusCode: undefined,
      snippet: message.slice(0, 500),
      durationMs: 0,
      error: bad ? 'invalid_payload' : 'handler_error',
    };
  }
}

/** Lifecycle webhooks (marked spam, released, deleted) go out whatever the lead's state; everything else needs an active lead. */
export function mayDeliver(
  delivery: Pick<ClaimedDelivery, 'kind' | 'payload'>,
  status: LeadStatus | undefined,
): boolean {
  const event = (delivery.payload as { event?: unknown } | null)?.event;
  if (delivery.kind === 'webhook' && event !== 'lead.created') return true;
  return status === 'active';
}

/** Claims and works one batch; returns what happened, for logs and tests. */
export async function runDeliveryBatch(options: DeliveryWorkerOptions): Promise<BatchReport> {
  const clock = options.now ?? (() => new Date());
  const policy = options.retry ?? defaultRetryPolicy;
  const workerId = options.workerId ?? processWorkerId;
  const claimed = await options.repository.claimDue({
    now: clock(),
    limit: options.batchSize ?? 20,
    leaseMs: options.leaseMs ?? 5 * 60_000,
    workerId,
  });
  const report = { claimed: claimed.length, delivered: 0, retrying: 0, failed: 0, cancelled: 0 };
  const queue = [...claimed];
  const work = async () => {
    for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
      const found = delivery.activityId
        ? await options.repository.loadLead(delivery.accountId, delivery.activityId)
        : undefined;
      if (!mayDeliver(delivery, found?.status)) {
        // Spam reaches no one: a lead quarantined or deleted before its turn (the hold window) is never sent.
        await options.repository.cancel(delivery.id, workerId, `lead is ${found?.status ?? 'gone'}`);
        report.cancelled += 1;
        continue;
      }
      const startedAt = clock();
      const outcome = await attempt(delivery, found?.lead, options, startedAt);
      const next: NextState = outcome.ok
        ? { status: 'sent' }
        : outcome.retryable && delivery.attempts < policy.maxAttempts
          ? {
              status: 'pending',
              nextAttemptAt: new Date(
                startedAt.getTime() + computeRetryDelay(delivery.attempts, policy, options.random),
              ),
            }
          : { status: 'failed' };
      await options.repository.finishAttempt({ delivery, workerId, startedAt, outcome, next });
      if (next.status === 'sent') report.delivered += 1;
      else if (next.status === 'pending') report.retrying += 1;
      else report.failed += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, work));
  return report;
}

export interface RunningWorker {
  /** Finishes the batch in hand, then stops. */
  stop(): Promise<void>;
}

/**
 * Polls for due deliveries until stopped. A full batch is followed at once by the next; an empty
 * one waits `pollMs`. Errors (database down) are reported and retried after the poll interval.
 */
export function startDeliveryWorker(
  options: DeliveryWorkerOptions & { readonly pollMs?: number; readonly onError?: (error: unknown) => void },
): RunningWorker {
  const workerId = options.workerId ?? `${processWorkerId}-${randomUUID().slice(0, 8)}`;
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let full = false;
      try {
        const report = await runDeliveryBatch({ ...options, workerId });
        full = report.claimed >= (options.batchSize ?? 20);
      } catch (error) {
        options.onError?.(error);
      }
      if (!full && !stopped)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs ?? 1000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
