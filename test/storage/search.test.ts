import { expect, it } from 'vitest';
import {
  createItem,
  getContact,
  getReport,
  ingestLead,
  listLeads,
  markNotSpam,
  markSpam,
} from '../../src/services/index.ts';
import { clearActivityContent } from '../../src/db/repositories/activities.ts';
import { indexQueuedLeads } from '../../src/jobs/search-indexer.ts';
import { ingestLeads } from '../../src/services/ingest.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { createTenant, depsFor, hamLead, spamLead } from './fixtures.ts';

const staff = { userId: null, via: 'panel' } as const;
const DAY = 86_400_000;

describeEachDatabase('search, paging, timeline and reports', (getDb) => {
  async function seed(name: string) {
    const deps = depsFor(getDb());
    const t = await createTenant(deps, name);
    const other = await createTenant(deps, `${name} Other`);
    await createItem(deps, 'keywords', t.accountId, { phrase: 'casino' }, staff);
    const base = Date.UTC(2026, 5, 1, 12);
    const ids: string[] = [];
    for (let n = 0; n < 7; n += 1) {
      const lead = hamLead(n, {
        name: n === 3 ? 'Zoë Quartermaine' : `Pat Buyer ${n}`,
        message: n === 4 ? 'Looking for a red minivan with third-row seats' : hamLead(n).message,
      });
      const result = await ingestLead(deps, {
        accountId: t.accountId,
        formId: t.formId,
        lead,
        receivedAt: new Date(base + n * DAY),
      });
      ids.push(result.activityId);
    }
    const spam = await ingestLead(deps, {
      accountId: t.accountId,
      formId: t.formId,
      lead: spamLead(1),
      receivedAt: new Date(base + 8 * DAY),
    });
    // Another tenant's lead that matches every search must never show up.
    await ingestLead(deps, {
      accountId: other.accountId,
      formId: other.formId,
      lead: hamLead(3, { name: 'Zoë Quartermaine' }),
      receivedAt: new Date(base),
    });
    return { deps, t, ids, spam, base };
  }

  it('pages the inbox newest first with a cursor, without gaps or repeats', async () => {
    const { deps, t, ids } = await seed('Paging Motors');
    const first = await listLeads(deps, t.accountId, { view: 'inbox', limit: 3 });
    expect(first.total).toBe(7);
    const second = await listLeads(deps, t.accountId, { view: 'inbox', limit: 3, cursor: first.nextCursor });
    const third = await listLeads(deps, t.accountId, { view: 'inbox', limit: 3, cursor: second.nextCursor });
    expect(third.nextCursor).toBeUndefined();
    const seen = [...first.items, ...second.items, ...third.items].map((item) => item.id);
    expect(seen).toEqual([...ids].reverse());
  });

  it('searches by name, email, phone, text, date and form, with spam hidden unless asked', async () => {
    const { deps, t, ids, spam, base } = await seed('Search Motors');
    const search = (query: Partial<Parameters<typeof listLeads>[2]>) =>
      listLeads(deps, t.accountId, { view: 'search', limit: 50, ...query }).then((page) =>
        page.items.map((item) => item.id),
      );
    expect(await search({ name: 'quarterMAINE' })).toEqual([ids[3]]);
    expect(await search({ email: 'PAT5@' })).toEqual([ids[5]]);
    expect(await search({ phone: '(415) 555-1002' })).toEqual([ids[2]]);
    expect(await search({ text: 'Red Minivan' })).toEqual([ids[4]]);
    expect(await search({ from: new Date(base + DAY), to: new Date(base + 3 * DAY) })).toEqual([
      ids[2],
      ids[1],
    ]);
    expect(await search({ formId: t.formId })).toHaveLength(7);
    expect(await search({ text: 'casino' })).toEqual([]);
    expect(await search({ text: 'casino', includeSpam: true })).toEqual([spam.activityId]);
    expect(await search({ text: '%' })).toEqual([]);
  });

  it("shows a contact's timeline: activities and history lines", async () => {
    const { deps, t, spam } = await seed('Timeline Motors');
    await markNotSpam(deps, t.accountId, spam.activityId, staff);
    const again = await ingestLead(deps, {
      accountId: t.accountId,
      formId: t.formId,
      lead: spamLead(1, { message: 'Second note' }),
      receivedAt: new Date(),
    });
    const contact = await getContact(deps, t.accountId, again.contactId);
    expect(contact).toMatchObject({ email: 'promo1@spam.example' });
    expect((contact?.activities as unknown[]).length).toBe(2);
    expect((contact?.history as { type: string }[]).map((h) => h.type)).toEqual(
      expect.arrayContaining(['received', 'quarantined', 'marked_not_spam']),
    );
  });

  it('reports leads per day, per form, quarantine reasons and the release rate per check', async () => {
    const { deps, t, spam, base } = await seed('Report Motors');
    const other = await ingestLead(deps, {
      accountId: t.accountId,
      formId: t.formId,
      lead: spamLead(2),
      receivedAt: new Date(base + 8 * DAY),
    });
    await markNotSpam(deps, t.accountId, spam.activityId, staff);
    const report = await getReport(deps, t.accountId, {
      from: new Date(base),
      to: new Date(base + 10 * DAY),
      includeSpam: true,
    });
    expect(report.totals).toEqual({ active: 8, quarantined: 1 });
    expect(report.quarantineReasons).toEqual([{ check: 'keywords', count: 1 }]);
    expect(report.releaseRateByCheck).toEqual([
      { check: 'keywords', quarantined: 2, released: 1, rate: 0.5 },
    ]);
    expect(report.byForm).toEqual([expect.objectContaining({ formId: t.formId, active: 8, quarantined: 1 })]);
    const hidden = await getReport(deps, t.accountId, {
      from: new Date(base),
      to: new Date(base + 10 * DAY),
    });
    expect(hidden.totals).toEqual({ active: 8 });
    expect(other.verdict.outcome).toBe('quarantine');
    await expect(
      getReport(deps, t.accountId, { from: new Date(base), to: new Date(base) }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('finds the same leads whether they wait for the search indexer, are indexed, or changed since', async () => {
    const { deps, t, ids } = await seed('Indexer Motors');
    const db = getDb();
    const search = (text: string) =>
      listLeads(deps, t.accountId, { view: 'search', text, limit: 50 }).then((page) =>
        page.items.map((item) => item.id),
      );
    const queued = async () =>
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM lead_search_queue'))[0]?.n ?? -1;
    // Stored leads are queued, not yet indexed: the search reads their text directly.
    expect(await queued()).toBeGreaterThanOrEqual(9);
    expect(await search('red minivan')).toEqual([ids[4]]);
    // Half indexed, half queued (the indexer takes any 4): still every match, once each.
    expect(await indexQueuedLeads(db, 4)).toBe(4);
    expect(await search('pat buyer')).toEqual([6, 5, 4, 2, 1, 0].map((n) => ids[n]));
    while ((await indexQueuedLeads(db, 100)) > 0);
    expect(await queued()).toBe(0);
    expect(await search('red minivan')).toEqual([ids[4]]);
    expect(await search('zoë')).toEqual([ids[3]]);
    // Changed content leaves the index at once and is queued to be indexed again.
    await db.query(`UPDATE activities SET subject = 'Trade-in question' WHERE id = $1`, [ids[5]]);
    expect(await queued()).toBe(1);
    expect(await search('trade-in question')).toEqual([ids[5]]);
    expect(await indexQueuedLeads(db, 100)).toBe(1);
    expect(await search('trade-in question')).toEqual([ids[5]]);
    // Wiped content (retention) leaves the index and is not queued: there is nothing left to find.
    await clearActivityContent(db, [ids[4] as string]);
    expect(await queued()).toBe(0);
    expect(await search('red minivan')).toEqual([]);
    const [stale] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM lead_search WHERE activity_id = $1',
      [ids[4]],
    );
    expect(stale?.n).toBe(0);
    // Another account's matching lead, indexed too, never shows up.
    expect(await search('quartermaine')).toEqual([ids[3]]);
    // A page the newest leads fill, then the next one from the cursor (the wiped lead 4 no longer matches).
    const first = await listLeads(deps, t.accountId, { view: 'search', text: 'pat buyer', limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual([ids[6], ids[5]]);
    const second = await listLeads(deps, t.accountId, {
      view: 'search',
      text: 'pat buyer',
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
  });

  it('indexes active leads only: spam is found by its text, joins the index when released, leaves it when marked', async () => {
    const { deps, t, ids, spam } = await seed('Inbox Only Motors');
    const db = getDb();
    const search = (text: string, includeSpam = false) =>
      listLeads(deps, t.accountId, { view: 'search', text, includeSpam, limit: 50 }).then((page) =>
        page.items.map((item) => item.id),
      );
    const place = async (id: string | undefined) => {
      const [row] = await db.query<{ queued: number; indexed: number }>(
        `SELECT (SELECT count(*)::int FROM lead_search_queue WHERE activity_id = $1) AS queued,
                (SELECT count(*)::int FROM lead_search WHERE activity_id = $1) AS indexed`,
        [id],
      );
      return row;
    };
    while ((await indexQueuedLeads(db, 100)) > 0);
    // The quarantined lead was never queued nor indexed, and a search that shows spam still finds it, once.
    expect(await place(spam.activityId)).toEqual({ queued: 0, indexed: 0 });
    expect(await search('casino', true)).toEqual([spam.activityId]);
    expect(await search('pat buyer promo', true)).toEqual([]);
    const count = await listLeads(deps, t.accountId, {
      view: 'search',
      text: 'buyer',
      includeSpam: true,
      limit: 2,
    });
    expect(count.total).toBe(7);
    // Released: queued, found while it waits, then indexed.
    await markNotSpam(deps, t.accountId, spam.activityId, staff);
    expect(await place(spam.activityId)).toEqual({ queued: 1, indexed: 0 });
    expect(await search('casino')).toEqual([spam.activityId]);
    expect(await indexQueuedLeads(db, 100)).toBe(1);
    expect(await place(spam.activityId)).toEqual({ queued: 0, indexed: 1 });
    expect(await search('casino')).toEqual([spam.activityId]);
    // An indexed lead marked as spam leaves the index at once and is found by its text, among spam only.
    await markSpam(deps, t.accountId, ids[4] as string, staff);
    expect(await place(ids[4])).toEqual({ queued: 0, indexed: 0 });
    expect(await search('red minivan')).toEqual([]);
    expect(await search('red minivan', true)).toEqual([ids[4]]);
    // Mixed pages keep the order newest first across indexed and unindexed leads.
    expect(await search('pat', true)).toEqual([6, 5, 4, 3, 2, 1, 0].map((n) => ids[n]));
  });

  it('finds a rare word in an old lead past the newest two thousand, and counts a common one', async () => {
    const db = getDb();
    const deps = depsFor(db);
    const t = await createTenant(deps, 'Deep Search Motors');
    const base = Date.UTC(2026, 0, 1);
    const leads = Array.from({ length: 2100 }, (_, n) => ({
      accountId: t.accountId,
      formId: t.formId,
      // Each message its own, so no lead is held as a duplicate body.
      lead: hamLead(n, {
        message: n === 0 ? 'Do you have a turquoise convertible?' : `Is Corolla number ${n} still available?`,
      }),
      receivedAt: new Date(base + n * 60_000),
    }));
    const [oldest] = await ingestLeads(deps, leads);
    while ((await indexQueuedLeads(db, 1000)) > 0);
    const page = await listLeads(deps, t.accountId, { view: 'search', text: 'turquoise', limit: 50 });
    expect(page.items.map((item) => item.id)).toEqual([oldest?.activityId]);
    expect(page.total).toBe(1);
    const common = await listLeads(deps, t.accountId, { view: 'search', text: 'corolla', limit: 50 });
    expect(common.items).toHaveLength(50);
    expect(common.totalCapped ? 'capped' : common.total).toBe('capped');
  });
});
