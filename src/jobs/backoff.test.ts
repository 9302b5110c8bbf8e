// Retry timing: exponential growth, jitter inside bounds, the cap, and how long the default schedule keeps trying.
import { describe, expect, it } from 'vitest';
import { computeRetryDelay, defaultRetryPolicy, retrySpan } from './backoff.ts';

const policy = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 30_000 };
const hour = 3600_000;

describe('computeRetryDelay', () => {
  it('doubles the ceiling with each failed attempt', () => {
    const top = (n: number) => computeRetryDelay(n, policy, () => 1);
    expect([1, 2, 3, 4, 5].map(top)).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('never passes the cap, however many attempts failed', () => {
    expect(computeRetryDelay(50, policy, () => 1)).toBe(30_000);
    expect(computeRetryDelay(5000, policy, () => 1)).toBe(30_000);
  });

  it('spreads retries between half the ceiling and the ceiling', () => {
    expect(computeRetryDelay(3, policy, () => 0)).toBe(2000);
    expect(computeRetryDelay(3, policy, () => 0.5)).toBe(3000);
    for (let i = 0; i < 200; i += 1) {
      const delay = computeRetryDelay(4, policy);
      expect(delay).toBeGreaterThanOrEqual(4000);
      expect(delay).toBeLessThanOrEqual(8000);
    }
  });
});

describe('the default schedule', () => {
  it('keeps retrying for most of a day before it gives up, however the jitter falls', () => {
    const span = retrySpan(defaultRetryPolicy);
    expect(span.minMs).toBeGreaterThan(22 * hour);
    expect(span.maxMs).toBeLessThan(45 * hour);
  });
});
