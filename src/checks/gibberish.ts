// gibberish: random strings where a name or words should be (xKjdhsYTq, qwzxkjhd), judged by letter-pair likelihood, case flips and keyboard runs.
import { defineCheck } from '../engine/check.ts';
import type { Finding } from '../engine/check.ts';
import { AsciiBlocks } from '../engine/ascii-blocks.ts';
import { isAscii, mapStretches, rememberStretches } from '../engine/text.ts';

/**
 * How common each letter pair is in English prose, as round(2 × log10(pairs per million + 1)),
 * 0 (never seen) to 8 (th, he, in). Row = first letter a–z, column = second letter a–z.
 * Computed from the English documentation shipped with this project's npm dependencies
 * (1.5 million letter pairs of prose, code blocks and URLs removed), not from the lead corpus.
 */
const PAIR_LEVELS = [
  '16772562645878061778664463',
  '62327002561633622554610060',
  '71507007606610802647602040',
  '63368242722533630563532040',
  '75786654533778466887465762',
  '60116500701501700636600060',
  '50017256610535500554510032',
  '71008101701343710546401040',
  '66766761225768853688260605',
  '40106000200100400050432000',
  '51036322500214320152302020',
  '64367441703734740466644060',
  '75137102710353660053520130',
  '64777583634545752277552161',
  '56675762545678670867767442',
  '71157235601741760756611060',
  '00000000100100020020600000',
  '73568563705466740677654060',
  '62628416704544762278704150',
  '71538338810533850776606061',
  '56556460502767360777110212',
  '60007000600001400021420010',
  '61016106700305600552001000',
  '50406002500000150005100030',
  '22414210411445660554134002',
  '40005001300100300110100021',
];
/**
 * Pairs rare in English but ordinary in names from other Latin-script languages (Polish szcz/rz,
 * Czech tv/vr, Zulu and Xhosa hl/dl/gq/nx/xh, Welsh ll/dd/wy, Irish bh/mh, Dutch ij, Nordic sj/kj/tj,
 * Hungarian gy/ny/zs, Albanian xh/gj): raised to an average level so Przybylski and Mkhize read as names.
 */
const NAME_PAIRS =
  'sz cz rz dz zc zy zs wr wl ws zd zw zb zg vr tv kr ck ij sj kj tj hj gj nj dl hl gq nq nx xh mb mp nk kh gy ny ly cs zh dh bh mh gh ao ll dd ff wy yw pf tz tk mk ks sk zk';
const LEVEL = new Uint8Array(26 * 26);
PAIR_LEVELS.forEach((row, first) => {
  for (let second = 0; second < 26; second++) LEVEL[first * 26 + second] = row.charCodeAt(second) - 48;
});
for (const pair of NAME_PAIRS.split(' ')) {
  const index = (pair.charCodeAt(0) - 97) * 26 + pair.charCodeAt(1) - 97;
  LEVEL[index] = Math.max(LEVEL[index] ?? 0, 4);
}
/** Position on a QWERTY keyboard (row × 20 + column), to spot keyboard mashing (asdfgh, qwerty). */
const KEY_POSITION = new Int16Array(26).fill(-100);
['qwertyuiop', 'asdfghjkl', 'zxcvbnm'].forEach((row, r) => {
  for (let i = 0; i < row.length; i++) KEY_POSITION[row.charCodeAt(i) - 97] = r * 20 + i;
});
/** a e i o u y as bits of a letter mask. */
const VOWEL_MASK = (1 << 0) | (1 << 4) | (1 << 8) | (1 << 14) | (1 << 20) | (1 << 24);
/**
 * Per letter pair, folded into one table so a word costs one lookup per letter: bits 0-3 the pair's
 * level (a doubled letter, as in Jaakko or Pekka, says little about randomness in any language: 4),
 * bit 4 set when the two keys are neighbours on a keyboard row.
 */
const PAIR = new Uint8Array(26 * 26);
for (let first = 0; first < 26; first++) {
  for (let second = 0; second < 26; second++) {
    const step = (KEY_POSITION[second] ?? 0) - (KEY_POSITION[first] ?? 0);
    const level = first === second ? 4 : (LEVEL[first * 26 + second] ?? 0);
    PAIR[first * 26 + second] = level | (step === 1 || step === -1 ? 16 : 0);
  }
}

const MIN_WORD = 6;
const MAX_WORD = 64;
/** Random strings come in short bot messages; the first 600 characters are enough to see them. */
const MESSAGE_SCAN = 600;

