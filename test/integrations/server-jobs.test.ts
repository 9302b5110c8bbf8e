// The server's own jobs: with REPLY_DOMAIN and REPLY_SMTP_PORT it listens for replies, and a "spam" reply from the notified recipient flags the lead.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeForRetention } from '../../src/jobs/server-jobs.ts';
import { runRetention } from '../../src/jobs/retention.ts';
import { hasPostgres } from '../support/services.ts';
import { startIntegrationServer } from './support/integration-server.ts';
import type { IntegrationServer } from './support/integration-server.ts';
import { startSmtpCapture } from './support/smtp-capture.ts';
import type { SmtpCapture } from './support/smtp-capture.ts';

const postgresUp = await hasPostgres();
const recipient = 'sales@dealer.example';

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(`server jobs and the reply listener [${kind}]`, () => {
    let smtp: SmtpCapture;
    let server: IntegrationServer;
    let leadId: string;
    let replyTo: string;

    const statusOf = async () =>
      (
        await server.storage.db.query<{ status: string }>('SELECT status FROM activities WHERE id = $1', [
          leadId,
        ])
      )[0]?.status;
    const reply = async (from: string, text: string) => {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: server.jobs?.replyPort,
        secure: false,
        ignoreTLS: true,
      });
      await transport.sendMail({ from, to: replyTo, subject: 'Re: New lead', text });
      transport.close();
    };

    beforeAll(async () => {
      smtp = await startSmtpCapture();
      server = await startIntegrationServer(
        kind,
        {
          SMTP_URL: smtp.url,
          PUBLIC_URL: 'https://leads.example.com',
          MAIL_FROM: 'alerts@dealer-leads.example',
          REPLY_DOMAIN: 'reply.leads.example',
          REPLY_SMTP_PORT: '0',
        },
        { jobs: true },
      );
      const tenant = await server.seedTenant('Replyville', { notificationRecipients: [recipient] });
      leadId = await server.ingestHamLead(tenant, {
        name: 'Cy Park',
        email: 'cy.park@example.com',
        message: 'Do you have the hybrid in grey? I would like to come by next week.',
      });
      const [mail] = await smtp.waitFor(1);
      expect(mail?.envelopeFrom).toBe('alerts@dealer-leads.example');
      replyTo = mail?.parsed.replyTo?.value[0]?.address ?? '';
      // The message can arrive a moment before the worker records the delivery as sent.
      const sent = async () =>
        (
          await server.storage.db.query<{ status: string }>(
            "SELECT status FROM deliveries WHERE activity_id = $1 AND kind = 'notification'",
            [leadId],
          )
        )[0]?.status === 'sent';
      while (!(await sent())) await new Promise((resolve) => setTimeout(resolve, 20));
    }, 60_000);

    afterAll(async () => {
      await server?.stop();
      await smtp?.close();
    });

    it('mails the notification with a reply address on REPLY_DOMAIN and listens on REPLY_SMTP_PORT', () => {
      expect(replyTo).toMatch(/^reply\+[0-9a-f]+@reply\.leads\.example$/);
      expect(server.jobs?.replyPort).toBeGreaterThan(0);
    });

    it('ignores a reply from someone who was not notified, then flags on the recipient\'s "spam" reply', async () => {
      await reply('stranger@else.example', 'spam');
      expect(await statusOf()).toBe('active');
      await reply('Sales@Dealer.example', 'Spam\n\n> the lead');
      expect(await statusOf()).toBe('quarantined');
      const [event] = await server.storage.db.query<{ via: string; detail: { reason?: string } }>(
        "SELECT via, detail FROM history_events WHERE activity_id = $1 AND type = 'marked_spam'",
        [leadId],
      );
      expect(event).toMatchObject({
        via: 'email_link',
        detail: { reason: `marked spam by email reply by ${recipient}` },
      });
    });

    it('drops spent nonces past their expiry in the retention round, and keeps live ones', async () => {
      const now = new Date();
      await server.storage.db.query(
        `INSERT INTO render_token_nonces (nonce, expires_at) VALUES ('bench-old', $1), ('bench-live', $2)`,
        [new Date(now.getTime() - 60_000), new Date(now.getTime() + 60_000)],
      );
      await runRetention(server.storage.db, purgeForRetention, now);
      const left = await server.storage.db.query<{ nonce: string }>(
        "SELECT nonce FROM render_token_nonces WHERE nonce LIKE 'bench-%' ORDER BY nonce",
      );
      expect(left.map((row) => row.nonce)).toEqual(['bench-live']);
    });
  });
}
