// The delivery outbox end to end, on PGlite and on PostgreSQL: real SMTP and HTTP receivers, retries, hold window, resend.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { Db } from '../../src/db/database.ts';
import { readSpamLinkToken } from '../../src/integrations/email-link.ts';
import { createMailer } from '../../src/integrations/mailer.ts';
import type { Mailer } from '../../src/integrations/mailer.ts';
import { readReplyToken } from '../../src/integrations/reply-flag.ts';
import { generateWebhookSecret } from '../../src/integrations/webhooks.ts';
import type { RetryPolicy } from '../../src/jobs/backoff.ts';
import type { DeliveryDeps } from '../../src/jobs/delivery-handlers.ts';
import { createDeliveryRepository, resendDelivery } from '../../src/jobs/delivery-repository.ts';
import { findAccountName, findWebhookEndpoint, listLeadDeliveries } from '../../src/jobs/delivery-reads.ts';
import { runDeliveryBatch } from '../../src/jobs/delivery-worker.ts';
import { onLeadLifecycleEvent, onLeadMarkedSpam } from '../../src/jobs/lead-deliveries.ts';
import { findAccountById, findFormById } from '../../src/db/repositories/accounts.ts';
import { insertDeliveries } from '../../src/db/repositories/deliveries.ts';
import { buildDeliveries } from '../../src/services/deliveries-for.ts';
import { hasPostgres } from '../support/services.ts';
import { answer, startHttpReceiver } from './support/http-receiver.ts';
import type { HttpReceiver } from './support/http-receiver.ts';
import { startSmtpCapture } from './support/smtp-capture.ts';
import type { SmtpCapture } from './support/smtp-capture.ts';
import { openPgliteTestDb, openPostgresTestDb, seedLead } from './support/test-db.ts';
import type { TestDb } from './support/test-db.ts';

const secretKey = 'outbox-test-secret-0123456789abcdef0123';
const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 };
const postgresUp = await hasPostgres();

let smtp: SmtpCapture;
let mailer: Mailer;
const receivers: HttpReceiver[] = [];

beforeAll(async () => {
  smtp = await startSmtpCapture();
  mailer = createMailer(smtp.url);
});

