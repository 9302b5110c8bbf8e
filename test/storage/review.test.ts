import { expect, it } from 'vitest';
import { listActivityDeliveries } from '../../src/db/repositories/deliveries.ts';
import { listActivityHistory } from '../../src/db/repositories/history.ts';
import { listActiveTrainingMarks } from '../../src/db/repositories/training-marks.ts';
import {
  blockDomainFromActivity,
  blockEmailFromActivity,
  countQuarantine,
  createItem,
  deleteActivity,
  getContact,
  getLead,
  ingestLead,
  listLeads,
  markNotSpam,
  markSpam,
  purgeExpiredQuarantine,
  undoTrainingMark,
} from '../../src/services/index.ts';
import type { ServiceDeps } from '../../src/services/index.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { createTenant, depsFor, hamLead, spamLead } from './fixtures.ts';
import type { Tenant } from './fixtures.ts';

const staff = { userId: null, via: 'panel' } as const;
const DAY = 86_400_000;

async function quarantined(deps: ServiceDeps, tenant: Tenant, n: number, receivedAt = new Date()) {
  return ingestLead(deps, {
    accountId: tenant.accountId,
    formId: tenant.formId,
    lead: spamLead(n),
    receivedAt,
  });
}

describeEachDatabase('review lifecycle', (getDb) => {
  async function setup(name: string, now?: () => Date) {
    const deps = depsFor(getDb(), now);
    const tenant = await createTenant(deps, name);
    await createItem(deps, 'keywords', tenant.accountId, { phrase: 'casino' }, staff);
    return { deps, tenant };
  }

  it('releases a quarantined lead as if it had never been quarantined: deliveries created, a ham mark', async () => {
    const { deps, tenant } = await setup('Release Motors');
    const lead = await quarantined(deps, tenant, 1);
    expect(await listActivityDeliveries(deps.db, tenant.accountId, lead.activityId)).toEqual([]);
    expect(await markNotSpam(deps, tenant.accountId, lead.activityId, staff)).toBe(true);
    expect(await getLead(deps, tenant.accountId, lead.activityId)).toMatchObject({ status: 'active' });
    const deliveries = await listActivityDeliveries(deps.db, tenant.accountId, lead.activityId);
    expect(deliveries.map((d) => d.kind)).toEqual(['notification']);
    // Releasing twice never delivers twice.
    await markNotSpam(deps, tenant.accountId, lead.activityId, staff);
    expect(await listActivityDeliveries(deps.db, tenant.accountId, lead.activityId)).toHaveLength(1);
    const marks = await listActiveTrainingMarks(deps.db, tenant.accountId);
    expect(marks.filter((m) => m.activity_id === lead.activityId).map((m) => m.label)).toEqual(['ham']);
    const history = await listActivityHistory(deps.db, tenant.accountId, lead.activityId);
    expect(history.map((h) => [h.type, h.via])).toEqual([
      ['received', 'system'],
      ['quarantined', 'system'],
      ['marked_not_spam', 'panel'],
      ['marked_not_spam', 'panel'],
    ]);
  });

  it('marking an active lead as spam quarantines it and cancels its pending deliveries; undo unlearns', async () => {
    const { deps, tenant } = await setup('Spam Motors');
    const lead = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(1),
      receivedAt: new Date(),
    });
    expect(await markSpam(deps, tenant.accountId, lead.activityId, staff)).toBe(true);
    expect(await getLead(deps, tenant.accountId, lead.activityId)).toMatchObject({ status: 'quarantined' });
    const deliveries = await listActivityDeliveries(deps.db, tenant.accountId, lead.activityId);
    expect(deliveries.map((d) => d.status)).toEqual(['cancelled']);
    expect(await countQuarantine(deps, tenant.accountId)).toBe(1);
    expect(await undoTrainingMark(deps, tenant.accountId, lead.activityId, staff)).toBe(true);
    const marks = await listActiveTrainingMarks(deps.db, tenant.accountId);
    expect(marks.some((m) => m.activity_id === lead.activityId)).toBe(false);
  });

  it('quarantines every future lead from an email blocked from a lead, and marks that lead spam', async () => {
    const { deps, tenant } = await setup('Block Motors');
    const first = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(1, { email: 'Pushy@Seller.example' }),
      receivedAt: new Date(),
    });
    expect(first.verdict.outcome).toBe('ham');
    expect(await blockEmailFromActivity(deps, tenant.accountId, first.activityId, staff)).toBe(true);
    expect(await getLead(deps, tenant.accountId, first.activityId)).toMatchObject({ status: 'quarantined' });
    const next = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(2, { email: 'pushy@seller.example' }),
      receivedAt: new Date(),
    });
    expect(next.verdict).toMatchObject({ outcome: 'quarantine', decidedBy: 'block_rule' });
  });

  it('blocks a domain from a lead but refuses a shared mail provider', async () => {
    const { deps, tenant } = await setup('Domain Motors');
    const corporate = await quarantined(deps, tenant, 2);
    expect(await blockDomainFromActivity(deps, tenant.accountId, corporate.activityId, staff)).toBe(true);
    const next = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(3, { email: 'someone@mail.spam.example' }),
      receivedAt: new Date(),
    });
    expect(next.verdict.decidedBy).toBe('block_rule');
    const gmail = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(4, { email: 'someone@gmail.com' }),
      receivedAt: new Date(),
    });
    await expect(
      blockDomainFromActivity(deps, tenant.accountId, gmail.activityId, staff),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      statusCode: 400,
    });
  });

  it('deletes softly: gone from lists and lookups, the contact and a history line stay', async () => {
    const { deps, tenant } = await setup('Delete Motors');
    const lead = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(5),
      receivedAt: new Date(),
    });
    expect(await deleteActivity(deps, tenant.accountId, lead.activityId, staff)).toBe(true);
    expect(await getLead(deps, tenant.accountId, lead.activityId)).toBeUndefined();
    expect(await deleteActivity(deps, tenant.accountId, lead.activityId, staff)).toBe(false);
    expect(await markNotSpam(deps, tenant.accountId, lead.activityId, staff)).toBe(false);
    const inbox = await listLeads(deps, tenant.accountId, { view: 'inbox', includeSpam: true, limit: 50 });
    expect(inbox.items.some((item) => item.id === lead.activityId)).toBe(false);
    const contact = await getContact(deps, tenant.accountId, lead.contactId);
    expect(contact?.history).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'deleted', activityId: lead.activityId })]),
    );
  });

  it('purges quarantined leads after the retention period only, once, keeping contact and history', async () => {
    const { deps, tenant } = await setup('Retention Motors');
    const now = Date.now();
    const old = await quarantined(deps, tenant, 6, new Date(now - 31 * DAY));
    const recent = await quarantined(deps, tenant, 7, new Date(now - 29 * DAY));
    const active = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(8),
      receivedAt: new Date(now - 60 * DAY),
    });
    // Two instances running the job at once split the work instead of doubling it.
    const [a, b] = await Promise.all([
      purgeExpiredQuarantine(deps, new Date(now)),
      purgeExpiredQuarantine(deps, new Date(now)),
    ]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    expect(await getLead(deps, tenant.accountId, old.activityId)).toBeUndefined();
    expect(await getLead(deps, tenant.accountId, recent.activityId)).toMatchObject({ status: 'quarantined' });
    expect(await getLead(deps, tenant.accountId, active.activityId)).toMatchObject({ status: 'active' });
    const history = await listActivityHistory(deps.db, tenant.accountId, old.activityId);
    expect(history.filter((h) => h.type === 'deleted')).toEqual([
      expect.objectContaining({ via: 'system', detail: { reason: 'retention' } }),
    ]);
    expect(await getContact(deps, tenant.accountId, old.contactId)).toMatchObject({
      email: 'promo6@spam.example',
    });
    expect(await purgeExpiredQuarantine(deps, new Date(now))).toBe(0);
  });

  it('clears the content of a deleted lead once the retention period has passed', async () => {
    const { deps, tenant } = await setup('Forget Motors');
    const lead = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(11),
      receivedAt: new Date(),
    });
    await deleteActivity(deps, tenant.accountId, lead.activityId, staff);
    const stored = () =>
      deps.db.query<{ email: string | null; message: string | null }>(
        'SELECT email, message FROM activities WHERE id = $1',
        [lead.activityId],
      );
    await purgeExpiredQuarantine(deps, new Date(Date.now() + DAY));
    expect((await stored())[0]?.email).toBe('pat11@buyer.example');
    await purgeExpiredQuarantine(deps, new Date(Date.now() + 31 * DAY));
    expect(await stored()).toEqual([{ email: null, message: null }]);
  });

  it('lists the quarantine newest first with its main reason and auto-delete date', async () => {
    const { deps, tenant } = await setup('Quarantine Motors');
    const now = Date.now();
    await quarantined(deps, tenant, 9, new Date(now - 2 * DAY));
    const newest = await quarantined(deps, tenant, 10, new Date(now - DAY));
    const page = await listLeads(deps, tenant.accountId, { view: 'quarantine', limit: 10 });
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({
      id: newest.activityId,
      mainCheck: 'keywords',
      deleteAt: new Date(now - DAY + 30 * DAY).toISOString(),
    });
  });
});
