// Reply to flag end to end: nodemailer sends replies to the listener; only the notified recipient's "spam" flags the lead.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Db } from '../../src/db/database.ts';
import { buildReplyAddress, createReplyToken } from '../../src/integrations/reply-flag.ts';
import { startReplyFlagListener } from '../../src/jobs/reply-flag-listener.ts';
import type { RunningReplyListener } from '../../src/jobs/reply-flag-listener.ts';
import { openPgliteTestDb, seedLead } from './support/test-db.ts';
import type { SeededLead, TestDb } from './support/test-db.ts';

const secretKey = 'reply-listener-secret-0123456789abcdef01';
const replyDomain = 'reply.leadguard.example';
let testDb: TestDb;
let db: Db;
let lead: SeededLead;
let listener: RunningReplyListener;
let transport: Transporter;
const flagged: { accountId: string; leadId: string; sender: string }[] = [];
const ignored: string[] = [];

beforeAll(async () => {
  testDb = await openPgliteTestDb();
  db = testDb.db;
  lead = await seedLead(db);
  // The notification went to sales@ (a sent delivery row is what makes someone a notified recipient).
  await db.query(
    `INSERT INTO deliveries (id, account_id, activity_id, kind, target, payload, idempotency_key, status, attempts,
       next_attempt_at, not_before, created_at, sent_at)
     VALUES ($1, $2, $3, 'notification', 'sales@dealer.example', '{}'::jsonb, $4, 'sent', 1, now(), now(), now(), now())`,
    [randomUUID(), lead.accountId, lead.activityId, `reply-test-${randomUUID()}`],
  );
  listener = await startReplyFlagListener({
    db,
    secretKey,
    replyDomain,
    port: 0,
    flagLead: async (flag) => {
      flagged.push(flag);
    },
    onIgnored: (reason) => ignored.push(reason),
  });
  transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: listener.port,
    secure: false,
    ignoreTLS: true,
  });
});

afterAll(async () => {
  transport.close();
  await listener.close();
  await testDb.close();
});

const replyTo = () =>
  buildReplyAddress(createReplyToken({ secret: secretKey, leadId: lead.activityId }), replyDomain);

describe('reply-to-flag listener', () => {
  it('flags the lead when the notified recipient replies "spam"', async () => {
    await transport.sendMail({
      from: 'sales@dealer.example',
      to: replyTo(),
      subject: 'Re: New lead',
      text: 'Spam\n\n> lead',
    });
    expect(flagged).toEqual([
      { accountId: lead.accountId, leadId: lead.activityId, sender: 'sales@dealer.example' },
    ]);
  });

  it('changes nothing when someone who was not notified replies "spam"', async () => {
    await transport.sendMail({
      from: 'stranger@else.example',
      to: replyTo(),
      subject: 'Re: New lead',
      text: 'spam',
    });
    expect(flagged).toHaveLength(1);
    expect(ignored).toContain('not_a_notified_recipient');
  });

  it('changes nothing for a reply that says something else', async () => {
    await transport.sendMail({
      from: 'sales@dealer.example',
      to: replyTo(),
      subject: 'Re: New lead',
      text: 'Called him back.',
    });
    expect(flagged).toHaveLength(1);
    expect(ignored).toContain('not_spam');
  });
});
