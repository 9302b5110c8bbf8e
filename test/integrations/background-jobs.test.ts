// The background jobs as main starts them: the worker picks up a new delivery by itself and both loops stop cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountById, findFormById } from '../../src/db/repositories/accounts.ts';
import { insertDeliveries } from '../../src/db/repositories/deliveries.ts';
import { CompiledConfigCache } from '../../src/engine/compile.ts';
import { startBackgroundJobs } from '../../src/jobs/background-jobs.ts';
import { listLeadDeliveries } from '../../src/jobs/delivery-reads.ts';
import { buildDeliveries } from '../../src/services/deliveries-for.ts';
import { purgeExpiredQuarantine } from '../../src/services/review.ts';
import { startSmtpCapture } from './support/smtp-capture.ts';
import type { SmtpCapture } from './support/smtp-capture.ts';
import { openPgliteTestDb, seedLead } from './support/test-db.ts';
import type { TestDb } from './support/test-db.ts';

let smtp: SmtpCapture;
let testDb: TestDb;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  testDb = await openPgliteTestDb();
});

afterAll(async () => {
  await smtp.close();
  await testDb.close();
});

describe('startBackgroundJobs', () => {
  it('delivers a notification enqueued after start, from the configured sender, then stops', async () => {
    const { db } = testDb;
    const jobs = startBackgroundJobs({
      db,
      config: {
        smtpUrl: smtp.url,
        publicUrl: 'https://leads.example.com',
        secretKey: 'background-secret-0123456789abcdef012345',
        allowPrivateUrls: false,
        port: 3000,
      },
      purge: (tx, now) => purgeExpiredQuarantine({ db: tx, configCache: new CompiledConfigCache() }, now),
      pollMs: 50,
    });
    try {
      const lead = await seedLead(db);
      await db.query('UPDATE forms SET notification_recipients = $2 WHERE id = $1', [
        lead.formId,
        ['sales@dealer.example'],
      ]);
      const account = await findAccountById(db, lead.accountId);
      const form = await findFormById(db, lead.accountId, lead.formId);
      if (!account || !form) throw new Error('seed missing');
      await insertDeliveries(
        db,
        buildDeliveries({ ...lead, email: undefined, emailValid: false }, account, form, new Date()),
      );
      const [mail] = await smtp.waitFor(1);
      expect(mail?.envelopeFrom).toBe('leadguard@leads.example.com');
      expect(mail?.envelopeTo).toEqual(['sales@dealer.example']);
      await jobs.stop();
      const [delivery] = await listLeadDeliveries(db, lead.accountId, lead.activityId);
      expect(delivery?.status).toBe('sent');
    } finally {
      await jobs.stop();
    }
  });
});
