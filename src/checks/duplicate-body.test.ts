import { describe, expect, it } from 'vitest';
import { duplicateBody } from './duplicate-body.ts';
import { compileConfig } from '../engine/compile.ts';
import { prepareLead } from '../engine/prepare.ts';
import { runCheck } from '../engine/screen.ts';

const lead = prepareLead({ channel: 'form', message: 'We can put your site on the first page of Google.' });
const scoreFor = (others: number | undefined, config = {}) =>
  runCheck(
    duplicateBody,
    lead,
    compileConfig(config),
    { now: 0, sameBodyOtherSenders: others },
    { signals: [] },
  )[0]?.score;

describe('duplicate_body', () => {
  it('scores more as more other senders sent the body, up to twice the base', () => {
    expect([1, 2, 4, 16, 10_000].map((n) => scoreFor(n))).toEqual([2, 3, 4, 4, 4]);
  });

  it('is silent without a count, with none, or with a count that is not a number', () => {
    expect([undefined, 0, Number.NaN, -3].map((n) => scoreFor(n))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('stays below the default threshold on its own, since listing sites send honest leads with one template', () => {
    expect(scoreFor(1_000_000)).toBeLessThan(5);
  });

  it('takes its cap from the check options', () => {
    expect(scoreFor(1024, { checks: { duplicate_body: { options: { cap: 6 } } } })).toBe(6);
  });
});
