// Organizations, accounts and forms: the tenants and their public entry points.
import type { Db } from '../database.ts';
import { toNumber } from './insert-rows.ts';

export interface AccountRow {
  id: string;
  organization_id: string;
  name: string;
  site_domains: string[];
  settings: Record<string, unknown>;
  retention_days: number;
  hold_minutes: number;
  allowlist_only: string[];
  config_version: number;
}

export interface FormRow {
  id: string;
  account_id: string;
  public_key: string;
  name: string;
  site_domains: string[];
  settings: Record<string, unknown>;
  honeypot_field: string;
  thank_you_url: string | null;
  notification_recipients: string[];
  autoresponder_enabled: boolean;
  autoresponder: Record<string, unknown> | null;
  crm_targets: unknown[];
}

const accountColumns =
  'id, organization_id, name, site_domains, settings, retention_days, hold_minutes, allowlist_only, config_version';
const formColumns =
  'id, account_id, public_key, name, site_domains, settings, honeypot_field, thank_you_url, notification_recipients, autoresponder_enabled, autoresponder, crm_targets';

const toAccount = (row: AccountRow): AccountRow => ({ ...row, config_version: toNumber(row.config_version) });

export async function insertOrganization(db: Db, row: { id: string; name: string }): Promise<void> {
  await db.query('INSERT INTO organizations (id, name) VALUES ($1, $2)', [row.id, row.name]);
}

export async function insertAccount(
  db: Db,
  row: Pick<AccountRow, 'id' | 'organization_id' | 'name' | 'site_domains'> & Partial<AccountRow>,
): Promise<void> {
  await db.query(
    `INSERT INTO accounts (id, organization_id, name, site_domains, settings, retention_days, hold_minutes)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
    [
      row.id,
      row.organization_id,
      row.name,
      row.site_domains,
      JSON.stringify(row.settings ?? {}),
      row.retention_days ?? 30,
      row.hold_minutes ?? 0,
    ],
  );
}

export async function findAccountById(db: Db, id: string): Promise<AccountRow | undefined> {
  const [row] = await db.query<AccountRow>(`SELECT ${accountColumns} FROM accounts WHERE id = $1`, [id]);
  return row && toAccount(row);
}

export async function listAccountsByOrganization(db: Db, organizationId: string): Promise<AccountRow[]> {
  const rows = await db.query<AccountRow>(
    `SELECT ${accountColumns} FROM accounts WHERE organization_id = $1 ORDER BY name`,
    [organizationId],
  );
  return rows.map(toAccount);
}

/** Current config versions, one query for a batch of accounts. */
export async function findConfigVersions(
  db: Db,
  accountIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await db.query<{ id: string; config_version: unknown }>(
    'SELECT id, config_version FROM accounts WHERE id = ANY($1::uuid[])',
    [accountIds],
  );
  return new Map(rows.map((row) => [row.id, toNumber(row.config_version)]));
}

/** Every rules/keywords/segments/settings change calls this in its transaction, so caches recompile. */
export async function bumpConfigVersion(db: Db, accountId: string): Promise<void> {
  await db.query('UPDATE accounts SET config_version = config_version + 1 WHERE id = $1', [accountId]);
}

export async function updateAccountSettings(
  db: Db,
  accountId: string,
  patch: {
    settings?: Record<string, unknown>;
    allowlist_only?: readonly string[];
    retention_days?: number;
    hold_minutes?: number;
    site_domains?: readonly string[];
  },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE accounts SET
       settings = COALESCE($2::jsonb, settings),
       allowlist_only = COALESCE($3::text[], allowlist_only),
       retention_days = COALESCE($4, retention_days),
       hold_minutes = COALESCE($5, hold_minutes),
       site_domains = COALESCE($6::text[], site_domains),
       config_version = config_version + 1
     WHERE id = $1 RETURNING id`,
    [
      accountId,
      patch.settings === undefined ? null : JSON.stringify(patch.settings),
      patch.allowlist_only ?? null,
      patch.retention_days ?? null,
      patch.hold_minutes ?? null,
      patch.site_domains ?? null,
    ],
  );
  return rows.length > 0;
}

