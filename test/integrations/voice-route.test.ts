// The voice webhook on the running server, signed by the twilio package: Reject for blocked, quarantined or unlisted callers, Dial otherwise.
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../support/services.ts';
import { startIntegrationServer } from './support/integration-server.ts';
import type { IntegrationServer, Tenant } from './support/integration-server.ts';

const postgresUp = await hasPostgres();
const publicUrl = 'https://voice.example.com';
const forwardingNumber = '+1 (415) 555-0199';
const DIAL = '<Dial>+14155550199</Dial>';
const REJECT = '<Reject reason="busy"/>';
const instanceToken = 'instance-twilio-token-0123456789';

interface Call {
  readonly status: number;
  readonly type: string | null;
  readonly body: string;
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(`voice webhook [${kind}]`, () => {
    let server: IntegrationServer;

    beforeAll(async () => {
      server = await startIntegrationServer(kind, {
        PUBLIC_URL: publicUrl,
        TWILIO_AUTH_TOKEN: instanceToken,
      });
    }, 60_000);

    afterAll(async () => {
      await server?.stop();
    });

    const settings = (tenant: Tenant, key: string, method: 'GET' | 'PUT', body?: unknown) =>
      fetch(`${server.url}/api/v1/accounts/${tenant.accountId}/voice`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    /** A tenant whose account has its own Twilio token and forwarding number, set through the API. */
    async function voiceTenant(name: string): Promise<Tenant & { authToken: string }> {
      const tenant = await server.seedTenant(name);
      const authToken = randomBytes(16).toString('hex');
      const response = await settings(tenant, tenant.keys.admin, 'PUT', {
        forwardingNumber,
        twilioAuthToken: authToken,
      });
      expect(response.status).toBe(200);
      return { ...tenant, authToken };
    }

    async function call(
      tenant: Tenant & { authToken: string },
      from: string,
      sign: { token?: string; url?: string; callSid?: string } = {},
    ): Promise<Call> {
      const path = `/api/v1/voice/${tenant.formKey}`;
      const params = {
        CallSid: sign.callSid ?? `CA${randomBytes(16).toString('hex')}`,
        AccountSid: `AC${randomBytes(16).toString('hex')}`,
        From: from,
        To: '+14155550123',
        Direction: 'inbound',
        CallStatus: 'ringing',
      };
      const signature = twilio.getExpectedTwilioSignature(
        sign.token ?? tenant.authToken,
        sign.url ?? `${publicUrl}${path}`,
        params,
      );
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.text(),
      };
    }

    const calls = (accountId: string) =>
      server.storage.db.query<{
        id: string;
        status: string;
        phone: string | null;
        main_check: string | null;
      }>(
        "SELECT id, status, phone, main_check FROM activities WHERE account_id = $1 AND kind = 'call' ORDER BY received_at, id",
        [accountId],
      );

    const api = (tenant: Tenant, method: string, path: string, body?: unknown) =>
      fetch(`${server.url}/api/v1/accounts/${tenant.accountId}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tenant.keys.contactAdmin}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    it('dials the forwarding number for an ordinary caller and stores the call as an active activity', async () => {
      const tenant = await voiceTenant('Dialtone');
      const answer = await call(tenant, '+14155550100');
      expect(answer.status).toBe(200);
      expect(answer.type).toMatch(/^text\/xml/);
      expect(answer.body).toContain(DIAL);
      expect(await calls(tenant.accountId)).toEqual([
        expect.objectContaining({ status: 'active', phone: '+14155550100' }),
      ]);
    });

    it('answers a retried webhook (same CallSid) as the first time and stores the call once', async () => {
      const tenant = await voiceTenant('Retrytone');
      const callSid = `CA${randomBytes(16).toString('hex')}`;
      const first = await call(tenant, '+14155550111', { callSid });
      expect(first.body).toContain(DIAL);
      const [stored] = await calls(tenant.accountId);
      // Even after staff mark the call spam, Twilio's retry of that webhook gets the answer it already got.
      expect((await api(tenant, 'POST', `/leads/${stored?.id}/mark-spam`)).status).toBe(200);
      const retried = await call(tenant, '+14155550111', { callSid });
      expect(retried).toEqual(first);
      expect(await calls(tenant.accountId)).toHaveLength(1);

      // Retries arriving together: one call stored, every answer the same.
      const racing = `CA${randomBytes(16).toString('hex')}`;
      const answers = await Promise.all(
        [1, 2, 3, 4].map(() => call(tenant, '+14155550112', { callSid: racing })),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      expect(await calls(tenant.accountId)).toHaveLength(2);

      // CallSids are unique per account, not across tenants.
      const other = await voiceTenant('Othertone');
      expect((await call(other, '+14155550111', { callSid })).body).toContain(DIAL);
      expect(await calls(other.accountId)).toHaveLength(1);
    });

    it('rejects a blocked number and a blocked area code as busy, each call stored with its verdict', async () => {
      const tenant = await voiceTenant('Blocktone');
      expect(
        (
          await api(tenant, 'POST', '/rules', {
            action: 'block',
            dimension: 'phone',
            value: '+1 415 555 0142',
          })
        ).status,
      ).toBe(201);
      expect(
        (await api(tenant, 'POST', '/rules', { action: 'block', dimension: 'area_code', value: '212' }))
          .status,
      ).toBe(201);
      expect((await call(tenant, '+14155550142')).body).toContain(REJECT);
      expect((await call(tenant, '+12125550100')).body).toContain(REJECT);
      const ordinary = await call(tenant, '+14155550143');
      expect(ordinary.body).toContain(DIAL);
      expect(ordinary.body).not.toContain('Reject');
      expect((await calls(tenant.accountId)).map((c) => [c.status, c.main_check])).toEqual([
        ['quarantined', 'rules'],
        ['quarantined', 'rules'],
        ['active', null],
      ]);
    });

    it('refuses a bad signature with a plain 403 and stores nothing', async () => {
      const tenant = await voiceTenant('Forgetone');
      const wrongToken = await call(tenant, '+14155550100', { token: 'not-the-account-token' });
      expect(wrongToken.status).toBe(403);
      expect(wrongToken.type).toMatch(/^text\/plain/);
      expect(wrongToken.body).not.toContain('<Response');
      const wrongUrl = await call(tenant, '+14155550100', {
        url: `https://elsewhere.example/api/v1/voice/${tenant.formKey}`,
      });
      expect(wrongUrl.status).toBe(403);
      const unsigned = await fetch(`${server.url}/api/v1/voice/${tenant.formKey}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'CallSid=CA1&From=%2B14155550100&To=%2B14155550123',
      });
      expect(unsigned.status).toBe(403);
      expect(await calls(tenant.accountId)).toEqual([]);
      expect((await fetch(`${server.url}/api/v1/voice/no-such-form`, { method: 'POST' })).status).toBe(404);
    });

    it('rejects a contact whose lead is in quarantine until that lead is released', async () => {
      const tenant = await voiceTenant('Repeattone');
      expect((await call(tenant, '+14155550177')).body).toContain(DIAL);
      const [first] = await calls(tenant.accountId);
      expect((await api(tenant, 'POST', `/leads/${first?.id}/mark-spam`)).status).toBe(200);
      expect((await call(tenant, '+14155550177')).body).toContain(REJECT);
      expect((await calls(tenant.accountId))[1]).toMatchObject({
        status: 'quarantined',
        main_check: 'quarantined_contact',
      });
      expect((await api(tenant, 'POST', `/leads/${first?.id}/mark-not-spam`)).status).toBe(200);
      expect((await call(tenant, '+14155550177')).body).toContain(DIAL);
    });

    it('never matches a withheld caller ID as a number, not even one spelled on the keypad', async () => {
      const tenant = await voiceTenant('Hiddentone');
      // ANONYMOUS on a keypad: it looks like a number, so a bug would tie every withheld caller together.
      expect((await call(tenant, '+266696687')).body).toContain(DIAL);
      const [first] = await calls(tenant.accountId);
      expect(first?.phone).toBeNull();
      expect((await api(tenant, 'POST', `/leads/${first?.id}/mark-spam`)).status).toBe(200);
      expect((await call(tenant, '+266696687')).body).toContain(DIAL);
      expect((await call(tenant, 'Anonymous')).body).toContain(DIAL);
      expect((await calls(tenant.accountId)).map((c) => c.phone)).toEqual([null, null, null]);
    });

    it('rejects callers not on the allowlist when allowlist-only is on for phones', async () => {
      const tenant = await voiceTenant('Listtone');
      expect((await api(tenant, 'PUT', '/allowlist-only', { dimensions: ['phone'] })).status).toBe(200);
      expect(
        (await api(tenant, 'POST', '/rules', { action: 'allow', dimension: 'phone', value: '+14155550111' }))
          .status,
      ).toBe(201);
      expect((await call(tenant, '+14155550112')).body).toContain(REJECT);
      expect((await call(tenant, '+14155550111')).body).toContain(DIAL);
      expect((await call(tenant, 'restricted')).body).toContain(REJECT);
    });

    it('answers busy and keeps the call when the forwarding number is unusable', async () => {
      const tenant = await voiceTenant('Brokentone');
      await server.storage.db.query(
        "UPDATE accounts SET settings = jsonb_set(settings, '{voice,forwardingNumber}', '\"not a number\"') WHERE id = $1",
        [tenant.accountId],
      );
      const answer = await call(tenant, '+14155550100');
      expect(answer.status).toBe(200);
      expect(answer.body).toContain(REJECT);
      expect(await calls(tenant.accountId)).toEqual([expect.objectContaining({ status: 'active' })]);
    });

    it('keeps the call settings to admins, shows the token as set but never its value, and refuses a bad number', async () => {
      const tenant = await voiceTenant('Settingtone');
      const shown = await settings(tenant, tenant.keys.admin, 'GET');
      expect(await shown.json()).toEqual({ forwardingNumber: '+14155550199', hasTwilioAuthToken: true });
      expect((await settings(tenant, tenant.keys.contactAdmin, 'GET')).status).toBe(403);
      expect((await settings(tenant, tenant.keys.member, 'PUT', { forwardingNumber: null })).status).toBe(
        403,
      );
      const bad = await settings(tenant, tenant.keys.admin, 'PUT', { forwardingNumber: '12' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('forwardingNumber');
      const cleared = await settings(tenant, tenant.keys.admin, 'PUT', { twilioAuthToken: null });
      expect(await cleared.json()).toEqual({ forwardingNumber: '+14155550199', hasTwilioAuthToken: false });
      // Without a token of its own, the account's calls are verified with TWILIO_AUTH_TOKEN.
      expect((await call(tenant, '+14155550100')).status).toBe(403);
      expect(await calls(tenant.accountId)).toEqual([]);
      expect((await call(tenant, '+14155550100', { token: instanceToken })).body).toContain(DIAL);
    });

    it('answers odd requests with a plain 4xx and stores nothing, never a 5xx', async () => {
      const tenant = await voiceTenant('Oddtone');
      const url = `${server.url}/api/v1/voice/${tenant.formKey}`;
      const signedWithout = async (params: Record<string, string>) => {
        const signature = twilio.getExpectedTwilioSignature(
          tenant.authToken,
          `${publicUrl}/api/v1/voice/${tenant.formKey}`,
          params,
        );
        return fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
          body: new URLSearchParams(params).toString(),
        });
      };
      const noTo = await signedWithout({ CallSid: 'CA0123', From: '+14155550100' });
      expect(noTo.status).toBe(400);
      expect(await noTo.text()).toContain('To is missing');
      expect((await signedWithout({ CallSid: 'CA 01;drop', To: '+14155550123' })).status).toBe(400);
      const bodies: [string, string][] = [
        ['application/json', '{"CallSid":{"nested":true},"To":["+1"]}'],
        ['application/json', '[1,2,3]'],
        ['application/json', '"text"'],
        ['application/x-www-form-urlencoded', 'CallSid=CA1&CallSid=CA2&To=%2B1'],
        ['application/x-www-form-urlencoded', ''],
        ['text/plain', 'hello'],
      ];
      for (const [type, body] of bodies) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': type, 'x-twilio-signature': 'abc' },
          body,
        });
        expect(response.status, `${type} ${body}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${type} ${body}`).toBeLessThan(500);
      }
      expect(await calls(tenant.accountId)).toEqual([]);
    });
  });
}
