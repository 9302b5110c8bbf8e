// The "Mark as spam" link in notification emails: a signed, expiring token bound to one lead and one recipient, with a nonce for one-time use.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export interface SpamLinkClaims {
  readonly accountId: string;
  readonly leadId: string;
  /** The notification recipient the link was mailed to, lower-cased. */
  readonly recipient: string;
  /** Random; the caller stores it when the link is used and refuses it the second time. */
  readonly nonce: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

export type SpamLinkResult =
  | ({ readonly status: 'valid' } & SpamLinkClaims)
  | ({ readonly status: 'expired' } & SpamLinkClaims)
  | { readonly status: 'tampered' }
  | { readonly status: 'malformed' };

export const spamLinkDefaults = { ttlMs: 14 * 24 * 3600 * 1000, maxTokenChars: 2048 } as const;

const claimsSchema = z.object({
  v: z.literal(1),
  a: z.string().min(1).max(200),
  l: z.string().min(1).max(200),
  r: z.string().min(1).max(320),
  n: z.string().min(16).max(64),
  e: z.number().int().positive(),
});

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A purpose-bound key, so the instance secret that signs sessions never signs a spam link directly. */
function linkKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('leadguard:spam-link:v1').digest();
}

function sign(secret: string, payload: string): Buffer {
  return createHmac('sha256', linkKey(secret)).update(payload).digest();
}

export function createSpamLinkToken(input: {
  readonly secret: string;
  readonly accountId: string;
  readonly leadId: string;
  readonly recipient: string;
  readonly now: number;
  readonly ttlMs?: number;
  /** Tests pass a fixed nonce; otherwise 16 random bytes. */
  readonly nonce?: string;
}): string {
  const claims = {
    v: 1 as const,
    a: input.accountId,
    l: input.leadId,
    r: input.recipient.trim().toLowerCase(),
    n: input.nonce ?? randomBytes(16).toString('base64url'),
    e: input.now + (input.ttlMs ?? spamLinkDefaults.ttlMs),
  };
  const payload = Buffer.from(JSON.stringify(claimsSchema.parse(claims)), 'utf8').toString('base64url');
  return `${payload}.${sign(input.secret, payload).toString('base64url')}`;
}

/**
 * Reads a token from a link. The signature is checked before the payload is trusted, so a
 * tampered token reveals nothing; an expired one still names its lead so the page can say which.
 */
export function readSpamLinkToken(
  token: unknown,
  input: { readonly secret: string; readonly now: number },
): SpamLinkResult {
  if (typeof token !== 'string' || token.length === 0 || token.length > spamLinkDefaults.maxTokenChars)
    return { status: 'malformed' };
  const parts = token.split('.');
  const [payload, mac] = parts;
  if (parts.length !== 2 || !payload || !mac || !BASE64URL.test(payload) || !BASE64URL.test(mac))
    return { status: 'malformed' };
  const given = Buffer.from(mac, 'base64url');
  const expected = sign(input.secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 'tampered' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { status: 'malformed' };
  }
  const parsed = claimsSchema.safeParse(decoded);
  if (!parsed.success) return { status: 'malformed' };
  const claims: SpamLinkClaims = {
    accountId: parsed.data.a,
    leadId: parsed.data.l,
    recipient: parsed.data.r,
    nonce: parsed.data.n,
    expiresAt: parsed.data.e,
  };
  return input.now >= claims.expiresAt ? { status: 'expired', ...claims } : { status: 'valid', ...claims };
}

/** The confirmation page's URL for a token (the page, not the link, flags the lead: link scanners open links). */
export function buildSpamLinkUrl(publicUrl: string, token: string): string {
  // Relative to the public URL's path, so an instance served under a prefix keeps it.
  const url = new URL('email/spam', publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`);
  url.searchParams.set('token', token);
  return url.toString();
}
