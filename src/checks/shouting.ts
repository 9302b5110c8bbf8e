// shouting: the message is mostly capital letters.
import { AsciiBlocks } from '../engine/ascii-blocks.ts';
import { defineCheck } from '../engine/check.ts';

function optionNumber(options: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const value = options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Past this, more text does not change the share of capitals enough to matter; the cap bounds the work. */
const SCAN = 20_000;

/** Per code unit: 1 for a capital, 2 for a small letter, 4 for neither, so counting needs no branch; 0 until caseOf has looked. */
const CASE = new Uint8Array(65536);
CASE.fill(4, 0, 128);
for (let c = 65; c <= 90; c++) CASE[c] = 1;
for (let c = 97; c <= 122; c++) CASE[c] = 2;

/**
 * Other scripts: a letter is a capital when lower-casing changes it (Cyrillic, Greek, accented
 * Latin). Remembered per code unit: both case mappings build strings, for every character of a text.
 */
function caseOf(code: number): number {
  const char = String.fromCharCode(code);
  const kind = char !== char.toLowerCase() ? 1 : char !== char.toUpperCase() ? 2 : 4;
  CASE[code] = kind;
  return kind;
}
/** Characters between two looks at whether the share is still reachable. */
const BLOCK = 64;

/**
 * Counts upper- and lower-case letters, or gives up (undefined) as soon as the lower-case letters
 * seen rule out a `share` of capitals whatever the rest says: normal text is dismissed after about
 * a third of it. Once ruled out it stays ruled out (small letters only add up, capitals can at most
 * take the rest), so looking once per block gives the same answer as looking at every letter.
 */
export function countCapitals(
  text: string,
  share: number,
  ascii = false,
): { upper: number; lower: number } | undefined {
  if (asciiText.load(text, text.length, ascii)) return countAsciiCapitals(text.length, share);
  let upper = 0;
  let lower = 0;
  const lowerPerUpper = (1 - share) / share;
  const length = text.length;
  for (let i = 0; i < length;) {
    const stop = Math.min(length, i + BLOCK);
    for (; i < stop; i++) {
      const c = text.charCodeAt(i);
      let kind = CASE[c] as number;
      if (kind === 0) kind = caseOf(c);
      upper += kind & 1;
      lower += (kind >> 1) & 1;
    }
    if (lower > lowerPerUpper * (upper + length - i)) return undefined;
  }
  return { upper, lower };
}

/** The message as bytes when it is plain ASCII. */
const asciiText = new AsciiBlocks();

/**
 * countCapitals of the ASCII text in asciiText, four characters per read (see ascii-blocks.ts):
 * the same counts, looked at after the same blocks, so the same answer.
 */
function countAsciiCapitals(length: number, share: number): { upper: number; lower: number } | undefined {
  const quads = asciiText.quads;
  let upper = 0;
  let lower = 0;
  const lowerPerUpper = (1 - share) / share;
  for (let i = 0; i < length;) {
    const stop = Math.min(length, i + BLOCK);
    // One count per byte, each at most BLOCK / 4: bytes past the text are padding spaces, counted as neither.
    let capitals = 0;
    let smalls = 0;
    for (let q = i >>> 2, end = (stop + 3) >>> 2; q < end; q++) {
      const quad = quads[q] as number;
      capitals += (((quad + 0x3f3f3f3f) & ~(quad + 0x25252525)) >>> 7) & 0x01010101; // 'A' to 'Z'
      smalls += (((quad + 0x1f1f1f1f) & ~(quad + 0x05050505)) >>> 7) & 0x01010101; // 'a' to 'z'
    }
    upper += Math.imul(capitals, 0x01010101) >>> 24;
    lower += Math.imul(smalls, 0x01010101) >>> 24;
    i = stop;
    if (lower > lowerPerUpper * (upper + length - i)) return undefined;
  }
  return { upper, lower };
}

export const shouting = defineCheck({
  name: 'shouting',
  description:
    'At least `share` (default 70%) of the message’s cased letters are capitals, with at least `minLetters` (default 20) letters so that a short "OK" or an acronym does not count.',
  defaultScore: 1,
  run(lead, ctx) {
    const text = lead.freeText;
    if (!text) return [];
    const share = Math.min(Math.max(optionNumber(ctx.options, 'share', 0.7), 0.01), 1);
    const counts = countCapitals(text.length > SCAN ? text.slice(0, SCAN) : text, share, lead.ascii);
    if (!counts) return [];
    const { upper, lower } = counts;
    const letters = upper + lower;
    if (letters < optionNumber(ctx.options, 'minLetters', 20)) return [];
    if (upper < letters * share) return [];
    return [
      {
        score: ctx.score,
        reason: 'message is written in capitals',
        evidence: `${Math.round((upper / letters) * 100)}% capitals: ${text.slice(0, 120)}`,
      },
    ];
  },
  examples: {
    hit: [
      {
        title: 'an all-caps offer',
        lead: { channel: 'form', message: 'BUY NOW!!! LIMITED OFFER, CHEAPEST PRICES ON THE WEB' },
      },
      {
        title: 'capitals in Cyrillic',
        lead: { channel: 'form', message: 'СРОЧНО ПОЗВОНИТЕ НАМ СЕГОДНЯ ЖЕ, СКИДКА' },
      },
    ],
    miss: [
      {
        title: 'a normal sentence',
        lead: { channel: 'form', message: 'Is the Ford F-150 XLT still available? Thanks, Jim' },
      },
      { title: 'a short all-caps reply', lead: { channel: 'form', message: 'CALL ME ASAP' } },
      {
        title: 'Chinese text has no capitals',
        lead: { channel: 'form', message: '请尽快给我回电话，谢谢。我想了解这辆车的价格和配置。' },
      },
    ],
  },
});
