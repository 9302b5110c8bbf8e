import { describe, expect, it } from 'vitest';
import { createIndexPace } from './search-indexer.ts';

describe('the search indexer pace', () => {
  it('takes whole batches while intake is quiet', () => {
    const pace = createIndexPace(200, 60_000);
    expect(pace.size(0)).toBe(200);
    pace.took(49, 0);
    expect(pace.size(250)).toBe(200);
  });

  it('takes a quarter of a batch a round from a round that finds that many, while rounds keep finding that many', () => {
    const pace = createIndexPace(200, 60_000);
    pace.took(50, 1_000);
    expect(pace.size(1_250)).toBe(50);
    pace.took(50, 1_250);
    expect(pace.size(1_500)).toBe(50);
    // Fewer than a small round's worth: the burst is over.
    pace.took(49, 1_500);
    expect(pace.size(1_750)).toBe(200);
  });

  it('takes whole batches again once a burst has waited its longest, until the queue is worked off', () => {
    const pace = createIndexPace(50, 60_000);
    pace.took(13, 0);
    expect(pace.size(59_999)).toBe(13);
    expect(pace.size(60_000)).toBe(50);
    pace.took(50, 60_000);
    expect(pace.size(60_250)).toBe(50);
    pace.took(12, 60_250);
    pace.took(13, 60_500);
    expect(pace.size(60_750)).toBe(13);
  });
});
