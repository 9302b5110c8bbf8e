// Finds links in free text (URLs, www. hosts, bare domains with a real public suffix, obfuscated forms) in one linear pass.
import { rememberParses } from './host-parses.ts';
import type { ParsedHost } from './host-parses.ts';
import { undoObfuscation } from './link-obfuscation.ts';
import type { Replacement } from './link-obfuscation.ts';
import type { FieldText } from './prepare.ts';

export interface Link {
  /** The link as written, obfuscation included, at most 200 characters. */
  readonly raw: string;
  /** Lower-cased host name with obfuscation undone (an IP address for numeric hosts). */
  readonly host: string;
  /** Registrable domain (`shop.example.co.uk` → `example.co.uk`); undefined for IP addresses. */
  readonly registrableDomain: string | undefined;
  /** Written to slip past link filters: `hxxp://`, `example[.]com`, `example [dot] com`. */
  readonly obfuscated: boolean;
}

/** A link found in a lead, with where it was found: prose, or a field meant for a URL (`website`). */
export interface LeadLink extends Link {
  readonly source: 'text' | 'url_field';
}

/** More links than this in one lead add nothing a check needs, and the cap bounds the work. */
export const defaultLinkLimit = 100;

const RAW_MAX = 200;
const SCHEMES = new Set(['http', 'https', 'ftp', 'hxxp', 'hxxps', 'hxtp', 'htxp', 'hxtps', 'htxps']);
/**
 * Country codes that double as common file extensions (`readme.md`, `setup.py`, `main.rs`): as a
 * bare word they are far more often a file than a site. With `http://` or `www.` they still count.
 */
const FILE_LIKE_SUFFIXES = new Set('md py sh rs pl pm ps so cc ml mk zip mov'.split(' '));
const parseHost = rememberParses({ extractHostname: false, detectIp: true });

const isAsciiLetter = (c: number) => (c | 32) >= 97 && (c | 32) <= 122;
const asciiSet = (chars: string): Uint8Array => {
  const set = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = 1;
  return set;
};
// The scans below test every character of every dotted token: one table lookup each instead of a
// chain of comparisons (or a call into another module).
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HOST_RUN = asciiSet(`${ALNUM}-.`);
/** Characters of a host label besides '.' and non-ASCII ones. */
const HOST_LABEL = asciiSet(`${ALNUM}-_`);
/** Characters that end a token: whitespace, quotes, angle brackets, NUL and other controls. */
const BREAK = asciiSet('"\'<>`');
for (let c = 0; c <= 32; c++) BREAK[c] = 1;
const isHostRunChar = (c: number) => c < 128 && HOST_RUN[c] === 1;
const isBreak = (c: number) => (c < 128 ? BREAK[c] === 1 : c === 0xa0 || c === 0x3000);
/** Leading punctuation around a link: `(see`, `[`, `*`. */
const LEAD_PUNCT = asciiSet('([{*,;:');
/** Trailing punctuation after a link: sentence ends, closing brackets. */
const TRAIL_PUNCT = asciiSet('.,;:!?)]}*');
const isLeadPunct = (c: number) => c < 128 && LEAD_PUNCT[c] === 1;
const isTrailPunct = (c: number) => c < 128 && TRAIL_PUNCT[c] === 1;
/** What may sit right before a bare domain inside a token (`site:cheap.com`, `(cheap.com`); non-ASCII text may too. */
const BARE_BEFORE = asciiSet(':,;([{*=|!?');
/** What may follow a bare domain inside a token: a path, query, port, closing punctuation; non-ASCII text may too. */
const BARE_AFTER = asciiSet('/?#:,;)]}!*|');

/** `indexOf` that never looks past `end`, so a miss costs the token's length, not the text's. */
function findWithin(text: string, char: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === char) return i;
  return -1;
}

function findLastWithin(text: string, char: number, from: number, end: number): number {
  for (let i = end - 1; i >= from; i--) if (text.charCodeAt(i) === char) return i;
  return -1;
}

