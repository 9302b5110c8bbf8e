// The per-IP frequency counter's contract, shared by the in-memory and the Redis implementation.

export type CounterHealth = 'ok' | 'degraded';

export interface FrequencyCounter {
  /**
   * Records one hit for `key` at `now` (ms since the epoch) and returns how many hits the key had in the
   * sliding window `(now - windowMs, now]`, this one included. Never rejects: a failing store falls back.
   */
  hit(key: string, windowMs: number, now: number): Promise<number>;
  /** `degraded` while a shared store is unreachable and counts are this instance's own. */
  health(): CounterHealth;
  close(): Promise<void>;
}
