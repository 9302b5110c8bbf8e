import { describe, expect, it } from 'vitest';
import { EngineError } from './errors.ts';
import { issueRenderToken, readRenderToken, renderTokenMaxLength } from './render-token.ts';

const secret = 'render-secret-for-tests';
const now = Date.parse('2026-11-23T12:00:00Z');

describe('render token', () => {
  it('reads back the form, the issue time and the nonce it was issued with', () => {
    const token = issueRenderToken({ secret, formKey: 'form_abc', now, nonce: 'n-1' });
    expect(readRenderToken(token, secret)).toEqual({
      status: 'valid',
      formKey: 'form_abc',
      issuedAt: now,
      nonce: 'n-1',
    });
  });

  it('is compact and URL-safe', () => {
    const token = issueRenderToken({ secret, formKey: 'form_abc', now });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(80);
  });

  it('gives each issue a different random nonce', () => {
    const a = readRenderToken(issueRenderToken({ secret, formKey: 'f', now }), secret);
    const b = readRenderToken(issueRenderToken({ secret, formKey: 'f', now }), secret);
    expect(a.status === 'valid' && b.status === 'valid' && a.nonce !== b.nonce).toBe(true);
  });

  it('calls a token signed with another secret forged', () => {
    const token = issueRenderToken({ secret: 'other', formKey: 'form_abc', now });
    expect(readRenderToken(token, secret)).toEqual({ status: 'forged' });
  });

  it('calls a token with a changed payload forged', () => {
    const token = issueRenderToken({ secret, formKey: 'form_abc', now });
    const [payload, mac] = token.split('.') as [string, string];
    const bytes = Buffer.from(payload, 'base64url');
    bytes.writeUIntBE(now - 3_600_000, 1, 6);
    expect(readRenderToken(`${bytes.toString('base64url')}.${mac}`, secret)).toEqual({ status: 'forged' });
  });

  it('calls garbage, truncated and oversized tokens malformed without throwing', () => {
    const token = issueRenderToken({ secret, formKey: 'form_abc', now });
    for (const bad of [
      '',
      'abc',
      '.',
      'a.b.c',
      token.slice(0, -3),
      `${token}!`,
      'x'.repeat(renderTokenMaxLength + 1),
      42,
      null,
    ]) {
      expect(readRenderToken(bad, secret), String(bad)).toEqual({ status: 'malformed' });
    }
  });

  it('calls a MAC one byte short or long malformed, and a wrong MAC of the right length forged', () => {
    const token = issueRenderToken({ secret, formKey: 'form_abc', now });
    const [payload, mac] = token.split('.') as [string, string];
    const bytes = Buffer.from(mac, 'base64url');
    const withMac = (m: Buffer) => `${payload}.${m.toString('base64url')}`;
    expect(readRenderToken(withMac(bytes.subarray(0, 15)), secret)).toEqual({ status: 'malformed' });
    expect(readRenderToken(withMac(Buffer.concat([bytes, Buffer.from([0])])), secret)).toEqual({
      status: 'malformed',
    });
    expect(readRenderToken(withMac(Buffer.concat([bytes, bytes])), secret)).toEqual({ status: 'malformed' });
    const flipped = Buffer.from(bytes);
    flipped[15] = (flipped[15] as number) ^ 1;
    expect(readRenderToken(withMac(flipped), secret)).toEqual({ status: 'forged' });
    // Reading a bad token leaves nothing behind that could make the next one pass or fail.
    expect(readRenderToken(token, secret).status).toBe('valid');
  });

  it('refuses to issue without a secret or with an oversized form key', () => {
    expect(() => issueRenderToken({ secret: '', formKey: 'f', now })).toThrow(EngineError);
    expect(() => issueRenderToken({ secret, formKey: 'f'.repeat(201), now })).toThrow(EngineError);
    expect(() => issueRenderToken({ secret, formKey: 'f', now: Number.NaN })).toThrow(EngineError);
  });
});