/** Start of the first `://` in [from, end). */
function findSchemeSeparator(text: string, from: number, end: number): number {
  for (let i = findWithin(text, 58, from, end - 2); i >= 0; i = findWithin(text, 58, i + 1, end - 2)) {
    if (text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47) return i;
  }
  return -1;
}

function isValidHost(host: string): boolean {
  if (host.length < 3 || host.length > 253) return false;
  let labelLength = 0;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c === 46) {
      if (labelLength === 0) return false;
      labelLength = 0;
    } else if (c >= 0x80 || HOST_LABEL[c] === 1) {
      if (++labelLength > 63) return false;
    } else return false;
  }
  return labelLength > 0;
}

interface Candidate {
  readonly from: number;
  readonly to: number;
  readonly host: string;
  readonly schemeObfuscated: boolean;
  readonly bare: boolean;
}

/** The end of the host part: the first '/', '?', '#' or '\' after `from`. */
function findHostEnd(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35 || c === 92) return i;
  }
  return end;
}

function cleanHost(text: string, from: number, to: number): string {
  let host = text.slice(from, to);
  const colon = host.indexOf(':');
  if (colon >= 0) host = host.slice(0, colon);
  while (host.endsWith('.')) host = host.slice(0, -1);
  return host.toLowerCase();
}

/** Reads the one link a token may hold; `anchor` is a '.' inside it. */
function readToken(text: string, start: number, end: number, anchor: number): Candidate | undefined {
  while (start < end && isLeadPunct(text.charCodeAt(start))) start++;
  while (end > start && isTrailPunct(text.charCodeAt(end - 1))) end--;
  if (end - start < 4 || anchor >= end - 1) return undefined;
  const sep = findSchemeSeparator(text, start, end);
  if (sep >= 0) {
    let s = sep;
    while (s > start && sep - s < 6 && isAsciiLetter(text.charCodeAt(s - 1))) s--;
    const scheme = text.slice(s, sep).toLowerCase();
    if (!SCHEMES.has(scheme)) return undefined;
    const hostStart = sep + 3;
    const hostEnd = findHostEnd(text, hostStart, end);
    const at = findLastWithin(text, 64, hostStart, hostEnd);
    const host = cleanHost(text, at >= hostStart ? at + 1 : hostStart, hostEnd);
    if (!host.includes('.') || !isValidHost(host)) return undefined;
    return { from: s, to: end, host, schemeObfuscated: scheme.includes('x'), bare: false };
  }
  if (findWithin(text, 64, start, end) >= 0) return undefined; // an email address, never a link
  if (end - start > 4 && text.slice(start, start + 4).toLowerCase() === 'www.') {
    const host = cleanHost(text, start, findHostEnd(text, start, end));
    if (!isValidHost(host) || host.length < 7) return undefined;
    return { from: start, to: end, host, schemeObfuscated: false, bare: false };
  }
  let hs = anchor;
  while (hs > start && isHostRunChar(text.charCodeAt(hs - 1))) hs--;
  let he = anchor + 1;
  while (he < end && isHostRunChar(text.charCodeAt(he))) he++;
  if (hs > start) {
    const before = text.charCodeAt(hs - 1);
    if (before < 0x80 && !BARE_BEFORE[before]) return undefined;
  }
  if (he < end) {
    const after = text.charCodeAt(he);
    if (after < 0x80 && !BARE_AFTER[after]) return undefined;
  }
  while (he > hs && text.charCodeAt(he - 1) === 46) he--;
  if (text.charCodeAt(hs) === 46 || he - hs < 4) return undefined;
  const host = text.slice(hs, he).toLowerCase();
  if (!isValidHost(host)) return undefined;
  // "work.It was" is a missing space, not a site in Italy: a capitalised suffix after a lower-case
  // word. A title-cased name (Cheap-Seo.Com) is still a link.
  const lastDot = findLastWithin(text, 46, hs, he);
  const suffixFirst = text.charCodeAt(lastDot + 1);
  const suffixSecond = text.charCodeAt(lastDot + 2);
  if (suffixFirst >= 65 && suffixFirst <= 90 && suffixSecond >= 97 && suffixSecond <= 122) {
    const previousDot = findLastWithin(text, 46, hs, lastDot);
    const labelFirst = text.charCodeAt(previousDot < 0 ? hs : previousDot + 1);
    if (labelFirst >= 97 && labelFirst <= 122) return undefined;
  }
  const bareEnd = he < end && text.charCodeAt(he) === 47 ? end : he;
  return { from: hs, to: bareEnd, host, schemeObfuscated: false, bare: true };
}

