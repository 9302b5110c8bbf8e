// Text folding shared by checks: one canonical form so tricks with case, accents, width, look-alike letters and invisible characters do not hide words.

const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- each code point is removed on its own, never as a sequence
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g;
const COMBINING_MARKS = /\p{M}+/gu;

/**
 * Cyrillic and Greek letters (both cases, since some look like a Latin capital but not like its
 * small letter) and typographic punctuation, mapped to the ASCII character they imitate.
 * Leetspeak (0 → o, 3 → e) is deliberately left alone: digits are real content in leads.
 */
const LOOK_ALIKE_PAIRS = [
  // Cyrillic capitals and small letters
  'Аa Вb Еe Ѕs Іi Јj Кk Мm Нh Оo Рp Сc Тt Уy Хx Үy Ԁd Ԛq Ԝw Һh Ӏl Ԍg',
  'аa еe оo рp сc уy хx іi јj ѕs ԁd һh ԛq ԝw ӏl үy кk мm нh тt вb пn',
  // Greek capitals and small letters
  'Αa Βb Εe Ζz Ηh Ιi Κk Μm Νn Οo Ρp Τt Υy Χx αa εe ιi κk νv οo ρp τt υu χx ωw',
  // Latin letters that imitate others
  'ɡg ɑa ıi',
  // Typographic quotes and dashes
  '\u2018\' \u2019\' \u201a\' \u201b\' \u2032\' \u201c" \u201d" \u201e" \u201f" \u2033"',
  '\u2010- \u2011- \u2012- \u2013- \u2014- \u2015- \u2212-',
].join(' ');
const LOOK_ALIKES = new Map(
  LOOK_ALIKE_PAIRS.split(' ').map((pair) => [pair.slice(0, 1), pair.slice(1)] as const),
);
const LOOK_ALIKE = new RegExp(`[${[...LOOK_ALIKES.keys()].join('')}]`, 'g');
const replaceLookAlike = (char: string): string => LOOK_ALIKES.get(char) ?? char;

/** Past this many different non-ASCII stretches, mapping the whole text at once is cheaper than stretch by stretch. */
const MAX_STRETCHES = 16;
/** A non-ASCII stretch; a regex finds them about three times faster than a loop over the characters. */
const NON_ASCII_RUN = /[^\u0000-\u007f]+/g;
const MAX_MEMO_STRETCH = 16;
const MAX_MEMO_ENTRIES = 4096;

/**
 * `map`, remembered for short stretches by their text. A few recur in lead after lead (a curly
 * apostrophe after a letter, a mis-decoded character after a space: four in five stretches of the
 * dev leads repeat an earlier one), and mapping one costs passes of normalising and replacing.
 * Bounded: emptied when full.
 */
export function rememberStretches(map: (stretch: string) => string): (stretch: string) => string {
  const memo = new Map<string, string>();
  return (stretch) => {
    if (stretch.length > MAX_MEMO_STRETCH) return map(stretch);
    let mapped = memo.get(stretch);
    if (mapped === undefined) {
      if (memo.size >= MAX_MEMO_ENTRIES) memo.clear();
      mapped = map(stretch);
      memo.set(stretch, mapped);
    }
    return mapped;
  };
}

/**
 * `map` applied to the non-ASCII stretches of `input` only, each with the ASCII character before
 * it; undefined past MAX_STRETCHES different stretches (map the whole text then). Every cut is just
 * before an ASCII character, where Unicode normalisation never combines or reorders across, so for a
 * map made of normalisation and of steps that take characters one by one and leave ASCII alone, the
 * pieces map to exactly what the whole would. A text may repeat a few stretches many times (a
 * mis-decoded character after every other word): each different one is mapped once.
 */
export function mapStretches(input: string, map: (stretch: string) => string): string | undefined {
  const stretches: string[] = [];
  /** Per stretch found: where it starts, where it ends, which of `stretches` it is. */
  const cuts: number[] = [];
  NON_ASCII_RUN.lastIndex = 0;
  for (let run = NON_ASCII_RUN.exec(input); run; run = NON_ASCII_RUN.exec(input)) {
    const from = run.index > 0 ? run.index - 1 : 0;
    const to = run.index + run[0].length;
    const stretch = input.slice(from, to);
    let which = stretches.indexOf(stretch);
    if (which < 0) {
      if (stretches.length >= MAX_STRETCHES) return undefined;
      which = stretches.push(stretch) - 1;
    }
    cuts.push(from, to, which);
  }
  const mappedAt = stretches.map(map);
  let mapped = '';
  let last = 0;
  for (let k = 0; k < cuts.length; k += 3) {
    mapped += input.slice(last, cuts[k]) + (mappedAt[cuts[k + 2] as number] as string);
    last = cuts[k + 1] as number;
  }
  return mapped + input.slice(last);
}

/**
 * Whether `text` is plain ASCII: its UTF-8 length equals its UTF-16 length only then, which V8
 * answers far faster than a regex scan (still about 0.2 ns a character: worth doing once per lead).
 */
export function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}

/** The steps before lower-casing, for text that is not plain ASCII. */
function foldNonAscii(input: string): string {
  // Decompose before lower-casing so a dotted capital I loses its dot instead of gaining a mark.
  return input
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(LOOK_ALIKE, replaceLookAlike);
}

const foldStretch = rememberStretches(foldNonAscii);

/**
 * Canonical form for matching: NFKC (full-width, ligatures, mathematical letters), invisible
 * characters removed, accents stripped, Cyrillic/Greek look-alikes mapped to Latin, lower case.
 * Linear in the input; plain ASCII (most leads) only needs lower-casing. `ascii` says the caller
 * already knows the input is plain ASCII.
 */
export function foldText(input: string, ascii = isAscii(input)): string {
  if (ascii) return input.toLowerCase();
  // Lower-casing stays whole: a Greek final sigma depends on the letter after it.
  return (mapStretches(input, foldStretch) ?? foldNonAscii(input)).toLowerCase();
}
