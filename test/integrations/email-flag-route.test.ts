// The spam link end to end on the running server: the worker mails it, GET confirms without changing anything, POST flags once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpamLinkToken } from '../../src/integrations/email-link.ts';
import { hasPostgres } from '../support/services.ts';
import { startIntegrationServer } from './support/integration-server.ts';
import type { IntegrationServer, Tenant } from './support/integration-server.ts';
import { startSmtpCapture } from './support/smtp-capture.ts';
import type { SmtpCapture } from './support/smtp-capture.ts';

const postgresUp = await hasPostgres();
const recipient = 'sales@dealer.example';

/** One character of the signature changed (not the last: its low bits are base64 padding). */
const tamper = (token: string) => {
  const at = token.length - 6;
  return `${token.slice(0, at)}${token[at] === 'a' ? 'b' : 'a'}${token.slice(at + 1)}`;
};

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(
    `spam link from the notification email [${kind}]`,
    () => {
      let smtp: SmtpCapture;
      let server: IntegrationServer;
      let tenant: Tenant;
      let leadId: string;
      let token: string;

      const statusOf = async (id: string) =>
        (
          await server.storage.db.query<{ status: string }>('SELECT status FROM activities WHERE id = $1', [
            id,
          ])
        )[0]?.status;
      const deliveryStatus = async () =>
        (
          await server.storage.db.query<{ status: string }>(
            "SELECT status FROM deliveries WHERE activity_id = $1 AND kind = 'notification'",
            [leadId],
          )
        )[0]?.status;
      const page = (query: string) => fetch(`${server.url}/email/spam${query}`);
      const post = (value: string) =>
        fetch(`${server.url}/email/spam`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: value }).toString(),
        });

      beforeAll(async () => {
        smtp = await startSmtpCapture();
        server = await startIntegrationServer(
          kind,
          { SMTP_URL: smtp.url, PUBLIC_URL: 'https://leads.example.com/lg' },
          { jobs: true },
        );
        tenant = await server.seedTenant('Harbor', { notificationRecipients: [recipient] });
        leadId = await server.ingestHamLead(tenant, {
          name: 'Ann <b>Lee</b>',
          email: 'ann.lee@example.com',
          message: 'Is the blue F-150 still available for a test drive on Saturday?',
        });
        const [mail] = await smtp.waitFor(1);
        const link = /Mark as spam: (\S+)/.exec(mail?.parsed.text ?? '')?.[1] ?? '';
        expect(link.startsWith('https://leads.example.com/lg/email/spam?token=')).toBe(true);
        token = new URL(link).searchParams.get('token') ?? '';
        // The message can arrive a moment before the worker records the delivery as sent.
        while ((await deliveryStatus()) !== 'sent') await new Promise((resolve) => setTimeout(resolve, 20));
      }, 60_000);

      afterAll(async () => {
        await server?.stop();
        await smtp?.close();
      });

      it('shows a confirmation page with the lead escaped and a POST button, and changes nothing', async () => {
        const response = await page(`?token=${encodeURIComponent(token)}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        expect(response.headers.get('cache-control')).toBe('no-store');
        const html = await response.text();
        expect(html).toContain('Mark this lead as spam?');
        expect(html).toContain('Ann &#60;b&#62;Lee&#60;/b&#62;');
        expect(html).not.toContain('<b>Lee</b>');
        expect(html).toContain('<form method="post" action="spam">');
        expect(html).toContain(`value="${token}"`);
        expect(await statusOf(leadId)).toBe('active');
        // Opening it again (a link scanner, then the person) still works.
        expect((await page(`?token=${encodeURIComponent(token)}`)).status).toBe(200);
      });

      it('refuses tampered, malformed and expired tokens with a clear page and no change', async () => {
        const tampered = await post(tamper(token));
        expect(tampered.status).toBe(400);
        expect(await tampered.text()).toContain('This link is not valid');
        expect((await page(`?token=${encodeURIComponent(tamper(token))}`)).status).toBe(400);
        expect((await page('')).status).toBe(400);
        expect((await page('?token=a&token=b')).status).toBe(400);

        const expired = createSpamLinkToken({
          secret: server.config.secretKey,
          accountId: tenant.accountId,
          leadId,
          recipient,
          now: Date.now() - 15 * 24 * 3600_000,
        });
        const expiredPost = await post(expired);
        expect(expiredPost.status).toBe(410);
        expect(await expiredPost.text()).toContain('This link has expired');
        expect((await page(`?token=${encodeURIComponent(expired)}`)).status).toBe(410);

        const stranger = createSpamLinkToken({
          secret: server.config.secretKey,
          accountId: tenant.accountId,
          leadId,
          recipient: 'someone@else.example',
          now: Date.now(),
        });
        expect((await post(stranger)).status).toBe(403);
        expect(await statusOf(leadId)).toBe('active');
      });

      it('flags the lead once with the history line "marked spam by email by <recipient>", then refuses reuse', async () => {
        const response = await post(token);
        expect(response.status).toBe(200);
        expect(await response.text()).toContain(`marked by email by ${recipient}`);
        expect(await statusOf(leadId)).toBe('quarantined');
        const events = await server.storage.db.query<{ via: string; detail: { reason?: string } }>(
          "SELECT via, detail FROM history_events WHERE activity_id = $1 AND type = 'marked_spam'",
          [leadId],
        );
        expect(events).toEqual([
          expect.objectContaining({
            via: 'email_link',
            detail: expect.objectContaining({ reason: `marked spam by email by ${recipient}` }),
          }),
        ]);
        const marks = await server.storage.db.query<{ label: string }>(
          'SELECT label FROM training_marks WHERE activity_id = $1',
          [leadId],
        );
        expect(marks.map((m) => m.label)).toEqual(['spam']);

        const again = await post(token);
        expect(again.status).toBe(409);
        expect(await again.text()).toContain('already used');
        expect((await page(`?token=${encodeURIComponent(token)}`)).status).toBe(409);
        const after = await server.storage.db.query(
          "SELECT 1 FROM history_events WHERE activity_id = $1 AND type = 'marked_spam'",
          [leadId],
        );
        expect(after).toHaveLength(1);
      });
    },
  );
}
