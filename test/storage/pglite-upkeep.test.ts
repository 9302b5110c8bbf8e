import { expect, it } from 'vitest';
import { tendPgliteTables } from '../../src/db/pglite-upkeep.ts';
import { ingestLeads } from '../../src/services/ingest.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { createTenant, depsFor, hamLead } from './fixtures.ts';

describeEachDatabase('statistics upkeep for the embedded store', (getDb, kind) => {
  it('analyzes the lead tables once they hold enough leads, then waits for a tenth to change', async () => {
    const db = getDb();
    const deps = depsFor(db);
    const t = await createTenant(deps, 'Upkeep Motors');
    expect(await tendPgliteTables(db)).toBe(false);
    const receivedAt = new Date(Date.UTC(2026, 6, 1));
    await ingestLeads(
      deps,
      Array.from({ length: 1000 }, (_, n) => ({
        accountId: t.accountId,
        formId: t.formId,
        lead: hamLead(n),
        receivedAt,
      })),
    );
    // PostgreSQL has autovacuum; there the upkeep never runs.
    expect(await tendPgliteTables(db)).toBe(kind === 'pglite');
    expect(await tendPgliteTables(db)).toBe(false);
  });
});
