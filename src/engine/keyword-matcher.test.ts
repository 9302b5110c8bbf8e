import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileKeywords } from './keyword-matcher.ts';
import { foldText } from './text.ts';

const phrasesOf = (...phrases: string[]) => phrases.map((phrase) => ({ phrase }));
const find = (phrases: string[], text: string) =>
  compileKeywords(phrasesOf(...phrases))
    .findAll(foldText(text))
    .map((hit) => hit.phrase);

describe('compileKeywords', () => {
  it('finds a phrase whatever its case, next to punctuation', () => {
    expect(find(['viagra'], 'buy VIAGRA!')).toEqual(['viagra']);
  });

  it('matches only whole words', () => {
    expect(find(['sex'], 'Greetings from Essex, sextant owners')).toEqual([]);
    expect(find(['sex'], 'free sex-cam')).toEqual(['sex']);
  });

  it('sees through accents, full-width letters, look-alike letters and zero-width characters', () => {
    expect(find(['viagra'], 'víágrà')).toEqual(['viagra']);
    expect(find(['viagra'], 'ＶＩＡＧＲＡ')).toEqual(['viagra']);
    expect(find(['viagra'], 'vіаgrа')).toEqual(['viagra']); // Cyrillic і and а
    expect(find(['viagra'], 'vi\u200bag\u200dra')).toEqual(['viagra']);
  });

  it('folds the phrase the same way as the text', () => {
    expect(find(['CASINO Bonus'], 'best casino   bonus\ntoday')).toEqual(['CASINO Bonus']);
    expect(find(['саsino'], 'casino night')).toEqual(['саsino']);
  });

  it('keeps punctuation inside a phrase meaningful', () => {
    expect(find(['100% free'], 'It is 100% FREE')).toEqual(['100% free']);
    expect(find(['100% free'], 'It is 100 free')).toEqual([]);
  });

  it('treats regex characters in a phrase as plain text', () => {
    expect(find(['a.b*', '(x|y)'], 'see a.b* and (x|y) here')).toEqual(['a.b*', '(x|y)']);
    expect(find(['a.b*'], 'see axb here')).toEqual([]);
  });

  it('finds overlapping phrases and phrases inside other phrases', () => {
    const hits = find(['buy now', 'now', 'cheap viagra', 'viagra online'], 'buy now cheap viagra online');
    expect(hits.sort()).toEqual(['buy now', 'cheap viagra', 'now', 'viagra online']);
  });

  it('follows failure links when a longer phrase breaks off', () => {
    expect(find(['a b c', 'b d'], 'a b d')).toEqual(['b d']);
  });

  it('reports each phrase once, at its first occurrence', () => {
    const matcher = compileKeywords([{ phrase: 'spam', id: 'k1' }]);
    expect(matcher.findAll('no spam here, spam there')).toEqual([{ phrase: 'spam', id: 'k1', index: 3 }]);
  });

  it('stops at the limit', () => {
    const matcher = compileKeywords(phrasesOf('a', 'b', 'c'));
    expect(matcher.findAll('a b c', 2)).toHaveLength(2);
  });

  it('ignores empty and whitespace-only phrases and duplicates', () => {
    const matcher = compileKeywords(phrasesOf('', '   ', 'Loan', 'loan', 'LÖAN'));
    expect(matcher.size).toBe(1);
    expect(compileKeywords(phrasesOf('', ' ')).findAll('anything')).toEqual([]);
  });

  it('matches phrases in scripts written without spaces', () => {
    expect(find(['免费'], '这是免费的')).toEqual(['免费']);
  });

  it('compiles a hundred thousand phrases and still finds the right ones', () => {
    const phrases = Array.from({ length: 100_000 }, (_, i) => ({
      phrase: `spam phrase ${i}`,
      id: String(i),
    }));
    const matcher = compileKeywords(phrases);
    expect(matcher.size).toBe(100_000);
    const hits = matcher.findAll(foldText('Hello, SPAM phrase 4242 and spam phrase 99999. spam phrase x'));
    expect(hits.map((h) => h.id)).toEqual(['4242', '99999']);
  });

  it('agrees with a naive whole-token search on random text', () => {
    const word = fc.constantFrom('a', 'b', 'ab', 'ba', 'x', '!', 'é');
    const phrase = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(
        fc.array(phrase, { minLength: 1, maxLength: 6 }),
        fc.array(word, { maxLength: 30 }),
        (ps, ws) => {
          const text = ws.join(' ');
          const tokens = foldText(text).split(' ').filter(Boolean);
          const expected = new Set(
            ps.filter((p) => {
              const pt = foldText(p).split(' ');
              return tokens.some((_, i) => pt.every((t, k) => tokens[i + k] === t));
            }),
          );
          const found = new Set(find(ps, text));
          const folded = (s: Set<string>) => [...new Set([...s].map((p) => foldText(p)))].sort();
          expect(folded(found)).toEqual(folded(expected));
        },
      ),
    );
  });
});

