import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../support/services.ts';
import { startRealServer } from './support/real-server.ts';
import type { RealServer, SeededTenant } from './support/real-server.ts';

const postgresUp = await hasPostgres();

function postLikeABrowser(
  url: string,
  body: string,
): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html,application/xhtml+xml',
          'sec-fetch-mode': 'navigate',
        },
      },
      (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, location: response.headers.location });
      },
    );
    sent.once('error', reject);
    sent.end(body);
  });
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(`the server over real storage [${kind}]`, () => {
    let real: RealServer;
    let dealer: SeededTenant;
    let other: SeededTenant;
    let base: string;
    let cookie = '';
    let csrf = '';

    async function call(method: string, path: string, body?: unknown): Promise<Response> {
      const headers: Record<string, string> = { cookie, 'x-csrf-token': csrf };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const set = response.headers.getSetCookie().find((item) => item.startsWith('leadguard_session='));
      if (set) cookie = set.split(';')[0] ?? '';
      return response;
    }

    beforeAll(async () => {
      real = await startRealServer(kind);
      base = real.server.url;
      dealer = await real.seedTenant('Dealer');
      other = await real.seedTenant('Other');
      csrf = (await (await call('GET', '/api/v1/session')).json()).csrfToken;
      const login = await call('POST', '/api/v1/session', { email: dealer.email, password: dealer.password });
      expect(login.status).toBe(200);
      csrf = (await login.json()).csrfToken;
    });
    afterAll(() => real?.stop());

    it('stores a posted lead and shows it in the inbox', async () => {
      const posted = await fetch(`${base}/api/v1/forms/${dealer.formKey}/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Ann Lee',
          email: 'ann@example.com',
          message: 'Is the blue one available?',
        }),
      });
      expect(posted.status).toBe(202);
      const inbox = await (await call('GET', `/api/v1/accounts/${dealer.accountId}/leads?view=inbox`)).json();
      expect(inbox.items.map((item: { email: string }) => item.email)).toContain('ann@example.com');
    });

    it('quarantines a filled honeypot, counts it, and releases it into the inbox', async () => {
      const form = new URLSearchParams({
        email: 'bot@spam.example',
        message: 'hello',
        lg_extra_notes: 'http://spam.example',
      });
      // As a browser posts a form without script (fetch would announce itself as a CORS request).
      const posted = await postLikeABrowser(
        `${base}/api/v1/forms/${dealer.formKey}/submissions`,
        form.toString(),
      );
      expect(posted.status).toBe(303);
      expect(posted.location).toBe('https://dealer.example/thanks');
      const count = await (await call('GET', `/api/v1/accounts/${dealer.accountId}/quarantine/count`)).json();
      expect(count.count).toBe(1);
      const quarantine = await (
        await call('GET', `/api/v1/accounts/${dealer.accountId}/leads?view=quarantine`)
      ).json();
      const lead = quarantine.items[0] as { id: string; mainCheck: string };
      expect(lead.mainCheck).toBe('honeypot');
      const detail = await call('GET', `/api/v1/accounts/${dealer.accountId}/leads/${lead.id}`);
      expect(detail.status).toBe(200);
      expect(
        (await call('POST', `/api/v1/accounts/${dealer.accountId}/leads/${lead.id}/mark-not-spam`, {}))
          .status,
      ).toBe(200);
      const inbox = await (await call('GET', `/api/v1/accounts/${dealer.accountId}/leads?view=inbox`)).json();
      expect(inbox.items.map((item: { id: string }) => item.id)).toContain(lead.id);
    });

    it('never shows another tenant’s leads', async () => {
      await fetch(`${base}/api/v1/forms/${other.formKey}/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'theirs@example.com' }),
      });
      const theirs = await fetch(`${base}/api/v1/accounts/${other.accountId}/leads?view=inbox`, {
        headers: { authorization: `Bearer ${other.apiKey}` },
      });
      const id = ((await theirs.json()).items[0] as { id: string }).id;
      expect((await call('GET', `/api/v1/accounts/${other.accountId}/leads`)).status).toBe(404);
      expect((await call('GET', `/api/v1/accounts/${dealer.accountId}/leads/${id}`)).status).toBe(404);
      expect(
        (await call('POST', `/api/v1/accounts/${dealer.accountId}/leads/${id}/mark-spam`, {})).status,
      ).toBe(404);
    });

    it('answers Akismet clients from the real store', async () => {
      const form = (fields: Record<string, string>) => ({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ api_key: dealer.apiKey, blog: 'https://dealer.example', ...fields }),
      });
      expect(await (await fetch(`${base}/1.1/verify-key`, form({}))).text()).toBe('valid');
      const ham = await fetch(
        `${base}/1.1/comment-check`,
        form({ user_ip: '198.51.100.4', comment_author: 'Ann', comment_content: 'Nice post' }),
      );
      expect(await ham.text()).toBe('false');
      const guid = ham.headers.get('x-akismet-guid') ?? '';
      expect(guid).toMatch(/^[0-9a-f-]{36}$/);
      const spam = await fetch(
        `${base}/1.1/comment-check`,
        form({ user_ip: '198.51.100.5', comment_content: 'hi', honeypot_field_name: 'trap', trap: 'bot' }),
      );
      expect(await spam.text()).toBe('true');
      const report = await fetch(
        `${base}/1.1/submit-spam`,
        form({ guid, user_ip: '198.51.100.4', comment_content: 'Nice post' }),
      );
      expect(await report.text()).toBe('Thanks for making the web a better place.');
    });

    it('keeps rule editing to the right roles and validates on the server', async () => {
      const created = await call('POST', `/api/v1/accounts/${dealer.accountId}/rules`, {
        action: 'block',
        dimension: 'domain',
        value: 'Spam.Example',
      });
      expect(created.status).toBe(201);
      const duplicate = await call('POST', `/api/v1/accounts/${dealer.accountId}/keywords`, { phrase: '' });
      expect(duplicate.status).toBe(400);
      const member = await real.seedTenant('Members', 'member');
      const asMember = await fetch(`${base}/api/v1/accounts/${member.accountId}/leads`, {
        headers: { authorization: `Bearer ${member.apiKey}` },
      });
      expect(asMember.status).toBe(200);
    });
  });
}
