// How cost grows with stored leads: intake throughput and the panel's main API calls at 10k, 100k and 1M leads in one account, PGlite and PostgreSQL.
// Usage: node --import tsx bench/growth.ts [--sizes 10000,100000,1000000] [--backend pglite,postgres] [--runs 10] [--intake 10]
// Seeding: 2,500 dev leads (80% ham, 20% spam) go through the intake's batch path; copies of them, their contacts and
// history (new ids, addresses and times) are then made in batched SQL up to each size.
import type { Db } from '../src/db/database.ts';
import { loadModel } from '../src/classifier/model-file.ts';
import { CompiledConfigCache } from '../src/engine/compile.ts';
import { ingestLeads } from '../src/services/ingest.ts';
import { createBenchStore, storeNames } from './support/bench-store.ts';
import type { BenchStore, StoreKind } from './support/bench-store.ts';
import { clientIp, readDevLeads } from './support/dev-leads.ts';
import type { FormFields } from './support/dev-leads.ts';
import { fireLeads } from './support/lead-cannon.ts';
import { indexAllQueuedLeads } from '../src/jobs/search-indexer.ts';
import {
  createSkipList,
  loadNow,
  machineLine,
  markdownTable,
  readOption,
  writeResults,
} from './support/report.ts';
import { startServerProcess } from './support/server-process.ts';

const sizes = readOption('sizes', '10000,100000,1000000').split(',').map(Number);
// PGlite can be given fewer sizes: its 1M-lead step is the longest part of the run.
const pgliteSizes = readOption('sizes-pglite', sizes.join(',')).split(',').map(Number);
const backends = readOption('backend', 'pglite,postgres').split(',') as StoreKind[];
const runs = Number(readOption('runs', '10'));
const intakeSeconds = Number(readOption('intake', '10'));
const owner = { email: 'bench-owner@example.test', password: 'bench password 12345' };
const templateSize = 2500;
const messageChars = 1000;
const day = 86_400_000;
if ([...sizes, ...pgliteSizes].some((size) => !Number.isInteger(size / templateSize) || size < templateSize))
  throw new Error(`--sizes: each size must be a multiple of ${templateSize}, e.g. 10000,100000`);

const leads = readDevLeads();
/** 2,000 ham and 500 spam, in a fixed interleaving (every fifth spam). */
const template: FormFields[] = Array.from({ length: templateSize }, (_, i) => {
  const fields = (
    i % 5 === 4 ? leads.spam[Math.floor(i / 5)] : leads.ham[i - Math.floor(i / 5)]
  ) as FormFields;
  // Web-form messages are short; the dev leads are whole emails (1,250 characters on average).
  return { ...fields, message: fields.message?.slice(0, messageChars) };
});

async function seedTemplate(db: Db, store: BenchStore): Promise<void> {
  const deps = { db, configCache: new CompiledConfigCache(), model: await loadModel() };
  const now = Date.now();
  for (let offset = 0; offset < templateSize; offset += 500) {
    await ingestLeads(
      deps,
      template.slice(offset, offset + 500).map((fields, k) => {
        const i = offset + k;
        return {
          accountId: store.accountId,
          formId: store.formId,
          lead: { channel: 'form' as const, ...fields, ip: clientIp(i) },
          ipCount: 1,
          // Spread over 60 days, so reports have days to count.
          receivedAt: new Date(now - Math.floor((i / templateSize) * 60 * day)),
        };
      }),
    );
  }
  // Snapshots of what one pass wrote: every copy is made from these.
  for (const table of ['contacts', 'activities', 'history_events'])
    await db.query(`CREATE TABLE bench_template_${table} AS SELECT * FROM ${table} WHERE account_id = $1`, [
      store.accountId,
    ]);
}

/** Column expressions for a copy numbered `g`; columns not named are copied as they are (new ones included). */
const copyOverrides: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  contacts: {
    id: `md5(t.id::text || '/' || g)::uuid`,
    email: `g || '.' || t.email`,
    phone: `t.phone || '-' || g`,
  },
  activities: {
    id: `md5(t.id::text || '/' || g)::uuid`,
    contact_id: `md5(t.contact_id::text || '/' || g)::uuid`,
    email: `g || '.' || t.email`,
    received_at: `t.received_at - g * interval '1 second'`,
    status_changed_at: `t.status_changed_at - g * interval '1 second'`,
  },
  history_events: {
    id: `md5(t.id::text || '/' || g)::uuid`,
    contact_id: `md5(t.contact_id::text || '/' || g)::uuid`,
    activity_id: `md5(t.activity_id::text || '/' || g)::uuid`,
    at: `t.at - g * interval '1 second'`,
  },
};

