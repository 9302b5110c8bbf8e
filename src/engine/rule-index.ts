// An account's allow and block rules compiled into hash sets per dimension, so matching costs the same for 10 rules or 100,000.
import { domainToASCII } from 'node:url';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { RuleDimension, RuleInput, SegmentInput } from './config.ts';
import type { PreparedLead } from './prepare.ts';
import { compileSegment } from './segment.ts';
import type { SegmentMatcher } from './segment.ts';

export interface RuleMatch {
  readonly action: 'block' | 'allow';
  readonly dimension: RuleDimension;
  /** The rule's value as the account entered it. */
  readonly value: string;
  readonly id?: string;
  /** What on the lead matched: the address, the (parent) domain, the number, the area code or the segment name. */
  readonly matched: string;
}

export interface RuleIndex {
  readonly size: number;
  /** Every block and allow rule the lead matches. */
  match(lead: PreparedLead): RuleMatch[];
  /** Whether any allow rule exists on the dimension (allowlist-only needs at least one to be useful). */
  hasAllowRules(dimension: RuleDimension): boolean;
}

const NON_ASCII = /[^\u0000-\u007f]/;

export function normalizeEmailRule(value: string): string {
  return value.trim().toLowerCase();
}

/** `@Example.COM.`, `*.example.com`, `user@example.com` → `example.com`; IDNs to punycode. */
export function normalizeDomainRule(value: string): string {
  let domain = value.trim().toLowerCase();
  const at = domain.lastIndexOf('@');
  if (at >= 0) domain = domain.slice(at + 1);
  domain = domain.replace(/^\*?\.+/, '').replace(/\.+$/, '');
  if (NON_ASCII.test(domain)) domain = domainToASCII(domain) || domain;
  return domain;
}

/**
 * One comparable key per phone number: E.164 when libphonenumber accepts it, else the digits,
 * with NANP numbers (10 digits, or 11 starting with 1) given their +1 so `5551234567` and
 * `+1 (555) 123-4567` agree even though 555 numbers are not valid.
 */
export function phoneKeyOf(digits: string, e164: string | undefined): string {
  if (e164) return e164;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return digits;
}

function phoneRuleKey(value: string): string | undefined {
  const digits = value.replace(/\D/g, '');
  if (!digits) return undefined;
  const parsed = value.length <= 40 ? parsePhoneNumberFromString(value.trim(), 'US') : undefined;
  return phoneKeyOf(digits, parsed?.isValid() ? parsed.number : undefined);
}

type Entry = Omit<RuleMatch, 'matched'>;

class Table {
  readonly #entries = new Map<string, Entry[]>();
  add(key: string, entry: Entry): void {
    const list = this.#entries.get(key);
    if (list) list.push(entry);
    else this.#entries.set(key, [entry]);
  }
  collect(key: string, into: RuleMatch[]): void {
    const list = this.#entries.get(key);
    if (list) for (const entry of list) into.push({ ...entry, matched: key });
  }
  get size(): number {
    return this.#entries.size;
  }
}

/** Compiles rules; a rule whose value cannot mean anything (or names a missing segment) never matches. */
export function compileRules(rules: readonly RuleInput[], segments: readonly SegmentInput[]): RuleIndex {
  const email = new Table();
  const domain = new Table();
  const phone = new Table();
  const areaCode = new Table();
  const segmentRules = new Map<string, { segment: SegmentMatcher; entries: Entry[] }>();
  const segmentsByName = new Map<string, SegmentInput>();
  for (const segment of segments) {
    const name = segment.name.trim().toLowerCase();
    if (!segmentsByName.has(name)) segmentsByName.set(name, segment);
  }
  const allowDimensions = new Set<RuleDimension>();
  let size = 0;

  for (const rule of rules) {
    const entry: Entry =
      rule.id === undefined
        ? { action: rule.action, dimension: rule.dimension, value: rule.value }
        : { action: rule.action, dimension: rule.dimension, value: rule.value, id: rule.id };
    let key: string | undefined;
    switch (rule.dimension) {
      case 'email':
        key = normalizeEmailRule(rule.value);
        if (key) email.add(key, entry);
        break;
      case 'domain':
        key = normalizeDomainRule(rule.value);
        if (key) domain.add(key, entry);
        break;
      case 'phone':
        key = phoneRuleKey(rule.value);
        if (key) phone.add(key, entry);
        break;
      case 'area_code':
        key = rule.value.replace(/\D/g, '');
        if (key.length === 3) areaCode.add(key, entry);
        else key = undefined;
        break;
      case 'segment': {
        key = rule.value.trim().toLowerCase();
        const definition = segmentsByName.get(key);
        if (!definition) {
          key = undefined;
          break;
        }
        const compiled = segmentRules.get(key) ?? { segment: compileSegment(definition), entries: [] };
        compiled.entries.push(entry);
        segmentRules.set(key, compiled);
        break;
      }
    }
    if (key === undefined || key === '') continue;
    size += 1;
    if (rule.action === 'allow') allowDimensions.add(rule.dimension);
  }

  const match = (lead: PreparedLead): RuleMatch[] => {
    const found: RuleMatch[] = [];
    const address = lead.email;
    if (address) {
      if (email.size > 0) email.collect(address.address, found);
      if (domain.size > 0 && address.domain) {
        let host = NON_ASCII.test(address.domain)
          ? domainToASCII(address.domain) || address.domain
          : address.domain;
        // The domain itself, then each parent: a rule on example.com covers mail.example.com.
        for (;;) {
          domain.collect(host, found);
          const dot = host.indexOf('.');
          if (dot < 0) break;
          host = host.slice(dot + 1);
        }
      }
    }
    const number = lead.phone;
    if (number && number.digits) {
      if (phone.size > 0) {
        const key = phoneKeyOf(number.digits, number.e164);
        phone.collect(key, found);
        if (key !== number.digits) phone.collect(number.digits, found);
      }
      if (areaCode.size > 0 && number.areaCode) areaCode.collect(number.areaCode, found);
    }
    for (const [name, { segment, entries }] of segmentRules) {
      if (!segment(lead)) continue;
      for (const entry of entries) found.push({ ...entry, matched: name });
    }
    return found;
  };

  return Object.freeze({
    size,
    match,
    hasAllowRules: (dimension: RuleDimension) => allowDimensions.has(dimension),
  });
}
