// A stable hash of a normalised message body, so the service can count how many senders sent the same text.
import { createHash } from 'node:crypto';
import { foldText } from './text.ts';

export interface FingerprintOptions {
  /** Replace every number with one placeholder, so "call 555-0147" and "call 555-0199" match. Default true. */
  readonly maskDigits?: boolean;
  /** Replace every link and email address with one placeholder, so rotating spam domains match. Default true. */
  readonly maskLinks?: boolean;
  /** Bodies whose normalised form (words joined by single spaces, links left out) is shorter get none. Default 40. */
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
/** Quick test for anything LINK_CHUNK could match; most honest messages have none and skip the masking pass. */
const MAY_HOLD_LINK = /:\/\/|www\.|@|[[({](?:\.|dot)|\.[a-z]{2}/;
const ASCII_SEPARATORS = /[^a-z0-9\u0001]+/g;
const SEPARATORS = /[^\p{L}\p{N}\u0001]+/gu;

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
  if (maskLinks && MAY_HOLD_LINK.test(folded)) {
    folded = folded.replace(LINK_CHUNK, () => {
      marks++;
      return ` ${LINK_MARK} `;
    });
  }
  const ascii = Buffer.byteLength(folded) === folded.length;
  if (maskDigits) folded = folded.replace(ascii ? ASCII_DIGITS : DIGITS, '0');
  const normalised = folded.replace(ascii ? ASCII_SEPARATORS : SEPARATORS, ' ').trim();
  // A link mark and its space stand for a link, which the length should not count.
  if (normalised.length - marks * 2 < minChars) return undefined;
  return createHash('sha256').update(normalised).digest('base64url').slice(0, 22);
}
