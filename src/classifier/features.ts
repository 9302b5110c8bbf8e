// Turns a prepared lead and the other checks' signals into hashed features: words, word pairs, character n-grams, link and email domains, phone patterns, shape and signals.
import type { LeadLink } from '../engine/links.ts';
import { FeatureNames } from './feature-names.ts';
import { DROPPED, foldCode } from './fold-code.ts';
import type { PreparedLead } from '../engine/prepare.ts';
import type { Signal } from '../engine/types.ts';
import {
  combineHashes as importedCombine,
  hashString as importedHashString,
  mixHash as importedMix,
  seeds as importedSeeds,
} from './hash.ts';

// Module-local copies: the TypeScript loader reads imported bindings through getters, which costs in the hot loop.
const seeds = { ...importedSeeds };
const mixHash = importedMix;
const hashString = importedHashString;
const combineHashes = importedCombine;

/** Which feature families to emit; stored in the model so prediction extracts exactly what training did. */
export interface FeatureOptions {
  /** Character n-gram length over the free text (2 or 3); 0 turns n-grams off. */
  readonly gramSize: number;
  /** Emit pairs of consecutive words. */
  readonly wordPairs: boolean;
  /** Only the first this many characters of free text are read: bounds the cost of a huge message. */
  readonly textLimit: number;
}

export const defaultFeatureOptions: FeatureOptions = Object.freeze({
  gramSize: 3,
  wordPairs: true,
  textLimit: 6000,
});

/** A lead's distinct feature hashes. `hashes` is a view that the next extraction overwrites: copy it to keep it. */
export interface FeatureSet {
  readonly hashes: Uint32Array;
  /** Readable names of the word-like features, when asked for (explanations, tests). */
  readonly names: FeatureNames | undefined;
}

export { FeatureNames };

const MAX_FEATURES = 12_000;
const SET_BITS = 15;
const SET_MASK = (1 << SET_BITS) - 1;
const MIN_WORD = 2;
const MAX_WORD = 24;
// Bounded quantifiers only: each attempt is constant-time, so the scan is linear.
const PHONE_IN_TEXT = /(?:^|[^\d])(?:\+?1[-. ]?)?\(?([2-9]\d\d)\)?[-. ]?\d{3}[-. ]?\d{4}(?!\d)/g;
const TOLL_FREE = new Set(['800', '833', '844', '855', '866', '877', '888']);

const isWordCode = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 0xc0;

const bucket = (n: number): number =>
  n <= 0 ? 0 : n < 2 ? 1 : n < 4 ? 2 : n < 8 ? 3 : n < 16 ? 4 : n < 64 ? 5 : 6;

/** Reused buffers: extraction allocates nothing per lead on the hot path. JavaScript is single-threaded per isolate. */
class Extractor {
  readonly out = new Uint32Array(MAX_FEATURES);
  readonly slots = new Uint32Array(SET_MASK + 1);
  readonly stamps = new Uint32Array(SET_MASK + 1);
  stamp = 0;
  count = 0;
  names: FeatureNames | undefined;

  reset(withNames: boolean): void {
    this.count = 0;
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    this.names = withNames ? new FeatureNames() : undefined;
  }

  add(hash: number): void {
    if (this.count >= MAX_FEATURES) return;
    let slot = hash & SET_MASK;
    for (;;) {
      if (this.stamps[slot] !== this.stamp) {
        this.stamps[slot] = this.stamp;
        this.slots[slot] = hash;
        this.out[this.count++] = hash;
        return;
      }
      if (this.slots[slot] === hash) return;
      slot = (slot + 1) & SET_MASK;
    }
  }

  /** A named feature, optionally with a string value (`domain:` + `example.com`), hashed without building the string. */
  addKey(seed: number, key: string, value = '', label?: string): number {
    const hash = mixHash(hashString(hashString(seed, key), value));
    this.add(hash);
    if (this.names && label !== undefined) this.names.record(hash, label);
    return hash;
  }

  /** A named small-number feature (`caps:` 3). */
  addCount(seed: number, key: string, n: number): void {
    this.add(mixHash(Math.imul(hashString(seed, key) ^ (n + 1), 16777619) >>> 0));
  }