afterAll(async () => {
  mailer.close();
  await smtp.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(...args: Parameters<typeof startHttpReceiver>): Promise<HttpReceiver> {
  const started = await startHttpReceiver(...args);
  receivers.push(started);
  return started;
}

function depsFor(db: Db): DeliveryDeps {
  return {
    mailer,
    secretKey,
    publicUrl: 'https://leads.example.com',
    mailFrom: 'notify@leadguard.example',
    replyDomain: 'reply.leadguard.example',
    guard: { allowPrivate: true },
    httpTimeoutMs: 300,
    findWebhookEndpoint: (accountId, id) => findWebhookEndpoint(db, accountId, id),
    vendorName: (accountId) => findAccountName(db, accountId),
  };
}

async function addEndpoint(db: Db, accountId: string, url: string, events: string[]): Promise<string> {
  const id = randomUUID();
  const secret = generateWebhookSecret();
  await db.query(
    'INSERT INTO webhook_endpoints (id, account_id, url, secret, events) VALUES ($1, $2, $3, $4, $5)',
    [id, accountId, url, secret, events],
  );
  return id;
}

async function configureForm(db: Db, formId: string, values: { recipients?: string[]; crm?: unknown[] }) {
  await db.query('UPDATE forms SET notification_recipients = $2, crm_targets = $3::jsonb WHERE id = $1', [
    formId,
    values.recipients ?? [],
    JSON.stringify(values.crm ?? []),
  ]);
}

/** Stores deliveries for a seeded lead with the ingest service's own builder, in one transaction. */
async function enqueueFor(
  db: Db,
  lead: { accountId: string; formId: string; activityId: string },
  now: Date,
) {
  return db.transaction(async (tx) => {
    const account = await findAccountById(tx, lead.accountId);
    const form = await findFormById(tx, lead.accountId, lead.formId);
    if (!account || !form) throw new Error('seed missing');
    const before = await tx.query('SELECT id FROM deliveries WHERE activity_id = $1', [lead.activityId]);
    const rows = buildDeliveries(
      {
        activityId: lead.activityId,
        accountId: lead.accountId,
        formId: lead.formId,
        email: undefined,
        emailValid: false,
      },
      account,
      form,
      now,
    );
    await insertDeliveries(tx, rows);
    const after = await tx.query('SELECT id FROM deliveries WHERE activity_id = $1', [lead.activityId]);
    return after.length - before.length;
  });
}

const markSpam = (db: Db, lead: { accountId: string; activityId: string }, now: Date) =>
  db.transaction(async (tx) => {
    await tx.query("UPDATE activities SET status = 'quarantined', status_changed_at = $2 WHERE id = $1", [
      lead.activityId,
      now,
    ]);
    return onLeadMarkedSpam(tx, { ...lead, data: { leadId: lead.activityId }, now });
  });

const backends: { name: string; open: () => Promise<TestDb>; skip: boolean }[] = [
  { name: 'PGlite', open: openPgliteTestDb, skip: false },
  { name: 'PostgreSQL', open: openPostgresTestDb, skip: !postgresUp },
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(`delivery outbox on ${backend.name}`, () => {
    let testDb: TestDb;
    let db: Db;
    const worker = (now: Date, extra: { workerId?: string; batchSize?: number } = {}) =>
      runDeliveryBatch({
        repository: createDeliveryRepository(db),
        deps: depsFor(db),
        now: () => now,
        random: () => 0.5,
        retry: policy,
        ...extra,
      });

    beforeAll(async () => {
      testDb = await backend.open();
      db = testDb.db;
    });

    afterAll(async () => {
      await testDb.close();
    });

    it('sends notification, ADF email, ADF post and a signed webhook for an active lead, recording each attempt', async () => {
      const lead = await seedLead(db);
      const crm = await receiver(answer(202, 'queued'));
      const hook = await receiver(answer(200, 'ok'));
      const endpointId = await addEndpoint(db, lead.accountId, `${hook.url}/hook`, ['lead.created']);
      await configureForm(db, lead.formId, {
        recipients: ['sales@dealer.example'],
        crm: [
          { kind: 'crm_email', to: 'leads@crm.example' },
          { kind: 'crm_http', url: `${crm.url}/adf` },
          { kind: 'webhook', endpointId },
        ],
      });
      const now = new Date();
      expect(await enqueueFor(db, lead, now)).toBe(4);
      expect(await enqueueFor(db, lead, now)).toBe(0);
      const mailsBefore = smtp.messages.length;

      const report = await worker(now);
      expect(report).toMatchObject({ claimed: 4, delivered: 4, failed: 0, retrying: 0 });

      const mails = (await smtp.waitFor(mailsBefore + 2)).slice(mailsBefore);
      const notification = mails.find((m) => m.envelopeTo.includes('sales@dealer.example'));
      const adf = mails.find((m) => m.envelopeTo.includes('leads@crm.example'));
      const link = /Mark as spam: (\S+)/.exec(notification?.parsed.text ?? '')?.[1];
      const token = new URL(link ?? 'https://x.invalid').searchParams.get('token');
      const read = readSpamLinkToken(token, { secret: secretKey, now: now.getTime() });
      expect(read).toMatchObject({
        status: 'valid',
        leadId: lead.activityId,
        recipient: 'sales@dealer.example',
      });
      const replyTo = notification?.parsed.replyTo?.value[0]?.address ?? '';
      expect(readReplyToken(/^reply\+([0-9a-f]+)@/.exec(replyTo)?.[1] ?? '', secretKey)).toBe(
        lead.activityId,
      );
      expect(adf?.raw).toMatch(/^Content-Transfer-Encoding: 7bit$/m);
      expect(adf?.parsed.text).toContain('<vendorname>Acme &amp; Sons Motors</vendorname>');
      expect(adf?.parsed.text).toContain('&lt;script&gt;');
      expect(adf?.parsed.text).toContain('<make>Ford</make>');

      expect(crm.requests).toHaveLength(1);
      expect(crm.requests[0]?.body).toContain('<?adf version="1.0"?>');
      const [hookRequest] = hook.requests;
      const payload = new Webhook(
        (await findWebhookEndpoint(db, lead.accountId, endpointId))?.secret ?? '',
      ).verify(hookRequest?.body ?? '', hookRequest?.headers ?? {});
      expect(payload).toMatchObject({
        type: 'lead.created',
        data: { leadId: lead.activityId, form: 'Test drive' },
      });

      const listed = await listLeadDeliveries(db, lead.accountId, lead.activityId);
      expect(listed.map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
      const post = listed.find((d) => d.kind === 'crm_http');
      expect(post?.history).toHaveLength(1);
      expect(post?.history[0]).toMatchObject({
        outcome: 'sent',
        responseCode: 202,
        snippet: 'queued',
        error: null,
      });
      expect(typeof post?.history[0]?.durationMs).toBe('number');
    });

    it('retries a receiver that answers 500, then times out, with backoff, and lands once it recovers', async () => {
      const lead = await seedLead(db);
      const crm = await receiver((request, index, res) => {
        if (index === 0) return answer(500, 'database down')(request, index, res);
        if (index === 1) return; // no answer: the attempt times out
        answer(200, 'ok')(request, index, res);
      });
      await configureForm(db, lead.formId, { crm: [{ kind: 'crm_http', url: crm.url }] });
      const t0 = new Date();
      await enqueueFor(db, lead, t0);

      expect(await worker(t0)).toMatchObject({ claimed: 1, retrying: 1 });
      // Not due before its backoff delay: a worker right after finds nothing.
      expect(await worker(new Date(t0.getTime() + 100))).toMatchObject({ claimed: 0 });
      const t1 = new Date(t0.getTime() + 60_000);
      expect(await worker(t1)).toMatchObject({ claimed: 1, retrying: 1 });
      const t2 = new Date(t1.getTime() + 120_000);
      expect(await worker(t2)).toMatchObject({ claimed: 1, delivered: 1 });
      expect(await worker(new Date(t2.getTime() + 3600_000))).toMatchObject({ claimed: 0 });

      const [delivery] = await listLeadDeliveries(db, lead.accountId, lead.activityId);
      expect(delivery?.status).toBe('sent');
      expect(delivery?.history.map((h) => [h.outcome, h.responseCode, h.error])).toEqual([
        ['failed', 500, 'http_status'],
        ['failed', null, 'timeout'],
        ['sent', 200, null],
      ]);
      expect(delivery?.history[0]?.snippet).toBe('database down');
      const keys = new Set(crm.requests.map((r) => r.headers['idempotency-key']));
      expect(crm.requests).toHaveLength(3);
      expect(keys.size).toBe(1);
    });

    /** The default schedule with the shortest delays its jitter allows, on a clock the test moves. */
    const shipped = (now: Date, deps: DeliveryDeps = depsFor(db)) =>
      runDeliveryBatch({ repository: createDeliveryRepository(db), deps, now: () => now, random: () => 0 });

    /** Runs every attempt due until `until`, moving the worker's clock to each delivery's next attempt; returns that time. */
    async function retryUntil(
      lead: { accountId: string; activityId: string },
      from: Date,
      until: Date,
      deps?: DeliveryDeps,
    ): Promise<Date> {
      let now = from;
      while (now < until) {
        expect(await shipped(now, deps)).toMatchObject({ retrying: expect.any(Number), failed: 0 });
        const pending = (await listLeadDeliveries(db, lead.accountId, lead.activityId)).filter(
          (d) => d.status === 'pending',
        );
        expect(pending.length).toBeGreaterThan(0);
        now = new Date(Math.min(...pending.map((d) => d.nextAttemptAt.getTime())));
      }
      return now;
    }

    it('keeps retrying a CRM endpoint that is down for an hour, and delivers once when it is back', async () => {
      const lead = await seedLead(db);
      const gone = await startHttpReceiver();
      const port = Number(new URL(gone.url).port);
      await gone.close(); // connections to the port are now refused
      await configureForm(db, lead.formId, { crm: [{ kind: 'crm_http', url: `${gone.url}/adf` }] });
      const t0 = new Date();
      await enqueueFor(db, lead, t0);

      // An hour of outage passes in a few real seconds: the worker's clock jumps to each due retry.
      const back = await retryUntil(lead, t0, new Date(t0.getTime() + 3600_000));
      const crm = await receiver(answer(202, 'queued'), { port });
      expect(await shipped(back)).toMatchObject({ claimed: 1, delivered: 1 });
      expect(await shipped(new Date(back.getTime() + 7 * 86_400_000))).toMatchObject({ claimed: 0 });

      expect(crm.requests).toHaveLength(1);
      const [delivery] = await listLeadDeliveries(db, lead.accountId, lead.activityId);
      expect(delivery?.status).toBe('sent');
      const outcomes = delivery?.history.map((h) => [h.outcome, h.error]) ?? [];
      expect(outcomes.length).toBeGreaterThan(2);
      expect(outcomes.slice(0, -1)).toEqual(outcomes.slice(0, -1).map(() => ['failed', 'network']));
      expect(outcomes.at(-1)).toEqual(['sent', null]);
    });

    it('holds emails while the SMTP server is down and sends each exactly once when it is back', async () => {
      const lead = await seedLead(db);
      const gone = await startSmtpCapture();
      const port = Number(new URL(gone.url).port);
      await gone.close();
      const downMailer = createMailer(gone.url);
      try {
        await configureForm(db, lead.formId, {
          recipients: ['sales@dealer.example'],
          crm: [{ kind: 'crm_email', to: 'leads@crm.example' }],
        });
        const t0 = new Date();
        expect(await enqueueFor(db, lead, t0)).toBe(2);
        const deps = { ...depsFor(db), mailer: downMailer };
        const back = await retryUntil(lead, t0, new Date(t0.getTime() + 10 * 60_000), deps);

        const up = await startSmtpCapture({ port });
        try {
          expect(await shipped(back, deps)).toMatchObject({ claimed: 2, delivered: 2 });
          expect(await shipped(new Date(back.getTime() + 7 * 86_400_000), deps)).toMatchObject({
            claimed: 0,
          });
          const mails = await up.waitFor(2);
          expect(mails.map((m) => m.envelopeTo).sort()).toEqual([
            ['leads@crm.example'],
            ['sales@dealer.example'],
          ]);
          const deliveries = await listLeadDeliveries(db, lead.accountId, lead.activityId);
          for (const delivery of deliveries) {
            expect(delivery.status).toBe('sent');
            expect(delivery.history.length).toBeGreaterThan(1);
            expect(
              delivery.history.slice(0, -1).every((h) => h.outcome === 'failed' && h.error === 'smtp'),
            ).toBe(true);
          }
        } finally {
          await up.close();
        }
      } finally {
        downMailer.close();
      }
    });

    it('ends in a visible failed state after the last attempt, and resend sends it again', async () => {
      const lead = await seedLead(db);
      let healthy = false;
      const crm = await receiver((request, index, res) =>
        answer(healthy ? 200 : 503, healthy ? 'ok' : 'busy')(request, index, res),
      );
      await configureForm(db, lead.formId, { crm: [{ kind: 'crm_http', url: crm.url }] });
      let now = new Date();
      await enqueueFor(db, lead, now);
      for (let i = 0; i < policy.maxAttempts; i += 1) {
        await worker(now);
        now = new Date(now.getTime() + policy.maxDelayMs);
      }
      let [delivery] = await listLeadDeliveries(db, lead.accountId, lead.activityId);
      expect(delivery?.status).toBe('failed');
      expect(delivery?.history).toHaveLength(policy.maxAttempts);
      expect(delivery?.lastError).toBe('busy');
      expect(await worker(now)).toMatchObject({ claimed: 0 });

      healthy = true;
      expect(await resendDelivery(db, lead.accountId, delivery?.id ?? '', now)).toBe(true);
      expect(await resendDelivery(db, randomUUID(), delivery?.id ?? '', now)).toBe(false);
      expect(await worker(now)).toMatchObject({ delivered: 1 });
      [delivery] = await listLeadDeliveries(db, lead.accountId, lead.activityId);
      expect(delivery?.status).toBe('sent');
      expect(await resendDelivery(db, lead.accountId, delivery?.id ?? '', now)).toBe(false);
    });

    it('never exports a lead marked spam inside the hold window, and sends no marked_spam webhook for it', async () => {
      const lead = await seedLead(db, { holdMinutes: 10 });
      const crm = await receiver();
      const hook = await receiver();
      const endpointId = await addEndpoint(db, lead.accountId, hook.url, [
        'lead.created',
        'lead.marked_spam',
      ]);
      await configureForm(db, lead.formId, {
        crm: [
          { kind: 'crm_http', url: crm.url },
          { kind: 'webhook', endpointId },
        ],
      });
      const t0 = new Date();
      expect(await enqueueFor(db, lead, t0)).toBe(2);
      // Held: nothing is due before the window ends.
      expect(await worker(new Date(t0.getTime() + 9 * 60_000))).toMatchObject({ claimed: 0 });

      expect(await markSpam(db, lead, new Date(t0.getTime() + 5 * 60_000))).toEqual({
        cancelled: 2,
        notified: 0,
      });
      expect(await worker(new Date(t0.getTime() + 11 * 60_000))).toMatchObject({ claimed: 0 });
      expect(crm.requests).toHaveLength(0);
      expect(hook.requests).toHaveLength(0);
    });

    it('sends lead.marked_spam when a lead is marked spam after it was exported', async () => {
      const lead = await seedLead(db);
      const hook = await receiver();
      const endpointId = await addEndpoint(db, lead.accountId, hook.url, [
        'lead.created',
        'lead.marked_spam',
      ]);
      await configureForm(db, lead.formId, { crm: [{ kind: 'webhook', endpointId }] });
      const t0 = new Date();
      await enqueueFor(db, lead, t0);
      expect(await worker(t0)).toMatchObject({ delivered: 1 });
      expect(await markSpam(db, lead, t0)).toEqual({ cancelled: 0, notified: 1 });
      expect(await worker(t0)).toMatchObject({ delivered: 1 });
      expect(hook.requests.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
        'lead.created',
        'lead.marked_spam',
      ]);
      expect(new Set(hook.requests.map((r) => r.headers['webhook-id'])).size).toBe(2);
    });

    it('cancels at claim time the deliveries of a lead quarantined meanwhile', async () => {
      const lead = await seedLead(db);
      await configureForm(db, lead.formId, { recipients: ['sales@dealer.example'] });
      const now = new Date();
      await enqueueFor(db, lead, now);
      await db.query("UPDATE activities SET status = 'quarantined' WHERE id = $1", [lead.activityId]);
      expect(await worker(now)).toMatchObject({ claimed: 1, cancelled: 1, delivered: 0 });
      const [delivery] = await listLeadDeliveries(db, lead.accountId, lead.activityId);
      expect(delivery).toMatchObject({ status: 'cancelled', lastError: 'lead is quarantined' });
    });

    it('fails at once, without retries, a webhook whose URL the guard refuses', async () => {
      const lead = await seedLead(db);
      const hook = await receiver();
      const endpointId = await addEndpoint(db, lead.accountId, hook.url, ['lead.created']);
      await configureForm(db, lead.formId, { crm: [{ kind: 'webhook', endpointId }] });
      const now = new Date();
      await enqueueFor(db, lead, now);
      const report = await runDeliveryBatch({
        repository: createDeliveryRepository(db),
        deps: { ...depsFor(db), guard: { allowPrivate: false } },
        now: () => now,
        retry: policy,
      });
      expect(report).toMatchObject({ claimed: 1, failed: 1 });
      expect(hook.requests).toHaveLength(0);
      const [delivery] = await listLeadDeliveries(db, lead.accountId, lead.activityId);
      expect(delivery?.history.map((h) => h.error)).toEqual(['blocked_url']);
    });

    it('sends lead.deleted for a deleted lead and cancels what it had not sent', async () => {
      const lead = await seedLead(db, { holdMinutes: 10 });
      const crm = await receiver();
      const hook = await receiver();
      const endpointId = await addEndpoint(db, lead.accountId, hook.url, ['lead.deleted']);
      await configureForm(db, lead.formId, { crm: [{ kind: 'crm_http', url: crm.url }] });
      const now = new Date();
      await enqueueFor(db, lead, now);
      const added = await db.transaction(async (tx) => {
        await tx.query("UPDATE activities SET status = 'deleted' WHERE id = $1", [lead.activityId]);
        return onLeadLifecycleEvent(tx, {
          ...lead,
          event: 'lead.deleted',
          data: { leadId: lead.activityId },
          now,
        });
      });
      expect(added).toBe(1);
      expect(await worker(new Date(now.getTime() + 11 * 60_000))).toMatchObject({ claimed: 1, delivered: 1 });
      expect(crm.requests).toHaveLength(0);
      expect(JSON.parse(hook.requests[0]?.body ?? '{}')).toMatchObject({
        type: 'lead.deleted',
        data: { leadId: lead.activityId },
      });
      const statuses = (await listLeadDeliveries(db, lead.accountId, lead.activityId)).map((d) => [
        d.kind,
        d.target,
        d.status,
      ]);
      expect(statuses).toEqual(
        expect.arrayContaining([
          ['crm_http', crm.url, 'cancelled'],
          ['webhook', endpointId, 'sent'],
        ]),
      );
    });

    it('lets another worker take over a delivery whose worker died mid-attempt, once the lease ends', async () => {
      const lead = await seedLead(db);
      const crm = await receiver();
      await configureForm(db, lead.formId, { crm: [{ kind: 'crm_http', url: crm.url }] });
      const now = new Date();
      await enqueueFor(db, lead, now);
      const repository = createDeliveryRepository(db);
      // A worker claims and vanishes: nothing is recorded, the row stays "processing" under its lease.
      const [lost] = await repository.claimDue({ now, limit: 10, leaseMs: 60_000, workerId: 'dead' });
      expect(lost?.attempts).toBe(1);
      expect(await worker(new Date(now.getTime() + 30_000))).toMatchObject({ claimed: 0 });
      expect(await worker(new Date(now.getTime() + 61_000), { workerId: 'alive' })).toMatchObject({
        claimed: 1,
        delivered: 1,
      });
      // The dead worker coming back late records its attempt but cannot move the row.
      if (lost)
        await repository.finishAttempt({
          delivery: lost,
          workerId: 'dead',
          startedAt: now,
          outcome: { ok: false, retryable: true, statusCode: 500, snippet: 'late', durationMs: 1 },
          next: { status: 'failed' },
        });
      const [delivery] = await listLeadDeliveries(db, lead.accountId, lead.activityId);
      expect(delivery).toMatchObject({ status: 'sent', attempts: 2 });
      expect(delivery?.history).toHaveLength(2);
      expect(crm.requests).toHaveLength(1);
    });

    it.skipIf(backend.name !== 'PostgreSQL')(
      'never hands one delivery to two workers claiming at once',
      async () => {
        const first = await seedLead(db);
        const recipients = Array.from({ length: 30 }, (_, i) => `r${i}@dealer.example`);
        await configureForm(db, first.formId, { recipients });
        const now = new Date();
        await enqueueFor(db, first, now);
        const repository = createDeliveryRepository(db);
        const claims = await Promise.all(
          ['w1', 'w2', 'w3'].map((workerId) =>
            repository.claimDue({ now, limit: 12, leaseMs: 60_000, workerId }),
          ),
        );
        const ids = claims.flat().map((c) => c.id);
        expect(ids.length).toBe(30);
        expect(new Set(ids).size).toBe(30);
      },
    );
  });
}
