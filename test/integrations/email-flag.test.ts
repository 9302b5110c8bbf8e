// Flag from the email: the notification's spam link works once for its recipient, replies count only from notified recipients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { findAccountById, findFormById } from '../../src/db/repositories/accounts.ts';
import { insertDeliveries } from '../../src/db/repositories/deliveries.ts';
import { CompiledConfigCache } from '../../src/engine/compile.ts';
import { createSpamLinkToken } from '../../src/integrations/email-link.ts';
import { createMailer } from '../../src/integrations/mailer.ts';
import type { Mailer } from '../../src/integrations/mailer.ts';
import { findAccountName, findWebhookEndpoint } from '../../src/jobs/delivery-reads.ts';
import { createDeliveryRepository } from '../../src/jobs/delivery-repository.ts';
import { runDeliveryBatch } from '../../src/jobs/delivery-worker.ts';
import { acceptReplyFlag, useSpamLink } from '../../src/jobs/email-flag.ts';
import { buildDeliveries } from '../../src/services/deliveries-for.ts';
import { markSpam } from '../../src/services/review.ts';
import { startSmtpCapture } from './support/smtp-capture.ts';
import type { SmtpCapture } from './support/smtp-capture.ts';
import { openPgliteTestDb, seedLead } from './support/test-db.ts';
import type { SeededLead, TestDb } from './support/test-db.ts';

/** The same token with one character of its signature changed (not the last: in base64 its low bits are padding). */
const flipLast = (token: string) => {
  const at = token.length - 6;
  return `${token.slice(0, at)}${token[at] === 'a' ? 'b' : 'a'}${token.slice(at + 1)}`;
};
const secret = 'email-flag-secret-0123456789abcdef0123';
let smtp: SmtpCapture;
let mailer: Mailer;
let testDb: TestDb;
let db: Db;
let lead: SeededLead;
let linkToken: string;
let replyToken: string;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  mailer = createMailer(smtp.url);
  testDb = await openPgliteTestDb();
  db = testDb.db;
  lead = await seedLead(db);
  await db.query('UPDATE forms SET notification_recipients = $2 WHERE id = $1', [
    lead.formId,
    ['sales@dealer.example'],
  ]);
  const account = await findAccountById(db, lead.accountId);
  const form = await findFormById(db, lead.accountId, lead.formId);
  if (!account || !form) throw new Error('seed missing');
  const now = new Date();
  await insertDeliveries(
    db,
    buildDeliveries({ ...lead, email: undefined, emailValid: false }, account, form, now),
  );
  await runDeliveryBatch({
    repository: createDeliveryRepository(db),
    deps: {
      mailer,
      secretKey: secret,
      publicUrl: 'https://leads.example.com',
      mailFrom: 'notify@leadguard.example',
      replyDomain: 'reply.leadguard.example',
      guard: {},
      findWebhookEndpoint: (a, id) => findWebhookEndpoint(db, a, id),
      vendorName: (a) => findAccountName(db, a),
    },
  });
  const [mail] = await smtp.waitFor(1);
  const link = /Mark as spam: (\S+)/.exec(mail?.parsed.text ?? '')?.[1] ?? '';
  linkToken = new URL(link).searchParams.get('token') ?? '';
  replyToken = /^reply\+([0-9a-f]+)@/.exec(mail?.parsed.replyTo?.value[0]?.address ?? '')?.[1] ?? '';
});

afterAll(async () => {
  mailer.close();
  await smtp.close();
  await testDb.close();
});

describe('spam link', () => {
  it('flags once for the recipient it was mailed to, then refuses the reused token', async () => {
    const now = new Date();
    const first = await useSpamLink(db, linkToken, { secret, now });
    expect(first).toEqual({
      status: 'flag',
      accountId: lead.accountId,
      leadId: lead.activityId,
      recipient: 'sales@dealer.example',
    });
    if (first.status !== 'flag') return;
    const deps = { db, configCache: new CompiledConfigCache() };
    expect(
      await markSpam(
        deps,
        first.accountId,
        first.leadId,
        { userId: null, via: 'email_link' },
        `marked spam by email by ${first.recipient}`,
      ),
    ).toBe(true);
    const [activity] = await db.query<{ status: string }>('SELECT status FROM activities WHERE id = $1', [
      lead.activityId,
    ]);
    expect(activity?.status).toBe('quarantined');
    const [event] = await db.query<{ via: string; detail: { reason?: string } }>(
      "SELECT via, detail FROM history_events WHERE activity_id = $1 AND type = 'marked_spam'",
      [lead.activityId],
    );
    expect(event).toMatchObject({
      via: 'email_link',
      detail: { reason: 'marked spam by email by sales@dealer.example' },
    });

    expect(await useSpamLink(db, linkToken, { secret, now })).toEqual({ status: 'reused' });
  });

  it('refuses a valid token for someone who was not sent the notification', async () => {
    const token = createSpamLinkToken({
      secret,
      accountId: lead.accountId,
      leadId: lead.activityId,
      recipient: 'intruder@else.example',
      now: Date.now(),
    });
    expect(await useSpamLink(db, token, { secret, now: new Date() })).toEqual({ status: 'not_recipient' });
  });

  it('reports expired, tampered and malformed tokens without claiming anything', async () => {
    const later = new Date(Date.now() + 15 * 24 * 3600_000);
    expect(await useSpamLink(db, linkToken, { secret, now: later })).toEqual({ status: 'expired' });
    expect(await useSpamLink(db, flipLast(linkToken), { secret, now: new Date() })).toEqual({
      status: 'tampered',
    });
    expect(await useSpamLink(db, 'nonsense', { secret, now: new Date() })).toEqual({ status: 'malformed' });
  });
});

describe('reply to flag', () => {
  it('accepts a reply from the notified recipient and names the lead', async () => {
    expect(await acceptReplyFlag(db, { token: replyToken, sender: 'Sales@Dealer.example', secret })).toEqual({
      accountId: lead.accountId,
      leadId: lead.activityId,
    });
  });

  it('ignores the same reply from anyone else, or with a forged token', async () => {
    expect(
      await acceptReplyFlag(db, { token: replyToken, sender: 'intruder@else.example', secret }),
    ).toBeUndefined();
    expect(
      await acceptReplyFlag(db, {
        token: flipLast(replyToken),
        sender: 'sales@dealer.example',
        secret,
      }),
    ).toBeUndefined();
  });
});
