import { describe, expect, it } from 'vitest';
import { createIndexPace } from './search-indexer.ts';

const dueRounds = (pace: ReturnType<typeof createIndexPace>, from: number, to: number, now: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i).filter((round) => pace.due(round, now));

describe('the search indexer pace', () => {
  it('runs every round while intake is quiet', () => {
    const pace = createIndexPace(200, 60_000);
    pace.took(49, 0);
    expect(dueRounds(pace, 1, 8, 0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('gives way to a burst from a round that finds a quarter of a batch, and goes on while rounds find full ones', () => {
    const pace = createIndexPace(200, 60_000);
    pace.took(50, 1_000);
    expect(dueRounds(pace, 1, 8, 1_250)).toEqual([4, 8]);
    // Giving way, a round covers four intervals: a full batch means the burst goes on.
    pace.took(200, 2_000);
    expect(dueRounds(pace, 9, 12, 2_250)).toEqual([12]);
    // Less than a full batch: the burst is over.
    pace.took(120, 3_000);
    expect(dueRounds(pace, 13, 16, 3_250)).toEqual([13, 14, 15, 16]);
  });

  it('runs every round again once a burst has waited its longest', () => {
    const pace = createIndexPace(50, 60_000);
    pace.took(13, 0);
    expect(dueRounds(pace, 1, 4, 59_999)).toEqual([4]);
    pace.took(50, 59_999);
    expect(dueRounds(pace, 5, 8, 60_000)).toEqual([5, 6, 7, 8]);
  });
});
