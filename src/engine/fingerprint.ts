// A stable hash of a normalised message body, so the service can count how many senders sent the same text.
import { createHash } from 'node:crypto';
import { foldText } from './text.ts';

export interface FingerprintOptions {
  /** Replace every number with one placeholder, so "call 555-0147" and "call 555-0199" match. Default true. */
  readonly maskDigits?: boolean;
  /** Replace every link and email address with one placeholder, so rotating spam domains match. Default true. */
  readonly maskLinks?: boolean;
  /** Bodies shorter than this (in letters and digits after normalising) get no fingerprint. Default 40. */
  readonly minChars?: number;
}

/** Beyond this, more text changes nothing a duplicate count needs; the cap bounds the work. */
const MAX_INPUT = 20_000;
const WORDS = /[\p{L}\p{N}]+/gu;
const LINK_MARK = '\u0001';
const WORDS_OR_LINK_MARK = /[\p{L}\p{N}]+|\u0001/gu;
const DIGITS = /\p{N}+/gu;
/** A whitespace-separated chunk that is a URL, a www. host, an email address, a bare domain or an obfuscated link. */
const LINK_CHUNK =
  /^(?:[a-z][a-z0-9+.-]{0,15}:\/\/|www\.|[^@\s]{1,64}@[^@\s]+\.|\S*[[({](?:\.|dot)[\])}]|[(]?[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}(?:[/:?#]|[.,;!)]*$))/;
const CHUNK = /\S+/g;

/**
 * The same body written by another sender — with other case, spacing, punctuation, accents,
 * look-alike letters and, by default, other numbers and links — gives the same fingerprint.
 * Returns undefined when the body is too short to mean anything ("Call me", "Thanks!").
 */
export function contentFingerprint(text: string, options: FingerprintOptions = {}): string | undefined {
  const { maskDigits = true, maskLinks = true, minChars = 40 } = options;
  if (typeof text !== 'string' || text.length < minChars) return undefined;
  let folded = foldText(text.length > MAX_INPUT ? text.slice(0, MAX_INPUT) : text);
  if (maskLinks)
    folded = folded.replace(CHUNK, (chunk) => (LINK_CHUNK.test(chunk) ? ` ${LINK_MARK} ` : chunk));
  const words: string[] = [];
  let chars = 0;
  for (const match of folded.matchAll(maskLinks ? WORDS_OR_LINK_MARK : WORDS)) {
    const word = maskDigits ? match[0].replace(DIGITS, '0') : match[0];
    if (word !== LINK_MARK) chars += word.length;
    words.push(word);
  }
  if (chars < minChars) return undefined;
  return createHash('sha256').update(words.join(' ')).digest('base64url').slice(0, 22);
}
