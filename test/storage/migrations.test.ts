import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { listMigrations, runMigrations } from '../../src/db/migrate.ts';
import { createDomainServices } from '../../src/services/index.ts';
import { createTestSchema, describeEachDatabase } from '../support/databases.ts';
import { hasPostgres } from '../support/services.ts';
import { depsFor } from './fixtures.ts';

describeEachDatabase('migrations', (getDb) => {
  it('applies every migration once; running them again is a no-op', async () => {
    const db = getDb();
    const applied = await db.query<{ version: string }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(applied.map((row) => row.version)).toEqual(listMigrations().map((m) => m.version));
    expect(await runMigrations(db)).toEqual([]);
    expect(await db.query('SELECT version FROM schema_migrations')).toHaveLength(applied.length);
  });

  it('runs first-run setup once on an empty database', async () => {
    const services = createDomainServices(depsFor(getDb()));
    const input = {
      organizationName: 'First Group',
      accountName: 'First Motors',
      siteDomain: 'first.example',
      name: 'Owner',
      email: 'owner@first.example',
      password: 'correct horse battery',
    };
    expect(await services.needsSetup?.()).toBe(true);
    const [one, two] = await Promise.all([
      services.createFirstOwner?.(input),
      services.createFirstOwner?.(input),
    ]);
    expect([one, two].filter(Boolean)).toHaveLength(1);
    expect(await services.needsSetup?.()).toBe(false);
    const me = await services.getMe(String((one ?? two)?.userId));
    expect(me?.accounts).toEqual([expect.objectContaining({ name: 'First Motors', role: 'owner' })]);
  });
});

describe.skipIf(!(await hasPostgres()))('migrations on PostgreSQL', () => {
  it('are safe when several instances start at once', async () => {
    const schema = await createTestSchema();
    try {
      const dbs = await Promise.all(
        [1, 2, 3, 4].map(() => openDatabase({ databaseUrl: schema.url, poolSize: 2 })),
      );
      const rows = await dbs[0]!.query('SELECT version FROM schema_migrations');
      expect(rows).toHaveLength(listMigrations().length);
      await Promise.all(dbs.map((db) => db.close()));
    } finally {
      await schema.drop();
    }
  });
});
