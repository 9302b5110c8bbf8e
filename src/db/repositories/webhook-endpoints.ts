// An account's webhook endpoints: where lead events go, which events each wants, and the secret that signs them.
import type { Db } from '../database.ts';

export interface WebhookEndpointRow {
  id: string;
  account_id: string;
  url: string;
  secret: string;
  events: string[];
  enabled: boolean;
  created_at: Date;
}

const columns = 'id, account_id, url, secret, events, enabled, created_at';

export async function listWebhookEndpoints(db: Db, accountId: string): Promise<WebhookEndpointRow[]> {
  return db.query<WebhookEndpointRow>(
    `SELECT ${columns} FROM webhook_endpoints WHERE account_id = $1 ORDER BY created_at, id`,
    [accountId],
  );
}

export async function insertWebhookEndpoint(
  db: Db,
  row: Pick<WebhookEndpointRow, 'id' | 'account_id' | 'url' | 'secret' | 'events' | 'enabled'>,
): Promise<WebhookEndpointRow | undefined> {
  const [inserted] = await db.query<WebhookEndpointRow>(
    `INSERT INTO webhook_endpoints (id, account_id, url, secret, events, enabled)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${columns}`,
    [row.id, row.account_id, row.url, row.secret, row.events, row.enabled],
  );
  return inserted;
}

export async function updateWebhookEndpoint(
  db: Db,
  accountId: string,
  id: string,
  patch: { url?: string; events?: readonly string[]; enabled?: boolean },
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await db.query<WebhookEndpointRow>(
    `UPDATE webhook_endpoints SET
       url = COALESCE($3, url),
       events = COALESCE($4::text[], events),
       enabled = COALESCE($5, enabled)
     WHERE account_id = $1 AND id = $2 RETURNING ${columns}`,
    [accountId, id, patch.url ?? null, patch.events ?? null, patch.enabled ?? null],
  );
  return row;
}

export async function deleteWebhookEndpoint(db: Db, accountId: string, id: string): Promise<boolean> {
  const rows = await db.query(
    'DELETE FROM webhook_endpoints WHERE account_id = $1 AND id = $2 RETURNING id',
    [accountId, id],
  );
  return rows.length > 0;
}
