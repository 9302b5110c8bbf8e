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

/** Past this many non-ASCII stretches, folding the whole text at once is cheaper than stretch by stretch. */
const MAX_STRETCHES = 16;

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

/**
 * Canonical form for matching: NFKC (full-width, ligatures, mathematical letters), invisible
 * characters removed, accents stripped, Cyrillic/Greek look-alikes mapped to Latin, lower case.
 * Linear in the input; plain ASCII (most leads) only needs lower-casing.
 */
export function foldText(input: string): string {
  // UTF-8 length equals UTF-16 length only for pure ASCII; V8 answers that far faster than a regex scan.
  if (Buffer.byteLength(input, 'utf8') === input.length) return input.toLowerCase();
  // Mostly-ASCII text (a curly quote, an accented name) folds only its non-ASCII stretches, each with
  // the ASCII character before it. Every cut is then just before an ASCII character, where Unicode
  // normalisation never combines across, and every other step maps characters one by one and leaves
  // ASCII alone, so the pieces fold to exactly what the whole would. Lower-casing stays whole: a
  // Greek final sigma depends on the letter after it.
  const length = input.length;
  const cuts: number[] = [];
  for (let i = 0; i < length; i++) {
    if (input.charCodeAt(i) < 0x80) continue;
    const from = i > 0 ? i - 1 : 0;
    while (i < length && input.charCodeAt(i) >= 0x80) i++;
    if (cuts.length >= MAX_STRETCHES * 2) return foldNonAscii(input).toLowerCase();
    cuts.push(from, i);
  }
  let folded = '';
  let last = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    const from = cuts[k] as number;
    const to = cuts[k + 1] as number;
    folded += input.slice(last, from) + foldNonAscii(input.slice(from, to));
    last = to;
  }
  return (folded + input.slice(last)).toLowerCase();
}
