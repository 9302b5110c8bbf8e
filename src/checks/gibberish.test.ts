import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileConfig } from '../engine/compile.ts';
import { prepareLead } from '../engine/prepare.ts';
import { runCheck } from '../engine/screen.ts';
import { findGibberish, gibberish, isGibberishWord } from './gibberish.ts';

const config = compileConfig({}, {});
const signalsFor = (message: string) =>
  runCheck(gibberish, prepareLead({ channel: 'form', message }), config, { now: 0 }, { signals: [] });

describe('isGibberishWord', () => {
  it('does not flag names from many languages', () => {
    const names = `Nguyen Przybylski Siobhan Xiaoming Oluwaseun Mkhize Tjarks Tkachenko Zbigniew Szczepanski
      Wojciechowski Chukwuemeka Johannsdottir Llewellyn Gwyneth Aoife Eoghan Niamh Tadhg Xochitl Quetzalcoatl
      Phuong Huynh Srinivasan Lakshmi Subramanyam Kyrgyz Tsvetkov Mkrtchyan Mtshali Dlamini Hlongwane Nxumalo
      Ndlovu Gqoba Xhosa Ntombizodwa Oyelaran Ikechukwu Gyorgy Szabolcs Krzysztof Grzegorz Przemyslaw
      Wlodzimierz Brzezinski Bozidar Tvrtko Zeljko Djordje Gjorgji Kwabena Abdulrahman Bhattacharya
      Chakraborty Mukhopadhyay Ljungqvist Sjostrom Thorbjorn Vsevolod Mstislav Schwarzkopf Strzelczyk
      Khmelnytskyi Wrzesniewski Kshitij Tsegaye Getachew Tshabalala Mthembu Ngcobo Dzhugashvili Shevardnadze
      Tskhinvali Brzeczyszczykiewicz Pszczyna Nwachukwu Mphahlele Knightsbridge Llanfairpwllgwyngyll
      McDonald JohnMcDonald DeShawn MacKenzie LaToya VanDerBeek`.split(/\s+/);
    expect(names.filter((name) => isGibberishWord(name))).toEqual([]);
  });

  it('does not flag ordinary English words or emphasis', () => {
    const words = 'available appointment financing strengths rhythms Worcestershire Mmmmmm zzzzzzz'.split(
      ' ',
    );
    expect(words.filter((word) => isGibberishWord(word))).toEqual([]);
  });

  it('flags random strings, mixed-case noise and keyboard mashing', () => {
    const noise =
      'xKjdhsYTq qwzxkjhd asdfghjk GEWDVQGNFQVN qkdjtqsscr cvstceuyxxkxgnx bFhGkQzWp zxcvbnm'.split(' ');
    expect(noise.filter((word) => !isGibberishWord(word))).toEqual([]);
  });

  it('leaves words under six letters alone', () => {
    expect(isGibberishWord('xkqzj')).toBe(false);
  });

  it('judges a slice of a longer text', () => {
    const text = 'hello qwzxkjhd world';
    expect(isGibberishWord(text, 6, 14)).toBe(true);
    expect(isGibberishWord(text, 0, 5)).toBe(false);
  });
});

describe('isGibberishWord rules that need no letter-pair table', () => {
  const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
  const neighbours = (a: string, b: string) =>
    ROWS.some((row) => Math.abs(row.indexOf(a) - row.indexOf(b)) === 1 && row.includes(a) && row.includes(b));
  /** The plain reading: letters seen, longest consonant run, longest run of neighbouring keys, vowels. */
  const features = (word: string) => {
    const small = word.toLowerCase();
    let consonants = 0;
    let longestConsonants = 0;
    let keys = 1;
    let longestKeys = 1;
    for (let i = 0; i < small.length; i++) {
      consonants = 'aeiouy'.includes(small[i] as string) ? 0 : consonants + 1;
      longestConsonants = Math.max(longestConsonants, consonants);
      keys = i > 0 && neighbours(small[i - 1] as string, small[i] as string) ? keys + 1 : 1;
      longestKeys = Math.max(longestKeys, keys);
    }
    return {
      letters: new Set(small).size,
      longestConsonants,
      longestKeys,
      vowels: [...small].filter((c) => 'aeiouy'.includes(c)).length,
    };
  };

  it('agrees with a plain reading of the emphasis, vowel, consonant-run and keyboard-run rules', () => {
    const letter = fc.constantFrom(...'qwertasdfgzxcvbhjklmnpaeiouyQWERTASDFGAEIOU'.split(''));
    // Pieces of keyboard rows, so runs of four and five neighbouring keys come up often.
    const run = fc.constantFrom('qwer', 'qwert', 'Asdf', 'asdfG', 'zxcv', 'xcvbn', 'ghjk', 'ertyu');
    fc.assert(
      fc.property(fc.array(fc.oneof(letter, run), { minLength: 2, maxLength: 30 }), (pieces) => {
        const word = pieces.join('').slice(0, 64);
        fc.pre(word.length >= 6);
        const f = features(word);
        if (f.letters <= 2) expect(isGibberishWord(word)).toBe(false);
        else if (f.vowels === 0 || f.longestConsonants >= 8 || f.longestKeys >= 5)
          expect(isGibberishWord(word)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('gibberish check read in blocks', () => {
  // The quick look judges only the long runs of letters, 32 characters at a time; whenever it
  // says "nothing here", counting every word must find no random string either.
  const found = (message: string, quickLook: boolean) =>
    findGibberish(message, 600, false, quickLook)?.gibberish ?? [];

  it('finds what counting every word finds, wherever words fall against the blocks, in any script', () => {
    const word = fc.constantFrom(
      'qwzxkjhd',
      'xKjdhsYTq',
      'cvstceuyxxkxgnx',
      'asdfghjk',
      'asdfgh',
      'QZXKJHDA',
      'xkjdhsytq.',
      '(qwzxkjhd)',
      '"cvstceuyxxkxgnx"',
      'xqZjkv',
      'xqzjkv',
      'available',
      'appointment',
      'Hello',
      'a',
      'https://example.com/qwzxkjhd',
      'id=xkjdhsytqz',
      'file.qwzxkjhd',
      '4qwzxkjhd9',
      'end.',
      'Mmmmmmm',
      '!!',
      'жqwzxkjhd',
      'qwzxkjhdж',
      'ж',
      '中文',
      'Müllerqwzxkj',
      'qwzxkjhd\u00a0',
      '\u00a0asdfghjk',
      '¿qkdjtqsscr?',
    );
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 40 }),
        fc.constantFrom(' ', '\n', '  ', ', ', '.', '', '\u00a0'),
        (words, glue) => {
          const message = words.join(glue).slice(0, 590);
          expect(found(message, true)).toEqual(found(message, false));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds random strings wherever they fall against the 32-character blocks', () => {
    for (let offset = 0; offset < 70; offset++) {
      for (const message of [`${'x'.repeat(offset)} qwzxkjhd`, `${'x'.repeat(offset)} hello asdfgh`]) {
        expect(signalsFor(message).length, message).toBe(1);
        expect(found(message, true)).toEqual(found(message, false));
      }
    }
  });

  it('never judges letters glued to a character beyond ASCII, and reads a no-break space as a space', () => {
    expect(found('hello жqwzxkjhd there', true)).toEqual([]);
    expect(found('hello qwzxkjhd中 there', true)).toEqual([]);
    expect(found('hello\u00a0qwzxkjhd there', false)).toEqual([]);
    expect(found('hello there qwzxkjhd', true)).toEqual(['qwzxkjhd']);
  });
});
