// One, two and three LeadGuard instances behind a round-robin proxy over one PostgreSQL and one Redis: throughput, the per-IP limit
// counted across instances, each webhook delivery sent once, the retention job run once.
// Usage: node --import tsx bench/scale-out.ts [--duration 20] [--instances 1,2,3]
import { indexAllQueuedLeads } from '../src/jobs/search-indexer.ts';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../src/db/database.ts';
import { redisUrl } from '../test/support/services.ts';
import { createBenchStore } from './support/bench-store.ts';
import type { BenchStore } from './support/bench-store.ts';
import { normalTraffic, readDevLeads, rotate, submissionBody } from './support/dev-leads.ts';
import { fireLeads } from './support/lead-cannon.ts';
import type { CannonRun } from './support/lead-cannon.ts';
import {
  createSkipList,
  loadNow,
  machineLine,
  markdownTable,
  readOption,
  writeResults,
} from './support/report.ts';
import { startProxyProcess } from './support/round-robin-proxy.ts';
import { startServerProcess } from './support/server-process.ts';
import type { ServerProcess } from './support/server-process.ts';

const duration = Number(readOption('duration', '20'));
const counts = readOption('instances', '1,2,3').split(',').map(Number);
const limit = 300;
const expiredPerRound = 1000;
const drainTimeoutMs = 180_000;

const leads = readDevLeads();
const normalLead = normalTraffic(leads);