/** Whether text[start, end), ASCII letters only, reads as a random string rather than a word or a name. */
export function isGibberishWord(text: string, start = 0, end = text.length): boolean {
  loadBytes(wordBytes, text.slice(0, end));
  return isGibberishRun(wordBytes.bytes, start, end);
}

/** isGibberishWord over the bytes of loadBytes. */
function isGibberishRun(text: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length < MIN_WORD || length > MAX_WORD) return false;
  // Vowel or not, case, and keyboard neighbours change from one letter to the next as often as
  // not, so they are counted with arithmetic: a branch on each mispredicted about every other letter.
  const pairs = PAIR;
  let levelSum = 0;
  /** Bit 3 and up once a run of consonants reaches 8. */
  let longConsonantRun = 0;
  let caseFlips = 0;
  /** Keyboard-neighbour pairs in a row; 4 of them are a run of 5 keys. */
  let keyPairs = 0;
  /** Bit 2 and up once 4 neighbour pairs came in a row. */
  let longKeyRun = 0;
  const firstCode = text[start] as number;
  // ASCII letters: bit 5 is set for small letters, clear for capitals.
  let previousSmall = (firstCode >> 5) & 1;
  let previous = (firstCode | 32) - 97;
  let seen = 1 << previous;
  const firstVowel = (VOWEL_MASK >> previous) & 1;
  let vowels = firstVowel;
  let consonantRun = firstVowel ^ 1;
  for (let i = start + 1; i < end; i++) {
    const code = text[i] as number;
    const small = (code >> 5) & 1;
    const letter = (code | 32) - 97;
    caseFlips += previousSmall & (small ^ 1);
    previousSmall = small;
    seen |= 1 << letter;
    const vowel = (VOWEL_MASK >> letter) & 1;
    vowels += vowel;
    // One more consonant, or back to 0 on a vowel.
    consonantRun = (consonantRun + 1) & (vowel - 1);
    longConsonantRun |= consonantRun;
    const pair = pairs[previous * 26 + letter] as number;
    levelSum += pair & 15;
    keyPairs = (keyPairs + 1) & -((pair >> 4) & 1);
    longKeyRun |= keyPairs;
    previous = letter;
  }
  // "Mmmmmm", "zzzzzz": emphasis or a sleepy cat, not a random string (two letters at most: clearing
  // the lowest set bit twice leaves nothing).
  const otherLetters = seen & (seen - 1);
  if ((otherLetters & (otherLetters - 1)) === 0) return false;
  if (longKeyRun >= 4 || vowels === 0 || longConsonantRun >= 8) return true;
  const mean = levelSum / (length - 1) / 2;
  if (caseFlips >= 2 && mean < 1.9) return true;
  if (caseFlips >= 3 && mean < 2.5) return true;
  // Longer words average out, so the bar rises with length (random strings of 13+ letters average ~1.6).
  const bar = length < 8 ? 0.95 : length < 10 ? 1.3 : length < 13 ? 1.7 : 2.0;
  return mean < bar;
}

/** ASCII character classes, one lookup per character. */
const SPACE = 1;
const LETTER = 2;
/** Inside a token these mark code, addresses, paths or IDs, whose letters are not words. */
const TECHNICAL = 4;
const DOT = 8;
const CLASS = new Uint8Array(128);
for (let c = 0; c <= 32; c++) CLASS[c] = SPACE;
for (let c = 65; c <= 90; c++) CLASS[c] = LETTER;
for (let c = 97; c <= 122; c++) CLASS[c] = LETTER;
for (const c of '0123456789@/\\_=%&#:+$|~<>{}') CLASS[c.charCodeAt(0)] = TECHNICAL;
CLASS[46] = DOT;

export interface WordCount {
  words: number;
  gibberish: string[];
}

/**
 * The scanned text, and a word checked on its own, as bytes: characters beyond ASCII stand in as
 * 0x80, a no-break space as 0xa0. The scans never judge a letter beyond ASCII, and treat a no-break
 * space as a space and any other such character as glued to the letters next to it.
 */
const scanBytes = new AsciiBlocks();
const wordBytes = new AsciiBlocks();
const beyondAscii = (code: number): number => (code === 0xa0 ? 0xa0 : 0x80);

/** Loads `text` (plain ASCII when `ascii` says so) into `blocks`; true when the four-byte reads of `quads` may be used. */
function loadBytes(blocks: AsciiBlocks, text: string, ascii = false): boolean {
  return blocks.load(text, text.length, ascii) || blocks.loadStandIns(text, beyondAscii);
}

/** Words of six letters or more waiting for their token to end, as start/end pairs; reused between calls. */
const pending = new Int32Array(64);