  /** Words of a short field (subject, name) in their own namespace. */
  addFieldWords(seed: number, prefix: string, text: string): void {
    let start = -1;
    let hash = 0;
    for (let i = 0; i <= text.length; i++) {
      let c = i < text.length ? text.charCodeAt(i) : 32;
      if (c >= 65 && c <= 90) c += 32;
      else if (c >= 128) {
        c = foldCode(c);
        if (c === DROPPED) continue;
      }
      if (isWordCode(c)) {
        if (start < 0) {
          start = i;
          hash = seed;
        }
        hash = Math.imul(hash ^ c, 16777619);
      } else if (start >= 0) {
        const length = i - start;
        if (length >= MIN_WORD && length <= MAX_WORD) {
          const feature = mixHash(hash >>> 0);
          this.add(feature);
          if (this.names) this.names.record(feature, text, start, i, prefix);
        }
        start = -1;
      }
    }
  }

  /**
   * One pass over the body: words, word pairs, character n-grams and shape counts together.
   * ASCII upper case is folded here rather than by a separate lower-casing pass.
   */
  addBody(text: string, options: FeatureOptions): void {
    const { gramSize, wordPairs } = options;
    const names = this.names;
    let start = -1;
    let wordHash = 0;
    let previousWord = 0;
    let previousStart = 0;
    let words = 0;
    let longWords = 0;
    let gram1 = 0;
    let gram2 = 0;
    let seen = 0;
    let lastSpace = true;
    let bangs = 0;
    let dollars = 0;
    let upper = 0;
    let letters = 0;
    let nonAscii = 0;
    const gramSeed = seeds.gram;
    for (let i = 0; i <= text.length; i++) {
      let c = i < text.length ? text.charCodeAt(i) : 32;
      if (c >= 65 && c <= 90) {
        c += 32;
        upper++;
        letters++;
      } else if (c >= 97 && c <= 122) letters++;
      else if (c >= 128) {
        nonAscii++;
        c = foldCode(c);
        if (c === DROPPED) continue;
      }
      if (isWordCode(c)) {
        if (start < 0) {
          start = i;
          wordHash = seeds.word;
        }
        // Digits generalise: prices and phone numbers share a shape, not a value.
        wordHash = Math.imul(wordHash ^ (c >= 48 && c <= 57 ? 48 : c), 16777619);
      } else {
        if (start >= 0) {
          const length = i - start;
          if (length > MAX_WORD) longWords++;
          else if (length >= MIN_WORD) {
            const hash = mixHash(wordHash >>> 0);
            this.add(hash);
            if (names) names.record(hash, text, start, i);
            if (wordPairs && previousWord !== 0) {
              const pair = combineHashes(previousWord, hash);
              this.add(pair);
              if (names) names.record(pair, text, previousStart, i);
            }
            previousWord = hash;
            previousStart = start;
            words++;
          }
          start = -1;
        }
        if (c === 33) bangs++;
        else if (c === 36) dollars++;
      }
      if (gramSize > 0) {
        const space = c <= 32 || c === 0xa0;
        if (space && lastSpace) continue;
        lastSpace = space;
        const gram0 = gram1;
        gram1 = gram2;
        gram2 = space ? 32 : c >= 48 && c <= 57 ? 48 : c;
        if (++seen >= gramSize) {
          let h = Math.imul(((gram1 << 16) | gram2) ^ gramSeed, 0x9e3779b1);
          if (gramSize >= 3) h = Math.imul(h ^ gram0, 0x85ebca6b);
          this.add((h ^ (h >>> 15)) >>> 0);
        }
      }
    }
    this.addCount(seeds.meta, 'words', bucket(words >> 3));
    this.addCount(seeds.meta, 'long', bucket(longWords));
    this.addCount(seeds.meta, 'bang', bucket(bangs));
    this.addCount(seeds.meta, 'dollar', bucket(dollars));
    this.addCount(seeds.meta, 'caps', letters === 0 ? 0 : Math.round((upper / letters) * 10));
    if (nonAscii > 0) this.addKey(seeds.meta, 'non_ascii', '', 'non-ASCII text');
  }
}

const extractor = new Extractor();

/** Makes V8 store a string contiguously (a rope from concatenation reads slowly char by char). */
function flatten(text: string): string {
  // Number() walks the string once and V8 flattens it in place to do so.
  void Number(text);
  return text;
}

