// Panel page loads with 100,000 leads in one account: API time per page call and Chromium time to visible content.
// Usage: node --import tsx bench/panel-pages.ts [--leads 100000] [--runs 20]
//   DATABASE_URL set: PostgreSQL (the bench works in a schema of its own and drops it), else PGlite.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { loadConfig } from '../src/config/env.ts';
import { tendPgliteTables } from '../src/db/pglite-upkeep.ts';
import { indexAllQueuedLeads } from '../src/jobs/search-indexer.ts';
import type { Db } from '../src/db/database.ts';
import { CompiledConfigCache } from '../src/engine/compile.ts';
import { openStorageBackend } from '../src/services/backend.ts';
import { ingestLeads } from '../src/services/ingest.ts';
import type { PanelServices } from '../src/http/routes/panel-services.ts';
import type { HttpServices } from '../src/http/services-port.ts';
import { startServer } from '../src/main.ts';
import type { Lead } from '../src/engine/types.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1] ?? fallback) : fallback;
};
const leadCount = option('leads', 100_000);
const runs = option('runs', 20);
const owner = { email: 'bench-owner@example.test', password: 'bench password 12345' };
const secretKey = randomBytes(32).toString('hex');

interface Sample {
  readonly label: string;
  readonly ms: number[];
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function readCorpus(): Lead[] {
  const file = join(root, '..', 'shared', 'data', 'leads-dev.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const row = JSON.parse(line) as Record<string, string>;
      return {
        channel: 'form',
        name: row.name,
        email: row.email,
        subject: row.subject,
        message: row.message?.slice(0, 4000),
      };
    });
}

/** The store's settings: a PostgreSQL URL whose connections use only the bench's schema, or the data folder. */
function storeEnv(dataDir: string, databaseUrl: string | undefined): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, SECRET_KEY: secretKey } : {}),
  };
}

/** A fresh schema on the PostgreSQL server, so the bench never meets an earlier setup; `drop` removes it. */
async function createBenchSchema(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `bench_panel_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await run(`CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return { url: scoped.toString(), drop: () => run(`DROP SCHEMA ${schema} CASCADE`) };
}

/**
 * What a running instance reaches on its own after a bulk load: the search indexer's backlog worked off
 * (src/jobs/search-indexer.ts), then autovacuum on PostgreSQL or the PGlite upkeep (src/db/pglite-upkeep.ts) on the
 * embedded store. Without them searches read every queued lead (or the dead rows the indexer left in the queue)
 * and the planner has no statistics for a minute or so.
 */
async function settle(db: Db): Promise<void> {
  const indexing = performance.now();
  const indexed = await indexAllQueuedLeads(db);
  console.log(
    `search indexing after seeding: ${indexed} leads in ${((performance.now() - indexing) / 1000).toFixed(1)} s`,
  );
  const started = performance.now();
  if (db.kind === 'pglite') await tendPgliteTables(db);
  else await db.exec('VACUUM (ANALYZE) activities, history_events, lead_search, lead_search_queue');
  console.log(`vacuum and analyze after seeding: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Seeds through the services' batch intake, spread over 60 days so reports have something to count. */
async function seed(dataDir: string, databaseUrl: string | undefined): Promise<{ accountId: string }> {
  const config = loadConfig(storeEnv(dataDir, databaseUrl));
  const backend = await openStorageBackend(config);
  const services = backend.services as HttpServices & Partial<PanelServices>;
  if (!services.createFirstOwner) throw new Error('the backend has no first-run setup service');
  const created = await services.createFirstOwner({
    organizationName: 'Bench Group',
    accountName: 'Bench Motors',
    siteDomain: 'bench-motors.example',
    name: 'Bench Owner',
    ...owner,
  });
  if (!created) throw new Error('setup was already done in a fresh data folder');
  const me = await services.getMe(created.userId);
  const accountId = me?.accounts[0]?.id;
  if (!accountId) throw new Error('the owner has no account');
  const actor = { principal: { kind: 'user' as const, userId: created.userId }, via: 'panel' as const };
  const formRow = await services.createItem(
    'forms',
    accountId,
    { name: 'Contact us', siteDomains: ['bench-motors.example'] },
    actor,
  );
  const form = await services.findPublicForm(String(formRow.formKey ?? formRow.publicKey));
  if (!form) throw new Error('the new form is not found by its key');
  const corpus = readCorpus();
  const started = performance.now();
  const now = Date.now();
  // The intake's own batch path (one transaction per batch), without HTTP: seeding is not what is measured.
  const deps = { db: backend.db, configCache: new CompiledConfigCache() };
  const batch = 1000;
  for (let offset = 0; offset < leadCount; offset += batch) {
    const inputs = Array.from({ length: Math.min(batch, leadCount - offset) }, (_, i) => {
      const index = offset + i;
      const lead = corpus[index % corpus.length] as Lead;
      return {
        accountId,
        formId: String(formRow.id),
        lead: {
          ...lead,
          email: `${index}.${lead.email ?? 'x@example.test'}`,
          ip: `10.${index % 250}.${(index >> 8) % 250}.1`,
        },
        ipCount: 1,
        receivedAt: new Date(now - Math.floor((index / leadCount) * 60 * 86_400_000)),
      };
    });
    await ingestLeads(deps, inputs);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `seeded ${leadCount} leads in ${seconds.toFixed(1)} s (${Math.round(leadCount / seconds)} leads/s)`,
  );
  await settle(backend.db);
  await backend.close();
  return { accountId };
}

async function signIn(url: string): Promise<{ cookie: string; csrf: string }> {
  const first = await fetch(`${url}/api/v1/session`);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await first.json()) as { csrfToken: string };
  const login = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify(owner),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${login.status}`);
  return {
    cookie: (login.headers.get('set-cookie') ?? cookie).split(';')[0] ?? cookie,
    csrf: ((await login.json()) as { csrfToken: string }).csrfToken,
  };
}

