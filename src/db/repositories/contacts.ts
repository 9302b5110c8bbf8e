// Contacts: one per person an account knows (normalised email and/or phone), looked up and created in batches.
import type { Db } from '../database.ts';
import { buildInsert, insertRows } from './insert-rows.ts';

export interface ContactKeyRow {
  fields: Record<string, unknown>;
  id: string;
  account_id: string;
  email: string | null;
  phone: string | null;
}

export interface NewContactRow {
  id: string;
  account_id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  fields: Record<string, unknown>;
}

/** Existing contacts matching any of the keys (same account, same email or same phone). */
export async function findContactsByKeys(
  db: Db,
  keys: readonly { account_id: string; email: string | null; phone: string | null }[],
): Promise<ContactKeyRow[]> {
  if (keys.length === 0) return [];
  // Two index lookups joined by UNION: an OR in one join condition makes PostgreSQL scan every contact.
  return db.query<ContactKeyRow>(
    `WITH k AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(account_id uuid, email text, phone text))
     SELECT c.id, c.account_id, c.email, c.phone, c.fields FROM k
       JOIN contacts c ON c.account_id = k.account_id AND c.email = k.email AND c.email IS NOT NULL
     UNION
     SELECT c.id, c.account_id, c.email, c.phone, c.fields FROM k
       JOIN contacts c ON c.account_id = k.account_id AND c.phone = k.phone AND c.phone IS NOT NULL`,
    [JSON.stringify(keys)],
  );
}

const insertContactsSql = buildInsert(
  'contacts',
  [
    ['id', 'uuid'],
    ['account_id', 'uuid'],
    ['email', 'text'],
    ['phone', 'text'],
    ['name', 'text'],
    ['fields', 'jsonb'],
  ],
  'ON CONFLICT DO NOTHING RETURNING id',
);

/** Inserts contacts; returns the ids actually inserted (a concurrent writer may have won a key). */
export async function insertContacts(db: Db, rows: readonly NewContactRow[]): Promise<Set<string>> {
  const inserted = await insertRows<{ id: string }>(db, insertContactsSql, rows);
  return new Set(inserted.map((row) => row.id));
}

export interface ContactRow {
  id: string;
  account_id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  fields: Record<string, unknown>;
  created_at: Date;
}

export async function findContact(db: Db, accountId: string, id: string): Promise<ContactRow | undefined> {
  const [row] = await db.query<ContactRow>('SELECT * FROM contacts WHERE account_id = $1 AND id = $2', [
    accountId,
    id,
  ]);
  return row;
}

/** Adds an email or phone a contact did not have yet, unless another contact of the account already holds it. */
export async function fillContactKeys(
  db: Db,
  rows: readonly { id: string; account_id: string; email: string | null; phone: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  const keys = JSON.stringify(rows);
  await db.query(
    `UPDATE contacts c SET email = k.email
     FROM (SELECT DISTINCT ON (account_id, email) * FROM jsonb_to_recordset($1::jsonb)
           AS r(id uuid, account_id uuid, email text, phone text) WHERE email IS NOT NULL) k
     WHERE c.id = k.id AND c.account_id = k.account_id AND c.email IS NULL
       AND NOT EXISTS (SELECT 1 FROM contacts o WHERE o.account_id = k.account_id AND o.email = k.email AND o.email IS NOT NULL)`,
    [keys],
  );
  await db.query(
    `UPDATE contacts c SET phone = k.phone
     FROM (SELECT DISTINCT ON (account_id, phone) * FROM jsonb_to_recordset($1::jsonb)
           AS r(id uuid, account_id uuid, email text, phone text) WHERE phone IS NOT NULL) k
     WHERE c.id = k.id AND c.account_id = k.account_id AND c.phone IS NULL
       AND NOT EXISTS (SELECT 1 FROM contacts o WHERE o.account_id = k.account_id AND o.phone = k.phone AND o.phone IS NOT NULL)`,
    [keys],
  );
}