function acceptBare(host: string, parsed: ParsedHost): boolean {
  if (parsed.isIp || !parsed.isIcann || !parsed.domain || !parsed.publicSuffix) return false;
  if (FILE_LIKE_SUFFIXES.has(parsed.publicSuffix)) return false;
  const label = parsed.domainWithoutSuffix ?? '';
  // One-letter names and all-digit names ("i.e", "3.in") are abbreviations and numbers, not sites.
  return label.length >= 2 && /[a-z]/.test(label) && host.length <= 253;
}

/**
 * Every link in `input`, in order, up to `limit`. Email addresses are not links. Linear in the
 * input: each character is visited a bounded number of times and only tokens holding a '.' are parsed.
 */
export function extractLinks(input: string, limit = defaultLinkLimit): Link[] {
  const links: Link[] = [];
  collectLinks(input, limit, links, undefined);
  return links;
}

const OPENING_BRACKETS = ['[', '(', '{'] as const;
const NO_REPLACEMENTS: readonly Replacement[] = [];

/**
 * Whether an obfuscated dot (`[.]`, `(dot)`, up to three spaces inside the bracket) may be present.
 * Most prose has brackets but none of these, and this costs a few `indexOf` calls instead of a
 * regex over the whole text.
 */
export function mayHideDot(input: string): boolean {
  for (const bracket of OPENING_BRACKETS) {
    for (let i = input.indexOf(bracket); i >= 0; i = input.indexOf(bracket, i + 1)) {
      if (hidesDotAt(input, i + 1)) return true;
    }
  }
  return false;
}

/** Possibly a space for `\s` (controls, ASCII space, anything non-ASCII): never '.', 'd' or a bracket. */
const maybeSpace = (c: number) => c <= 32 || c >= 0x80;

/**
 * Whether the text after an opening bracket reads `\s{0,3}(?:\.|dot)\s{0,3}[\])}]`, the shape
 * undoObfuscation looks for. Never says no where that pattern matches (what it takes for a space is
 * a superset of `\s`), so undoObfuscation's scan of the whole text runs only where it may find
 * something: a bracket with a 'd' or '.' soon after it ("(dated", "[Date]") is common in mail.
 */
