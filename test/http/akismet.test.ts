import dns from 'node:dns';
import type { AddressInfo } from 'node:net';
import { AkismetClient } from 'akismet-api';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { akismetThanks } from '../../src/http/routes/akismet.ts';
import type { MemoryServices } from './support/memory-services.ts';
import { buildTestApp } from './support/test-app.ts';

let app: FastifyInstance;
let services: MemoryServices;
let port: number;
let key: string;
const originalLookup = dns.lookup;

// The client sends the key as the first host label (KEY.host); names under .localhost must reach loopback.
function patchLocalhostLookup(): void {
  const patched = ((hostname: string, options: unknown, callback: unknown) => {
    const done = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
    const opts = (typeof options === 'object' && options !== null ? options : {}) as { all?: boolean };
    if (hostname.endsWith('.localhost')) {
      if (opts.all) done(null, [{ address: '127.0.0.1', family: 4 }]);
      else done(null, '127.0.0.1', 4);
      return;
    }
    return (originalLookup as (...args: unknown[]) => void)(hostname, options, callback);
  }) as typeof dns.lookup;
  dns.lookup = patched;
}

function client(apiKey: string): AkismetClient {
  return new AkismetClient({
    key: apiKey,
    blog: 'https://dealer.example',
    host: `localhost:${port}`,
    protocol: 'http',
  });
}

beforeAll(async () => {
  patchLocalhostLookup();
  ({ app, services } = await buildTestApp());
  key = services.addApiKey(services.addAccount('Blog'), 'contact_admin');
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  dns.lookup = originalLookup;
  await app.close();
});

describe('Akismet-compatible API with the akismet-api client', () => {
  it('verifies a valid key and rejects an unknown one', async () => {
    expect(await client(key).verifyKey()).toBe(true);
    expect(await client('lg_unknown').verifyKey()).toBe(false);
  });

  it('answers false for a normal comment and true for spam, storing both', async () => {
    const before = services.leads.length;
    expect(
      await client(key).checkSpam({
        user_ip: '198.51.100.4',
        name: 'Ann',
        email: 'ann@example.com',
        content: 'Great article, thanks.',
      }),
    ).toBe(false);
    expect(
      await client(key).checkSpam({ user_ip: '198.51.100.5', content: 'casino bonus', honeypot: '' }),
    ).toBe(true);
    expect(services.leads).toHaveLength(before + 2);
    expect(services.leads.at(-2)?.lead).toMatchObject({
      channel: 'akismet',
      name: 'Ann',
      email: 'ann@example.com',
      ip: '198.51.100.4',
    });
  });

  it('reads the honeypot the client sends', async () => {
    expect(
      await client(key).checkSpam({ user_ip: '198.51.100.6', content: 'Hello', honeypot: 'i am a bot' }),
    ).toBe(true);
    expect(services.leads.at(-1)?.lead.honeypot).toBe('i am a bot');
  });

  it('throws the client’s invalid-key error for an unknown key', async () => {
    await expect(client('lg_unknown').checkSpam({ user_ip: '198.51.100.4', content: 'hi' })).rejects.toThrow(
      'Invalid API key',
    );
  });

  it('explains a missing user_ip in X-akismet-debug-help', async () => {
    await expect(client(key).checkSpam({ content: 'hi' } as never)).rejects.toThrow(/user_ip/);
  });

  it('records submit-spam and submit-ham as training marks', async () => {
    await client(key).submitSpam({ user_ip: '198.51.100.4', content: 'missed spam' });
    await client(key).submitHam({ user_ip: '198.51.100.4', content: 'false positive' });
    expect(services.marks.slice(-2).map((mark) => mark.label)).toEqual(['spam', 'ham']);
  });
});

describe('Akismet-compatible API on the wire', () => {
  const post = (path: string, fields: Record<string, string>, host = `127.0.0.1:${port}`) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', host },
      body: new URLSearchParams(fields).toString(),
    });

  it('accepts the key as api_key field and returns X-akismet-guid', async () => {
    const response = await post('/1.1/comment-check', {
      api_key: key,
      blog: 'https://dealer.example',
      user_ip: '198.51.100.4',
      comment_content: 'hello',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('false');
    expect(response.headers.get('x-akismet-guid')).toBe(services.leads.at(-1)?.id);
  });

  it('passes the guid of a checked comment to submit-spam and thanks the caller', async () => {
    const check = await post('/1.1/comment-check', {
      key,
      user_ip: '198.51.100.4',
      comment_content: 'hello again',
    });
    const guid = check.headers.get('x-akismet-guid') ?? '';
    const report = await post('/1.1/submit-spam', {
      key,
      guid,
      user_ip: '198.51.100.4',
      comment_content: 'hello again',
    });
    expect(await report.text()).toBe(akismetThanks);
    expect(services.marks.at(-1)).toEqual({ label: 'spam', guid });
  });

  it('answers invalid with a debug header when no key is given', async () => {
    const response = await post('/1.1/comment-check', { user_ip: '198.51.100.4' });
    expect(await response.text()).toBe('invalid');
    expect(response.headers.get('x-akismet-debug-help')).toMatch(/API key/);
  });

  it('answers bad input in plain text with a 4xx and a debug header, never JSON or 5xx', async () => {
    const json = await fetch(`http://127.0.0.1:${port}/1.1/comment-check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"key":',
    });
    expect(json.status).toBe(400);
    expect(json.headers.get('x-akismet-debug-help')).toBeTruthy();
    const huge = await post('/1.1/comment-check', {
      key,
      user_ip: '1.2.3.4',
      comment_content: 'x'.repeat(300 * 1024),
    });
    expect(huge.status).toBe(413);
  });
});
