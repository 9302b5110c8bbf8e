import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countCapitals, shouting } from './shouting.ts';
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

describe('countCapitals', () => {
  /** The plain reading: every character on its own, the share looked at after every 64. */
  const plain = (text: string, share: number) => {
    let upper = 0;
    let lower = 0;
    for (let i = 0; i < text.length; i++) {
      const char = text.charAt(i);
      if (char !== char.toLowerCase()) upper++;
      else if (char !== char.toUpperCase()) lower++;
      const seen = i + 1;
      if (
        (seen % 64 === 0 || seen === text.length) &&
        lower > ((1 - share) / share) * (upper + text.length - seen)
      )
        return undefined;
    }
    return { upper, lower };
  };

  it('counts ASCII text four characters at a time as the plain reading does, giving up at the same points', () => {
    const piece = fc.constantFrom(
      'HELLO',
      'hello',
      'A',
      'z',
      'Z',
      'a',
      '@[`{',
      ' ',
      '123',
      'OK!',
      '\n',
      'MiXeD',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 120 }),
        fc.constantFrom(0.1, 0.5, 0.7, 0.95, 1),
        (pieces, share) => {
          const text = pieces.join('');
          expect(countCapitals(text, share)).toEqual(plain(text, share));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('counts capitals in other scripts too', () => {
    expect(countCapitals('ΚΑΛΗΜΕΡΑ σας Müller', 0.4)).toEqual({ upper: 9, lower: 8 });
    expect(countCapitals('ΚΑΛΗΜΕΡΑ σας Müller', 0.7)).toBeUndefined();
  });
});
