import { expect, it } from 'vitest';
import {
  cloneRules,
  createDomainServices,
  createItem,
  deleteItem,
  ingestLead,
  listItems,
  tryRule,
  updateItem,
} from '../../src/services/index.ts';
import { findAccountById } from '../../src/db/repositories/accounts.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { createTenant, depsFor, hamLead } from './fixtures.ts';

const staff = { userId: null, via: 'panel' } as const;

describeEachDatabase('rules, keywords, segments, forms', (getDb) => {
  it('stores phone rules as digits and email and domain rules lower-cased, and counts their hits', async () => {
    const deps = depsFor(getDb());
    const t = await createTenant(deps, 'Rule Motors');
    const phone = await createItem(
      deps,
      'rules',
      t.accountId,
      { action: 'block', dimension: 'phone', value: '+1 (415) 555-0199' },
      staff,
    );
    const email = await createItem(
      deps,
      'rules',
      t.accountId,
      { action: 'block', dimension: 'email', value: ' Bad@Spam.EXAMPLE ' },
      staff,
    );
    const domain = await createItem(
      deps,
      'rules',
      t.accountId,
      { action: 'allow', dimension: 'domain', value: '@Partner.Example.' },
      staff,
    );
    expect([phone.value, email.value, domain.value]).toEqual([
      '14155550199',
      'bad@spam.example',
      'partner.example',
    ]);
    await expect(
      createItem(
        deps,
        'rules',
        t.accountId,
        { action: 'block', dimension: 'email', value: 'BAD@spam.example' },
        staff,
      ),
    ).rejects.toMatchObject({ code: 'conflict', statusCode: 409 });
    await expect(
      createItem(deps, 'rules', t.accountId, { action: 'block', dimension: 'area_code', value: '41' }, staff),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    const lead = await ingestLead(deps, {
      accountId: t.accountId,
      formId: t.formId,
      lead: hamLead(1, { phone: '415-555-0199' }),
      receivedAt: new Date(),
    });
    expect(lead.verdict.decidedBy).toBe('block_rule');
    const rules = await listItems(deps, 'rules', t.accountId);
    expect(rules.find((rule) => rule.id === phone.id)).toMatchObject({ hitCount: 1 });
  });

  it('bumps the config version on every change so the next lead sees it', async () => {
    const deps = depsFor(getDb());
    const t = await createTenant(deps, 'Version Motors');
    const before = (await findAccountById(deps.db, t.accountId))?.config_version ?? 0;
    const keyword = await createItem(deps, 'keywords', t.accountId, { phrase: 'Test Drive' }, staff);
    const caught = await ingestLead(deps, {
      accountId: t.accountId,
      formId: t.formId,
      lead: hamLead(2),
      receivedAt: new Date(),
    });
    expect(caught.verdict.outcome).toBe('quarantine');
    expect(
      await updateItem(deps, 'keywords', t.accountId, String(keyword.id), { phrase: 'free money' }, staff),
    ).toMatchObject({
      phrase: 'free money',
    });
    const passed = await ingestLead(deps, {
      accountId: t.accountId,
      formId: t.formId,
      lead: hamLead(3),
      receivedAt: new Date(),
    });
    expect(passed.verdict.outcome).toBe('ham');
    expect(await deleteItem(deps, 'keywords', t.accountId, String(keyword.id), staff)).toBe(true);
    const after = (await findAccountById(deps.db, t.accountId))?.config_version ?? 0;
    expect(after).toBe(before + 3);
  });

  it('creates, edits and removes segments and forms with validated bodies', async () => {
    const deps = depsFor(getDb());
    const t = await createTenant(deps, 'Segment Motors');
    const segment = await createItem(
      deps,
      'segments',
      t.accountId,
      { name: 'Outside US', conditions: [{ field: 'country', op: 'is_not', value: 'US' }] },
      staff,
    );
    expect(segment).toMatchObject({ name: 'Outside US', match: 'all' });
    await expect(
      createItem(deps, 'segments', t.accountId, { name: 'Empty', conditions: [] }, staff),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const form = await createItem(
      deps,
      'forms',
      t.accountId,
      { name: 'Trade-in', siteDomains: ['Trade.Dealer.example'], autoresponder: true },
      staff,
    );
    expect(form).toMatchObject({
      name: 'Trade-in',
      siteDomains: ['trade.dealer.example'],
      autoresponder: true,
    });
    expect(String(form.formKey)).toMatch(/^f_/);
    const services = createDomainServices(deps);
    expect(await services.findPublicForm(String(form.formKey))).toMatchObject({ accountId: t.accountId });
    expect(await deleteItem(deps, 'forms', t.accountId, String(form.id), staff)).toBe(true);
    expect(await services.findPublicForm(String(form.formKey))).toBeUndefined();
  });

  it('keeps the form settings an update does not mention, the call settings among them, and never shows the Twilio token', async () => {
    const db = getDb();
    const deps = depsFor(db);
    const t = await createTenant(deps, 'Voice Form Motors');
    const form = await createItem(
      deps,
      'forms',
      t.accountId,
      { name: 'Calls', settings: { thresholds: { quarantine: 7 }, language: 'en' } },
      staff,
    );
    const voice = { forwardingNumber: '+14155550199', twilioAuthToken: 'form-twilio-token-0123' };
    await db.query(
      `UPDATE forms SET settings = settings || jsonb_build_object('voice', $2::jsonb) WHERE id = $1`,
      [form.id, JSON.stringify(voice)],
    );

    // What the panel sends: the form's settings as shown, with one switch changed.
    const [shown] = await listItems(deps, 'forms', t.accountId);
    const updated = await updateItem(
      deps,
      'forms',
      t.accountId,
      String(form.id),
      { settings: { ...(shown?.settings as object), checks: { gibberish: { enabled: false } } } },
      staff,
    );
    expect(updated?.settings).toEqual({
      thresholds: { quarantine: 7 },
      language: 'en',
      checks: { gibberish: { enabled: false } },
      voice: { forwardingNumber: '+14155550199', hasTwilioAuthToken: true },
    });
    // A name-only update leaves settings alone; one key given replaces only that key.
    await updateItem(deps, 'forms', t.accountId, String(form.id), { name: 'Phone calls' }, staff);
    await updateItem(deps, 'forms', t.accountId, String(form.id), { settings: { language: 'de' } }, staff);
    const [row] = await db.query<{ settings: Record<string, unknown> }>(
      'SELECT settings FROM forms WHERE id = $1',
      [form.id],
    );
    expect(row?.settings).toEqual({
      thresholds: { quarantine: 7 },
      language: 'de',
      checks: { gibberish: { enabled: false } },
      voice,
    });
    const services = createDomainServices(deps);
    expect(JSON.stringify(await services.findPublicForm(String(form.formKey)))).not.toContain(
      voice.twilioAuthToken,
    );
  });

  it('clones rules across accounts of one organization without overwriting, creating a needed segment', async () => {
    const deps = depsFor(getDb());
    const source = await createTenant(deps, 'Clone Source');
    const target = await createTenant(deps, 'Clone Target', source.organizationId);
    const outsider = await createTenant(deps, 'Clone Outsider');
    await createItem(
      deps,
      'segments',
      source.accountId,
      { name: 'Competitors', conditions: [{ field: 'tag', op: 'is', value: 'competitor' }] },
      staff,
    );
    await createItem(
      deps,
      'rules',
      source.accountId,
      { action: 'block', dimension: 'segment', value: 'Competitors' },
      staff,
    );
    await createItem(
      deps,
      'rules',
      source.accountId,
      { action: 'block', dimension: 'domain', value: 'spam.example' },
      staff,
    );
    await createItem(
      deps,
      'rules',
      target.accountId,
      { action: 'block', dimension: 'domain', value: 'spam.example', note: 'theirs' },
      staff,
    );
    const summary = await cloneRules(
      deps,
      source.accountId,
      { ruleIds: 'all', targetAccountIds: [target.accountId] },
      staff,
    );
    expect(summary).toMatchObject({ created: 1, skipped: 1, segmentsCreated: 1 });
    const rules = await listItems(deps, 'rules', target.accountId);
    expect(rules.find((rule) => rule.value === 'spam.example')).toMatchObject({ note: 'theirs' });
    expect((await listItems(deps, 'segments', target.accountId)).map((s) => s.name)).toEqual(['Competitors']);
    await expect(
      cloneRules(deps, source.accountId, { ruleIds: 'all', targetAccountIds: [outsider.accountId] }, staff),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await listItems(deps, 'rules', outsider.accountId)).toEqual([]);
  });

  it("matches segment rules on what is stored about the contact, not only on the lead's own fields", async () => {
    const deps = depsFor(getDb());
    const t = await createTenant(deps, 'Segment Rule Motors');
    await createItem(
      deps,
      'segments',
      t.accountId,
      { name: 'Competitors', conditions: [{ field: 'tag', op: 'is', value: 'competitor' }] },
      staff,
    );
    await createItem(
      deps,
      'rules',
      t.accountId,
      { action: 'block', dimension: 'segment', value: 'Competitors' },
      staff,
    );
    const base = { accountId: t.accountId, formId: t.formId, receivedAt: new Date() };
    const first = await ingestLead(deps, { ...base, lead: hamLead(1, { contact: { tag: 'competitor' } }) });
    expect(first.verdict.decidedBy).toBe('block_rule');
    const later = await ingestLead(deps, { ...base, lead: hamLead(1) });
    expect(later.contactId).toBe(first.contactId);
    expect(later.verdict.decidedBy).toBe('block_rule');
    const stranger = await ingestLead(deps, { ...base, lead: hamLead(2) });
    expect(stranger.verdict.outcome).toBe('ham');
  });

  it('backtests a block rule against recent leads and names the active ones it would catch', async () => {
    const deps = depsFor(getDb());
    const t = await createTenant(deps, 'Backtest Motors');
    await ingestLead(deps, {
      accountId: t.accountId,
      formId: t.formId,
      lead: hamLead(1, { email: 'a@partner.example' }),
      receivedAt: new Date(),
    });
    await ingestLead(deps, {
      accountId: t.accountId,
      formId: t.formId,
      lead: hamLead(2, { email: 'b@other.example' }),
      receivedAt: new Date(),
    });
    const result = await tryRule(
      deps,
      t.accountId,
      { kind: 'rule', action: 'block', dimension: 'domain', value: 'partner.example' },
      new Date(Date.now() - 86_400_000),
    );
    expect(result).toMatchObject({ caught: 1, active: 1 });
    expect(result.activeLeads[0]).toMatchObject({ email: 'a@partner.example' });
  });
});
