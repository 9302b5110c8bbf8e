import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCounter } from './memory-counter.ts';

const window = 300_000;
const counters: MemoryCounter[] = [];
function newCounter(): MemoryCounter {
  const counter = new MemoryCounter({ sweepEveryMs: 0 });
  counters.push(counter);
  return counter;
}
afterEach(async () => {
  for (const counter of counters.splice(0)) await counter.close();
});

describe('MemoryCounter', () => {
  it('catches the 301st hit when two bursts straddle a fixed-window boundary', () => {
    const counter = newCounter();
    const results: number[] = [];
    for (let i = 0; i < 300; i += 1) results.push(counter.record('ip', window, 299_000 + i));
    for (let i = 0; i < 300; i += 1) results.push(counter.record('ip', window, 301_000 + i));
    expect(results[299]).toBe(300);
    expect(results[300]).toBe(301);
    expect(results.at(-1)).toBe(600);
  });

  it('forgets hits once they are a full window old', () => {
    const counter = newCounter();
    for (let i = 0; i < 300; i += 1) counter.record('ip', window, 1000);
    expect(counter.record('ip', window, 1000 + window - 1)).toBe(301);
    expect(counter.record('ip', window, 1000 + window)).toBe(2);
  });

  it('counts keys separately', () => {
    const counter = newCounter();
    counter.record('a', window, 1);
    counter.record('a', window, 2);
    expect(counter.record('b', window, 3)).toBe(1);
  });

  it('stays exact when a caller clock steps back', () => {
    const counter = newCounter();
    counter.record('ip', 1000, 5000);
    counter.record('ip', 1000, 4500);
    expect(counter.record('ip', 1000, 5400)).toBe(3);
    expect(counter.record('ip', 1000, 5550)).toBe(3);
  });

  it('matches a brute-force count when clocks step back a little', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 50 }), { minLength: 1, maxLength: 400 }), (gaps) => {
        const counter = new MemoryCounter({ sweepEveryMs: 0 });
        const times: number[] = [];
        let now = 1000;
        let latest = now;
        for (const gap of gaps) {
          now += gap;
          latest = Math.max(latest, now);
          times.push(now);
          // A hit leaves for good once the latest clock reading puts it a window behind.
          const expected = times.filter((t) => t > latest - 100).length;
          if (counter.record('ip', 100, now) !== expected) return false;
        }
        return true;
      }),
    );
  });

  it('matches a brute-force count for any hit pattern', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 400 }), (gaps) => {
        const counter = new MemoryCounter({ sweepEveryMs: 0 });
        const times: number[] = [];
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          times.push(now);
          const expected = times.filter((t) => t > now - 100).length;
          if (counter.record('ip', 100, now) !== expected) return false;
        }
        return true;
      }),
    );
  });

  it('drops idle keys on sweep and keeps live ones', () => {
    const counter = newCounter();
    counter.record('old', 1000, 0);
    counter.record('new', 1000, 1500);
    expect(counter.sweep(1600)).toBe(1);
    expect(counter.record('old', 1000, 1700)).toBe(1);
    expect(counter.record('new', 1000, 1700)).toBe(2);
  });
});
