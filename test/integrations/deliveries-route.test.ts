// A lead's deliveries over the API with every attempt, and the resend button: failed back to pending, for reviewers only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../src/integrations/mailer.ts';
import type { Mailer } from '../../src/integrations/mailer.ts';
import { findAccountName, findWebhookEndpoint } from '../../src/jobs/delivery-reads.ts';
import { createDeliveryRepository } from '../../src/jobs/delivery-repository.ts';
import { runDeliveryBatch } from '../../src/jobs/delivery-worker.ts';
import { hasPostgres } from '../support/services.ts';
import { startIntegrationServer } from './support/integration-server.ts';
import type { IntegrationServer, Tenant } from './support/integration-server.ts';
import { startSmtpCapture } from './support/smtp-capture.ts';
import type { SmtpCapture } from './support/smtp-capture.ts';

const postgresUp = await hasPostgres();

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(`deliveries API and resend [${kind}]`, () => {
    let server: IntegrationServer;
    let smtp: SmtpCapture;
    let mailer: Mailer;
    let tenant: Tenant;
    let other: Tenant;
    let leadId: string;
    let deliveryId: string;

    /** One worker pass; without a mailer every email fails at once and for good. */
    const runWorker = (withMailer: boolean) =>
      runDeliveryBatch({
        repository: createDeliveryRepository(server.storage.db),
        deps: {
          mailer: withMailer ? mailer : undefined,
          secretKey: server.config.secretKey,
          publicUrl: 'https://leads.example.com',
          mailFrom: 'notify@leadguard.example',
          guard: {},
          findWebhookEndpoint: (accountId, id) => findWebhookEndpoint(server.storage.db, accountId, id),
          vendorName: (accountId) => findAccountName(server.storage.db, accountId),
        },
      });
    const resend = (key: string, accountId: string, id: string) =>
      fetch(`${server.url}/api/v1/accounts/${accountId}/deliveries/${id}/resend`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
      });
    const listDeliveries = async (key: string, accountId: string, id: string) => {
      const response = await fetch(`${server.url}/api/v1/accounts/${accountId}/leads/${id}/deliveries`, {
        headers: { authorization: `Bearer ${key}` },
      });
      return {
        status: response.status,
        body: (await response.json()) as { items: Record<string, unknown>[] },
      };
    };
    const rowOf = async (id: string) =>
      (
        await server.storage.db.query<{ status: string; attempts: number }>(
          'SELECT status, attempts FROM deliveries WHERE id = $1',
          [id],
        )
      )[0];

    beforeAll(async () => {
      smtp = await startSmtpCapture();
      mailer = createMailer(smtp.url);
      server = await startIntegrationServer(kind);
      tenant = await server.seedTenant('Resendia', { notificationRecipients: ['desk@resendia.example'] });
      other = await server.seedTenant('Elsewhere');
      leadId = await server.ingestHamLead(tenant, {
        name: 'Bo Chen',
        email: 'bo.chen@example.com',
        message: 'Could you send me a quote for the winter tyres package?',
      });
      expect((await runWorker(false)).failed).toBe(1);
    }, 60_000);

    afterAll(async () => {
      await server?.stop();
      mailer?.close();
      await smtp?.close();
    });

    it("lists the lead's deliveries with each attempt, to any member of the account only", async () => {
      const { status, body } = await listDeliveries(tenant.keys.member, tenant.accountId, leadId);
      expect(status).toBe(200);
      expect(body.items).toEqual([
        expect.objectContaining({
          kind: 'notification',
          target: 'desk@resendia.example',
          status: 'failed',
          attempts: 1,
          history: [expect.objectContaining({ error: expect.any(String) })],
        }),
      ]);
      expect(JSON.stringify(body.items[0])).toContain('SMTP is not configured');
      deliveryId = String(body.items[0]?.id);
      expect((await listDeliveries(other.keys.admin, tenant.accountId, leadId)).status).toBe(404);
      expect((await listDeliveries(tenant.keys.member, tenant.accountId, randomUUID())).status).toBe(404);
    });

    it('shows the deliveries with their attempts in the lead detail too', async () => {
      const response = await fetch(`${server.url}/api/v1/accounts/${tenant.accountId}/leads/${leadId}`, {
        headers: { authorization: `Bearer ${tenant.keys.member}` },
      });
      const lead = (await response.json()) as { deliveries: Record<string, unknown>[] };
      expect(lead.deliveries).toEqual([
        expect.objectContaining({
          id: deliveryId,
          kind: 'notification',
          target: 'desk@resendia.example',
          status: 'failed',
          history: [expect.objectContaining({ outcome: expect.any(String), error: expect.any(String) })],
        }),
      ]);
    });

    it('refuses resend to a member and to another account, and changes nothing', async () => {
      expect((await resend(tenant.keys.member, tenant.accountId, deliveryId)).status).toBe(403);
      expect((await resend(other.keys.admin, tenant.accountId, deliveryId)).status).toBe(404);
      expect((await resend(other.keys.admin, other.accountId, deliveryId)).status).toBe(404);
      expect(await rowOf(deliveryId)).toMatchObject({ status: 'failed' });
    });

    it('moves a failed delivery back to pending for a contact admin, and the worker then sends it', async () => {
      expect((await resend(tenant.keys.contactAdmin, tenant.accountId, deliveryId)).status).toBe(200);
      expect(await rowOf(deliveryId)).toMatchObject({ status: 'pending', attempts: 0 });
      // Only a failed delivery can be resent: a pending one is already on its way.
      expect((await resend(tenant.keys.contactAdmin, tenant.accountId, deliveryId)).status).toBe(404);
      expect((await runWorker(true)).delivered).toBe(1);
      expect((await smtp.waitFor(1))[0]?.envelopeTo).toEqual(['desk@resendia.example']);
      const { body } = await listDeliveries(tenant.keys.member, tenant.accountId, leadId);
      expect(body.items[0]).toMatchObject({ status: 'sent' });
      expect((body.items[0]?.history as unknown[]).length).toBe(2);
    });

    it('lets an admin resend too, and answers 404 for ids that name no delivery', async () => {
      expect((await resend(tenant.keys.admin, tenant.accountId, randomUUID())).status).toBe(404);
      expect((await resend(tenant.keys.admin, tenant.accountId, 'not-a-uuid')).status).toBe(404);
      await server.storage.db.query("UPDATE deliveries SET status = 'failed' WHERE id = $1", [deliveryId]);
      expect((await resend(tenant.keys.admin, tenant.accountId, deliveryId)).status).toBe(200);
      expect(await rowOf(deliveryId)).toMatchObject({ status: 'pending' });
    });
  });
}