/**
 * A phrase starting with punctuation (a token of one character) turns off the word-skipping scan,
 * so the same phrases with and without one must find the same hits at the same places.
 */
const plainScan = (phrases: string[]) => compileKeywords(phrasesOf(...phrases, '~never~'));

function expectSkippingToAgree(words: string[], glues: string[]): void {
  const phrase = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
  fc.assert(
    fc.property(
      fc.array(phrase, { minLength: 1, maxLength: 6 }),
      fc.array(fc.constantFrom(...words), { maxLength: 80 }),
      fc.constantFrom(...glues),
      (ps, ws, glue) => {
        const text = foldText(ws.join(glue));
        const skipping = compileKeywords(phrasesOf(...ps)).findAll(text);
        const plain = plainScan(ps)
          .findAll(text)
          .filter((hit) => hit.phrase !== '~never~');
        expect(skipping).toEqual(plain);
      },
    ),
    { numRuns: 300 },
  );
}

describe('compileKeywords on ASCII text', () => {
  it('skips words the way the plain scan reads them, across 32-character blocks', () => {
    expectSkippingToAgree(
      [
        'a',
        'ab',
        'free',
        'FREE',
        'casino',
        'bonus',
        'x1',
        '2024',
        'supercalifragilisticexpialidocious',
        'casinobonus',
        '-',
        '!',
        '.',
        '\n',
        '  ',
      ],
      [' ', '', '\t'],
    );
  });

  it('tells word characters from others in every position of a block', () => {
    const skipping = compileKeywords(phrasesOf('ab'));
    const plain = plainScan(['ab']);
    for (let code = 0; code < 128; code++) {
      const char = String.fromCharCode(code);
      for (let pad = 0; pad < 36; pad++) {
        for (const text of [`${'-'.repeat(pad)}${char}ab`, `${'-'.repeat(pad)}ab${char}ab`]) {
          const expected = plain.findAll(text).filter((hit) => hit.phrase !== '~never~');
          expect(skipping.findAll(text)).toEqual(expected);
        }
      }
    }
  });

  it('finds a word that ends exactly at a block end or at the end of the text', () => {
    for (let pad = 0; pad < 70; pad++) {
      const text = `${'z'.repeat(pad)} bonus`;
      expect(compileKeywords(phrasesOf('bonus')).findAll(text)).toEqual([
        { phrase: 'bonus', index: pad + 1 },
      ]);
    }
  });
});

describe('compileKeywords on text beyond ASCII', () => {
  // Such text is skipped word by word through ASCII stand-ins (a letter for a letter, a space for a space).
  it('skips words the way the plain scan reads them, whatever the script', () => {
    expectSkippingToAgree(
      [
        'free',
        'café',
        'naïve',
        'ωmega',
        'добро',
        '中',
        '中文',
        'bonus',
        'x\u00e9y',
        '\u00a0',
        '—',
        '😀',
        '?',
        'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzé',
      ],
      [' ', '', '\u2003'],
    );
  });

  it('finds a phrase that starts with a letter beyond ASCII after one in ASCII', () => {
    const hits = compileKeywords(phrasesOf('élan vital', 'добро пожаловать')).findAll(
      foldText('Quel élan vital! Добро пожаловать, café'),
    );
    expect(hits.map((hit) => hit.phrase)).toEqual(['élan vital', 'добро пожаловать']);
  });
});

describe('compileKeywords on large text', () => {
  it('finds a phrase at the end of a very long lead and still works on short ones after', () => {
    const matcher = compileKeywords([{ phrase: 'needle here' }]);
    const long = `${'hay '.repeat(200_000)}needle here`;
    expect(matcher.findAll(long)).toEqual([{ phrase: 'needle here', index: 800_000 }]);
    expect(matcher.findAll('a needle here')).toEqual([{ phrase: 'needle here', index: 2 }]);
  });
});
