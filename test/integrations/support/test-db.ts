// Opens the storage engineer's Db for outbox tests: PGlite in memory, and PostgreSQL in a schema of its own (dropped after).
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../../src/db/database.ts';
import type { Db } from '../../../src/db/database.ts';
import { postgresUrl } from '../../support/services.ts';

export interface TestDb {
  readonly db: Db;
  close(): Promise<void>;
}

export async function openPgliteTestDb(): Promise<TestDb> {
  const db = await openDatabase();
  return { db, close: () => db.close() };
}

/** A fresh schema per call, so parallel test files and other engineers' tests never share rows. */
export async function openPostgresTestDb(): Promise<TestDb> {
  const schema = `lg_jobs_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const db = await openDatabase({ databaseUrl: url.toString(), poolSize: 6 });
  return {
    db,
    async close() {
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

export interface SeededLead {
  readonly accountId: string;
  readonly formId: string;
  readonly activityId: string;
}

/** An organization, account, form, contact and one active lead with a vehicle of interest. */
export async function seedLead(
  db: Db,
  options: {
    readonly status?: 'active' | 'quarantined';
    readonly holdMinutes?: number;
    readonly accountId?: string;
    readonly formId?: string;
  } = {},
): Promise<SeededLead> {
  const accountId = options.accountId ?? randomUUID();
  const formId = options.formId ?? randomUUID();
  if (!options.accountId) {
    const orgId = randomUUID();
    await db.query('INSERT INTO organizations (id, name) VALUES ($1, $2)', [orgId, 'Dealer Group']);
    await db.query('INSERT INTO accounts (id, organization_id, name, hold_minutes) VALUES ($1, $2, $3, $4)', [
      accountId,
      orgId,
      'Acme & Sons Motors',
      options.holdMinutes ?? 0,
    ]);
  }
  if (!options.formId)
    await db.query('INSERT INTO forms (id, account_id, public_key, name) VALUES ($1, $2, $3, $4)', [
      formId,
      accountId,
      `pk_${randomBytes(8).toString('hex')}`,
      'Test drive',
    ]);
  const contactId = randomUUID();
  const activityId = randomUUID();
  const email = `ann.${randomBytes(3).toString('hex')}@example.com`;
  await db.query('INSERT INTO contacts (id, account_id, email, name) VALUES ($1, $2, $3, $4)', [
    contactId,
    accountId,
    email,
    'Ann Lee',
  ]);
  const now = new Date();
  await db.query(
    `INSERT INTO activities (id, account_id, form_id, contact_id, kind, channel, status, name, email, phone, message, fields,
       verdict, received_at, status_changed_at)
     VALUES ($1, $2, $3, $4, 'lead', 'form', $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $12)`,
    [
      activityId,
      accountId,
      formId,
      contactId,
      options.status ?? 'active',
      'Ann <b>Lee</b>',
      email,
      '+1 555 0100',
      'Is the F-150 <script>x</script> still available? A & B',
      JSON.stringify({ vehicle: { year: '2021', make: 'Ford', model: 'F-150' } }),
      JSON.stringify({ score: 0, outcome: 'ham', decidedBy: 'score', threshold: 5, signals: [] }),
      now,
    ],
  );
  return { accountId, formId, activityId };
}
