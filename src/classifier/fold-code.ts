// Folds one non-ASCII character at a time through a table filled on first sight, so feature extraction never normalises a whole message.
import { foldText } from '../engine/text.ts';

/** Marks a character that folding removes (invisible characters, combining accents). */
export const DROPPED = 0xffff;
/**
 * Folded form of each non-ASCII UTF-16 code unit, filled on first sight: `foldText` on one
 * character (NFKC, accents and invisibles removed, look-alikes mapped, lower case). Folding
 * character by character costs a table read, where folding a whole message costs two Unicode
 * normalisations. A character that folds to several (ﬁ → fi) keeps the first: close enough for a feature.
 */
const FOLDED = new Uint16Array(0x10000);

export function foldCode(c: number): number {
  const known = FOLDED[c] as number;
  if (known !== 0) return known;
  let folded: number;
  if (c >= 0xd800 && c <= 0xdfff) folded = c;
  else {
    const text = foldText(String.fromCharCode(c));
    folded = text.length === 0 ? DROPPED : text.charCodeAt(0);
    if (folded >= 65 && folded <= 90) folded += 32;
  }
  FOLDED[c] = folded;
  return folded;
}
