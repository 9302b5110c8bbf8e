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
    const ingest = (from: number, count: number) =>
      ingestLeads(
        deps,
        Array.from({ length: count }, (_, n) => ({
          accountId: t.accountId,
          formId: t.formId,
          lead: hamLead(from + n),
          receivedAt,
        })),
      );
    await ingest(0, 1000);
    // PostgreSQL has autovacuum; there the upkeep never runs.
    expect(await tendPgliteTables(db)).toBe(kind === 'pglite');
    expect(await tendPgliteTables(db)).toBe(false);
    // Each lead writes a lead row and a history line: 400 more leads move the count by 800, short of a tenth + 1,000.
    await ingest(1000, 400);
    expect(await tendPgliteTables(db)).toBe(false);
    await ingest(1400, 400);
    expect(await tendPgliteTables(db)).toBe(kind === 'pglite');
  });
});
