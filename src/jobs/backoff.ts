// Retry timing for deliveries: exponential backoff with jitter, capped, and the attempt limit.

export interface RetryPolicy {
  /** Attempts in all, the first one included; after the last failure the delivery is `failed`. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * 17 attempts: retries after 30 s, 1, 2, 4, 8, 16, 32, 64, 128 and 256 min, then every 6 h (each time
 * somewhere between half and all of that), so a delivery is given up between 22 and 45 hours after its
 * first attempt. A CRM or mail server down overnight still gets its leads.
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 17,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 3600_000,
};

/**
 * Delay before the next attempt after `attemptsMade` failures. The jitter (a uniform draw between half
 * the exponential ceiling and the ceiling) spreads a burst of failures from one outage, so a recovering
 * endpoint is not hit by every retry at the same instant, while the floor keeps the schedule's promise
 * of how long retries last.
 */
export function computeRetryDelay(
  attemptsMade: number,
  policy: RetryPolicy = defaultRetryPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attemptsMade - 1, 0), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const floor = ceiling / 2;
  return Math.round(floor + random() * (ceiling - floor));
}

/** How long after the first attempt the last one happens, at the shortest and longest jitter. */
export function retrySpan(policy: RetryPolicy = defaultRetryPolicy): { minMs: number; maxMs: number } {
  let minMs = 0;
  let maxMs = 0;
  for (let failed = 1; failed < policy.maxAttempts; failed += 1) {
    minMs += computeRetryDelay(failed, policy, () => 0);
    maxMs += computeRetryDelay(failed, policy, () => 1);
  }
  return { minMs, maxMs };
}
