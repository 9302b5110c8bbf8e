import { expect, it } from 'vitest';
import {
  addOrganizationAdmin,
  authorize,
  createApiKey,
  createDomainServices,
  createUser,
  ingestLead,
  verifyApiKey,
  verifyLogin,
} from '../../src/services/index.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { createMember, createTenant, depsFor, hamLead, panelActor, spamLead } from './fixtures.ts';

describeEachDatabase('tenants and roles', (getDb) => {
  it("never shows account A's rows to account B, in any list or lookup", async () => {
    const deps = depsFor(getDb());
    const a = await createTenant(deps, 'Alpha Motors');
    const b = await createTenant(deps, 'Beta Motors');
    const services = createDomainServices(deps);
    const actor = panelActor('00000000-0000-4000-8000-000000000001');
    const rule = await services.createItem(
      'rules',
      a.accountId,
      { action: 'block', dimension: 'email', value: 'x@y.example' },
      actor,
    );
    await services.createItem('keywords', a.accountId, { phrase: 'casino' }, actor);
    const ham = await ingestLead(deps, {
      accountId: a.accountId,
      formId: a.formId,
      lead: hamLead(1),
      receivedAt: new Date(),
    });
    const spam = await ingestLead(deps, {
      accountId: a.accountId,
      formId: a.formId,
      lead: spamLead(1),
      receivedAt: new Date(),
    });

    for (const view of ['inbox', 'search', 'quarantine', 'recent'] as const) {
      const page = await services.listLeads(b.accountId, { view, includeSpam: true, limit: 50 });
      expect(page.items).toEqual([]);
    }
    expect(await services.getLead(b.accountId, ham.activityId)).toBeUndefined();
    expect(await services.getContact?.(b.accountId, ham.contactId)).toBeUndefined();
    expect(await services.countQuarantine(b.accountId)).toBe(0);
    expect(await services.countQuarantine(a.accountId)).toBe(1);
    for (const change of [
      'markSpam',
      'markNotSpam',
      'blockEmailFromActivity',
      'blockDomainFromActivity',
      'deleteActivity',
    ] as const)
      expect(await services[change](b.accountId, spam.activityId, actor)).toBe(false);
    expect(await services.getLead(a.accountId, spam.activityId)).toMatchObject({ status: 'quarantined' });
    for (const kind of ['rules', 'keywords', 'segments', 'forms'] as const)
      expect(await services.listItems(kind, b.accountId, {})).toHaveLength(kind === 'forms' ? 1 : 0);
    expect(
      await services.updateItem('rules', b.accountId, String(rule.id), { note: 'mine now' }, actor),
    ).toBeUndefined();
    expect(await services.deleteItem('rules', b.accountId, String(rule.id), actor)).toBe(false);
    expect(await services.listItems('rules', a.accountId, {})).toHaveLength(1);
    const report = await services.getReport(b.accountId, {
      from: new Date(Date.now() - 86_400_000),
      to: new Date(Date.now() + 60_000),
      includeSpam: true,
    });
    expect(report.totals).toEqual({ active: 0, quarantined: 0 });
  });

  it('answers ids that are not UUIDs as not found instead of failing', async () => {
    const deps = depsFor(getDb());
    const a = await createTenant(deps, 'Odd Id Motors');
    const services = createDomainServices(deps);
    const actor = panelActor('00000000-0000-4000-8000-000000000001');
    expect(await services.getLead(a.accountId, 'not-a-uuid')).toBeUndefined();
    expect(await services.markSpam('nope', 'nope', actor)).toBe(false);
    expect(await services.listLeads("x' OR 1=1", { view: 'inbox', limit: 5 })).toMatchObject({ items: [] });
    expect(await services.updateItem('rules', a.accountId, 'zzz', {}, actor)).toBeUndefined();
    expect(await services.authorize({ kind: 'user', userId: 'zzz' }, a.accountId, 'read')).toBe(false);
    await expect(
      services.listLeads(a.accountId, { view: 'inbox', limit: 5, cursor: 'garbage' }),
    ).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it('lets a member read, a contact admin review and edit rules, an admin manage the account', async () => {
    const deps = depsFor(getDb());
    const a = await createTenant(deps, 'Role Motors');
    const b = await createTenant(deps, 'Other Role Motors');
    const member = await createMember(deps, 'member@role.example', a.accountId, 'member');
    const contactAdmin = await createMember(deps, 'ca@role.example', a.accountId, 'contact_admin');
    const admin = await createMember(deps, 'admin@role.example', a.accountId, 'admin');
    const can = (
      userId: string,
      action: 'read' | 'review' | 'manage_rules' | 'manage_account',
      account = a.accountId,
    ) => authorize(deps, { kind: 'user', userId }, account, action);
    expect([
      await can(member, 'read'),
      await can(member, 'review'),
      await can(member, 'manage_rules'),
    ]).toEqual([true, false, false]);
    expect([
      await can(contactAdmin, 'review'),
      await can(contactAdmin, 'manage_rules'),
      await can(contactAdmin, 'manage_account'),
    ]).toEqual([true, true, false]);
    expect(await can(admin, 'manage_account')).toBe(true);
    expect(await can(admin, 'read', b.accountId)).toBe(false);
  });

  it('gives an organization admin every account of that organization and no other', async () => {
    const deps = depsFor(getDb());
    const a = await createTenant(deps, 'Group One');
    const sibling = await createTenant(deps, 'Group Two', a.organizationId);
    const stranger = await createTenant(deps, 'Elsewhere');
    const user = await createUser(deps, {
      email: 'group-admin@role.example',
      password: 'correct horse battery',
    });
    await addOrganizationAdmin(deps, { userId: user.id, organizationId: a.organizationId });
    const principal = { kind: 'user', userId: user.id } as const;
    expect(await authorize(deps, principal, sibling.accountId, 'manage_account')).toBe(true);
    expect(await authorize(deps, principal, stranger.accountId, 'read')).toBe(false);
    const me = await createDomainServices(deps).getMe(user.id);
    expect(me?.accounts.map((account) => account.id).sort()).toEqual([a.accountId, sibling.accountId].sort());
  });

  it('verifies passwords with argon2 and API keys by their hash; a key works only for its account', async () => {
    const deps = depsFor(getDb());
    const a = await createTenant(deps, 'Key Motors');
    const b = await createTenant(deps, 'Keyless Motors');
    const user = await createUser(deps, { email: 'Login@Key.example', password: 'correct horse battery' });
    expect(await verifyLogin(deps, 'login@key.example', 'correct horse battery')).toEqual({
      userId: user.id,
    });
    expect(await verifyLogin(deps, 'login@key.example', 'wrong horse battery')).toBeUndefined();
    expect(await verifyLogin(deps, 'nobody@key.example', 'correct horse battery')).toBeUndefined();
    await expect(
      createUser(deps, { email: 'login@key.example', password: 'another password' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    const key = await createApiKey(deps, { accountId: a.accountId, name: 'CRM', role: 'contact_admin' });
    const principal = await verifyApiKey(deps, key.key);
    expect(principal).toMatchObject({ kind: 'api_key', accountId: a.accountId, role: 'contact_admin' });
    expect(await verifyApiKey(deps, `${key.key}x`)).toBeUndefined();
    expect(await authorize(deps, principal!, a.accountId, 'review')).toBe(true);
    expect(await authorize(deps, principal!, b.accountId, 'read')).toBe(false);
    const stored = await deps.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [
      key.id,
    ]);
    expect(stored[0]?.key_hash).not.toContain(key.key);
  });
});
