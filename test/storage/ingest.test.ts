import { expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { SAME_BODY_READ_LIMIT } from '../../src/db/repositories/activities.ts';
import { listActivityDeliveries } from '../../src/db/repositories/deliveries.ts';
import { listActivityHistory } from '../../src/db/repositories/history.ts';
import { issueRenderToken } from '../../src/engine/render-token.ts';
import type { Verdict } from '../../src/engine/types.ts';
import {
  createDomainServices,
  createIngestBatcher,
  createItem,
  getLead,
  ingestLead,
  ingestLeads,
  purgeExpiredNonces,
} from '../../src/services/index.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { createTenant, depsFor, hamLead, spamLead } from './fixtures.ts';

/** The duplicate_body check's reason on a verdict, if it fired. */
const duplicateReason = (verdict: Verdict | undefined) =>
  verdict?.signals.find((signal) => signal.check === 'duplicate_body')?.reason;

/** A valid render token for the form, issued a minute before `now` (past the too-fast limit, far from expiry). */
const minuteOldToken = (deps: { renderTokenSecret?: string }, formKey: string, now: number) =>
  issueRenderToken({ secret: deps.renderTokenSecret ?? '', formKey, now: now - 60_000 });

describeEachDatabase('ingest', (getDb) => {
  it('stores a ham lead as active with its notification delivery and a received line', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Ham Motors');
    const result = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(1),
      receivedAt: new Date(),
    });
    expect(result.verdict.outcome).toBe('ham');
    const lead = await getLead(deps, tenant.accountId, result.activityId);
    expect(lead).toMatchObject({ status: 'active', email: 'pat1@buyer.example', formName: 'Contact us' });
    const deliveries = await listActivityDeliveries(getDb(), tenant.accountId, result.activityId);
    expect(deliveries.map((d) => [d.kind, d.status])).toEqual([['notification', 'pending']]);
    const history = await listActivityHistory(getDb(), tenant.accountId, result.activityId);
    expect(history.map((h) => h.type)).toEqual(['received']);
  });

  it('quarantines a lead with an account keyword, with no deliveries and its reason', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Keyword Motors');
    await createItem(deps, 'keywords', tenant.accountId, { phrase: 'casino' }, { userId: null, via: 'api' });
    const result = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: spamLead(1),
      receivedAt: new Date(),
    });
    expect(result.verdict.outcome).toBe('quarantine');
    const lead = await getLead(deps, tenant.accountId, result.activityId);
    expect(lead).toMatchObject({ status: 'quarantined', mainCheck: 'keywords' });
    expect(String(lead?.mainReason)).toContain('casino');
    expect(await listActivityDeliveries(getDb(), tenant.accountId, result.activityId)).toEqual([]);
    const history = await listActivityHistory(getDb(), tenant.accountId, result.activityId);
    expect(history.map((h) => h.type)).toEqual(['received', 'quarantined']);
  });

  it('files leads with the same email or phone under one contact', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Contact Motors');
    const base = { accountId: tenant.accountId, formId: tenant.formId, receivedAt: new Date() };
    const first = await ingestLead(deps, {
      ...base,
      lead: hamLead(7, { email: 'Same@Buyer.example', phone: undefined }),
    });
    const second = await ingestLead(deps, {
      ...base,
      lead: hamLead(8, { email: 'same@buyer.example ', phone: '415 555 0101' }),
    });
    const third = await ingestLead(deps, {
      ...base,
      lead: hamLead(9, { email: undefined, phone: '+1 415-555-0101' }),
    });
    const other = await ingestLead(deps, { ...base, lead: hamLead(10) });
    expect(second.contactId).toBe(first.contactId);
    expect(third.contactId).toBe(first.contactId);
    expect(other.contactId).not.toBe(first.contactId);
  });

  it('stores text with NUL characters and lone surrogates instead of failing', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Hostile Motors');
    const result = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(2, {
        message: 'hello\u0000world \ud800 end',
        fields: { 'k\u0000ey': ['a\u0000', { deep: '\udc00' }] },
      }),
      receivedAt: new Date(),
    });
    const lead = await getLead(deps, tenant.accountId, result.activityId);
    expect(lead?.message).toBe('hello\ufffdworld \ufffd end');
    expect(lead?.fields).toEqual({ 'k\ufffdey': ['a\ufffd', { deep: '\ufffd' }] });
  });

  it('tells a replayed render token by its nonce', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Token Motors');
    const now = Date.now();
    const token = minuteOldToken(deps, tenant.formKey, now);
    const input = {
      accountId: tenant.accountId,
      formId: tenant.formId,
      receivedAt: new Date(now),
      lead: hamLead(3, { renderToken: token }),
    };
    const first = await ingestLead(deps, input);
    const second = await ingestLead(deps, input);
    const replay = (v: typeof first.verdict) =>
      v.signals.some((s) => s.reason === 'render token was already used');
    expect(replay(first.verdict)).toBe(false);
    expect(replay(second.verdict)).toBe(true);
    // Once the token has expired its nonce is dropped; before that it stays.
    expect(await purgeExpiredNonces(deps, new Date(now))).toBe(0);
    expect(await purgeExpiredNonces(deps, new Date(now + 2 * 86_400_000))).toBeGreaterThanOrEqual(1);
  });

  it('claims a token sent with whitespace around it as the check reads it: a second use is a replay', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Padded Token Motors');
    const now = Date.now();
    const token = minuteOldToken(deps, tenant.formKey, now);
    const base = { accountId: tenant.accountId, formId: tenant.formId, receivedAt: new Date(now) };
    const [first, second] = await ingestLeads(deps, [
      { ...base, lead: hamLead(4, { renderToken: ` ${token}\n` }) },
      { ...base, lead: hamLead(5, { renderToken: token }) },
    ]);
    const third = await ingestLead(deps, { ...base, lead: hamLead(6, { renderToken: `\t${token} ` }) });
    const tokenReasons = (verdict: Verdict | undefined) =>
      verdict?.signals.filter((s) => s.check === 'render_token').map((s) => s.reason);
    // A valid token read once: no other render-token finding than the replay.
    expect(tokenReasons(first?.verdict)).toEqual([]);
    expect(tokenReasons(second?.verdict)).toEqual(['render token was already used']);
    expect(tokenReasons(third.verdict)).toEqual(['render token was already used']);
  });

  it('counts other senders of the same body', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Template Motors');
    const message = 'We noticed your dealership website is not ranking on the first page of search results.';
    const base = { accountId: tenant.accountId, formId: tenant.formId, receivedAt: new Date() };
    const first = await ingestLead(deps, { ...base, lead: hamLead(11, { message }) });
    await ingestLead(deps, { ...base, lead: hamLead(12, { message }) });
    const third = await ingestLead(deps, { ...base, lead: hamLead(13, { message }) });
    expect(duplicateReason(first.verdict)).toBeUndefined();
    expect(duplicateReason(third.verdict)).toBe('2 other senders sent the same message');
  });

  it("counts a body's other senders apart from the contact the lead joins: its email's, else its phone's", async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Joined Motors');
    const message = 'Your listing photos could rank higher with our local search optimisation service.';
    const base = { accountId: tenant.accountId, formId: tenant.formId, receivedAt: new Date() };
    // Contact 21 (email only) has not sent the body; contact 22 (email and phone) has.
    await ingestLead(deps, { ...base, lead: hamLead(21, { phone: undefined }) });
    await ingestLead(deps, { ...base, lead: hamLead(22, { message }) });
    // A new email with 22's phone joins contact 22, the body's only sender: no other sender.
    const byPhone = await ingestLead(deps, {
      ...base,
      lead: hamLead(22, { message, email: 'new.address@buyer.example' }),
    });
    expect(duplicateReason(byPhone.verdict)).toBeUndefined();
    // 21's email with 22's phone joins contact 21 (the email wins): 22 is another sender.
    const byEmail = await ingestLead(deps, {
      ...base,
      lead: hamLead(22, { message, email: 'pat21@buyer.example' }),
    });
    expect(byEmail.contactId).not.toBe(byPhone.contactId);
    expect(duplicateReason(byEmail.verdict)).toBe('another sender sent the same message');
    // In a batch after a new sender's lead: the stored other sender (21 now) and the new one count.
    const [, inBatch] = await ingestLeads(deps, [
      { ...base, lead: hamLead(23, { message, phone: undefined }) },
      { ...base, lead: hamLead(22, { message, email: 'new.address@buyer.example' }) },
    ]);
    expect(inBatch?.contactId).toBe(byPhone.contactId);
    expect(duplicateReason(inBatch?.verdict)).toBe('2 other senders sent the same message');
  });

  it('counts a sender once when it sent the body before and again earlier in the same batch', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Repeat Motors');
    const message = 'Our team can double the traffic to your inventory pages within a single month.';
    const base = { accountId: tenant.accountId, formId: tenant.formId, receivedAt: new Date() };
    await ingestLead(deps, { ...base, lead: hamLead(31, { message, phone: undefined }) });
    // 31 sends it again, then 32 and 31 once more, in one batch: for 32 and for the last copy, one other sender.
    const [again, second, last] = await ingestLeads(deps, [
      { ...base, lead: hamLead(31, { message, phone: undefined }) },
      { ...base, lead: hamLead(32, { message, phone: undefined }) },
      { ...base, lead: hamLead(31, { message, phone: undefined }) },
    ]);
    expect(duplicateReason(again?.verdict)).toBeUndefined();
    expect(duplicateReason(second?.verdict)).toBe('another sender sent the same message');
    expect(duplicateReason(last?.verdict)).toBe('another sender sent the same message');
    // A new sender after all that: two others (31 and 32), each counted once.
    const [fresh] = await ingestLeads(deps, [
      { ...base, lead: hamLead(32, { message, phone: undefined }) },
      { ...base, lead: hamLead(33, { message, phone: undefined }) },
    ]).then((results) => results.slice(1));
    expect(duplicateReason(fresh?.verdict)).toBe('2 other senders sent the same message');
  });

  it('stores batch after batch with the insert kept parsed on a PostgreSQL connection, and after a migration adds a column', async () => {
    const db = getDb();
    // Reads, at the end of each batch's transaction and on its connection, which statements that connection keeps.
    const kept: string[][] = [];
    const watched: Db = {
      ...db,
      transaction: (fn) =>
        db.transaction(async (tx) => {
          const result = await fn(tx);
          if (db.kind === 'postgres')
            kept.push(
              (await tx.query<{ name: string }>('SELECT name FROM pg_prepared_statements')).map(
                (row) => row.name,
              ),
            );
          return result;
        }),
    };
    const deps = depsFor(watched);
    const tenant = await createTenant(deps, 'Kept Motors');
    const base = { accountId: tenant.accountId, formId: tenant.formId, receivedAt: new Date() };
    const batch = (from: number) =>
      ingestLeads(
        deps,
        [0, 1, 2].map((n) => ({ ...base, lead: hamLead(from + n) })),
      );
    expect(await batch(40)).toHaveLength(3);
    if (db.kind === 'postgres') expect(kept.at(-1)).toContain('insert_lead_rows');
    // Another instance's migration adds a column to the tables the kept statement writes.
    await db.exec(
      'ALTER TABLE activities ADD COLUMN later_note text; ALTER TABLE history_events ADD COLUMN later_note text',
    );
    try {
      for (let round = 0; round < 3; round++) expect(await batch(50 + round * 3)).toHaveLength(3);
    } finally {
      await db.exec(
        'ALTER TABLE activities DROP COLUMN later_note; ALTER TABLE history_events DROP COLUMN later_note',
      );
    }
    const stored = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM activities WHERE account_id = $1',
      [tenant.accountId],
    );
    expect(stored[0]?.n).toBe(12);
  });

  it('reads at most a thousand earlier copies of a body, however common it is', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Campaign Motors');
    const message = 'Grow your dealership with our guaranteed first-page ranking package today.';
    const base = { accountId: tenant.accountId, formId: tenant.formId, receivedAt: new Date() };
    await ingestLeads(
      deps,
      Array.from({ length: SAME_BODY_READ_LIMIT + 100 }, (_, n) => ({
        ...base,
        lead: hamLead(n, { message, phone: undefined }),
      })),
    );
    const next = await ingestLead(deps, { ...base, lead: hamLead(99_999, { message }) });
    const dup = next.verdict.signals.find((s) => s.check === 'duplicate_body');
    expect(dup?.reason).toBe(`${SAME_BODY_READ_LIMIT} other senders sent the same message`);
    expect(dup?.score).toBe(4);
  });

  it('commits many concurrent submissions through the batcher, one contact per address', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Busy Motors');
    const batcher = createIngestBatcher(deps, { maxBatch: 25 });
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, n) =>
        batcher.ingest({
          accountId: tenant.accountId,
          formId: tenant.formId,
          lead: hamLead(n % 30, { phone: undefined }),
          receivedAt: new Date(),
        }),
      ),
    );
    expect(new Set(results.map((r) => r.activityId)).size).toBe(120);
    expect(new Set(results.map((r) => r.contactId)).size).toBe(30);
    const services = createDomainServices(deps);
    const page = await services.listLeads(tenant.accountId, { view: 'inbox', includeSpam: true, limit: 10 });
    expect(page.total).toBe(120);
  });

  it('fails only the lead whose account does not exist, not its batch neighbours', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Neighbour Motors');
    const batcher = createIngestBatcher(deps, { maxBatch: 10, maxWaitMs: 20 });
    const good = batcher.ingest({
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(1),
      receivedAt: new Date(),
    });
    const bad = batcher.ingest({
      accountId: '00000000-0000-4000-8000-000000000000',
      formId: null,
      lead: hamLead(2),
      receivedAt: new Date(),
    });
    await expect(bad).rejects.toThrow(/does not exist/);
    await expect(good).resolves.toMatchObject({ verdict: { outcome: 'ham' } });
  });

  it('exposes the form to the HTTP layer by its public key', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Public Motors');
    const services = createDomainServices(deps);
    const form = await services.findPublicForm(tenant.formKey);
    expect(form).toMatchObject({
      accountId: tenant.accountId,
      formKey: tenant.formKey,
      frequencyWindowMs: 300_000,
    });
    expect(await services.findPublicForm('f_nope')).toBeUndefined();
    const stored = await services.ingestLead({
      form: form!,
      lead: hamLead(4),
      facts: { ipCount: 301 },
      receivedAt: new Date(),
    });
    expect(stored.verdict.signals.some((s) => s.check === 'frequency')).toBe(true);
    expect(stored.verdict.outcome).toBe('quarantine');
  });
});