export async function insertForm(
  db: Db,
  row: Pick<FormRow, 'id' | 'account_id' | 'public_key' | 'name'> & Partial<FormRow>,
): Promise<void> {
  await db.query(
    `INSERT INTO forms (id, account_id, public_key, name, site_domains, settings, honeypot_field, thank_you_url,
       notification_recipients, autoresponder_enabled, autoresponder, crm_targets)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11::jsonb, $12::jsonb)`,
    [
      row.id,
      row.account_id,
      row.public_key,
      row.name,
      row.site_domains ?? [],
      JSON.stringify(row.settings ?? {}),
      row.honeypot_field ?? 'lg_extra_notes',
      row.thank_you_url ?? null,
      row.notification_recipients ?? [],
      row.autoresponder_enabled ?? false,
      row.autoresponder ? JSON.stringify(row.autoresponder) : null,
      JSON.stringify(row.crm_targets ?? []),
    ],
  );
}

export async function findFormByPublicKey(
  db: Db,
  publicKey: string,
): Promise<(FormRow & { account_settings: Record<string, unknown> }) | undefined> {
  const [row] = await db.query<FormRow & { account_settings: Record<string, unknown> }>(
    `SELECT ${formColumns.replace(/(\w+)/g, 'f.$1')}, a.settings AS account_settings
     FROM forms f JOIN accounts a ON a.id = f.account_id
     WHERE f.public_key = $1 AND f.deleted_at IS NULL`,
    [publicKey],
  );
  return row;
}

export async function findFormById(db: Db, accountId: string, id: string): Promise<FormRow | undefined> {
  const [row] = await db.query<FormRow>(
    `SELECT ${formColumns} FROM forms WHERE account_id = $1 AND id = $2 AND deleted_at IS NULL`,
    [accountId, id],
  );
  return row;
}

export async function findFormsByIds(db: Db, ids: readonly string[]): Promise<FormRow[]> {
  return db.query<FormRow>(`SELECT ${formColumns} FROM forms WHERE id = ANY($1::uuid[])`, [ids]);
}

export async function listForms(db: Db, accountId: string): Promise<FormRow[]> {
  return db.query<FormRow>(
    `SELECT ${formColumns} FROM forms WHERE account_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
    [accountId],
  );
}

export async function updateForm(
  db: Db,
  accountId: string,
  id: string,
  patch: Partial<Omit<FormRow, 'id' | 'account_id' | 'public_key'>>,
): Promise<FormRow | undefined> {
  const [row] = await db.query<FormRow>(
    `UPDATE forms SET
       name = COALESCE($3, name),
       site_domains = COALESCE($4::text[], site_domains),
       settings = COALESCE($5::jsonb, settings),
       honeypot_field = COALESCE($6, honeypot_field),
       thank_you_url = CASE WHEN $7::boolean THEN $8 ELSE thank_you_url END,
       notification_recipients = COALESCE($9::text[], notification_recipients),
       autoresponder_enabled = COALESCE($10, autoresponder_enabled),
       autoresponder = COALESCE($11::jsonb, autoresponder),
       crm_targets = COALESCE($12::jsonb, crm_targets)
     WHERE account_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ${formColumns}`,
    [
      accountId,
      id,
      patch.name ?? null,
      patch.site_domains ?? null,
      patch.settings === undefined ? null : JSON.stringify(patch.settings),
      patch.honeypot_field ?? null,
      patch.thank_you_url !== undefined,
      patch.thank_you_url ?? null,
      patch.notification_recipients ?? null,
      patch.autoresponder_enabled ?? null,
      patch.autoresponder ? JSON.stringify(patch.autoresponder) : null,
      patch.crm_targets === undefined ? null : JSON.stringify(patch.crm_targets),
    ],
  );
  return row;
}

export async function softDeleteForm(db: Db, accountId: string, id: string, at: Date): Promise<boolean> {
  const rows = await db.query(
    'UPDATE forms SET deleted_at = $3 WHERE account_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id',
    [accountId, id, at],
  );
  return rows.length > 0;
}
