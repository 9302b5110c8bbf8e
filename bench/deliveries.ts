// Delivery costs: ADF documents, webhook signatures, spam links and the URL guard per second on one core; then outbox throughput end to end.
// Usage: node --import tsx bench/deliveries.ts [--seconds 1] [--outbox 2000] [--postgres]
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parseLeadLine } from '../src/cli/lead-line.ts';
import { openDatabase } from '../src/db/database.ts';
import type { Db } from '../src/db/database.ts';
import { buildAdfXml } from '../src/integrations/adf.ts';
import type { AdfLead } from '../src/integrations/adf.ts';
import { createSpamLinkToken, readSpamLinkToken } from '../src/integrations/email-link.ts';
import { isBlockedAddress } from '../src/integrations/url-guard.ts';
import { buildWebhookPayload, generateWebhookSecret, signWebhook } from '../src/integrations/webhooks.ts';
import { createDeliveryRepository, enqueueDeliveries } from '../src/jobs/delivery-repository.ts';
import { findAccountName, findWebhookEndpoint } from '../src/jobs/delivery-reads.ts';
import type { NewDelivery } from '../src/jobs/delivery-repository.ts';
import { runDeliveryBatch } from '../src/jobs/delivery-worker.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};
const seconds = Number(option('seconds', '1'));
const outboxCount = Number(option('outbox', '2000'));
const withPostgres = args.includes('--postgres');
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function loadAdfLeads(): AdfLead[] {
  const text = readFileSync(`${root}../shared/data/leads-dev.jsonl`, 'utf8');
  const leads: AdfLead[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const parsed = parseLeadLine(line);
    if ('error' in parsed) continue;
    const lead = parsed.lead;
    leads.push({
      id: lead.id ?? 'x',
      source: 'Contact form',
      requestDate: new Date('2026-11-23T12:00:00Z'),
      fullName: lead.name,
      email: lead.email,
      phone: lead.phone,
      comments: [lead.subject, lead.message].filter(Boolean).join('\n'),
      vendorName: 'Acme Motors',
      provider: { name: 'LeadGuard' },
    });
  }
  return leads;
}

/** Runs `fn` over and over for `seconds`; returns calls per second. */
function rate(fn: (i: number) => void): number {
  const deadline = performance.now() + seconds * 1000;
  let calls = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    for (let k = 0; k < 50; k += 1) fn(calls++);
  }
  return calls / ((performance.now() - started) / 1000);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function micro(): void {
  const leads = loadAdfLeads();
  const bytes = leads.reduce((sum, lead) => sum + buildAdfXml(lead).length, 0) / leads.length;
  console.log(
    `ADF documents: ${fmt(rate((i) => buildAdfXml(leads[i % leads.length] as AdfLead)))}/s (dev leads, mean ${fmt(bytes)} bytes)`,
  );
  const secret = generateWebhookSecret();
  const payload = buildWebhookPayload(
    'lead.created',
    { leadId: 'lead-1', name: 'Ann Lee', message: 'x'.repeat(500) },
    new Date(),
  );
  console.log(
    `webhook signatures: ${fmt(rate((i) => signWebhook({ secret, messageId: `msg_${i}`, payload, sentAt: new Date() })))}/s`,
  );
  const key = 'bench-secret-0123456789abcdef0123456789';
  const token = createSpamLinkToken({
    secret: key,
    accountId: 'a',
    leadId: 'l',
    recipient: 'r@x.example',
    now: 0,
  });
  console.log(
    `spam links created: ${fmt(rate(() => createSpamLinkToken({ secret: key, accountId: 'a', leadId: 'l', recipient: 'r@x.example', now: 0 })))}/s, read: ${fmt(rate(() => readSpamLinkToken(token, { secret: key, now: 1 })))}/s`,
  );
  const addresses = ['93.184.215.14', '10.0.0.1', '::ffff:127.0.0.1', '2606:4700::1111'];
  console.log(
    `URL guard address checks: ${fmt(rate((i) => isBlockedAddress(addresses[i % 4] as string)))}/s`,
  );
}

async function seedAccount(db: Db): Promise<{ accountId: string; activityId: string }> {
  const orgId = randomUUID();
  const accountId = randomUUID();
  const contactId = randomUUID();
  const activityId = randomUUID();
  await db.query('INSERT INTO organizations (id, name) VALUES ($1, $2)', [orgId, 'Bench']);
  await db.query('INSERT INTO accounts (id, organization_id, name) VALUES ($1, $2, $3)', [
    accountId,
    orgId,
    'Bench Motors',
  ]);
  await db.query('INSERT INTO contacts (id, account_id, email) VALUES ($1, $2, $3)', [
    contactId,
    accountId,
    'a@example.com',
  ]);
  await db.query(
    `INSERT INTO activities (id, account_id, contact_id, kind, channel, status, name, email, message, verdict, received_at, status_changed_at)
     VALUES ($1, $2, $3, 'lead', 'form', 'active', 'Ann Lee', 'a@example.com', 'Price for the F-150?', '{}'::jsonb, now(), now())`,
    [activityId, accountId, contactId],
  );
  return { accountId, activityId };
}

async function outbox(name: string, db: Db, receiverUrl: string): Promise<void> {
  const { accountId, activityId } = await seedAccount(db);
  const now = new Date();
  const rows: NewDelivery[] = Array.from({ length: outboxCount }, (_, i) => ({
    accountId,
    activityId,
    kind: 'crm_http',
    target: receiverUrl,
    payload: { url: receiverUrl },
    notBefore: now,
    idempotencyKey: `bench-${randomUUID()}-${i}`,
  }));
  await db.transaction((tx) => enqueueDeliveries(tx, rows, now));
  const repository = createDeliveryRepository(db);
  const deps = {
    mailer: undefined,
    secretKey: 'bench-secret-0123456789abcdef0123456789',
    publicUrl: 'https://leads.example.com',
    mailFrom: 'n@leadguard.example',
    guard: { allowPrivate: true },
    findWebhookEndpoint: (a: string, id: string) => findWebhookEndpoint(db, a, id),
    vendorName: (a: string) => findAccountName(db, a),
  };
  const started = performance.now();
  let sent = 0;
  for (;;) {
    const report = await runDeliveryBatch({
      repository,
      deps,
      batchSize: 50,
      concurrency: 8,
      workerId: 'bench',
    });
    sent += report.delivered;
    if (report.claimed === 0) break;
  }
  const secondsTaken = (performance.now() - started) / 1000;
  console.log(
    `outbox on ${name}: ${fmt(sent)} ADF posts to a loopback receiver in ${secondsTaken.toFixed(2)} s = ${fmt(sent / secondsTaken)} deliveries/s (claim, load lead, build ADF, POST, record attempt; batch 50, 8 at once)`,
  );
}

async function main(): Promise<void> {
  console.log(
    `machine: ${cpus().length} cores, Node ${process.version}, load ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  micro();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/adf`;
  const lite = await openDatabase();
  await outbox('PGlite (in memory)', lite, url);
  await lite.close();
  if (withPostgres) {
    // A schema of its own, dropped after: the shared test database keeps nothing from the run.
    const schema = `lg_bench_${randomUUID().slice(0, 8)}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const scoped = new URL(postgresUrl);
    scoped.searchParams.set('options', `-c search_path=${schema}`);
    const server15 = await openDatabase({ databaseUrl: scoped.toString(), poolSize: 10 });
    try {
      await outbox('PostgreSQL (local server)', server15, url);
    } finally {
      await server15.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  }
  server.close();
}

await main();
