// Users, their memberships and organization-admin grants, and API keys (stored as sha256 hashes).
import type { Db } from '../database.ts';

export type RoleName = 'owner' | 'admin' | 'contact_admin' | 'member';

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  name: string | null;
}

export interface ApiKeyRow {
  id: string;
  account_id: string;
  name: string;
  key_hash: string;
  prefix: string;
  role: RoleName;
  created_at: Date;
  last_used_at: Date | null;
}

export async function insertUser(db: Db, row: UserRow): Promise<UserRow | undefined> {
  const [inserted] = await db.query<UserRow>(
    `INSERT INTO users (id, email, password_hash, name) VALUES ($1, $2, $3, $4)
     ON CONFLICT (email) DO NOTHING RETURNING id, email, password_hash, name`,
    [row.id, row.email, row.password_hash, row.name],
  );
  return inserted;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>('SELECT id, email, password_hash, name FROM users WHERE email = $1', [
    email,
  ]);
  return row;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>('SELECT id, email, password_hash, name FROM users WHERE id = $1', [
    id,
  ]);
  return row;
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return row?.n ?? 0;
}

/** Adds the membership or changes its role. */
export async function upsertMembership(
  db: Db,
  userId: string,
  accountId: string,
  role: RoleName,
): Promise<void> {
  await db.query(
    `INSERT INTO memberships (user_id, account_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, account_id) DO UPDATE SET role = EXCLUDED.role`,
    [userId, accountId, role],
  );
}

export async function insertOrganizationAdmin(db: Db, userId: string, organizationId: string): Promise<void> {
  await db.query(
    'INSERT INTO organization_admins (user_id, organization_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [userId, organizationId],
  );
}

/** The user's role on the account: their membership, or `admin` when they administer its organization. */
export async function findRole(db: Db, userId: string, accountId: string): Promise<RoleName | undefined> {
  const [row] = await db.query<{ role: RoleName | null; org_admin: boolean }>(
    `SELECT (SELECT role FROM memberships WHERE user_id = $1 AND account_id = $2) AS role,
            EXISTS (SELECT 1 FROM organization_admins o JOIN accounts a ON a.organization_id = o.organization_id
                    WHERE o.user_id = $1 AND a.id = $2) AS org_admin`,
    [userId, accountId],
  );
  if (row?.role) return row.role;
  return row?.org_admin ? 'admin' : undefined;
}

/** Whether the user administers the organization the account belongs to (a grant that is not a membership). */
export async function isOrganizationAdminOf(db: Db, userId: string, accountId: string): Promise<boolean> {
  const [row] = await db.query<{ org_admin: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM organization_admins o JOIN accounts a ON a.organization_id = o.organization_id
                    WHERE o.user_id = $1 AND a.id = $2) AS org_admin`,
    [userId, accountId],
  );
  return row?.org_admin ?? false;
}

/** Every account the user can open: memberships, plus every account of organizations they administer. */
export async function listUserAccounts(
  db: Db,
  userId: string,
): Promise<
  { id: string; name: string; role: RoleName; organization_id: string; organization_name: string }[]
> {
  return db.query(
    `SELECT a.id, a.name, a.organization_id, o.name AS organization_name, COALESCE(m.role, 'admin') AS role
     FROM accounts a
     JOIN organizations o ON o.id = a.organization_id
     LEFT JOIN memberships m ON m.account_id = a.id AND m.user_id = $1
     WHERE m.user_id IS NOT NULL
        OR a.organization_id IN (SELECT organization_id FROM organization_admins WHERE user_id = $1)
     ORDER BY a.name, a.id`,
    [userId],
  );
}

export async function listMembers(
  db: Db,
  accountId: string,
): Promise<{ user_id: string; email: string; name: string | null; role: RoleName }[]> {
  return db.query(
    `SELECT u.id AS user_id, u.email, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.account_id = $1 ORDER BY u.email`,
    [accountId],
  );
}

/** The member's role, locking the account's owner rows so two removals cannot both take the last owner away. */
export async function lockMembership(
  db: Db,
  userId: string,
  accountId: string,
): Promise<{ role: RoleName; owners: number } | undefined> {
  const owners = await db.query<{ user_id: string }>(
    `SELECT user_id FROM memberships WHERE account_id = $1 AND role = 'owner' FOR UPDATE`,
    [accountId],
  );
  const [row] = await db.query<{ role: RoleName }>(
    'SELECT role FROM memberships WHERE user_id = $1 AND account_id = $2 FOR UPDATE',
    [userId, accountId],
  );
  return row && { role: row.role, owners: owners.length };
}

export async function deleteMembership(db: Db, userId: string, accountId: string): Promise<boolean> {
  const removed = await db.query<{ user_id: string }>(
    'DELETE FROM memberships WHERE user_id = $1 AND account_id = $2 RETURNING user_id',
    [userId, accountId],
  );
  return removed.length > 0;
}

/** Stores the new hash and moves the session version on, which signs out every session issued before. */
export async function updatePassword(
  db: Db,
  userId: string,
  passwordHash: string,
): Promise<number | undefined> {
  const [row] = await db.query<{ session_version: number }>(
    `UPDATE users SET password_hash = $2, session_version = session_version + 1 WHERE id = $1
     RETURNING session_version`,
    [userId, passwordHash],
  );
  return row?.session_version;
}

export async function findSessionVersion(db: Db, userId: string): Promise<number | undefined> {
  const [row] = await db.query<{ session_version: number }>(
    'SELECT session_version FROM users WHERE id = $1',
    [userId],
  );
  return row?.session_version;
}

export async function insertApiKey(
  db: Db,
  row: Omit<ApiKeyRow, 'created_at' | 'last_used_at'>,
): Promise<void> {
  await db.query(
    'INSERT INTO api_keys (id, account_id, name, key_hash, prefix, role) VALUES ($1, $2, $3, $4, $5, $6)',
    [row.id, row.account_id, row.name, row.key_hash, row.prefix, row.role],
  );
}

export async function findApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db.query<ApiKeyRow>(
    `SELECT id, account_id, name, key_hash, prefix, role, created_at, last_used_at FROM api_keys
     WHERE key_hash = $1 AND revoked_at IS NULL`,
    [keyHash],
  );
  return row;
}

export async function touchApiKey(db: Db, id: string, at: Date): Promise<void> {
  await db.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [id, at]);
}

export async function listApiKeys(db: Db, accountId: string): Promise<Omit<ApiKeyRow, 'key_hash'>[]> {
  return db.query(
    `SELECT id, account_id, name, prefix, role, created_at, last_used_at FROM api_keys
     WHERE account_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`,
    [accountId],
  );
}

/** Revokes the account's key; false when it has no such live key. */
export async function revokeApiKey(db: Db, accountId: string, id: string, at: Date): Promise<boolean> {
  const revoked = await db.query<{ id: string }>(
    `UPDATE api_keys SET revoked_at = $3 WHERE id = $2 AND account_id = $1 AND revoked_at IS NULL
     RETURNING id`,
    [accountId, id, at],
  );
  return revoked.length > 0;
}
