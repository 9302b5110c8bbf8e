// The per-IP frequency counter's contract, shared by the in-memory and the Redis implementation.

/** `not_configured`: no shared store is set up (no REDIS_URL); this process's own count is the whole count. */
export type CounterHealth = 'ok' | 'degraded' | 'not_configured';

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
