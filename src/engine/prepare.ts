// Turns a raw lead into the normalised form every check reads, computed once per lead.
import { domainToASCII } from 'node:url';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { foldText, isAscii } from './text.ts';
import { rememberParses } from './host-parses.ts';
import { extractLeadLinks } from './links.ts';
import type { LeadLink } from './links.ts';
import type { Channel, Lead } from './types.ts';

/** Caps that keep hostile input linear and bounded. */
export const limits = {
  fieldDepth: 8,
  fieldCount: 500,
  fieldChars: 1_000_000,
} as const;

export interface PreparedEmail {
  /** Lower-cased address as given (trimmed). */
  readonly address: string;
  readonly local: string;
  /** Lower-cased host part, without a trailing dot. */
  readonly domain: string;
  /** Registrable domain (`mail.example.co.uk` → `example.co.uk`), or undefined if none. */
  readonly registrableDomain: string | undefined;
  readonly syntaxValid: boolean;
}

export interface PreparedPhone {
  readonly raw: string;
  /** Digits only, as typed. */
  readonly digits: string;
  /** E.164 form when the number parses and is valid. */
  readonly e164: string | undefined;
  /** NANP area code (3 digits) when the number is a valid +1 number. */
  readonly areaCode: string | undefined;
}

export interface FieldText {
  /** Dotted path of the field (`message`, `fields.vehicle.model`). */
  readonly path: string;
  readonly value: string;
}

export interface PreparedLead {
  readonly raw: Lead;
  readonly channel: Channel;
  readonly name: string;
  readonly email: PreparedEmail | undefined;
  readonly phone: PreparedPhone | undefined;
  /** Every submitted string value, name and email included, flattened with depth and count caps. */
  readonly fields: readonly FieldText[];
  /** Subject, message and free-text custom fields joined: where people (and spammers) write prose. */
  readonly freeText: string;
  /** `foldText` of every field value joined by newlines: what keywords are matched against. */
  readonly folded: string;
  /**
   * Every field value is plain ASCII, and so every text made of them (name, free text, folded
   * text): scans may skip measuring them again.
   */
  readonly ascii: boolean;
  /** True when fields were dropped for exceeding depth or count caps. */
  readonly truncated: boolean;
  /** Links in the free text and in URL fields (`website`), capped; email addresses are not links. */
  readonly links: readonly LeadLink[];
}

const parseEmailDomain = rememberParses();

const EMAIL_SYNTAX =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function prepareEmail(input: string | undefined): PreparedEmail | undefined {
  const address = input?.trim().toLowerCase();
  if (!address) return undefined;
  const at = address.lastIndexOf('@');
  const local = at > 0 ? address.slice(0, at) : address;
  const domain = at > 0 ? address.slice(at + 1).replace(/\.$/, '') : '';
  // An internationalised domain (jane@bücher.de) is checked in its ASCII (punycode) form.
  const syntaxValid =
    address.length <= 254 &&
    local.length <= 64 &&
    EMAIL_SYNTAX.test(/[^\u0000-\u007f]/.test(domain) ? `${local}@${domainToASCII(domain)}` : address);
  const registrableDomain = domain ? (parseEmailDomain(domain).domain ?? undefined) : undefined;
  return { address, local, domain, registrableDomain, syntaxValid };
}

/**
 * Recently parsed numbers by the string as written: libphonenumber costs ~15 µs a number and the
 * same caller, or the same flood of spam, sends one number many times. Bounded, least recently
 * used first out; results are immutable, so sharing them is safe.
 */
const phoneCache = new Map<string, PreparedPhone>();
let phoneCacheSize = 1000;

/** Sets how many parsed numbers are kept (0 turns the cache off); benchmarks measure parsing with it off. */
export function setPhoneCacheSize(size: number): void {
  phoneCacheSize = Math.max(0, Math.floor(size));
  phoneCache.clear();
}

export function preparePhone(
  input: string | undefined,
  defaultCountry: 'US' = 'US',
): PreparedPhone | undefined {
  const raw = input?.trim();
  if (!raw) return undefined;
  if (phoneCacheSize === 0) return parsePhone(raw, defaultCountry);
  const cached = phoneCache.get(raw);
  if (cached) {
    phoneCache.delete(raw);
    phoneCache.set(raw, cached);
    return cached;
  }
  const phone = parsePhone(raw, defaultCountry);
  if (phoneCache.size >= phoneCacheSize) phoneCache.delete(phoneCache.keys().next().value as string);
  phoneCache.set(raw, phone);
  return phone;
}