/** A webhook receiver that counts each `webhook-id` it is sent. */
async function startReceiver(): Promise<{ url: string; ids: Map<string, number>; close: () => void }> {
  const ids = new Map<string, number>();
  const server = createServer((request, response) => {
    const id = String(request.headers['webhook-id'] ?? '');
    ids.set(id, (ids.get(id) ?? 0) + 1);
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, ids, close: () => server.close() };
}

/** Quarantined leads whose retention ran out 30 days ago; returns their ids. */
async function seedExpired(db: Db, store: BenchStore, round: number): Promise<string[]> {
  const contactId = randomUUID();
  await db.query('INSERT INTO contacts (id, account_id, email) VALUES ($1, $2, $3)', [
    contactId,
    store.accountId,
    `expired-${round}@bench.example`,
  ]);
  const rows = await db.query<{ id: string }>(
    `INSERT INTO activities (id, account_id, form_id, contact_id, kind, channel, status, name, email, message, verdict,
                             received_at, status_changed_at)
     SELECT gen_random_uuid(), $1, $2, $3, 'lead', 'form', 'quarantined', 'Old spam', $4, 'cheap pills ' || g, '{}'::jsonb,
            now() - interval '60 days', now() - interval '60 days'
     FROM generate_series(1, $5::int) g RETURNING id`,
    [store.accountId, store.formId, contactId, `expired-${round}@bench.example`, expiredPerRound],
  );
  // Leads this old were indexed for search long ago: an indexer round holding them would make retention skip them.
  await indexAllQueuedLeads(db);
  return rows.map((row) => row.id);
}

interface LimitProbe {
  readonly ip: string;
  readonly refs: readonly string[];
  /** The leads sent one by one after the first `limit`: which instance took each. */
  readonly past: readonly { ref: string; instance: string; status: number }[];
}

/** `limit` leads from one address, 10 at a time, then six more one by one, all through the proxy. */
async function probeLimit(url: string): Promise<LimitProbe> {
  const ip = '198.51.100.77';
  const send = async (n: number) => {
    const ref = `limit-${n}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: submissionBody(rotate(leads.ham, n), ref),
    });
    await response.arrayBuffer();
    return { ref, instance: response.headers.get('x-bench-instance') ?? '?', status: response.status };
  };
  const refs: string[] = [];
  for (let n = 0; n < limit; n += 10) {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, k) => send(n + k)));
    refs.push(...answers.map((answer) => answer.ref));
  }
  const past = [];
  for (let n = limit; n < limit + 6; n += 1) past.push(await send(n));
  return { ip, refs: [...refs, ...past.map((item) => item.ref)], past };
}

async function waitForOutbox(db: Db, accountId: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries WHERE account_id = $1 AND status IN ('pending', 'processing')`,
      [accountId],
    );
    const waited = Math.round((performance.now() - started) / 1000);
    if ((row?.n ?? 0) === 0 || performance.now() - started > drainTimeoutMs) return waited;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

interface Outcome {
  readonly instances: number;
  readonly run: CannonRun;
  readonly checks: string[];
  readonly passed: boolean;
}

async function measure(instances: number): Promise<Outcome> {
  const receiver = await startReceiver();
  const store = await createBenchStore('postgres', { webhookUrl: receiver.url });
  const db = await store.open();
  const servers: ServerProcess[] = [];
  const checks: string[] = [];
  let passed = true;
  const check = (ok: boolean, text: string) => {
    passed &&= ok;
    checks.push(`${ok ? 'ok' : '**FAILED**'}: ${text}`);
  };
  try {
    const expired = await seedExpired(db, store, 1);
    // Started together, each instance runs a retention round as it starts: they race for the same expired leads.
    servers.push(
      ...(await Promise.all(
        Array.from({ length: instances }, () => startServerProcess({ ...store.server, redisUrl: redisUrl })),
      )),
    );
    const proxy = await startProxyProcess(servers.map((server) => server.url));
    const url = `${proxy.url}/api/v1/forms/${store.formKey}/submissions`;
    try {
      await fireLeads({ url, duration: 3, connections: 10, next: normalLead });
      console.log(`${instances} instance(s): ${duration} s at 50 connections through the proxy`);
      const run = await fireLeads({ url, duration, connections: 50, next: normalLead });
      const probe = await probeLimit(url);
      const drainedIn = await waitForOutbox(db, store.accountId);
      // A second round, started on every instance at once.
      expired.push(...(await seedExpired(db, store, 2)));
      const rounds = await Promise.all(servers.map((server) => server.runRetention()));

      const [stored] = await db.query<{ n: number; distinct: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT fields->>'ref')::int AS distinct FROM activities
         WHERE account_id = $1 AND fields->>'ref' = ANY($2)`,
        [store.accountId, run.accepted],
      );
      check(
        stored?.distinct === run.accepted.length && stored.n === stored.distinct,
        `${run.accepted.length} leads answered 2xx: ${stored?.distinct ?? 0} of them stored, ${(stored?.n ?? 0) - (stored?.distinct ?? 0)} twice`,
      );

      const limited = await db.query<{ ref: string; over: boolean; status: string }>(
        `SELECT fields->>'ref' AS ref, verdict->'signals' @> '[{"check": "frequency"}]' AS over, status
         FROM activities WHERE account_id = $1 AND ip = $2`,
        [store.accountId, probe.ip],
      );
      const over = limited.filter((row) => row.over);
      const pastRefs = new Set(probe.past.map((item) => item.ref));
      check(
        limited.length === probe.refs.length &&
          over.length === probe.past.length &&
          over.every((row) => pastRefs.has(row.ref) && row.status === 'quarantined'),
        `${probe.refs.length} leads from ${probe.ip}: ${limited.length - over.length} within the limit, ${over.length} over it and quarantined; ` +
          `leads ${limit + 1}–${limit + probe.past.length} were taken by instances ${probe.past.map((item) => item.instance).join(', ')}`,
      );

      const deliveries = await db.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM deliveries WHERE account_id = $1 GROUP BY 1`,
        [store.accountId],
      );
      const byStatus = Object.fromEntries(deliveries.map((row) => [row.status, row.n]));
      const [active] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM activities WHERE account_id = $1 AND status = 'active'`,
        [store.accountId],
      );
      const received = [...receiver.ids.values()];
      const twice = received.filter((n) => n > 1).length;
      check(
        (byStatus.sent ?? 0) === receiver.ids.size && twice === 0 && (byStatus.sent ?? 0) === active?.n,
        `${active?.n ?? 0} active leads, deliveries ${JSON.stringify(byStatus)} (outbox drained ${drainedIn} s after the load); ` +
          `the receiver got ${received.reduce((sum, n) => sum + n, 0)} webhooks with ${receiver.ids.size} distinct ids, ${twice} sent more than once`,
      );

      const purges = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM history_events
         WHERE account_id = $1 AND type = 'deleted' AND activity_id = ANY($2) GROUP BY activity_id`,
        [store.accountId, expired],
      );
      const [left] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM activities WHERE id = ANY($1) AND status = 'quarantined'`,
        [expired],
      );
      check(
        purges.length === expired.length && purges.every((row) => row.n === 1) && left?.n === 0,
        `retention: ${expired.length} expired leads in two rounds (one as the instances started, one started on all at once: ` +
          `${rounds.map((round) => (round.ran ? `ran, purged ${round.purged}` : 'skipped, lock held')).join('; ')}); ` +
          `${purges.length} purged, ${purges.filter((row) => row.n > 1).length} purged twice, ${left?.n ?? 0} left`,
      );
      return { instances, run, checks, passed };
    } finally {
      await proxy.stop();
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await db.close();
    await store.remove();
    receiver.close();
  }
}

const loadBefore = loadNow();
const started = new Date();
const outcomes: Outcome[] = [];
const skipped = createSkipList();
for (const instances of counts) {
  try {
    const outcome = await measure(instances);
    console.log(outcome.checks.join('\n'));
    outcomes.push(outcome);
  } catch (error) {
    skipped.add(`${instances} instance(s)`, error);
  }
}

const base = outcomes[0]?.run.perSecond ?? 0;
const table = markdownTable(
  ['instances', 'leads/s', 'vs first row', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
  outcomes.map(({ instances, run }) => [
    instances,
    run.perSecond,
    base ? `${(run.perSecond / base).toFixed(2)}x` : '–',
    run.p50,
    run.p99,
    run.non2xx,
    run.errors,
  ]),
);
console.log(table);
writeResults(
  'scale-out',
  `# Scale-out: instances behind a round-robin proxy (bench/scale-out.ts)

Command: \`node --import tsx bench/scale-out.ts --duration ${duration} --instances ${counts.join(',')}\`
Machine: ${machineLine()}; every instance (the real backend: shipped model, learning, delivery worker, retention) in its
own process over one PostgreSQL schema and one Redis, a round-robin proxy (http-proxy-3, kept-alive upstream
sockets) in another process, autocannon in this one, all on loopback and on the same cores.
Date: ${started.toISOString()}; 1-minute load average ${loadBefore} before, ${loadNow()} after
(other work competes for the 2 cores when it is above 2).

Traffic: closed-loop autocannon, 50 connections, ${duration} s per row after a 3 s warm-up, leads from
\`../shared/data/leads-dev.jsonl\` (every fifth one spam), each from its own client address in \`x-forwarded-for\`, which
the proxy passes through and the instances trust (\`TRUSTED_PROXY=x-forwarded-for\`). The account has one webhook
endpoint for \`lead.created\`: a receiver in this process that counts each \`webhook-id\` (the idempotency key).

${table}

## Checks per row
${outcomes.map((outcome) => `\n${outcome.instances} instance(s):\n${outcome.checks.map((line) => `- ${line}`).join('\n')}`).join('\n')}
${skipped.markdown()}`,
);
