// Webhooks and CRM posts to real HTTP receivers on loopback: signatures, timeouts, size caps and the URL guard.
import { afterEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { postAdf } from '../../src/integrations/adf.ts';
import { buildWebhookPayload, generateWebhookSecret, sendWebhook } from '../../src/integrations/webhooks.ts';
import { answer, startHttpReceiver } from './support/http-receiver.ts';
import type { HttpReceiver } from './support/http-receiver.ts';

const allowLoopback = { allowPrivate: true };
const receivers: HttpReceiver[] = [];

async function receiver(...args: Parameters<typeof startHttpReceiver>): Promise<HttpReceiver> {
  const started = await startHttpReceiver(...args);
  receivers.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const payload = buildWebhookPayload(
  'lead.created',
  { leadId: 'lead-1', formName: 'Contact' },
  new Date('2026-11-23T12:00:00Z'),
);

describe('sendWebhook', () => {
  it('posts a body the receiver verifies with standardwebhooks', async () => {
    const hook = await receiver(answer(204));
    const secret = generateWebhookSecret();
    const attempt = await sendWebhook({
      url: `${hook.url}/hooks`,
      secret,
      messageId: 'msg_delivery-1',
      payload,
      sentAt: new Date(),
      guard: allowLoopback,
    });
    expect(attempt).toMatchObject({ ok: true, status: 204, error: undefined });
    const [request] = hook.requests;
    if (!request) throw new Error('nothing received');
    expect(request.headers['webhook-id']).toBe('msg_delivery-1');
    expect(request.headers['content-type']).toBe('application/json');
    expect(new Webhook(secret).verify(request.body, request.headers)).toEqual(payload);
    expect(() => new Webhook(generateWebhookSecret()).verify(request.body, request.headers)).toThrow();
    expect(() =>
      new Webhook(secret).verify(request.body.replace('lead-1', 'lead-2'), request.headers),
    ).toThrow();
  });

  it('keeps the same webhook-id across retries so receivers can drop repeats', async () => {
    const hook = await receiver((_r, index, res) =>
      answer(index === 0 ? 500 : 200, index === 0 ? 'boom' : 'ok')(_r, index, res),
    );
    const secret = generateWebhookSecret();
    const first = await sendWebhook({
      url: hook.url,
      secret,
      messageId: 'msg_d2',
      payload,
      sentAt: new Date(),
      guard: allowLoopback,
    });
    const second = await sendWebhook({
      url: hook.url,
      secret,
      messageId: 'msg_d2',
      payload,
      sentAt: new Date(),
      guard: allowLoopback,
    });
    expect(first).toMatchObject({ ok: false, status: 500, snippet: 'boom', retryable: true });
    expect(second).toMatchObject({ ok: true, status: 200 });
    expect(hook.requests.map((r) => r.headers['webhook-id'])).toEqual(['msg_d2', 'msg_d2']);
  });

  it('gives up on a receiver that does not answer in time, as a retryable timeout', async () => {
    const hook = await receiver(() => undefined);
    const attempt = await sendWebhook({
      url: hook.url,
      secret: generateWebhookSecret(),
      messageId: 'msg_t',
      payload,
      sentAt: new Date(),
      timeoutMs: 200,
      guard: allowLoopback,
    });
    expect(attempt).toMatchObject({ ok: false, status: undefined, error: 'timeout', retryable: true });
    expect(hook.requests).toHaveLength(1);
  });

  it('stops reading a huge response at the cap and keeps a short snippet', async () => {
    const hook = await receiver((_r, _i, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 200 && res.write(chunk)) sent += 1;
        if (sent < 200) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    const attempt = await sendWebhook({
      url: hook.url,
      secret: generateWebhookSecret(),
      messageId: 'msg_big',
      payload,
      sentAt: new Date(),
      maxResponseBytes: 1024,
      guard: allowLoopback,
    });
    expect(attempt.ok).toBe(true);
    expect(attempt.snippet.length).toBeLessThanOrEqual(501);
  });

  it('refuses a loopback URL unless private addresses are allowed, sending nothing', async () => {
    const hook = await receiver();
    const attempt = await sendWebhook({
      url: hook.url,
      secret: generateWebhookSecret(),
      messageId: 'msg_g',
      payload,
      sentAt: new Date(),
    });
    expect(attempt).toMatchObject({ ok: false, error: 'blocked_url', retryable: false });
    expect(hook.requests).toHaveLength(0);
  });

  it('refuses at connection time a name that resolves to loopback', async () => {
    const hook = await receiver();
    const url = hook.url.replace('127.0.0.1', 'localhost');
    const attempt = await sendWebhook({
      url,
      secret: generateWebhookSecret(),
      messageId: 'msg_n',
      payload,
      sentAt: new Date(),
    });
    expect(attempt).toMatchObject({ ok: false, error: 'blocked_url', retryable: false });
    expect(hook.requests).toHaveLength(0);
  });

  it('reports a refused connection as a retryable network error', async () => {
    const hook = await receiver();
    const url = hook.url;
    await hook.close();
    receivers.splice(0);
    const attempt = await sendWebhook({
      url,
      secret: generateWebhookSecret(),
      messageId: 'msg_c',
      payload,
      sentAt: new Date(),
      guard: allowLoopback,
    });
    expect(attempt).toMatchObject({ ok: false, error: 'network', retryable: true });
  });

  it('reports an unusable secret without sending', async () => {
    const hook = await receiver();
    const attempt = await sendWebhook({
      url: hook.url,
      secret: '',
      messageId: 'msg_s',
      payload,
      sentAt: new Date(),
      guard: allowLoopback,
    });
    expect(attempt).toMatchObject({ ok: false, error: 'invalid_request', retryable: false });
    expect(hook.requests).toHaveLength(0);
  });

  it('does not follow a redirect, which could lead past the guard', async () => {
    const inner = await receiver();
    const hook = await receiver((_r, _i, res) => {
      res.writeHead(302, { location: `${inner.url}/elsewhere` });
      res.end();
    });
    const attempt = await sendWebhook({
      url: hook.url,
      secret: generateWebhookSecret(),
      messageId: 'msg_r',
      payload,
      sentAt: new Date(),
      guard: allowLoopback,
    });
    expect(attempt).toMatchObject({ ok: false, status: 302, retryable: true });
    expect(inner.requests).toHaveLength(0);
  });
});

describe('postAdf', () => {
  it('posts the document as XML with the idempotency key', async () => {
    const crm = await receiver(answer(201, 'accepted'));
    const xml = '<?xml version="1.0"?>\n<?adf version="1.0"?>\n<adf></adf>\n';
    const attempt = await postAdf({
      url: `${crm.url}/adf`,
      xml,
      idempotencyKey: 'delivery-9',
      guard: allowLoopback,
    });
    expect(attempt).toMatchObject({ ok: true, status: 201, snippet: 'accepted' });
    expect(crm.requests[0]).toMatchObject({ method: 'POST', path: '/adf', body: xml });
    expect(crm.requests[0]?.headers['content-type']).toBe('application/xml');
    expect(crm.requests[0]?.headers['idempotency-key']).toBe('delivery-9');
  });
});