async function copyStatement(db: Db, table: string): Promise<string> {
  const columns = await db.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [table],
  );
  const names = columns.map((column) => column.name);
  const expressions = names.map((name) => copyOverrides[table]?.[name] ?? `t.${name}`);
  return `INSERT INTO ${table} (${names.join(', ')}) SELECT ${expressions.join(', ')}
          FROM bench_template_${table} t CROSS JOIN generate_series($1::int, $2::int) g`;
}

/** Adds copies of the template until the account holds `size` leads; returns the seconds it took. */
async function growTo(db: Db, size: number, done: number): Promise<number> {
  const started = performance.now();
  const statements = await Promise.all(
    ['contacts', 'activities', 'history_events'].map((table) => copyStatement(db, table)),
  );
  // A bulk load: the secondary indexes (the trigram search index above all) are dropped, then built once at the end.
  const indexes = await db.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = ANY($1) AND indexdef NOT LIKE 'CREATE UNIQUE%'`,
    [[...Object.keys(copyOverrides), 'lead_search']],
  );
  for (const index of indexes) await db.exec(`DROP INDEX ${index.name}`);
  const copyStarted = performance.now();
  const last = size / templateSize - 1;
  const perStatement = 20;
  for (let from = done + 1; from <= last; from += perStatement) {
    const to = Math.min(last, from + perStatement - 1);
    for (const statement of statements) await db.query(statement, [from, to]);
    process.stdout.write(`\r  ${((to + 1) * templateSize).toLocaleString('en-US')} leads stored`);
  }
  // The copies were queued for the search indexer; its work, done here in bulk, belongs to the load.
  await indexAllQueuedLeads(db);
  const copied = (performance.now() - copyStarted) / 1000;
  process.stdout.write(`\n  copied in ${copied.toFixed(0)} s; rebuilding ${indexes.length} indexes\n`);
  const indexStarted = performance.now();
  // More sort memory than the default 64 MB makes the trigram index build several times faster.
  for (const index of indexes)
    await db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL maintenance_work_mem = '256MB'`);
      await tx.exec(index.definition);
    });
  console.log(`  indexes built in ${((performance.now() - indexStarted) / 1000).toFixed(0)} s`);
  // As autovacuum would after a load like this: the planner needs the new row counts.
  await db.exec(`ANALYZE ${[...Object.keys(copyOverrides), 'lead_search'].join(', ')}`);
  return (performance.now() - started) / 1000;
}

