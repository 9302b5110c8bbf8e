import { expect, it } from 'vitest';
import { countActivities } from '../../src/db/repositories/activities.ts';
import {
  createItem,
  getReport,
  ingestLead,
  listLeads,
  markNotSpam,
  markSpam,
} from '../../src/services/index.ts';
import type { Lead } from '../../src/engine/types.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { createTenant, depsFor, hamLead, spamLead } from './fixtures.ts';

const staff = { userId: null, via: 'panel' } as const;
const DAY = 86_400_000;
const base = Date.UTC(2026, 6, 1, 12);

describeEachDatabase('panel lists and reports at scale', (getDb) => {
  async function tenantWithKeyword(name: string) {
    const deps = depsFor(getDb());
    const t = await createTenant(deps, name);
    await createItem(deps, 'keywords', t.accountId, { phrase: 'casino' }, staff);
    const ingest = (lead: Lead, at: number, formId: string | null = t.formId) =>
      ingestLead(deps, { accountId: t.accountId, formId, lead, receivedAt: new Date(at) });
    return { deps, t, ingest };
  }

  it('counts a page total only up to the cap asked for', async () => {
    const { deps, t, ingest } = await tenantWithKeyword('Cap Motors');
    for (let n = 0; n < 5; n += 1) await ingest(hamLead(n), base + n * 1000);
    const filter = { statuses: ['active'] as const, limit: 50 };
    expect(await countActivities(deps.db, t.accountId, filter, 3)).toBe(3);
    expect(await countActivities(deps.db, t.accountId, filter, 10)).toBe(5);
    const page = await listLeads(deps, t.accountId, { view: 'inbox', limit: 2 });
    expect(page).toMatchObject({ total: 5 });
    expect(page.totalCapped).toBeUndefined();
  });

  it('counts the whole quarantine exactly, as the badge does', async () => {
    const { deps, t, ingest } = await tenantWithKeyword('Badge Motors');
    for (let n = 0; n < 3; n += 1) await ingest(spamLead(n), base + n * 1000);
    const kept = await ingest(hamLead(1), base + 5000);
    await markSpam(deps, t.accountId, kept.activityId, staff);
    const page = await listLeads(deps, t.accountId, { view: 'quarantine', limit: 1 });
    expect(page.total).toBe(4);
    expect(page.items).toHaveLength(1);
  });

  it('matches what staff type literally: % _ and \\ are not wildcards', async () => {
    const { deps, t, ingest } = await tenantWithKeyword('Literal Motors');
    const underscore = await ingest(hamLead(1, { message: 'Stock no. A_7 please' }), base);
    const backslash = await ingest(hamLead(2, { message: 'Path C:\\trade-in' }), base + 1000);
    await ingest(hamLead(3, { message: 'Stock no. AB7 and 100 percent' }), base + 2000);
    const search = (text: string) =>
      listLeads(deps, t.accountId, { view: 'search', text, limit: 50 }).then((p) => p.items.map((i) => i.id));
    expect(await search('a_7')).toEqual([underscore.activityId]);
    expect(await search('c:\\trade')).toEqual([backslash.activityId]);
    expect(await search('100%')).toEqual([]);
    // Digits typed without the phone's formatting still find it, through the free-text box too.
    expect(await search('4155551002')).toEqual([backslash.activityId]);
  });

  it("reports leads by source, and each released lead once in its check's release rate", async () => {
    const { deps, t, ingest } = await tenantWithKeyword('Source Motors');
    await ingest(hamLead(1), base);
    await ingest(hamLead(2, { channel: 'akismet' }), base + DAY, null);
    await ingest(hamLead(3, { channel: 'akismet' }), base + DAY, null);
    const spam = await ingest(spamLead(1), base + 2 * DAY);
    await ingest(spamLead(2, { channel: 'akismet' }), base + 2 * DAY, null);
    // Released, caught again by staff, released again: still one release.
    await markNotSpam(deps, t.accountId, spam.activityId, staff);
    await markSpam(deps, t.accountId, spam.activityId, staff);
    await markNotSpam(deps, t.accountId, spam.activityId, staff);
    const period = { from: new Date(base - DAY), to: new Date(base + 3 * DAY) };
    const report = await getReport(deps, t.accountId, { ...period, includeSpam: true });
    expect(report.bySource).toEqual([
      { source: 'akismet', active: 2, quarantined: 1 },
      { source: 'form', active: 2, quarantined: 0 },
    ]);
    expect(report.releaseRateByCheck).toEqual([
      { check: 'keywords', quarantined: 2, released: 1, rate: 0.5 },
    ]);
    const activeOnly = await getReport(deps, t.accountId, period);
    expect(activeOnly.bySource).toEqual([
      { source: 'form', active: 2 },
      { source: 'akismet', active: 2 },
    ]);
  });
});
