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
const LINK_MARK = '\u0001';
/**
 * A whitespace-separated chunk holding a URL, a www. host, an email address, an obfuscated dot or
 * a domain-like ending (cheap-seo.com, site.co.uk/page). The look-behind lets a match start only
 * where a chunk starts, so each chunk is scanned once and the whole pass stays linear.
 */
const LINK_CHUNK =
  /(?<!\S)\S*?(?::\/\/|www\.|@|[[({](?:\.|dot)[\])}]|\.[a-z]{2,24}(?=[/:?#]|[.,;!)]*(?!\S)))\S*/g;
const ASCII_DIGITS = /[0-9]+/g;
const DIGITS = /\p{N}+/gu;
const ASCII_WORDS = /[a-z0-9\u0001]+/g;
const WORDS = /[\p{L}\p{N}\u0001]+/gu;

/**
 * The same body written by another sender — with other case, spacing, punctuation, accents,
 * look-alike letters and, by default, other numbers and links — gives the same fingerprint.
 * Returns undefined when the body is too short to mean anything ("Call me", "Thanks!").
 */
export function contentFingerprint(text: string, options: FingerprintOptions = {}): string | undefined {
  const { maskDigits = true, maskLinks = true, minChars = 40 } = options;
  if (typeof text !== 'string' || text.length < minChars) return undefined;
  let folded = foldText(text.length > MAX_INPUT ? text.slice(0, MAX_INPUT) : text);
  let marks = 0;
  if (maskLinks) {
    folded = folded.replace(LINK_CHUNK, () => {
      marks++;
      return ` ${LINK_MARK} `;
    });
  }
  const ascii = Buffer.byteLength(folded) === folded.length;
  if (maskDigits) folded = folded.replace(ascii ? ASCII_DIGITS : DIGITS, '0');
  const words = folded.match(ascii ? ASCII_WORDS : WORDS);
  if (!words) return undefined;
  const normalised = words.join(' ');
  // Letters and digits only: the separating spaces and link marks do not count.
  if (normalised.length - (words.length - 1) - marks < minChars) return undefined;
  return createHash('sha256').update(normalised).digest('base64url').slice(0, 22);
}
