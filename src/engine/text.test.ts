import { describe, expect, it } from 'vitest';
import { foldText } from './text.ts';

describe('foldText', () => {
  it('lower-cases plain ASCII and leaves it otherwise alone', () => {
    expect(foldText('Buy NOW, 50% off!')).toBe('buy now, 50% off!');
  });

  it('strips accents and invisible characters and narrows full-width letters', () => {
    expect(foldText('Crème Brûlée')).toBe('creme brulee');
    expect(foldText('fr\u200bee\u00ad')).toBe('free');
    expect(foldText('ＦＲＥＥ')).toBe('free');
    expect(foldText('𝐟𝐫𝐞𝐞')).toBe('free');
  });

  it('maps Cyrillic and Greek look-alikes to the Latin letters they imitate', () => {
    expect(foldText('раураl')).toBe('paypal');
    expect(foldText('ѕехі')).toBe('sexi');
    expect(foldText('ԁοѕ')).toBe('dos');
    expect(foldText('ΑΡΡLΕ')).toBe('apple');
    expect(foldText('αν')).toBe('av');
  });

  it('does not fold leetspeak', () => {
    expect(foldText('v1agr4 fr33')).toBe('v1agr4 fr33');
  });

  it('unifies typographic quotes and dashes', () => {
    expect(foldText('don’t — “now”')).toBe('don\'t - "now"');
  });

  it('drops the dot of a dotted capital I instead of adding a mark', () => {
    expect(foldText('İSTANBUL')).toBe('istanbul');
  });

  it('folds the non-ASCII stretches of mostly-ASCII text as the whole text would fold, final sigma included', () => {
    expect(foldText('Dear Ms Müller, the e\u0301 and ΟΔΟΣ x, раураl.com, İstanbul — “now”')).toBe(
      'dear ms muller, the e and oδoς x, paypal.com, istanbul - "now"',
    );
    const manyStretches = Array.from({ length: 20 }, (_, i) => `w${i} É`).join(' ');
    expect(foldText(manyStretches)).toBe(Array.from({ length: 20 }, (_, i) => `w${i} e`).join(' '));
  });
});