/**
 * Counts the plain words of `text` (ASCII letters in tokens free of digits, '@', '/', inner dots
 * and the like) and collects those that are gibberish. One pass; only long words are scored.
 */
function countWords(source: string, limit: number): WordCount {
  const gibberish: string[] = [];
  const classes = CLASS;
  const end = Math.min(source.length, limit);
  const text = scanBytes.bytes;
  let words = 0;
  let pendingEnd = 0;
  let tokenWords = 0;
  let technical = false;
  // A virtual space at `end` closes the last token.
  for (let i = 0; i <= end; i++) {
    let c = i < end ? (text[i] as number) : 32;
    if (c < 128 && classes[c] === LETTER) {
      const wordStart = i;
      // Letters glued to other scripts or accents belong to a word this table cannot judge.
      const glued = i > 0 && (text[i - 1] as number) >= 0x80;
      do c = ++i < end ? (text[i] as number) : 32;
      while (c < 128 && classes[c] === LETTER);
      tokenWords++;
      const length = i - wordStart;
      if (length >= MIN_WORD && length <= MAX_WORD && !glued && c < 0x80 && pendingEnd < pending.length) {
        pending[pendingEnd++] = wordStart;
        pending[pendingEnd++] = i;
      }
    }
    const cls = c < 128 ? (classes[c] as number) : c === 0xa0 ? SPACE : 0;
    if (cls === SPACE) {
      if (!technical) {
        words += tokenWords;
        for (let k = 0; k < pendingEnd; k += 2) {
          const from = pending[k] as number;
          const to = pending[k + 1] as number;
          if (isGibberishRun(text, from, to)) gibberish.push(source.slice(from, to));
        }
      }
      pendingEnd = 0;
      tokenWords = 0;
      technical = false;
    } else if (cls === TECHNICAL) technical = true;
    // An inner '.' (domain.com, file.txt) is technical too; a final one ends a sentence.
    else if (cls === DOT && i + 1 < end) {
      // Guarded: a typed-array read past its end sends V8 down a slow path that doubled this scan's cost.
      const next = text[i + 1] as number;
      if (next >= 128 || classes[next] !== SPACE) technical = true;
    }
  }
  return { words, gibberish };
}

/**
 * Which of the 32 characters of block `block` are ASCII letters, as bits (bit k = character k).
 * Four characters per read: see ascii-blocks.ts (kept here so it is inlined).
 */
function letterBits(quads: Int32Array, block: number): number {
  let bits = 0;
  for (let q = block * 8 + 7; q >= block * 8; q--) {
    const quad = quads[q] as number;
    const small = (quad + 0x1f1f1f1f) & ~(quad + 0x05050505); // 'a' to 'z'
    const capital = (quad + 0x3f3f3f3f) & ~(quad + 0x25252525); // 'A' to 'Z'
    // Bit 7 of each byte gathered into 4 bits, first character lowest.
    bits = (bits << 4) | ((Math.imul(((small | capital) & 0x80808080) >>> 7, 0x204081) >>> 21) & 15);
  }
  return bits;
}

/**
 * Whether a character next to the run of letters text[start, end) makes its token technical (a
 * path, an address, a code), so countWords would not judge the run: text loaded in scanBytes.
 */
function nextToTechnical(bytes: Uint8Array, start: number, end: number): boolean {
  // Letters glued to a character beyond ASCII (0x80 or a no-break space) are never judged either.
  const beforeByte = start > 0 ? (bytes[start - 1] as number) : 32;
  const afterByte = bytes[end] as number;
  if (beforeByte >= 0x80 || afterByte >= 0x80) return true;
  // A '.' before a letter is always inside its token; after one, only when no space follows it.
  const before = CLASS[beforeByte] as number;
  if (before === TECHNICAL || before === DOT) return true;
  const after = CLASS[afterByte] as number;
  return after === TECHNICAL || (after === DOT && CLASS[bytes[end + 1] as number] !== SPACE);
}

/**
 * False when none of the runs of MIN_WORD to MAX_WORD ASCII letters of the text in scanBytes,
 * outside tokens that are technical by a neighbouring character, reads as random: countWords could
 * then find nothing, since it judges only such runs (and skips more of them).
 * Most leads end here, having judged their long runs only, with a branch per run instead of one
 * per character; the rest (a random-looking run) are counted in full.
 */
