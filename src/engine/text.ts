// Text folding shared by checks: one canonical form so tricks with case, accents, width and invisible characters do not hide words.

const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g;
const COMBINING_MARKS = /\p{M}+/gu;

/**
 * Canonical form for matching: NFKC (full-width, ligatures, compatibility forms), invisible
 * characters removed, lower case, accents stripped. Linear in the input.
 */
export function foldText(input: string): string {
  return input.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().normalize('NFD').replace(COMBINING_MARKS, '');
}
