// Exact sliding-window counter held in this process: every hit's time is kept until it leaves the window.
import type { CounterHealth, FrequencyCounter } from './frequency-counter.ts';

interface Series {
  /** Hit times, ascending; `head` is the index of the oldest live one. */
  times: number[];
  head: number;
  windowMs: number;
}

export interface MemoryCounterOptions {
  /** How often keys whose hits all left the window are dropped (ms). 0 disables the sweep. */
  readonly sweepEveryMs?: number;
}

/** Index of the first time greater than `bound` in `times[from..]`. */
function firstAfter(times: readonly number[], from: number, bound: number): number {
  let low = from;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((times[mid] as number) > bound) high = mid;
    else low = mid + 1;
  }
  return low;
}

export class MemoryCounter implements FrequencyCounter {
  readonly #series = new Map<string, Series>();
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(options: MemoryCounterOptions = {}) {
    const every = options.sweepEveryMs ?? 60_000;
    if (every > 0) {
      this.#timer = setInterval(() => this.sweep(Date.now()), every);
      this.#timer.unref();
    }
  }

  /** Synchronous form of `hit`, for callers that need no promise. */
  record(key: string, windowMs: number, now: number): number {
    let series = this.#series.get(key);
    if (!series) {
      series = { times: [], head: 0, windowMs };
      this.#series.set(key, series);
    }
    series.windowMs = Math.max(series.windowMs, windowMs);
    const { times } = series;
    const last = times[times.length - 1];
    // Clocks of callers may step back a little; keep the list sorted so the window stays exact.
    if (last === undefined || now >= last) times.push(now);
    else times.splice(firstAfter(times, series.head, now), 0, now);
    series.head = firstAfter(times, series.head, now - windowMs);
    if (series.head > 1024 && series.head * 2 > times.length) {
      times.splice(0, series.head);
      series.head = 0;
    }
    return times.length - series.head;
  }

  hit(key: string, windowMs: number, now: number): Promise<number> {
    return Promise.resolve(this.record(key, windowMs, now));
  }

  /** Drops keys with no hit inside their window; returns how many keys remain. */
  sweep(now: number): number {
    for (const [key, series] of this.#series) {
      const newest = series.times[series.times.length - 1];
      if (newest === undefined || newest <= now - series.windowMs) this.#series.delete(key);
    }
    return this.#series.size;
  }

  health(): CounterHealth {
    return 'not_configured';
  }

  close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#series.clear();
    return Promise.resolve();
  }
}
