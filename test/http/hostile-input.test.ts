import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicForm } from '../../src/http/services-port.ts';
import type { MemoryServices } from './support/memory-services.ts';
import { buildTestApp } from './support/test-app.ts';

let app: FastifyInstance;
let services: MemoryServices;
let form: PublicForm;
const url = () => `/api/v1/forms/${form.formKey}/submissions`;

beforeAll(async () => {
  ({ app, services } = await buildTestApp());
  form = services.addForm(services.addAccount('Dealer'));
});
afterAll(() => app.close());

describe('hostile input on the intake', () => {
  it('refuses a 1 MB body with 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: url(),
      payload: { message: 'x'.repeat(1024 * 1024) },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('body_too_large');
  });

  it('refuses one over-long field with 413 naming it', async () => {
    const response = await app.inject({
      method: 'POST',
      url: url(),
      payload: { message: 'x'.repeat(20_000) },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toMatch(/"message"/);
  });

  it('refuses a content type it does not read with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: url(),
      headers: { 'content-type': 'text/xml' },
      payload: '<lead/>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
  });

  it('refuses malformed JSON, an array body and an empty body with 400', async () => {
    for (const payload of ['{"email": ', '[1,2]', '"text"']) {
      const response = await app.inject({
        method: 'POST',
        url: url(),
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode, payload).toBe(400);
    }
    const empty = await app.inject({
      method: 'POST',
      url: url(),
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.statusCode).toBe(400);
  });

  it('never lets __proto__ keys pollute objects', async () => {
    const response = await app.inject({
      method: 'POST',
      url: url(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '__proto__%5Bpolluted%5D=yes&constructor=x&email=a%40example.com',
    });
    expect(response.statusCode).toBeLessThan(500);
    const json = await app.inject({
      method: 'POST',
      url: url(),
      headers: { 'content-type': 'application/json' },
      payload: '{"email":"a@example.com","__proto__":{"polluted":"yes"}}',
    });
    expect(json.statusCode).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stores HTML, script, SQL-ish and unicode-trick text as given', async () => {
    const payload = {
      name: '<script>alert(1)</script>',
      message: "'; DROP TABLE activities; -- <img src=x onerror=alert(1)>",
      company: 'pay\u202Epal \u0000 \uD800',
    };
    const response = await app.inject({ method: 'POST', url: url(), payload });
    expect(response.statusCode).toBe(202);
    const stored = services.leads.at(-1)?.lead;
    expect(stored?.name).toBe(payload.name);
    expect(stored?.message).toBe(payload.message);
  });

  it('never answers 5xx to random bodies', async () => {
    const contentTypes = [
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
      '',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...contentTypes),
        fc.oneof(
          fc.string({ maxLength: 2000 }),
          fc.json({ maxDepth: 12 }),
          fc.jsonValue({ maxDepth: 12 }).map((value) => JSON.stringify(value)),
        ),
        async (contentType, payload) => {
          const before = services.leads.length;
          const response = await app.inject({
            method: 'POST',
            url: url(),
            headers: contentType ? { 'content-type': contentType } : {},
            payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
          });
          // A refusal stores nothing; an accepted lead is stored once.
          const stored = services.leads.length - before;
          return response.statusCode < 500 && stored === (response.statusCode === 202 ? 1 : 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never answers 5xx to deeply nested or wide JSON', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 2000; i += 1) deep = { a: deep };
    const nested = await app.inject({
      method: 'POST',
      url: url(),
      payload: JSON.stringify({ fields: deep }),
      headers: { 'content-type': 'application/json' },
    });
    expect(nested.statusCode).toBeGreaterThanOrEqual(400);
    expect(nested.statusCode).toBeLessThan(500);
    const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, 'v']));
    const many = await app.inject({ method: 'POST', url: url(), payload: wide });
    expect(many.statusCode).toBe(413);
    expect(many.json().error.code).toBe('too_many_fields');
  });
});

describe('hostile input on the other public endpoints', () => {
  const contentTypes = [
    'application/json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'multipart/form-data; boundary=x',
    '',
  ];
  const bodies = fc.oneof(
    fc.string({ maxLength: 2000 }),
    fc
      .dictionary(fc.string({ maxLength: 30 }), fc.string({ maxLength: 200 }))
      .map((fields) => new URLSearchParams(fields).toString()),
    fc.jsonValue({ maxDepth: 12 }).map((value) => JSON.stringify(value)),
  );

  it('never answers 5xx on the Akismet, session and token endpoints', async () => {
    const paths = [
      '/1.1/verify-key',
      '/1.1/comment-check',
      '/1.1/submit-spam',
      '/1.1/submit-ham',
      '/api/v1/session',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.constantFrom(...contentTypes),
        bodies,
        fc.string({ maxLength: 80 }),
        async (url, contentType, payload, host) => {
          const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
          if (/^[a-z0-9.-]+$/i.test(host)) headers.host = host;
          const before = services.leads.length;
          const response = await app.inject({ method: 'POST', url, headers, payload });
          // Without a valid key nothing gets through to be stored.
          return response.statusCode < 500 && services.leads.length === before;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never answers 5xx to odd form keys', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 300 }), async (key) => {
        const response = await app.inject({
          method: 'GET',
          url: `/api/v1/forms/${encodeURIComponent(key)}/token`,
        });
        return response.statusCode < 500;
      }),
      { numRuns: 200 },
    );
  });

  it('never reflects an encoded CRLF from the path or query into a response header', async () => {
    // The voice and email-link routes need the integration services: test/integrations covers them.
    const injected = '%0d%0aX-Injected:%20yes%0d%0aSet-Cookie:%20stolen=1';
    for (const path of [
      `/api/v1/forms/${injected}/token`,
      `/api/v1/forms/${injected}/submissions`,
      `/1.1/comment-check?blog=${injected}`,
    ]) {
      for (const method of ['GET', 'POST'] as const) {
        const response = await app.inject({ method, url: path });
        expect(response.statusCode, `${method} ${path}`).toBeLessThan(500);
        expect(response.headers['x-injected']).toBeUndefined();
        expect(String(response.headers['set-cookie'] ?? '')).not.toContain('stolen');
      }
    }
  });
});
