// Retry timing for deliveries: exponential backoff with full jitter, capped, and the attempt limit.

export interface RetryPolicy {
  /** Attempts in all, the first one included; after the last failure the delivery is `failed`. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** About 2 days of retries: 30 s, 1 min, 2 min, ... capped at 6 h, 12 attempts. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 12,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 3600_000,
};

/**
 * Delay before the next attempt after `attemptsMade` failures. Full jitter (a uniform draw up to
 * the exponential ceiling) spreads a burst of failures from one outage, so a recovering endpoint
 * is not hit by every retry at the same instant. Never below a tenth of the ceiling.
 */
export function computeRetryDelay(
  attemptsMade: number,
  policy: RetryPolicy = defaultRetryPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attemptsMade - 1, 0), 30);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const floor = ceiling / 10;
  return Math.round(floor + random() * (ceiling - floor));
}
