// Spam-link tokens: valid, expired, tampered and malformed tokens each read as such.
import { describe, expect, it } from 'vitest';
import { buildSpamLinkUrl, createSpamLinkToken, readSpamLinkToken } from './email-link.ts';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
const now = Date.parse('2026-11-23T12:00:00Z');
const base = { secret, accountId: 'acc-1', leadId: 'lead-42', recipient: 'Sales@Dealer.example', now };

describe('spam link tokens', () => {
  it('reads back the lead, account, recipient and nonce of a fresh token', () => {
    const token = createSpamLinkToken({ ...base, nonce: 'nonce-0123456789abcdef' });
    expect(readSpamLinkToken(token, { secret, now: now + 1000 })).toEqual({
      status: 'valid',
      accountId: 'acc-1',
      leadId: 'lead-42',
      recipient: 'sales@dealer.example',
      nonce: 'nonce-0123456789abcdef',
      expiresAt: now + 14 * 24 * 3600 * 1000,
    });
  });

  it('gives every token its own random nonce', () => {
    const a = readSpamLinkToken(createSpamLinkToken(base), { secret, now });
    const b = readSpamLinkToken(createSpamLinkToken(base), { secret, now });
    expect(a.status).toBe('valid');
    expect(b.status).toBe('valid');
    if (a.status === 'valid' && b.status === 'valid') expect(a.nonce).not.toBe(b.nonce);
  });

  it('reports an expired token as expired, still naming its lead', () => {
    const token = createSpamLinkToken({ ...base, ttlMs: 60_000 });
    const result = readSpamLinkToken(token, { secret, now: now + 60_000 });
    expect(result.status).toBe('expired');
    if (result.status === 'expired') expect(result.leadId).toBe('lead-42');
  });

  it('reports a token whose payload was changed to another lead as tampered', () => {
    const token = createSpamLinkToken(base);
    const [payload, mac] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, l: 'lead-43' })).toString('base64url');
    expect(readSpamLinkToken(`${forged}.${mac}`, { secret, now })).toEqual({ status: 'tampered' });
  });

  it('reports a token signed with another secret as tampered', () => {
    const token = createSpamLinkToken({ ...base, secret: 'another-secret-another-secret-1234567' });
    expect(readSpamLinkToken(token, { secret, now })).toEqual({ status: 'tampered' });
  });

  it('reports a truncated signature as tampered', () => {
    const token = createSpamLinkToken(base);
    expect(readSpamLinkToken(token.slice(0, -3), { secret, now })).toEqual({ status: 'tampered' });
  });

  it.each([undefined, 42, '', 'no-dot', 'a.b.c', 'bad chars!.sig', 'x'.repeat(3000)])(
    'reports %s as malformed',
    (token) => {
      expect(readSpamLinkToken(token, { secret, now })).toEqual({ status: 'malformed' });
    },
  );

  it('puts the token on the confirmation page URL', () => {
    const url = new URL(buildSpamLinkUrl('https://leads.example.com/base/', 'abc.def'));
    expect(url.pathname).toBe('/base/email/spam');
    expect(url.searchParams.get('token')).toBe('abc.def');
  });
});
