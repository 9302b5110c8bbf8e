// Webhook endpoints and the hold window over the API, on the running server: an added endpoint receives signed lead events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { hasPostgres } from '../support/services.ts';
import { startHttpReceiver } from './support/http-receiver.ts';
import type { HttpReceiver } from './support/http-receiver.ts';
import { startIntegrationServer } from './support/integration-server.ts';
import type { IntegrationServer, Tenant } from './support/integration-server.ts';

const postgresUp = await hasPostgres();

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(
    `webhook endpoints and hold window API [${kind}]`,
    () => {
      let server: IntegrationServer;
      let receiver: HttpReceiver;
      let tenant: Tenant;

      const api = (key: string, method: string, path: string, body?: unknown) =>
        fetch(`${server.url}/api/v1/accounts/${tenant.accountId}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });

      beforeAll(async () => {
        receiver = await startHttpReceiver();
        // Loopback receivers need ALLOW_PRIVATE_URLS, as on-premise CRMs do.
        server = await startIntegrationServer(kind, { ALLOW_PRIVATE_URLS: '1' }, { jobs: true });
        tenant = await server.seedTenant('Hookton');
      }, 60_000);

      afterAll(async () => {
        await server?.stop();
        await receiver?.close();
      });

      it('adds an endpoint for admins only, shows its secret once, and signs lead.created with it', async () => {
        expect((await api(tenant.keys.contactAdmin, 'GET', '/webhook-endpoints')).status).toBe(403);
        const refused = await api(tenant.keys.contactAdmin, 'POST', '/webhook-endpoints', {
          url: `${receiver.url}/hooks`,
          events: ['lead.created'],
        });
        expect(refused.status).toBe(403);

        const response = await api(tenant.keys.admin, 'POST', '/webhook-endpoints', {
          url: `${receiver.url}/hooks`,
          events: ['lead.created', 'lead.marked_spam'],
        });
        expect(response.status).toBe(201);
        const added = (await response.json()) as { id: string; secret: string; enabled: boolean };
        expect(added.secret).toMatch(/^whsec_/);
        expect(added.enabled).toBe(true);
        const listed = (await (await api(tenant.keys.admin, 'GET', '/webhook-endpoints')).json()) as {
          items: Record<string, unknown>[];
        };
        expect(listed.items).toEqual([
          expect.objectContaining({ id: added.id, url: `${receiver.url}/hooks` }),
        ]);
        expect(JSON.stringify(listed)).not.toContain(added.secret);

        await server.storage.db.query('UPDATE forms SET crm_targets = $2::jsonb WHERE id = $1', [
          tenant.formId,
          JSON.stringify([{ kind: 'webhook', endpointId: added.id }]),
        ]);
        const form = await server.storage.services.findPublicForm(tenant.formKey);
        if (!form) throw new Error('seeded form missing');
        const lead = await server.storage.services.ingestLead({
          form,
          lead: {
            channel: 'form',
            name: 'Gil Ortiz',
            email: 'gil.ortiz@example.com',
            message: 'What would the monthly payment be on the SUV with 10% down?',
            renderToken: server.storage.issueRenderToken(tenant.formKey, Date.now() - 60_000),
          },
          facts: { ipCount: 1 },
          receivedAt: new Date(),
        });
        expect(lead.verdict.outcome).toBe('ham');
        while (receiver.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        const [request] = receiver.requests;
        const payload = new Webhook(added.secret).verify(request?.body ?? '', request?.headers ?? {}) as {
          type: string;
          data: { leadId: string; email: string };
        };
        expect(payload.type).toBe('lead.created');
        expect(payload.data).toMatchObject({ leadId: lead.activityId, email: 'gil.ortiz@example.com' });
      });

      it('refuses unusable URLs and unknown events with a 400 naming the field', async () => {
        for (const url of ['ftp://crm.example/x', 'https://user:pw@crm.example/x', 'not a url']) {
          const response = await api(tenant.keys.admin, 'POST', '/webhook-endpoints', {
            url,
            events: ['lead.created'],
          });
          expect(response.status, url).toBe(400);
          expect(await response.text(), url).toContain('url');
        }
        const badEvent = await api(tenant.keys.admin, 'POST', '/webhook-endpoints', {
          url: 'https://crm.example/x',
          events: ['lead.exploded'],
        });
        expect(badEvent.status).toBe(400);
      });

      it('switches an endpoint off, changes its events, and removes it; other tenants see none of it', async () => {
        const created = (await (
          await api(tenant.keys.admin, 'POST', '/webhook-endpoints', {
            url: 'https://crm.example/hook',
            events: ['lead.deleted'],
          })
        ).json()) as { id: string };
        const patched = await api(tenant.keys.admin, 'PATCH', `/webhook-endpoints/${created.id}`, {
          enabled: false,
          events: ['lead.released', 'lead.deleted'],
        });
        expect(await patched.json()).toMatchObject({
          enabled: false,
          events: ['lead.released', 'lead.deleted'],
        });
        const other = await server.seedTenant('Otherton');
        const foreign = await fetch(
          `${server.url}/api/v1/accounts/${other.accountId}/webhook-endpoints/${created.id}`,
          { method: 'DELETE', headers: { authorization: `Bearer ${other.keys.admin}` } },
        );
        expect(foreign.status).toBe(404);
        expect((await api(tenant.keys.admin, 'DELETE', `/webhook-endpoints/${created.id}`)).status).toBe(200);
        expect((await api(tenant.keys.admin, 'DELETE', `/webhook-endpoints/${created.id}`)).status).toBe(404);
      });

      it('sets the hold window for admins, shows it to members, and refuses out-of-range values', async () => {
        expect(await (await api(tenant.keys.member, 'GET', '/hold-window')).json()).toEqual({
          holdMinutes: 0,
        });
        expect((await api(tenant.keys.contactAdmin, 'PUT', '/hold-window', { holdMinutes: 10 })).status).toBe(
          403,
        );
        expect((await api(tenant.keys.admin, 'PUT', '/hold-window', { holdMinutes: 10_081 })).status).toBe(
          400,
        );
        expect((await api(tenant.keys.admin, 'PUT', '/hold-window', { holdMinutes: 10 })).status).toBe(200);
        expect(await (await api(tenant.keys.member, 'GET', '/hold-window')).json()).toEqual({
          holdMinutes: 10,
        });
      });
    },
  );
}