function addPhones(ex: Extractor, text: string, lead: PreparedLead): void {
  let phones = 0;
  PHONE_IN_TEXT.lastIndex = 0;
  for (let match = PHONE_IN_TEXT.exec(text); match && phones < 20; match = PHONE_IN_TEXT.exec(text)) {
    phones++;
    if (TOLL_FREE.has(match[1] ?? '')) ex.addKey(seeds.meta, 'phone:toll_free', '', 'toll-free number');
  }
  ex.addCount(seeds.meta, 'phones', bucket(phones));
  const phone = lead.phone;
  if (phone) {
    ex.addCount(seeds.meta, 'phone:valid', phone.e164 === undefined ? 0 : 1);
    ex.addCount(seeds.meta, 'phone:digits', Math.min(phone.digits.length, 16));
    if (phone.areaCode && TOLL_FREE.has(phone.areaCode)) ex.addKey(seeds.meta, 'phone:toll_free_contact');
  }
}

function addEmail(ex: Extractor, lead: PreparedLead): void {
  const email = lead.email;
  if (!email) {
    ex.addKey(seeds.email, 'none');
    return;
  }
  const names = ex.names;
  ex.addKey(seeds.email, 'domain:', email.domain, names && `email @${email.domain}`);
  if (email.registrableDomain && email.registrableDomain !== email.domain)
    ex.addKey(seeds.email, 'domain:', email.registrableDomain, names && `email @${email.registrableDomain}`);
  const tld = email.domain.slice(email.domain.lastIndexOf('.') + 1);
  ex.addKey(seeds.email, 'tld:', tld, names && `email .${tld}`);
  let digits = 0;
  for (let i = 0; i < email.local.length; i++) {
    const c = email.local.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  ex.addCount(seeds.email, 'local_digits', bucket(digits));
  ex.addCount(seeds.email, 'local_length', bucket(email.local.length >> 1));
  if (!email.syntaxValid) ex.addKey(seeds.email, 'invalid', '', 'invalid email');
}

function addLinks(ex: Extractor, lead: PreparedLead): void {
  const names = ex.names;
  const links = lead.links;
  const end = Math.min(links.length, 20);
  for (let i = 0; i < end; i++) {
    const link = links[i] as LeadLink;
    const domain = link.registrableDomain ?? link.host;
    ex.addKey(seeds.link, 'domain:', domain, names && `link ${domain}`);
    const tld = domain.slice(domain.lastIndexOf('.') + 1);
    ex.addKey(seeds.link, 'tld:', tld, names && `link .${tld}`);
    if (link.registrableDomain === undefined) ex.addKey(seeds.link, 'ip', '', 'link to an IP address');
    if (link.obfuscated) ex.addKey(seeds.link, 'obfuscated', '', 'disguised link');
    if (
      lead.email?.registrableDomain !== undefined &&
      lead.email.registrableDomain === link.registrableDomain
    )
      ex.addKey(seeds.link, 'own_email_domain');
  }
  ex.addCount(seeds.link, 'count', bucket(links.length));
}

function addSignals(ex: Extractor, signals: readonly Signal[]): void {
  const names = ex.names;
  for (const signal of signals) {
    // The classifier's own signal must never feed itself.
    if (signal.check === 'classifier' || signal.score === 0) continue;
    ex.addKey(seeds.signal, signal.check, '', names && `sig:${signal.check}`);
    ex.addCount(seeds.signal, signal.check, bucket(Math.abs(signal.score)));
  }
}

/**
 * Extracts the lead's distinct features. The result's buffer is reused by the next call; with
 * `withNames` it also carries readable names for the word-like features (slower: explanations only).
 */
export function extractFeatures(
  lead: PreparedLead,
  signals: readonly Signal[],
  options: FeatureOptions = defaultFeatureOptions,
  withNames = false,
): FeatureSet {
  const ex = extractor;
  ex.reset(withNames);
  ex.add(mixHash(seeds.meta)); // bias: always present
  const raw =
    lead.freeText.length > options.textLimit ? lead.freeText.slice(0, options.textLimit) : lead.freeText;
  // The loop gets a flat string: scanning a concatenated one is several times slower.
  const text = flatten(raw);
  ex.addBody(text, options);
  addPhones(ex, text, lead);
  const subject = lead.raw.subject;
  if (typeof subject === 'string' && subject)
    ex.addFieldWords(seeds.subject, 'subject:', subject.slice(0, 300));
  else ex.addKey(seeds.subject, 'none');
  if (lead.name) ex.addFieldWords(seeds.name, 'name:', lead.name.slice(0, 200));
  else ex.addKey(seeds.name, 'none');
  addEmail(ex, lead);
  addLinks(ex, lead);
  addSignals(ex, signals);
  return { hashes: ex.out.subarray(0, ex.count), names: ex.names };
}
