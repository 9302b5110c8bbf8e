import { describe, expect, it } from 'vitest';
import { shouting } from './shouting.ts';
import { compileConfig } from '../engine/compile.ts';
import { prepareLead } from '../engine/prepare.ts';
import { runCheck } from '../engine/screen.ts';

const fires = (message: string, config = {}) =>
  runCheck(
    shouting,
    prepareLead({ channel: 'form', message }),
    compileConfig(config),
    { now: 0 },
    { signals: [] },
  ).length > 0;

describe('shouting', () => {
  it('counts the whole message: capitals after a lower-case start still make it shouting', () => {
    expect(fires(`hello there, ${'BUY NOW AND SAVE '.repeat(20)}`)).toBe(true);
    expect(fires(`${'BUY NOW AND SAVE '.repeat(2)}${'and then a long calm explanation '.repeat(10)}`)).toBe(
      false,
    );
  });

  it('sits exactly at the configured share', () => {
    const seventy = `${'A'.repeat(70)}${'a'.repeat(30)}`;
    expect(fires(seventy)).toBe(true);
    expect(fires(`${'A'.repeat(69)}${'a'.repeat(31)}`)).toBe(false);
    expect(fires(seventy, { checks: { shouting: { options: { share: 0.8 } } } })).toBe(false);
  });

  it('counts capitals in other scripts and ignores digits and punctuation', () => {
    expect(fires('ÉTÉ ÀÇÉ ÜBER ÄRGER ÖL ŒUVRE 12345 !!!')).toBe(true);
    expect(fires('Ωραία μέρα για μια βόλτα στην παραλία')).toBe(false);
  });
});
