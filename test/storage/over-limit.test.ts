import { expect, it } from 'vitest';
import { listActivityDeliveries } from '../../src/db/repositories/deliveries.ts';
import { listActivityHistory } from '../../src/db/repositories/history.ts';
import { createForm, createItem, getLead, ingestLead } from '../../src/services/index.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { createTenant, depsFor, hamLead } from './fixtures.ts';

describeEachDatabase('leads from an IP over its frequency limit', (getDb) => {
  it('quarantines the lead by the limit alone, with its reason and score, and says the other checks were skipped', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Flooded Motors');
    const result = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(1, { ip: '203.0.113.66' }),
      ipCount: 301,
      receivedAt: new Date(),
    });
    expect(result.verdict).toMatchObject({ outcome: 'quarantine', decidedBy: 'score', score: 10 });
    expect(result.verdict.signals).toEqual([
      {
        check: 'frequency',
        score: 10,
        reason:
          '301 leads from this IP in 5 minutes (limit 300); other checks skipped while this IP is over the limit',
        evidence: '203.0.113.66',
      },
    ]);
    const lead = await getLead(deps, tenant.accountId, result.activityId);
    expect(lead).toMatchObject({ status: 'quarantined', mainCheck: 'frequency' });
    expect(String(lead?.mainReason)).toContain('other checks skipped');
    expect(await listActivityDeliveries(getDb(), tenant.accountId, result.activityId)).toEqual([]);
    const history = await listActivityHistory(getDb(), tenant.accountId, result.activityId);
    expect(history.map((h) => h.type)).toEqual(['received', 'quarantined']);
  });

  it('screens a lead exactly at the limit with every check', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Busy Motors');
    const result = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(2),
      ipCount: 300,
      receivedAt: new Date(),
    });
    expect(result.verdict.outcome).toBe('ham');
    // The classifier always speaks (here: that no model is loaded); the short path never runs it.
    expect(result.verdict.signals.map((s) => s.check)).toContain('classifier');
  });

  it("still accepts an address on the account's allow list", async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Allowing Motors');
    const staff = { userId: null, via: 'api' } as const;
    await createItem(
      deps,
      'rules',
      tenant.accountId,
      { action: 'allow', dimension: 'email', value: 'pat3@buyer.example' },
      staff,
    );
    const result = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(3),
      ipCount: 500,
      receivedAt: new Date(),
    });
    expect(result.verdict).toMatchObject({ outcome: 'ham', decidedBy: 'allow_rule' });
    expect(result.verdict.signals.map((s) => s.check)).toEqual(['frequency', 'rules']);
  });

  it('runs every check when the form scores the frequency check below the quarantine threshold', async () => {
    const deps = depsFor(getDb());
    const tenant = await createTenant(deps, 'Lenient Motors');
    const form = await createForm(deps, tenant.accountId, {
      name: 'Lenient',
      settings: { checks: { frequency: { score: 1 } } },
    });
    const result = await ingestLead(deps, {
      accountId: tenant.accountId,
      formId: form.id,
      lead: hamLead(4),
      ipCount: 301,
      receivedAt: new Date(),
    });
    expect(result.verdict.outcome).toBe('ham');
    const checks = result.verdict.signals.map((s) => s.check);
    expect(checks).toContain('frequency');
    expect(checks).toContain('classifier');
  });
});
