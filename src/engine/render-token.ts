// The signed render token: issued when a form page renders (fetched by the embed script), read back when the form is submitted.
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { EngineError } from './errors.ts';

/** Longest token accepted; anything longer is malformed before any work is done. */
export const renderTokenMaxLength = 512;
const VERSION = 1;
const MAC_BYTES = 16;
const MAX_FORM_KEY_BYTES = 200;
const MAX_NONCE_BYTES = 64;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface IssueRenderTokenInput {
  readonly secret: string;
  readonly formKey: string;
  /** Issue time, milliseconds since the epoch. */
  readonly now: number;
  /** Single-use value for replay detection; random when omitted. */
  readonly nonce?: string;
}

export type RenderTokenReading =
  | { readonly status: 'valid'; readonly formKey: string; readonly issuedAt: number; readonly nonce: string }
  | { readonly status: 'malformed' | 'forged' };

// The secret is the instance's, the same for every token: its key object is made once, not
// converted from the string again by every createHmac.
let keySecret: string | undefined;
let key: KeyObject | undefined;

function keyOf(secret: string): KeyObject {
  if (key === undefined || secret !== keySecret) {
    key = createSecretKey(secret, 'utf8');
    keySecret = secret;
  }
  return key;
}

function sign(secret: string, payload: Buffer): Buffer {
  // HMAC-SHA256 truncated to 128 bits keeps tokens short while forging stays out of reach.
  return createHmac('sha256', keyOf(secret)).update(payload).digest().subarray(0, MAC_BYTES);
}

// Reading a token decodes it and writes both MACs into these instead of new Buffers: a Buffer
// allocates memory outside the heap, which cost a fifth of the check.
const expectedScratch = Buffer.alloc(32);
const expectedMac = expectedScratch.subarray(0, MAC_BYTES);
/** Room for one byte more than a MAC, so a longer one is seen as longer. */
const givenScratch = Buffer.alloc(MAC_BYTES + 1);
const givenMac = givenScratch.subarray(0, MAC_BYTES);
/** Room for the longest payload a token of renderTokenMaxLength characters can carry. */
const payloadScratch = Buffer.alloc(Math.ceil((renderTokenMaxLength * 3) / 4));
/** The first n bytes of payloadScratch at index n, made on first use instead of a new view per token. */
const payloadViews: Buffer[] = [];

/** Whether the MAC just read into givenMac signs the first `length` bytes of payloadScratch, compared in constant time. */
function isSignedBy(secret: string, length: number): boolean {
  const payload = (payloadViews[length] ??= payloadScratch.subarray(0, length));
  // 'binary' is latin1: one character per byte, copied back byte for byte.
  expectedScratch.write(createHmac('sha256', keyOf(secret)).update(payload).digest('binary'), 'binary');
  return timingSafeEqual(givenMac, expectedMac);
}

/** `base64url(version · issuedAt(6 bytes, ms) · nonce length · nonce · formKey) "." base64url(mac)`. */
export function issueRenderToken(input: IssueRenderTokenInput): string {
  if (!input.secret) throw new EngineError('invalid_config', 'render token secret is empty');
  const nonce = Buffer.from(input.nonce ?? randomBytes(12).toString('base64url'), 'utf8');
  const formKey = Buffer.from(input.formKey, 'utf8');
  if (nonce.length === 0 || nonce.length > MAX_NONCE_BYTES)
    throw new EngineError('invalid_lead', `render token nonce must be 1-${MAX_NONCE_BYTES} bytes`);
  if (formKey.length === 0 || formKey.length > MAX_FORM_KEY_BYTES)
    throw new EngineError('invalid_lead', `form key must be 1-${MAX_FORM_KEY_BYTES} bytes`);
  if (!Number.isSafeInteger(input.now) || input.now < 0 || input.now >= 2 ** 48)
    throw new EngineError('invalid_lead', 'render token time must be a non-negative integer of milliseconds');
  const payload = Buffer.alloc(8 + nonce.length + formKey.length);
  payload.writeUInt8(VERSION, 0);
  payload.writeUIntBE(input.now, 1, 6);
  payload.writeUInt8(nonce.length, 7);
  nonce.copy(payload, 8);
  formKey.copy(payload, 8 + nonce.length);
  return `${payload.toString('base64url')}.${sign(input.secret, payload).toString('base64url')}`;
}

/** The token a lead carries, as both its readers take it: surrounding whitespace left out, '' when there is none. */
export function submittedRenderToken(token: unknown): string {
  return typeof token === 'string' ? token.trim() : '';
}

/** Never throws: anything that is not a well-formed token signed with `secret` says so in its status. */
export function readRenderToken(token: unknown, secret: string): RenderTokenReading {
  if (typeof token !== 'string' || token.length > renderTokenMaxLength) return { status: 'malformed' };
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { status: 'malformed' };
  const payloadText = token.slice(0, dot);
  const macText = token.slice(dot + 1);
  if (!BASE64URL.test(payloadText) || !BASE64URL.test(macText)) return { status: 'malformed' };
  const payload = payloadScratch;
  const length = payload.write(payloadText, 'base64url');
  const macLength = givenScratch.write(macText, 'base64url');
  if (length < 9 || macLength !== MAC_BYTES) return { status: 'malformed' };
  if (!secret || !isSignedBy(secret, length)) return { status: 'forged' };
  const nonceLength = payload.readUInt8(7);
  if (payload.readUInt8(0) !== VERSION || nonceLength === 0 || length <= 8 + nonceLength)
    return { status: 'malformed' };
  return {
    status: 'valid',
    issuedAt: payload.readUIntBE(1, 6),
    // toString with bounds decodes in place; subarray would build a Buffer object for each.
    nonce: payload.toString('utf8', 8, 8 + nonceLength),
    formKey: payload.toString('utf8', 8 + nonceLength, length),
  };
}
