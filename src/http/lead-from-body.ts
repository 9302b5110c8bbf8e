// Turns a submitted form body (JSON, url-encoded or multipart fields) into the engine's Lead, enforcing per-field limits.
import type { Lead } from '../engine/types.ts';
import { embedFields } from './embed-script.ts';
import { HttpError } from './errors.ts';

export const intakeLimits = {
  /** Whole body, bytes. */
  bodyBytes: 64 * 1024,
  /** One field's text, characters. */
  fieldChars: 10_000,
  fields: 100,
} as const;

// Site forms name their fields every which way; these are the common spellings (compared without case or separators).
const aliases: Readonly<
  Record<string, 'name' | 'email' | 'phone' | 'subject' | 'message' | 'firstName' | 'lastName'>
> = {
  name: 'name',
  fullname: 'name',
  yourname: 'name',
  firstname: 'firstName',
  fname: 'firstName',
  lastname: 'lastName',
  lname: 'lastName',
  surname: 'lastName',
  email: 'email',
  emailaddress: 'email',
  youremail: 'email',
  mail: 'email',
  phone: 'phone',
  phonenumber: 'phone',
  tel: 'phone',
  telephone: 'phone',
  mobile: 'phone',
  subject: 'subject',
  message: 'message',
  comments: 'message',
  comment: 'message',
  enquiry: 'message',
  inquiry: 'message',
  body: 'message',
};

const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

function checkText(key: string, value: string): string {
  if (value.length > intakeLimits.fieldChars)
    throw new HttpError(
      'field_too_large',
      `Field "${key.slice(0, 100)}" is longer than ${intakeLimits.fieldChars} characters.`,
    );
  return value;
}

/** Copies a nested JSON value, dropping prototype keys and checking every string's length. */
function cleanValue(key: string, value: unknown, depth: number): unknown {
  if (typeof value === 'string') return checkText(key, value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (depth > 8)
    throw new HttpError('validation_failed', `Field "${key.slice(0, 100)}" is nested too deeply.`);
  if (Array.isArray(value))
    return value.slice(0, intakeLimits.fields).map((item) => cleanValue(key, item, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [childKey, child] of Object.entries(value)) {
      if (!forbiddenKeys.has(childKey)) out[childKey] = cleanValue(key, child, depth + 1);
    }
    return out;
  }
  return undefined;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.filter((item) => typeof item === 'string').join(', ') || undefined;
  return undefined;
}

export interface RequestMeta {
  readonly ip: string;
  readonly userAgent: string | undefined;
  readonly referrer: string | undefined;
}

/** Builds the lead for one submission; throws HttpError for a body that is not an object of fields or breaks a limit. */
export function leadFromBody(body: unknown, honeypotField: string, meta: RequestMeta): Lead {
  if (body === undefined || body === null || body === '') throw new HttpError('empty_body');
  if (typeof body !== 'object' || Array.isArray(body))
    throw new HttpError(
      'validation_failed',
      'The body must be an object of form fields, e.g. {"email": "..."}.',
    );
  const entries = Object.entries(body);
  if (entries.length > intakeLimits.fields) throw new HttpError('too_many_fields');
  const known: Partial<
    Record<'name' | 'email' | 'phone' | 'subject' | 'message' | 'firstName' | 'lastName', string>
  > = {};
  const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let honeypot: string | undefined;
  let renderToken: string | undefined;
  let pageUrl: string | undefined;
  let referrer = meta.referrer;
  for (const [key, raw] of entries) {
    if (forbiddenKeys.has(key) || key.length > 200) continue;
    const value = cleanValue(key, raw, 0);
    if (key === honeypotField) honeypot = asText(value) ?? '';
    else if (key === embedFields.token) renderToken = asText(value);
    else if (key === embedFields.pageUrl) pageUrl = asText(value);
    else if (key === embedFields.referrer) referrer = asText(value) || referrer;
    else {
      const alias = aliases[key.toLowerCase().replace(/[^a-z]/g, '')];
      const text = asText(value);
      if (alias && text !== undefined && known[alias] === undefined) known[alias] = text;
      else fields[key] = value;
    }
  }
  const name = known.name ?? ([known.firstName, known.lastName].filter(Boolean).join(' ') || undefined);
  return {
    channel: 'form',
    name,
    email: known.email,
    phone: known.phone,
    subject: known.subject,
    message: known.message,
    fields: { ...fields },
    // A form without the embed script has no honeypot: undefined keeps the honeypot check silent.
    honeypot,
    renderToken,
    pageUrl,
    referrer,
    userAgent: meta.userAgent,
    ip: meta.ip,
  };
}
