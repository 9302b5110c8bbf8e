import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './support/test-app.ts';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await buildTestApp());
});
afterAll(() => app.close());

describe('security headers', () => {
  it('sends a content security policy that does not force https on a plain-HTTP install', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it("sends every header of helmet's set, the same on every answer, errors included", async () => {
    const named = [
      'content-security-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'origin-agent-cluster',
      'referrer-policy',
      'strict-transport-security',
      'x-content-type-options',
      'x-dns-prefetch-control',
      'x-download-options',
      'x-frame-options',
      'x-permitted-cross-domain-policies',
      'x-xss-protection',
    ];
    const pick = (headers: Record<string, unknown>) =>
      Object.fromEntries(named.map((name) => [name, headers[name]]));
    const health = await app.inject({ method: 'GET', url: '/health' });
    const missing = await app.inject({ method: 'GET', url: '/no-such-page' });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/forms/x/submissions',
      payload: 'not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(missing.statusCode).toBe(404);
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    for (const value of Object.values(pick(health.headers))) expect(value).toEqual(expect.any(String));
    expect(health.headers['cross-origin-resource-policy']).toBe('same-site');
    expect(health.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(pick(missing.headers)).toEqual(pick(health.headers));
    expect(pick(bad.headers)).toEqual(pick(health.headers));
  });
});