function parsePhone(raw: string, defaultCountry: 'US'): PreparedPhone {
  // NFKC turns full-width digits typed with an East Asian keyboard (２０２) into ASCII ones.
  const digits = (/[^\u0000-\u007f]/.test(raw) ? raw.normalize('NFKC') : raw).replace(/\D/g, '').slice(0, 20);
  if (!digits) return Object.freeze({ raw, digits, e164: undefined, areaCode: undefined });
  const parsed = raw.length <= 40 ? parsePhoneNumberFromString(raw, defaultCountry) : undefined;
  const valid = parsed?.isValid() ?? false;
  const e164 = valid ? parsed?.number : undefined;
  const areaCode =
    valid && parsed?.countryCallingCode === '1' ? parsed.nationalNumber.slice(0, 3) : undefined;
  return Object.freeze({ raw, digits, e164, areaCode });
}

const FREE_TEXT_FIELD = /comment|message|question|note|body|text|content|detail|inquiry|enquiry|description/i;

interface Flattening {
  readonly fields: FieldText[];
  truncated: boolean;
}

// Module-level functions rather than closures: they are created once, not on every lead.
function pushField(state: Flattening, path: string, value: string): void {
  if (state.fields.length >= limits.fieldCount) {
    state.truncated = true;
    return;
  }
  state.fields.push({
    path,
    value: value.length > limits.fieldChars ? value.slice(0, limits.fieldChars) : value,
  });
}

function walkField(state: Flattening, path: string, value: unknown, depth: number): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') pushField(state, path, value);
  else if (typeof value === 'number' || typeof value === 'boolean') pushField(state, path, String(value));
  else if (typeof value === 'object') {
    if (depth >= limits.fieldDepth) {
      state.truncated = true;
      return;
    }
    const entries = Array.isArray(value) ? value.entries() : Object.entries(value as object);
    for (const [key, child] of entries) walkField(state, `${path}.${String(key)}`, child, depth + 1);
  }
}

function pushTopLevel(state: Flattening, path: string, value: unknown): void {
  if (typeof value === 'string' && value) pushField(state, path, value);
}

/** The lead's own name, email and phone, read once by the caller. */
function flattenFields(lead: Lead, name: unknown, email: unknown, phone: unknown): Flattening {
  const state: Flattening = { fields: [], truncated: false };
  // Named reads, not a loop over the names: a read by a key held in a variable is a slow lookup.
  pushTopLevel(state, 'name', name);
  pushTopLevel(state, 'email', email);
  pushTopLevel(state, 'phone', phone);
  pushTopLevel(state, 'subject', lead.subject);
  pushTopLevel(state, 'message', lead.message);
  if (lead.fields && typeof lead.fields === 'object') {
    for (const [key, value] of Object.entries(lead.fields)) walkField(state, `fields.${key}`, value, 1);
  }
  return state;
}

/** Every field value joined by newlines, the text keywords are matched against once folded. */
function joinValues(fields: readonly FieldText[]): string {
  const values: string[] = new Array<string>(fields.length);
  for (let i = 0; i < fields.length; i++) values[i] = (fields[i] as FieldText).value;
  return values.join('\n');
}

export function prepareLead(lead: Lead): PreparedLead {
  // Each read once: leads come in many shapes, and a read from an object of many shapes is a slow lookup.
  const { name, email, phone } = lead;
  const { fields, truncated } = flattenFields(lead, name, email, phone);
  const free: string[] = [];
  for (const field of fields) {
    if (field.path === 'subject' || field.path === 'message') free.push(field.value);
    else if (
      field.path.startsWith('fields.') &&
      (FREE_TEXT_FIELD.test(field.path) || field.value.includes(' '))
    )
      free.push(field.value);
  }
  const freeText = free.join('\n');
  const joined = joinValues(fields);
  const ascii = isAscii(joined);
  return {
    raw: lead,
    channel: lead.channel,
    name: typeof name === 'string' ? name.trim().slice(0, 1000) : '',
    email: typeof email === 'string' ? prepareEmail(email.slice(0, 1000)) : undefined,
    phone: typeof phone === 'string' ? preparePhone(phone.slice(0, 1000)) : undefined,
    fields,
    freeText,
    folded: foldText(joined, ascii),
    ascii,
    truncated,
    links: extractLeadLinks(freeText, fields),
  };
}