async function signIn(url: string): Promise<string> {
  const first = await fetch(`${url}/api/v1/session`);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await first.json()) as { csrfToken: string };
  const login = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify(owner),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${login.status}`);
  return (login.headers.get('set-cookie') ?? cookie).split(';')[0] ?? cookie;
}

const apiCalls = (accountId: string): readonly [string, string][] => {
  const a = `/api/v1/accounts/${accountId}`;
  return [
    ['inbox: first page of 50', `${a}/leads?view=inbox&limit=50`],
    ['quarantine: first page of 50', `${a}/leads?view=quarantine&limit=50`],
    ['quarantine count (badge)', `${a}/quarantine/count`],
    ['search: text "meeting"', `${a}/leads?view=search&text=meeting&limit=50`],
    ['search: email', `${a}/leads?view=search&email=${encodeURIComponent('5.')}&limit=50`],
    [
      'reports: 30 days, spam included',
      `${a}/reports?includeSpam=true&from=${new Date(Date.now() - 30 * day).toISOString()}`,
    ],
  ];
};

/** Median ms of `runs` calls, one at a time. */
async function timeCall(url: string, cookie: string): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return Math.round((ms[Math.floor(ms.length / 2)] ?? Number.NaN) * 10) / 10;
}

interface SizeRow {
  readonly size: number;
  readonly seedSeconds: number;
  readonly api: readonly number[];
  readonly intake: { perSecond: number; p50: number; p99: number };
}

let sent = 0;
const intakeLead = () => {
  sent += 1;
  return { fields: template[sent % templateSize] as FormFields, ip: clientIp(1_000_000 + sent) };
};

async function measureSize(store: BenchStore, size: number, seedSeconds: number): Promise<SizeRow> {
  const server = await startServerProcess(store.server);
  try {
    const cookie = await signIn(server.url);
    const api: number[] = [];
    for (const [, path] of apiCalls(store.accountId))
      api.push(await timeCall(`${server.url}${path}`, cookie));
    const url = `${server.url}/api/v1/forms/${store.formKey}/submissions`;
    await fireLeads({ url, duration: 3, connections: 10, next: intakeLead });
    const run = await fireLeads({
      url,
      duration: intakeSeconds,
      connections: 50,
      next: intakeLead,
    });
    return { size, seedSeconds, api, intake: { perSecond: run.perSecond, p50: run.p50, p99: run.p99 } };
  } finally {
    await server.stop();
  }
}

async function runBackend(kind: StoreKind): Promise<SizeRow[]> {
  const store = await createBenchStore(kind, { owner });
  const rows: SizeRow[] = [];
  try {
    let done = 0;
    let seeded = false;
    for (const size of [...(kind === 'pglite' ? pgliteSizes : sizes)].sort((a, b) => a - b)) {
      // PGlite allows one process per data folder: seeding and serving take turns.
      const db = await store.open();
      let seedSeconds: number;
      try {
        const started = performance.now();
        if (!seeded) await seedTemplate(db, store);
        seeded = true;
        console.log(`${kind}: growing to ${size.toLocaleString('en-US')} leads`);
        seedSeconds = (performance.now() - started) / 1000 + (await growTo(db, size, done));
        done = size / templateSize - 1;
      } finally {
        await db.close();
      }
      const row = await measureSize(store, size, seedSeconds);
      console.log(JSON.stringify(row));
      rows.push(row);
    }
    return rows;
  } finally {
    await store.remove();
  }
}

const loadBefore = loadNow();
const started = new Date();
const sections: string[] = [];
const skipped = createSkipList();
const labels = apiCalls('').map(([label]) => label);
for (const kind of backends) {
  try {
    const rows = await runBackend(kind);
    const count = (n: number) => n.toLocaleString('en-US');
    sections.push(`## ${storeNames[kind]}

Panel API, median ms of ${runs} calls one at a time (signed in as the owner):

${markdownTable(
  ['call', ...rows.map((row) => `${count(row.size)} leads`)],
  labels.map((label, index) => [label, ...rows.map((row) => row.api[index] ?? '–')]),
)}

Intake (autocannon, 50 connections, ${intakeSeconds} s after a 3 s warm-up, the same leads from fresh addresses):

${markdownTable(
  ['stored leads', 'leads/s', 'p50 ms', 'p99 ms', 'seeding s (this step)'],
  rows.map((row) => [
    count(row.size),
    row.intake.perSecond,
    row.intake.p50,
    row.intake.p99,
    row.seedSeconds.toFixed(0),
  ]),
)}
`);
  } catch (error) {
    skipped.add(kind, error);
  }
  // Written after each store, so a long run leaves what it has measured so far.
  writeReport();
}

function writeReport(): void {
  writeResults(
    'growth',
    `# How cost grows with stored leads (bench/growth.ts)

Command: \`node --import tsx bench/growth.ts --sizes ${sizes.join(',')}${pgliteSizes.join() === sizes.join() ? '' : ` --sizes-pglite ${pgliteSizes.join(',')}`} --backend ${backends.join(',')} --runs ${runs} --intake ${intakeSeconds}\`
Machine: ${machineLine()}; the server (the real backend) in its own process, the client in this one, on loopback.
Date: ${started.toISOString()}; 1-minute load average ${loadBefore} before, ${loadNow()} after
(other work competes for the 2 cores when it is above 2; every figure here moves with it).

All leads are in one account. The first ${templateSize.toLocaleString('en-US')} (2,000 ham and 500 spam from
\`../shared/data/leads-dev.jsonl\`, messages cut to ${messageChars} characters, received over 60 days) go through the intake's batch path (\`ingestLeads\`, screened
with the shipped model); the rest are copies of them, their contacts and history events made in batched SQL (new ids,
numbered addresses, times shifted by seconds), so verdicts, statuses and reasons keep the same mix at every size; the
secondary indexes are dropped while copying and built again after. The
store is analysed (\`ANALYZE\`) after each step, as autovacuum would. The panel queries are measured as the repositories
stand at the date above (they were being reworked at the same time); the intake rows add a few thousand leads each.
The index build runs with \`maintenance_work_mem\` 256 MB (seeding only; the server keeps its settings).

${sections.join('\n')}${skipped.markdown()}`,
  );
}