async function timeApi(url: string, cookie: string, accountId: string): Promise<Sample[]> {
  const a = `${url}/api/v1/accounts/${accountId}`;
  const first = (await (await fetch(`${a}/leads?view=inbox&limit=50`, { headers: { cookie } })).json()) as {
    items: { id: string; contactId: string }[];
    nextCursor?: string;
  };
  const lead = first.items[0];
  const day = 86_400_000;
  const calls: [string, string][] = [
    ['inbox: first page of 50 (+ total)', `${a}/leads?view=inbox&limit=50`],
    ['inbox: a later page (cursor)', `${a}/leads?view=inbox&limit=50&cursor=${first.nextCursor ?? ''}`],
    ['quarantine: first page of 50 (+ total)', `${a}/leads?view=quarantine&limit=50`],
    ['quarantine count (badge)', `${a}/quarantine/count`],
    ['search: text "meeting"', `${a}/leads?view=search&text=meeting&limit=50`],
    ['search: email', `${a}/leads?view=search&email=${encodeURIComponent('5.')}&limit=50`],
    ['search: a word no lead has', `${a}/leads?view=search&text=zqxjv&limit=50`],
    ['search: phone digits', `${a}/leads?view=search&phone=5551234&limit=50`],
    ['recent activity, spam shown', `${a}/leads?view=recent&includeSpam=true&limit=50`],
    ['lead detail', `${a}/leads/${lead?.id ?? 'none'}`],
    ['contact page', `${a}/contacts/${lead?.contactId ?? 'none'}`],
    [
      'reports: 30 days, spam included',
      `${a}/reports?includeSpam=true&from=${new Date(Date.now() - 30 * day).toISOString()}`,
    ],
    ['rules', `${a}/rules`],
  ];
  const samples: Sample[] = [];
  for (const [label, target] of calls) {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const response = await fetch(target, { headers: { cookie } });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${label}: ${response.status}`);
      ms.push(performance.now() - started);
    }
    samples.push({ label, ms });
  }
  return samples;
}

async function timeBrowser(url: string, cookie: string): Promise<Sample[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext();
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name: name ?? '', value: value ?? '', url }]);
  const page = await context.newPage();
  const pages: [string, string, string][] = [
    ['inbox (first rows visible)', '/inbox', 'a.lead-link'],
    ['quarantine (first rows visible)', '/quarantine', 'a.lead-link'],
    ['search results', '/search?q=meeting', 'a.lead-link'],
    ['reports (charts drawn)', '/reports', '.chart svg'],
    ['rules', '/rules', 'h1'],
  ];
  const samples: Sample[] = [];
  for (const [label, path, selector] of pages) {
    const ms: number[] = [];
    for (let i = 0; i < Math.min(runs, 10); i++) {
      const started = performance.now();
      await page.goto(`${url}${path}`);
      await page.locator(selector).first().waitFor({ timeout: 30_000 });
      ms.push(performance.now() - started);
    }
    samples.push({ label, ms });
  }
  await browser.close();
  return samples;
}

function print(title: string, samples: readonly Sample[]): void {
  console.log(`\n${title}\n| call | median ms | p95 ms |\n| --- | ---: | ---: |`);
  for (const s of samples)
    console.log(`| ${s.label} | ${quantile(s.ms, 0.5).toFixed(1)} | ${quantile(s.ms, 0.95).toFixed(1)} |`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'leadguard-bench-panel-'));
const schema = process.env.DATABASE_URL ? await createBenchSchema(process.env.DATABASE_URL) : undefined;
try {
  await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
  const { accountId } = await seed(dataDir, schema?.url);
  const config = loadConfig({ ...storeEnv(dataDir, schema?.url), HOST: '127.0.0.1', PORT: '0' });
  const server = await startServer(config, { logger: false });
  const url = server.url.replace('localhost', '127.0.0.1');
  const { cookie } = await signIn(url);
  console.log(
    `store: ${config.databaseUrl ? 'PostgreSQL' : 'PGlite'}; ${leadCount} leads; ${cpus().length} cores; Node ${process.version}; ${new Date().toISOString()}; load ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
  print('JSON API (what each page fetches)', await timeApi(url, cookie, accountId));
  print('Chromium: navigation to visible content', await timeBrowser(url, cookie));
  await server.close();
} finally {
  await schema?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
