// Rows the integrations read: a caller's latest lead status, whether a one-time nonce is spent, an account's settings locked.
import type { Db } from '../database.ts';
import type { ActivityStatus } from './activities.ts';

/**
 * The status of the latest lead of the account's contact with this phone key; undefined for a stranger. Deleted
 * leads, and calls quarantined only for coming from a quarantined contact, do not count: releasing the lead that
 * put the contact in quarantine must let the next call through.
 */
export async function findCallerLatestStatus(
  db: Db,
  accountId: string,
  phoneKey: string,
): Promise<ActivityStatus | undefined> {
  const [row] = await db.query<{ status: ActivityStatus }>(
    `SELECT a.status FROM contacts c
       JOIN activities a ON a.account_id = c.account_id AND a.contact_id = c.id
      WHERE c.account_id = $1 AND c.phone = $2 AND a.status <> 'deleted'
        AND NOT (a.status = 'quarantined' AND a.main_check IS NOT DISTINCT FROM 'quarantined_contact')
      ORDER BY a.received_at DESC, a.id DESC
      LIMIT 1`,
    [accountId, phoneKey],
  );
  return row?.status;
}

/** True when the nonce was claimed already (by `claimNonces`); reading it claims nothing. */
export async function isNonceClaimed(db: Db, nonce: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM render_token_nonces WHERE nonce = $1', [nonce]);
  return rows.length > 0;
}

/** The account's settings JSON, locked until the transaction ends so concurrent edits of different keys both survive. */
export async function lockAccountSettings(
  db: Db,
  accountId: string,
): Promise<Record<string, unknown> | undefined> {
  const [row] = await db.query<{ settings: Record<string, unknown> }>(
    'SELECT settings FROM accounts WHERE id = $1 FOR UPDATE',
    [accountId],
  );
  return row?.settings;
}
