// A saved contact segment compiled into a predicate over a lead's contact fields (plus email_domain, area_code and country derived from the lead).
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { SegmentInput } from './config.ts';
import type { PreparedLead } from './prepare.ts';

export type SegmentMatcher = (lead: PreparedLead) => boolean;

type Condition = SegmentInput['conditions'][number];

const countries = new WeakMap<PreparedLead, string | undefined>();

function countryOf(lead: PreparedLead): string | undefined {
  if (countries.has(lead)) return countries.get(lead);
  const e164 = lead.phone?.e164;
  const country = e164 ? parsePhoneNumberFromString(e164)?.country?.toLowerCase() : undefined;
  countries.set(lead, country);
  return country;
}

const normalize = (value: string) => value.trim().toLowerCase();

/** The field's values, lower-cased; contact fields win over what is derived from the lead. */
export function readSegmentField(lead: PreparedLead, field: string): string[] {
  const contact = lead.raw.contact;
  let value: unknown;
  if (contact && typeof contact === 'object') {
    value = Object.hasOwn(contact, field) ? contact[field] : undefined;
    if (value === undefined) {
      for (const key of Object.keys(contact)) {
        if (key.toLowerCase() === field) {
          value = contact[key];
          break;
        }
      }
    }
  }
  if (value === undefined) {
    if (field === 'email_domain') value = lead.email?.domain;
    else if (field === 'area_code') value = lead.phone?.areaCode;
    else if (field === 'country') value = countryOf(lead);
    else if (field === 'email') value = lead.email?.address;
  }
  if (typeof value === 'string') return value.trim() ? [normalize(value)] : [];
  if (Array.isArray(value))
    return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map(normalize);
  return [];
}

function compileCondition(condition: Condition): SegmentMatcher {
  const field = normalize(condition.field);
  const raw = condition.value;
  const targets = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).map(normalize);
  const targetSet = new Set(targets);
  const isIn = (lead: PreparedLead) => readSegmentField(lead, field).some((v) => targetSet.has(v));
  const exists = (lead: PreparedLead) => readSegmentField(lead, field).length > 0;
  switch (condition.op) {
    case 'is':
    case 'in':
      return isIn;
    case 'is_not':
    case 'not_in':
      return (lead) => !isIn(lead);
    case 'contains':
      return (lead) =>
        readSegmentField(lead, field).some((v) =>
          targets.some((target) => target !== '' && v.includes(target)),
        );
    case 'exists':
      return exists;
    case 'missing':
      return (lead) => !exists(lead);
  }
}

/** Case-insensitive; `match: all` needs every condition, `any` one of them. */
export function compileSegment(segment: SegmentInput): SegmentMatcher {
  const conditions = segment.conditions.map(compileCondition);
  if (segment.match === 'any') return (lead) => conditions.some((condition) => condition(lead));
  return (lead) => conditions.every((condition) => condition(lead));
}
