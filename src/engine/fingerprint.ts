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
  const { minChars = 40 } = options;
  if (typeof text !== 'string' || text.length < minChars) return undefined;
  const folded = foldBody(text);
  let body: string | Buffer;
  let marks: number;
  if (isAscii(folded)) {
    const scanned = scanAscii(folded, options);
    body = SCANNED.subarray(0, scanned.length);
    marks = scanned.marks;
  } else ({ words: body, marks } = normaliseByRegex(folded, false, options));
  // A link mark and its space stand for a link, which the length should not count.
  if (body.length - marks * 2 < minChars) return undefined;
  return createHash('sha256').update(body).digest('base64url').slice(0, 22);
}

/**
 * The body as the fingerprint hashes it: folded, each link chunk one mark, each run of digits one `0`, the words
 * joined by single spaces. Plain ASCII (most bodies) takes one scan; `byRegex` forces the general path, which tests
 * hold the scan to.
 */
export function normaliseBody(
  text: string,
  options: FingerprintOptions & { readonly byRegex?: boolean } = {},
): { words: string; marks: number } {
  const folded = foldBody(text);
  const ascii = isAscii(folded);
  if (!ascii || options.byRegex) return normaliseByRegex(folded, ascii, options);
  const { length, marks } = scanAscii(folded, options);
  return { words: SCANNED.toString('latin1', 0, length), marks };
}

const foldBody = (text: string) => foldText(text.length > MAX_INPUT ? text.slice(0, MAX_INPUT) : text);
// UTF-8 length equals UTF-16 length only for pure ASCII.
const isAscii = (text: string) => Buffer.byteLength(text) === text.length;

function normaliseByRegex(
  folded: string,
  ascii: boolean,
  { maskDigits = true, maskLinks = true }: FingerprintOptions,
): { words: string; marks: number } {
  let masked = folded;
  let marks = 0;
  if (maskLinks && MAY_HOLD_LINK.test(masked)) {
    masked = masked.replace(LINK_CHUNK, () => {
      marks++;
      return ` ${LINK_MARK} `;
    });
  }
  if (maskDigits) masked = masked.replace(ascii ? ASCII_DIGITS : DIGITS, '0');
  return { words: masked.replace(ascii ? ASCII_SEPARATORS : SEPARATORS, ' ').trim(), marks };
}

// Character classes of the ASCII scan, by code.
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isLetter = (c: number) => c >= 97 && c <= 122;
const isDigit = (c: number) => c >= 48 && c <= 57;
/** Letters, digits and the link mark's own character, which the general path keeps in words too. */
const isWordChar = (c: number) => isLetter(c) || isDigit(c) || c === 1;

const TRAILING = '.,;!)';

/** Whether folded[from, to) (one whitespace-free chunk) holds what LINK_CHUNK looks for. */
function chunkHoldsLink(folded: string, from: number, to: number): boolean {
  // Matched characters are never spaces, so whatever matches from inside the chunk lies inside it (and charCodeAt
  // past the end gives NaN, which matches nothing). No inner helper functions here: the TypeScript loader names
  // each one as it is created, which costs more than the scan.
  for (let i = from; i < to; i++) {
    switch (folded.charCodeAt(i)) {
      case 64: // @
        return true;
      case 58: // ://
        if (folded.charCodeAt(i + 1) === 47 && folded.charCodeAt(i + 2) === 47) return true;
        break;
      case 119: // www.
        if (
          folded.charCodeAt(i + 1) === 119 &&
          folded.charCodeAt(i + 2) === 119 &&
          folded.charCodeAt(i + 3) === 46
        )
          return true;
        break;
      case 91: // [.] [dot] and the same in ( ) and { }
      case 40:
      case 123: {
        const inner =
          folded.charCodeAt(i + 1) === 46
            ? 1
            : folded.charCodeAt(i + 1) === 100 &&
                folded.charCodeAt(i + 2) === 111 &&
                folded.charCodeAt(i + 3) === 116
              ? 3
              : 0;
        const close = folded.charCodeAt(i + 1 + inner);
        if (inner > 0 && (close === 93 || close === 41 || close === 125)) return true;
        break;
      }
      case 46: {
        // A domain-like ending: 2 to 24 letters, then one of / : ? # or only closing punctuation to the chunk's end.
        let end = i + 1;
        while (end < to && isLetter(folded.charCodeAt(end))) end++;
        const letters = end - i - 1;
        if (letters < 2 || letters > 24) break;
        const next = folded.charCodeAt(end);
        if (end === to || next === 47 || next === 58 || next === 63 || next === 35) return true;
        while (end < to && TRAILING.includes(folded[end] as string)) end++;
        if (end === to) return true;
        break;
      }
    }
  }
  return false;
}

/** Where the ASCII scan writes the body: it is never longer than the folded text, at most MAX_INPUT characters. */
const SCANNED = Buffer.alloc(MAX_INPUT);

/** normaliseBody for plain ASCII text, in one pass over whitespace-separated chunks, written into SCANNED. */
function scanAscii(
  folded: string,
  { maskDigits = true, maskLinks = true }: FingerprintOptions,
): { length: number; marks: number } {
  let n = 0;
  let marks = 0;
  const length = folded.length;
  let i = 0;
  while (i < length) {
    while (i < length && isSpace(folded.charCodeAt(i))) i++;
    const from = i;
    while (i < length && !isSpace(folded.charCodeAt(i))) i++;
    if (i === from) break;
    if (maskLinks && chunkHoldsLink(folded, from, i)) {
      if (n > 0) SCANNED[n++] = 32;
      SCANNED[n++] = 1;
      marks++;
      continue;
    }
    let inWord = false;
    let afterDigit = false;
    for (let k = from; k < i; k++) {
      const c = folded.charCodeAt(k);
      if (!isWordChar(c)) {
        inWord = false;
        continue;
      }
      if (!inWord) {
        if (n > 0) SCANNED[n++] = 32;
        inWord = true;
        afterDigit = false;
      }
      if (maskDigits && isDigit(c)) {
        // A run of digits is one 0.
        if (!afterDigit) SCANNED[n++] = 48;
        afterDigit = true;
      } else {
        SCANNED[n++] = c;
        afterDigit = false;
      }
    }
  }
  return { length: n, marks };
}
