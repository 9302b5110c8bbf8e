import { describe, expect, it } from 'vitest';
import { throttleErrors } from './repeat.ts';

describe('throttleErrors', () => {
  it('reports the first failure at once, then one a minute with how many it kept quiet', () => {
    let now = 0;
    const reported: [string, number][] = [];
    const onError = throttleErrors((error, kept) => reported.push([String(error), kept]), { now: () => now });
    for (let second = 0; second < 125; second++) {
      now = second * 1000;
      onError(`down ${second}`);
    }
    expect(reported).toEqual([
      ['down 0', 0],
      ['down 60', 59],
      ['down 120', 59],
    ]);
  });
});
