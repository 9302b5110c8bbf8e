import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTokenSecret } from '../../src/config/keys.ts';
import { readRenderToken } from '../../src/engine/render-token.ts';
import { createRenderTokenIssuer } from '../../src/http/render-tokens.ts';
import type { PublicForm } from '../../src/http/services-port.ts';
import type { MemoryServices } from './support/memory-services.ts';
import { buildTestApp } from './support/test-app.ts';

let app: FastifyInstance;
let services: MemoryServices;
let form: PublicForm;
let secretKey: string;

beforeAll(async () => {
  ({ app, services, secretKey } = await buildTestApp());
  form = services.addForm(services.addAccount('Dealer'), { honeypotField: 'lg_extra_notes' });
});
afterAll(() => app.close());

describe('GET /embed.js', () => {
  it('serves a cacheable script that other sites may load', async () => {
    const response = await app.inject({ method: 'GET', url: '/embed.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(response.headers['cache-control']).toMatch(/public, max-age=\d+/);
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const again = await app.inject({
      method: 'GET',
      url: '/embed.js',
      headers: { 'if-none-match': String(response.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('finds the form, fetches a token and adds a honeypot people and autofill leave alone', async () => {
    const script = (await app.inject({ method: 'GET', url: '/embed.js' })).body;
    expect(script).toContain('form[data-leadguard-form]');
    expect(script).toContain("/token'");
    expect(script).toContain("'aria-hidden', 'true'");
    expect(script).toContain('input.tabIndex = -1');
    expect(script).toContain("'autocomplete', 'off'");
    expect(script).toContain('data-lpignore');
    expect(script).toContain('lg_page_url');
    expect(script).toContain('lg_referrer');
    expect(script).toContain("method: 'POST'");
    // Falls back to a normal post when fetch fails.
    expect(script).toContain('HTMLFormElement.prototype.submit.call(form)');
    expect(() => new Function(script)).not.toThrow();
  });
});

describe('GET /api/v1/forms/:formKey/token', () => {
  it('issues a fresh token, never cached, with the form’s honeypot field name', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/forms/${form.formKey}/token`,
      headers: { origin: 'https://dealer.example' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['access-control-allow-origin']).toBe('https://dealer.example');
    const body = response.json();
    expect(body.honeypotField).toBe('lg_extra_notes');
    const reading = readRenderToken(body.token, renderTokenSecret(secretKey));
    expect(reading).toMatchObject({ status: 'valid', formKey: form.formKey });
    const second = (await app.inject({ method: 'GET', url: `/api/v1/forms/${form.formKey}/token` })).json();
    expect(second.token).not.toBe(body.token);
  });

  it('answers 404 for an unknown form and 400 for a malformed key', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/forms/unknown/token' })).statusCode).toBe(404);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/forms/bad%20key%3C/token' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
  });
});

describe('GET /health and the OpenAPI document', () => {
  it('reports the database, and Redis as not configured while the in-process counter is in use', async () => {
    const ok = await app.inject({ method: 'GET', url: '/health' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ok', database: 'ok', redis: 'not_configured' });
    services.databaseUp = false;
    try {
      const down = await app.inject({ method: 'GET', url: '/health' });
      expect(down.statusCode).toBe(503);
      expect(down.json().database).toBe('down');
    } finally {
      services.databaseUp = true;
    }
  });

  it('describes the API at /api/v1/openapi.json', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/forms/{formKey}/submissions',
        '/api/v1/accounts/{accountId}/leads',
        '/1.1/comment-check',
        '/api/v1/session',
      ]),
    );
    // Admin routes say they need a session or an API key; public ones do not.
    expect(doc.paths['/api/v1/accounts/{accountId}/leads'].get.security).toEqual([
      { apiKey: [] },
      { session: [] },
    ]);
    expect(doc.paths['/api/v1/forms/{formKey}/submissions'].post.security).toBeUndefined();
  });

  it('answers unknown paths with a JSON 404', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});

describe('what the embed script sends', () => {
  const submit = (payload: Record<string, string>) =>
    app.inject({ method: 'POST', url: `/api/v1/forms/${form.formKey}/submissions`, payload });

  it('passes a lead with a valid token and an empty honeypot without token or honeypot signals', async () => {
    // Issued ten seconds ago: a person took time to fill the form.
    const token = createRenderTokenIssuer(secretKey)(form.formKey, Date.now() - 10_000);
    await submit({
      email: 'ann@example.com',
      message: 'Is it available?',
      lg_render_token: token,
      lg_extra_notes: '',
      lg_page_url: 'https://dealer.example/cars/1',
    });
    const stored = services.leads.at(-1);
    expect(stored?.status).toBe('active');
    expect(stored?.signals).not.toContain('render_token');
    expect(stored?.signals).not.toContain('honeypot');
    expect(stored?.lead.pageUrl).toBe('https://dealer.example/cars/1');
  });

  it('quarantines a lead whose honeypot was filled, and flags a forged token', async () => {
    const token = createRenderTokenIssuer('another-secret-of-at-least-32-characters')(
      form.formKey,
      Date.now() - 10_000,
    );
    await submit({
      email: 'bot@example.com',
      message: 'hi',
      lg_render_token: token,
      lg_extra_notes: 'http://spam.example',
    });
    const stored = services.leads.at(-1);
    expect(stored?.status).toBe('quarantined');
    expect(stored?.signals).toEqual(expect.arrayContaining(['honeypot', 'render_token']));
  });
});
