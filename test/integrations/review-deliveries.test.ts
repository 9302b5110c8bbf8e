// What review actions put in the outbox, on PGlite and PostgreSQL: lead.marked_spam after an export, lead.released, lead.deleted.
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { CompiledConfigCache } from '../../src/engine/compile.ts';
import {
  createAccount,
  createForm,
  createItem,
  createOrganization,
  deleteActivity,
  ingestLead,
  markNotSpam,
  markSpam,
} from '../../src/services/index.ts';
import type { ServiceDeps } from '../../src/services/index.ts';
import { describeEachDatabase } from '../support/databases.ts';

const staff = { userId: null, via: 'panel' } as const;
const events = ['lead.created', 'lead.marked_spam', 'lead.released', 'lead.deleted'];

interface Row {
  kind: string;
  status: string;
  event: string | null;
  lead_id: string | null;
}

describeEachDatabase('review actions and the outbox', (getDb) => {
  let db: Db;
  let deps: ServiceDeps;
  let accountId: string;
  let formId: string;

  const deliveries = (activityId: string) =>
    db.query<Row>(
      `SELECT kind, status, payload->>'event' AS event, payload->'data'->>'leadId' AS lead_id
         FROM deliveries WHERE activity_id = $1 ORDER BY created_at, kind, payload->>'event'`,
      [activityId],
    );
  const ingest = async (email: string) =>
    (
      await ingestLead(deps, {
        accountId,
        formId,
        lead: { channel: 'file', name: 'Dee Ray', email, message: 'Please call me about the lease offer.' },
        receivedAt: new Date(),
      })
    ).activityId;

  beforeAll(async () => {
    db = getDb();
    deps = { db, configCache: new CompiledConfigCache() };
    const organization = await createOrganization(deps, { name: 'Outbox group' });
    const account = await createAccount(deps, {
      organizationId: organization.id,
      name: 'Outbox Motors',
      siteDomains: ['outbox.example'],
    });
    accountId = account.id;
    const endpointId = randomUUID();
    await db.query(
      'INSERT INTO webhook_endpoints (id, account_id, url, secret, events) VALUES ($1, $2, $3, $4, $5)',
      [endpointId, accountId, 'https://crm.outbox.example/hook', 'whsec_dGVzdHNlY3JldA==', events],
    );
    const form = await createForm(deps, accountId, {
      name: 'Lease',
      notificationRecipients: ['desk@outbox.example'],
      crmTargets: [{ kind: 'webhook', endpointId }],
    });
    formId = form.id;
    await createItem(
      deps,
      'rules',
      accountId,
      { action: 'block', dimension: 'email', value: 'blocked@spam.example' },
      staff,
    );
  });

  it('cancels unsent work of a lead marked spam inside the hold window, and tells no one', async () => {
    const leadId = await ingest('dee.ray@example.com');
    expect(await markSpam(deps, accountId, leadId, staff)).toBe(true);
    expect(await deliveries(leadId)).toEqual([
      { kind: 'notification', status: 'cancelled', event: null, lead_id: null },
      { kind: 'webhook', status: 'cancelled', event: 'lead.created', lead_id: leadId },
    ]);
  });

  it('sends lead.marked_spam when the lead was already exported', async () => {
    const leadId = await ingest('eve.ray@example.com');
    await db.query("UPDATE deliveries SET status = 'sent', sent_at = now() WHERE activity_id = $1", [leadId]);
    expect(await markSpam(deps, accountId, leadId, staff)).toBe(true);
    expect(await deliveries(leadId)).toEqual([
      { kind: 'notification', status: 'sent', event: null, lead_id: null },
      { kind: 'webhook', status: 'sent', event: 'lead.created', lead_id: leadId },
      { kind: 'webhook', status: 'pending', event: 'lead.marked_spam', lead_id: leadId },
    ]);
    // Marking it again changes nothing: the lead is already in quarantine.
    expect(await markSpam(deps, accountId, leadId, staff)).toBe(true);
    expect(await deliveries(leadId)).toHaveLength(3);
  });

  it('releases a quarantined lead with its own deliveries and a lead.released webhook', async () => {
    const leadId = await ingest('blocked@spam.example');
    expect(await deliveries(leadId)).toEqual([]);
    expect(await markNotSpam(deps, accountId, leadId, staff)).toBe(true);
    const rows = await deliveries(leadId);
    expect(rows).toHaveLength(3);
    expect(rows).toEqual(
      expect.arrayContaining([
        { kind: 'notification', status: 'pending', event: null, lead_id: null },
        { kind: 'webhook', status: 'pending', event: 'lead.created', lead_id: leadId },
        { kind: 'webhook', status: 'pending', event: 'lead.released', lead_id: leadId },
      ]),
    );
  });

  it('restores the work a spam mark cancelled when the lead is released, and never resends what was sent', async () => {
    const leadId = await ingest('gus.ray@example.com');
    await db.query(
      "UPDATE deliveries SET status = 'sent', sent_at = now() WHERE activity_id = $1 AND kind = 'notification'",
      [leadId],
    );
    expect(await markSpam(deps, accountId, leadId, staff)).toBe(true);
    expect(await markNotSpam(deps, accountId, leadId, staff)).toBe(true);
    expect(await deliveries(leadId)).toEqual([
      { kind: 'notification', status: 'sent', event: null, lead_id: null },
      { kind: 'webhook', status: 'pending', event: 'lead.created', lead_id: leadId },
      { kind: 'webhook', status: 'pending', event: 'lead.released', lead_id: leadId },
    ]);
  });

  it('deletes a lead with a lead.deleted webhook carrying what the lead was, and cancels its unsent work', async () => {
    const leadId = await ingest('fay.ray@example.com');
    expect(await deleteActivity(deps, accountId, leadId, staff)).toBe(true);
    expect(await deliveries(leadId)).toEqual([
      { kind: 'notification', status: 'cancelled', event: null, lead_id: null },
      { kind: 'webhook', status: 'cancelled', event: 'lead.created', lead_id: leadId },
      { kind: 'webhook', status: 'pending', event: 'lead.deleted', lead_id: leadId },
    ]);
    const [deleted] = await db.query<{ data: { email?: string } }>(
      "SELECT payload->'data' AS data FROM deliveries WHERE activity_id = $1 AND payload->>'event' = 'lead.deleted'",
      [leadId],
    );
    expect(deleted?.data.email).toBe('fay.ray@example.com');
  });
});
