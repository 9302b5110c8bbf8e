// Retry timing: exponential growth, jitter inside bounds, the cap.
import { describe, expect, it } from 'vitest';
import { computeRetryDelay } from './backoff.ts';

const policy = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 30_000 };

describe('computeRetryDelay', () => {
  it('doubles the ceiling with each failed attempt', () => {
    const top = (n: number) => computeRetryDelay(n, policy, () => 1);
    expect([1, 2, 3, 4, 5].map(top)).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('never passes the cap, however many attempts failed', () => {
    expect(computeRetryDelay(50, policy, () => 1)).toBe(30_000);
    expect(computeRetryDelay(5000, policy, () => 1)).toBe(30_000);
  });

  it('spreads retries between a tenth of the ceiling and the ceiling', () => {
    expect(computeRetryDelay(3, policy, () => 0)).toBe(400);
    expect(computeRetryDelay(3, policy, () => 0.5)).toBe(2200);
    for (let i = 0; i < 200; i += 1) {
      const delay = computeRetryDelay(4, policy);
      expect(delay).toBeGreaterThanOrEqual(800);
      expect(delay).toBeLessThanOrEqual(8000);
    }
  });
});