function mayHoldGibberish(length: number): boolean {
  const { bytes, quads } = scanBytes;
  const blocks = (length >>> 5) + 1;
  let start = 0;
  let carry = 0;
  for (let block = 0; block < blocks; block++) {
    const bits = letterBits(quads, block);
    let edges = bits ^ ((bits << 1) | carry);
    carry = bits >>> 31;
    while (edges !== 0) {
      const edge = edges & -edges;
      edges ^= edge;
      const at = (block << 5) | (31 - Math.clz32(edge));
      if ((bits & edge) !== 0) start = at;
      else if (
        at - start >= MIN_WORD &&
        at - start <= MAX_WORD &&
        !nextToTechnical(bytes, start, at) &&
        isGibberishRun(bytes, start, at)
      )
        return true;
    }
  }
  return false;
}

/**
 * countWords of the first `limit` characters of `text`, accents removed; undefined when the quick
 * look says it would find no random string (tests turn the quick look off to compare).
 */
export function findGibberish(
  text: string,
  limit: number,
  ascii = false,
  quickLook = true,
): WordCount | undefined {
  const head = plainLetters(text, limit, ascii);
  // Without the four-byte reads (a big-endian machine) every text is counted in full.
  if (loadBytes(scanBytes, head, ascii) && quickLook && !mayHoldGibberish(head.length)) return undefined;
  return countWords(head, limit);
}

const COMBINING_MARKS = /\p{M}+/gu;
const withoutAccents = (text: string): string => text.normalize('NFD').replace(COMBINING_MARKS, '');
const withoutAccentsRemembered = rememberStretches(withoutAccents);

/** The first `limit` characters of `text`, accents removed (Müller → Muller) so accented names are judged by their letters. */
function plainLetters(text: string, limit: number, ascii: boolean): string {
  const head = text.length > limit ? text.slice(0, limit) : text;
  if (ascii || isAscii(head)) return head;
  // Stretch by stretch: the property regex scans slowly, about 10 ns a character.
  return mapStretches(head, withoutAccentsRemembered) ?? withoutAccents(head);
}

export const gibberish = defineCheck({
  name: 'gibberish',
  description:
    'The name, or a good share of the message, is random letters (xKjdhsYTq, qwzxkjhd, asdfgh): judged by how likely each letter pair is, vowels, case flips inside a word and keyboard runs. Tuned not to fire on names from many languages.',
  defaultScore: 2,
  run(lead, ctx) {
    const findings: Finding[] = [];
    const name = findGibberish(lead.name, 200, lead.ascii);
    if (name && name.gibberish.length > 0) {
      findings.push({
        score: ctx.score,
        reason: 'name is a random string',
        evidence: lead.name.slice(0, 200),
      });
    }
    if (lead.freeText) {
      const message = findGibberish(lead.freeText, MESSAGE_SCAN, lead.ascii);
      const found = message ? message.gibberish.length : 0;
      // One odd word is a typo or a product code; several, or a short message of nothing else, is a bot.
      if (message && (found >= 2 || (found >= 1 && message.words <= 3))) {
        findings.push({
          score: ctx.score,
          reason:
            found === 1 ? 'message is a random string' : `message has ${found} random strings for words`,
          evidence: [...new Set(message.gibberish)].slice(0, 5).join(' ').slice(0, 200),
        });
      }
    }
    return findings;
  },
  examples: {
    hit: [
      { title: 'a random mixed-case name', lead: { channel: 'form', name: 'xKjdhsYTq', email: 'a@b.com' } },
      { title: 'keyboard mashing as a name', lead: { channel: 'form', name: 'asdfghjk' } },
      { title: 'a message of random letters', lead: { channel: 'form', message: 'qwzxkjhd' } },
      {
        title: 'a message padded with random strings',
        lead: { channel: 'form', message: 'Hello cvstceuyxxkxgnx great offer qkdjtqsscr bdyjkpbwheot today' },
      },
    ],
    miss: [
      {
        title: 'names from many languages',
        lead: {
          channel: 'form',
          name: 'Nguyen Przybylski Siobhan Xiaoming Oluwaseun Mkhize Tjarks Szczepański Llewellyn Tadhg Dzhugashvili',
        },
      },
      { title: 'a camel-cased surname', lead: { channel: 'form', name: 'John McDonald' } },
      {
        title: 'a normal message with a product code and a link',
        lead: {
          channel: 'form',
          message:
            'Is the 2021 Tacoma TRD (stock #XK4J9Q) still available? I saw it on https://dealer.example/xKj9 today.',
        },
      },
      {
        title: 'an emphatic message',
        lead: { channel: 'form', message: 'Hmmmmm, zzzzzz… call me tomorrow' },
      },
    ],
  },
});
