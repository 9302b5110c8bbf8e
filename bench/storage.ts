// Storage throughput: leads/s through ingestLead on PGlite and PostgreSQL, sequential and with 50 concurrent callers.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { parseLeadLine } from '../src/cli/lead-line.ts';
import { openDatabase } from '../src/db/database.ts';
import type { Db } from '../src/db/database.ts';
import { CompiledConfigCache, compileConfig } from '../src/engine/compile.ts';
import { screenLead } from '../src/engine/screen.ts';
import type { Lead } from '../src/engine/types.ts';
import {
  createAccount,
  createForm,
  createIngestBatcher,
  createItem,
  createOrganization,
  ingestLead,
} from '../src/services/index.ts';
import type { ServiceDeps } from '../src/services/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const count = Number(option('leads', '3000'));
const backends = option('backend', 'pglite,pglite-dir,postgres').split(',');
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const output = option('out', join(root, 'bench', 'results', 'storage.md'));

function loadLeads(): Lead[] {
  const lines = readFileSync(join(root, '..', 'shared', 'data', 'leads-dev.jsonl'), 'utf8').split('\n');
  const leads: Lead[] = [];
  for (const text of lines) {
    if (leads.length >= count) break;
    if (!text.trim()) continue;
    const parsed = parseLeadLine(text);
    if ('error' in parsed) continue;
    // As the intake sends them: form channel, fields cut to its 10,000-character limit.
    const cut = (value: string | undefined) => value?.slice(0, 10_000);
    leads.push({
      ...parsed.lead,
      channel: 'form',
      message: cut(parsed.lead.message),
      subject: cut(parsed.lead.subject),
    });
  }
  return leads;
}

async function openBench(kind: string): Promise<{ db: Db; close: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDatabase();
    return { db, close: () => db.close() };
  }
  if (kind === 'pglite-dir') {
    // What `leadguard serve` runs on by default: PGlite in a data folder on disk.
    const folder = mkdtempSync(join(tmpdir(), 'leadguard-bench-'));
    const db = await openDatabase({ dataDir: folder });
    return {
      db,
      async close() {
        await db.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const db = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 });
  return {
    db,
    async close() {
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

async function createTenant(deps: ServiceDeps) {
  const organization = await createOrganization(deps, { name: 'Bench group' });
  const account = await createAccount(deps, {
    organizationId: organization.id,
    name: 'Bench Motors',
    siteDomains: ['bench.example'],
  });
  const form = await createForm(deps, account.id, {
    name: 'Contact',
    notificationRecipients: ['sales@bench.example'],
  });
  const staff = { userId: null, via: 'system' } as const;
  for (const phrase of ['casino', 'viagra', 'seo services', 'crypto investment'])
    await createItem(deps, 'keywords', account.id, { phrase }, staff);
  await createItem(
    deps,
    'rules',
    account.id,
    { action: 'block', dimension: 'domain', value: 'spam.example' },
    staff,
  );
  return { accountId: account.id, formId: form.id };
}

interface Row {
  backend: string;
  mode: string;
  leads: number;
  seconds: number;
}

async function measure(
  leads: readonly Lead[],
  work: (lead: Lead, index: number) => Promise<unknown>,
  callers: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let i = next++; i < leads.length; i = next++) await work(leads[i] as Lead, i);
    }),
  );
  return (performance.now() - started) / 1000;
}

const loadBefore = loadavg()[0] ?? 0;
const leads = loadLeads();
const rows: Row[] = [];

const engineConfig = compileConfig({ keywords: ['casino', 'viagra', 'seo services', 'crypto investment'] });
const engineSeconds = await measure(
  leads,
  async (lead) => screenLead(lead, engineConfig, { now: Date.now() }),
  1,
);
rows.push({
  backend: '(none)',
  mode: 'engine only: screenLead, no storage',
  leads: leads.length,
  seconds: engineSeconds,
});

for (const backend of backends) {
  const modes: [string, number, boolean][] = [
    ['sequential ingestLead (one transaction per lead)', 1, false],
    ['50 concurrent callers, ingestLead each (one transaction per lead)', 50, false],
    ['50 concurrent callers through the batcher (group commit)', 50, true],
  ];
  for (const [mode, callers, batched] of modes) {
    const store = await openBench(backend);
    try {
      const deps: ServiceDeps = {
        db: store.db,
        configCache: new CompiledConfigCache(),
        renderTokenSecret: 'b'.repeat(32),
      };
      const tenant = await createTenant(deps);
      const batcher = createIngestBatcher(deps);
      const receivedAt = new Date();
      const ingest = (lead: Lead) => {
        const input = { accountId: tenant.accountId, formId: tenant.formId, lead, receivedAt, ipCount: 1 };
        return batched ? batcher.ingest(input) : ingestLead(deps, input);
      };
      await measure(leads.slice(0, 100), ingest, callers); // warm-up: compile, JIT, caches
      const seconds = await measure(leads, ingest, callers);
      rows.push({ backend, mode, leads: leads.length, seconds });
      console.log(`${backend} | ${mode} | ${(leads.length / seconds).toFixed(0)} leads/s`);
    } finally {
      await store.close();
    }
  }
}

const table = rows
  .map(
    (row) =>
      `| ${row.backend} | ${row.mode} | ${row.leads} | ${row.seconds.toFixed(2)} | ${(row.leads / row.seconds).toFixed(0)} |`,
  )
  .join('\n');
const report = `# Storage benchmark

Command: \`node --import tsx bench/storage.ts --leads ${count} --backend ${backends.join(',')}\`
Machine: 2 cores, Node ${process.versions.node}; PGlite in this process (\`pglite\` in memory, \`pglite-dir\` in a data folder as \`serve\` runs it); PostgreSQL 15 on loopback (pool of 10),
a fresh schema per row. Leads: the first ${leads.length} of \`../shared/data/leads-dev.jsonl\` (fields cut to 10,000
characters as the intake does), one account with 4 keywords and a block rule, one form with a notification recipient.
Each row: 100 warm-up leads, then all leads; the time covers screening (the engine) and storage.
Date: ${new Date().toISOString()}; 1-minute load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after
(other work on the machine shares its 2 cores: compare rows of one run, not runs).

| backend | mode | leads | seconds | leads/s |
| --- | --- | ---: | ---: | ---: |
${table}
`;
writeFileSync(output, report);
console.log(report);