function hidesDotAt(input: string, from: number): boolean {
  let j = from;
  for (let n = 0; n < 3 && j < input.length && maybeSpace(input.charCodeAt(j)); n++) j++;
  if (input.charCodeAt(j) === 46) j += 1;
  else if (
    (input.charCodeAt(j) | 32) === 100 &&
    (input.charCodeAt(j + 1) | 32) === 111 &&
    (input.charCodeAt(j + 2) | 32) === 116
  )
    j += 3;
  else return false;
  for (let n = 0; n < 3 && j < input.length && maybeSpace(input.charCodeAt(j)); n++) j++;
  const close = input.charCodeAt(j);
  return close === 41 || close === 93 || close === 125;
}
/** Appends the links of `input` to `links` until it holds `limit`; tagged with `source` when given. */
function collectLinks(
  input: string,
  limit: number,
  links: Link[],
  source: LeadLink['source'] | undefined,
): void {
  if (!input || (input.indexOf('.') < 0 && !/[[({]/.test(input))) return;
  // Most text hides no dot: then no rewritten copy, and no object to carry it.
  const undone = mayHideDot(input) ? undoObfuscation(input) : undefined;
  const text = undone ? undone.text : input;
  const replacements = undone ? undone.replacements : NO_REPLACEMENTS;
  let pos = 0;
  let replacementIndex = 0;
  let shift = 0;
  while (links.length < limit) {
    const anchor = text.indexOf('.', pos);
    if (anchor < 0) break;
    const next = text.charCodeAt(anchor + 1);
    // A full stop before a space, a bracket or the end is a sentence ending: by far the most common dot.
    if (!(next > 32) || isBreak(next) || isTrailPunct(next)) {
      pos = anchor + 1;
      continue;
    }
    let start = anchor;
    while (start > pos && !isBreak(text.charCodeAt(start - 1))) start--;
    let end = anchor + 1;
    while (end < text.length && !isBreak(text.charCodeAt(end))) end++;
    pos = end;
    const found = readToken(text, start, end, anchor);
    if (!found) continue;
    const parsed = parseHost(found.host);
    if (found.bare && !acceptBare(found.host, parsed)) continue;
    // Map the link back onto the original text to report it as written.
    let obfuscated = found.schemeObfuscated;
    let replacement = replacements[replacementIndex];
    while (replacement && replacement.at < found.from) {
      shift += replacement.to - replacement.from - 1;
      replacement = replacements[++replacementIndex];
    }
    const rawFrom = found.from + shift;
    let rawShift = shift;
    for (let i = replacementIndex; i < replacements.length; i++) {
      const inside = replacements[i];
      if (!inside || inside.at >= found.to) break;
      obfuscated = true;
      rawShift += inside.to - inside.from - 1;
    }
    const rawTo = Math.min(found.to + rawShift, rawFrom + RAW_MAX);
    const raw = input.slice(rawFrom, rawTo);
    const registrableDomain = parsed.isIp ? undefined : (parsed.domain ?? undefined);
    const link: Link | LeadLink = source
      ? { raw, host: found.host, registrableDomain, obfuscated, source }
      : { raw, host: found.host, registrableDomain, obfuscated };
    links.push(link);
  }
}

/** Up to this many own domains, isOwnLink compares each with the host's end. */
const FEW_OWN_DOMAINS = 8;

/** Whether a link points at one of `ownDomains` (registrable domains) or a subdomain of one. */
export function isOwnLink(link: Link, ownDomains: ReadonlySet<string>): boolean {
  if (ownDomains.size === 0) return false;
  if (link.registrableDomain && ownDomains.has(link.registrableDomain)) return true;
  // Hosts without a public suffix (dealer.example, intranet names) are compared label by label.
  // An account has a site or two: then each is looked for at the host's end, without a copy of
  // every parent name; the label-by-label walk is for accounts with many sites.
  if (ownDomains.size <= FEW_OWN_DOMAINS) {
    const host = link.host;
    for (const own of ownDomains) {
      const at = host.length - own.length;
      if (at === 0 ? host === own : at > 0 && host.charCodeAt(at - 1) === 46 && host.endsWith(own))
        return true;
    }
    return false;
  }
  for (let dot = -1; ;) {
    if (ownDomains.has(dot < 0 ? link.host : link.host.slice(dot + 1))) return true;
    dot = link.host.indexOf('.', dot + 1);
    if (dot < 0) return false;
  }
}

/** Fields whose name says they hold a URL: the sender's own site, given on purpose. */
const URL_FIELD = /web_?site|url|home_?page|web_?page|link|domain|(?:^|\.)(?:site|web|www)(?:$|\.)/i;

/** Links in a lead's prose and in its URL fields, `limit` in all. */
export function extractLeadLinks(
  freeText: string,
  fields: readonly FieldText[],
  limit = defaultLinkLimit,
): LeadLink[] {
  const found: LeadLink[] = [];
  collectLinks(freeText, limit, found, 'text');
  for (const field of fields) {
    if (found.length >= limit) break;
    if (field.path.startsWith('fields.') && URL_FIELD.test(field.path)) {
      collectLinks(field.value, limit, found, 'url_field');
    }
  }
  return found;
}
