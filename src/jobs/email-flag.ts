// Flagging from the email: a spam link used once by the recipient it was mailed to, or a reply from a notified recipient.
import type { Db } from '../db/database.ts';
import { claimNonces } from '../db/repositories/nonces.ts';
import { readSpamLinkToken } from '../integrations/email-link.ts';
import { readReplyToken } from '../integrations/reply-flag.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type EmailFlagResult =
  | {
      readonly status: 'flag';
      readonly accountId: string;
      readonly leadId: string;
      readonly recipient: string;
    }
  | { readonly status: 'expired' | 'tampered' | 'malformed' | 'reused' | 'not_recipient' };

/** True when `recipient` was sent this lead's notification: only they may flag it from their mailbox. */
export async function wasNotified(
  db: Pick<Db, 'query'>,
  accountId: string,
  leadId: string,
  recipient: string,
): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM deliveries
      WHERE account_id = $1 AND activity_id = $2 AND kind = 'notification' AND status = 'sent' AND lower(target) = lower($3)
      LIMIT 1`,
    [accountId, leadId, recipient],
  );
  return rows.length > 0;
}

/**
 * The confirmation page's POST: checks the token, that its recipient was notified, and claims
 * its nonce, so a second use (or a link scanner replaying the form) is `reused` and changes nothing.
 * On `flag` the caller marks the lead spam with the history line "marked spam by email by <recipient>".
 */
export async function useSpamLink(
  db: Db,
  token: unknown,
  input: { readonly secret: string; readonly now: Date },
): Promise<EmailFlagResult> {
  const read = readSpamLinkToken(token, { secret: input.secret, now: input.now.getTime() });
  if (read.status !== 'valid') return { status: read.status };
  if (!(await wasNotified(db, read.accountId, read.leadId, read.recipient)))
    return { status: 'not_recipient' };
  const used = await claimNonces(db, [
    { nonce: `spam-link:${read.nonce}`, expires_at: new Date(read.expiresAt).toISOString() },
  ]);
  if (used.size > 0) return { status: 'reused' };
  return { status: 'flag', accountId: read.accountId, leadId: read.leadId, recipient: read.recipient };
}

/** A "spam" reply from the reply listener: flags only when the token is ours and the sender got that lead's notification. */
export async function acceptReplyFlag(
  db: Pick<Db, 'query'>,
  input: { readonly token: string; readonly sender: string; readonly secret: string },
): Promise<{ readonly accountId: string; readonly leadId: string } | undefined> {
  const leadId = readReplyToken(input.token, input.secret);
  if (!leadId || !UUID.test(leadId)) return undefined;
  const [row] = await db.query<{ account_id: string }>(
    `SELECT account_id FROM deliveries
      WHERE activity_id = $1 AND kind = 'notification' AND status = 'sent' AND lower(target) = lower($2)
      LIMIT 1`,
    [leadId, input.sender],
  );
  return row ? { accountId: String(row.account_id), leadId } : undefined;
}
