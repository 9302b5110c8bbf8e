import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicForm } from '../../src/http/services-port.ts';
import type { MemoryServices } from './support/memory-services.ts';
import { buildTestApp } from './support/test-app.ts';

let app: FastifyInstance;
let services: MemoryServices;
let form: PublicForm;
let accountId: string;
const url = () => `/api/v1/forms/${form.formKey}/submissions`;

beforeAll(async () => {
  ({ app, services } = await buildTestApp());
  accountId = services.addAccount('Dealer');
  form = services.addForm(accountId);
});
afterAll(() => app.close());

const stable = (headers: Record<string, unknown>) => {
  const { date: _date, ...rest } = headers;
  return rest;
};

describe('POST /api/v1/forms/:formKey/submissions', () => {
  it('stores a JSON lead before answering 202 {"ok":true}', async () => {
    const before = services.leads.length;
    const response = await app.inject({
      method: 'POST',
      url: url(),
      payload: { name: 'Ann Lee', email: 'ann@example.com', message: 'Is the blue one still available?' },
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ ok: true });
    expect(services.leads).toHaveLength(before + 1);
    const stored = services.leads.at(-1);
    expect(stored?.lead).toMatchObject({
      channel: 'form',
      name: 'Ann Lee',
      email: 'ann@example.com',
      ip: '127.0.0.1',
    });
  });

  it('answers spam and ham exactly the same way', async () => {
    const ham = await app.inject({
      method: 'POST',
      url: url(),
      payload: { email: 'ann@example.com', message: 'Test drive on Friday?' },
    });
    const spam = await app.inject({
      method: 'POST',
      url: url(),
      payload: { email: 'bot@example.com', message: 'best casino bonus', lg_extra_notes: 'filled' },
    });
    expect(services.leads.at(-1)?.status).toBe('quarantined');
    expect(services.leads.at(-2)?.status).toBe('active');
    expect(spam.statusCode).toBe(ham.statusCode);
    expect(spam.body).toBe(ham.body);
    expect(stable(spam.headers)).toEqual(stable(ham.headers));
  });

  it('redirects a plain HTML form post to the thank-you page with 303', async () => {
    const response = await app.inject({
      method: 'POST',
      url: url(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html,application/xhtml+xml',
        'sec-fetch-mode': 'navigate',
      },
      payload: 'first_name=Ann&last_name=Lee&email=ann%40example.com&message=Call+me',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('https://dealer.example/thanks');
    expect(services.leads.at(-1)?.lead.name).toBe('Ann Lee');
  });

  it('answers a fetch of a url-encoded body with 202 JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: url(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: '*/*',
        'sec-fetch-mode': 'cors',
      },
      payload: 'email=ann%40example.com&vehicle=Corolla&vehicle=Camry',
    });
    expect(response.statusCode).toBe(202);
    expect(services.leads.at(-1)?.lead.fields).toEqual({ vehicle: ['Corolla', 'Camry'] });
  });

  it('reads multipart fields and refuses files', async () => {
    const boundary = 'leadguardboundary';
    const part = (name: string, value: string, extra = '') =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n\r\n${value}\r\n`;
    const fields = await app.inject({
      method: 'POST',
      url: url(),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `${part('email', 'ann@example.com')}${part('message', 'Hello')}--${boundary}--\r\n`,
    });
    expect(fields.statusCode).toBe(202);
    expect(services.leads.at(-1)?.lead).toMatchObject({ email: 'ann@example.com', message: 'Hello' });

    const before = services.leads.length;
    const file = await app.inject({
      method: 'POST',
      url: url(),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `${part('email', 'ann@example.com')}${part('cv', 'binary', '; filename="cv.pdf"\r\nContent-Type: application/pdf')}--${boundary}--\r\n`,
    });
    expect(file.statusCode).toBe(415);
    expect(file.json().error.code).toBe('files_not_accepted');
    expect(services.leads).toHaveLength(before);
  });

  it('sends CORS headers only to the form’s own site domains', async () => {
    const own = await app.inject({
      method: 'POST',
      url: url(),
      headers: { origin: 'https://www.dealer.example' },
      payload: { email: 'a@example.com' },
    });
    expect(own.headers['access-control-allow-origin']).toBe('https://www.dealer.example');
    const other = await app.inject({
      method: 'POST',
      url: url(),
      headers: { origin: 'https://evil.example' },
      payload: { email: 'a@example.com' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: url(),
      headers: {
        origin: 'https://dealer.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://dealer.example');
    const notDealer = await app.inject({
      method: 'OPTIONS',
      url: url(),
      headers: { origin: 'https://dealer.example.evil.test', 'access-control-request-method': 'POST' },
    });
    expect(notDealer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 404 with a hint for an unknown form key', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/forms/nosuchform/submissions',
      payload: { email: 'a@example.com' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('form_not_found');
  });

  it('says nothing internal when storing fails', async () => {
    services.databaseUp = false;
    try {
      const response = await app.inject({ method: 'POST', url: url(), payload: { email: 'a@example.com' } });
      expect(response.statusCode).toBe(500);
      expect(response.json().error.code).toBe('internal');
      expect(response.body).not.toMatch(/database/);
    } finally {
      services.databaseUp = true;
    }
  });
});

describe('per-IP frequency', () => {
  it('hands the engine the count of leads from this IP to this account, the 301st included', async () => {
    const own = await buildTestApp();
    try {
      const flooded = own.services.addForm(own.services.addAccount('Flooded'));
      const other = own.services.addForm(own.services.addAccount('Other'));
      const post = (key: string, ip: string) =>
        own.app.inject({
          method: 'POST',
          url: `/api/v1/forms/${key}/submissions`,
          remoteAddress: ip,
          payload: { email: 'a@example.com' },
        });
      for (let i = 0; i < 300; i += 1) await post(flooded.formKey, '192.0.2.1');
      expect(own.services.leads.at(-1)?.ipCount).toBe(300);
      expect(own.services.leads.at(-1)?.signals).not.toContain('frequency');
      await post(flooded.formKey, '192.0.2.1');
      expect(own.services.leads.at(-1)?.ipCount).toBe(301);
      expect(own.services.leads.at(-1)?.signals).toContain('frequency');
      await post(flooded.formKey, '192.0.2.2');
      expect(own.services.leads.at(-1)?.ipCount).toBe(1);
      await post(other.formKey, '192.0.2.1');
      expect(own.services.leads.at(-1)?.ipCount).toBe(1);
    } finally {
      await own.app.close();
    }
  });
});

describe('client IP', () => {
  it('ignores X-Forwarded-For unless a trusted proxy header is configured', async () => {
    await app.inject({
      method: 'POST',
      url: url(),
      headers: { 'x-forwarded-for': '203.0.113.9' },
      payload: { email: 'a@example.com' },
    });
    expect(services.leads.at(-1)?.lead.ip).toBe('127.0.0.1');

    const behindProxy = await buildTestApp({ env: { TRUSTED_PROXY: 'x-forwarded-for' } });
    try {
      const proxied = behindProxy.services.addForm(behindProxy.services.addAccount('B'));
      await behindProxy.app.inject({
        method: 'POST',
        url: `/api/v1/forms/${proxied.formKey}/submissions`,
        headers: { 'x-forwarded-for': '198.51.100.7, 203.0.113.9' },
        payload: { email: 'a@example.com' },
      });
      // The client may prepend anything; the proxy's own entry is the last one.
      expect(behindProxy.services.leads.at(-1)?.lead.ip).toBe('203.0.113.9');
    } finally {
      await behindProxy.app.close();
    }
  });

  it('reads X-Forwarded-For only from a proxy address in the trusted CIDR', async () => {
    const trusted = await buildTestApp({ env: { TRUSTED_PROXY: '10.0.0.0/8' } });
    try {
      const proxied = trusted.services.addForm(trusted.services.addAccount('C'));
      const post = (remoteAddress: string) =>
        trusted.app.inject({
          method: 'POST',
          url: `/api/v1/forms/${proxied.formKey}/submissions`,
          remoteAddress,
          headers: { 'x-forwarded-for': '203.0.113.9' },
          payload: { email: 'a@example.com' },
        });
      await post('10.1.2.3');
      expect(trusted.services.leads.at(-1)?.lead.ip).toBe('203.0.113.9');
      await post('192.0.2.77');
      expect(trusted.services.leads.at(-1)?.lead.ip).toBe('192.0.2.77');
    } finally {
      await trusted.app.close();
    }
  });
});
