// Server side of bench/intake.ts, in its own process so the load generator does not share its CPU: prints {url, formKey} once listening.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { loadModel } from '../../src/classifier/model-file.ts';
import { loadConfig } from '../../src/config/env.ts';
import { openDatabase } from '../../src/db/database.ts';
import { startServerJobs } from '../../src/jobs/server-jobs.ts';
import { startServer } from '../../src/main.ts';
import { openStorageBackend } from '../../src/services/backend.ts';
import { createAccount, createForm, createOrganization } from '../../src/services/index.ts';
import { MemoryServices } from '../../test/http/support/memory-services.ts';
import { createTestSchema } from '../../test/support/databases.ts';

const backend = process.argv[2] ?? 'memory';

async function start(): Promise<{ url: string; formKey: string; close: () => Promise<void> }> {
  if (backend === 'bare') {
    const app = Fastify();
    app.post('/api/v1/forms/:formKey/submissions', async () => ({ ok: true }));
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return { url, formKey: 'bare', close: () => app.close() };
  }
  if (backend === 'pglite' || backend === 'postgres') return startReal(backend);
  if (backend === 'naive-pglite' || backend === 'naive-postgres') return startNaive(backend);
  if (backend !== 'memory' && backend !== 'memory-engine') throw new Error(`unknown backend ${backend}`);
  const services = new MemoryServices({ screen: backend === 'memory-engine' });
  const form = services.addForm(services.addAccount('bench'));
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'leadguard-bench-')),
    PORT: '0',
    LOG_LEVEL: 'silent',
    TRUSTED_PROXY: 'x-forwarded-for',
  });
  const server = await startServer(config, {
    logger: false,
    openBackend: async () => ({ services, issueRenderToken: () => 'token', close: async () => undefined }),
  });
  return { url: server.url, formKey: form.formKey, close: server.close };
}

/**
 * The issue's other reference point: a route that stores each request's body with one INSERT of its own and answers
 * once it is committed, with no screening, on a data folder or a fresh schema like the real rows.
 */
async function startNaive(
  kind: 'naive-pglite' | 'naive-postgres',
): Promise<{ url: string; formKey: string; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadguard-bench-'));
  const schema = kind === 'naive-postgres' ? await createTestSchema() : undefined;
  const db = await openDatabase(
    schema ? { databaseUrl: schema.url, migrate: false } : { dataDir, migrate: false },
  );
  await db.exec(
    'CREATE TABLE naive_leads (id bigserial PRIMARY KEY, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())',
  );
  const app = Fastify();
  app.post('/api/v1/forms/:formKey/submissions', async (request, reply) => {
    await db.query('INSERT INTO naive_leads (body) VALUES ($1)', [JSON.stringify(request.body)]);
    return reply.code(202).send({ ok: true });
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    formKey: 'naive',
    close: async () => {
      await app.close();
      await db.close();
      await schema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The real storage: PGlite in a fresh data folder, or PostgreSQL in a fresh schema dropped afterwards. */
async function startReal(
  kind: 'pglite' | 'postgres',
): Promise<{ url: string; formKey: string; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadguard-bench-'));
  const schema = kind === 'postgres' ? await createTestSchema() : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    // The load generator stands in for the site's proxy: each lead comes from its own client address.
    TRUSTED_PROXY: 'x-forwarded-for',
    ...(schema ? { DATABASE_URL: schema.url, SECRET_KEY: 'b'.repeat(40) } : {}),
  });
  // As the server runs: the shipped model screens (the classifier check) and confident verdicts may teach the account.
  const model = await loadModel();
  const storage = await openStorageBackend(config, { model, learning: { base: model } });
  const deps = { db: storage.db };
  const organization = await createOrganization(deps, { name: 'Bench group' });
  const account = await createAccount(deps, {
    organizationId: organization.id,
    name: 'Bench',
    siteDomains: ['bench.example'],
  });
  const form = await createForm(deps, account.id, { name: 'Contact' });
  // With the jobs a server runs beside HTTP (the search indexer above all: it writes what intake left to it).
  const server = await startServer(config, {
    logger: false,
    openBackend: async () => ({
      ...storage,
      startJobs: (log) => startServerJobs({ config, db: storage.db, log }),
    }),
  });
  return {
    url: server.url,
    formKey: form.public_key,
    close: async () => {
      await server.close();
      await schema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const running = await start();
// CPU time from here on is the run's: setup and start-up are left out. SIGUSR2 (the end of the bench's warm-up)
// starts the count again.
let cpuAtStart = process.cpuUsage();
let loopAtStart = performance.eventLoopUtilization();
process.stdout.write(`${JSON.stringify({ url: running.url, formKey: running.formKey })}\n`);
process.on('SIGUSR2', () => {
  cpuAtStart = process.cpuUsage();
  loopAtStart = performance.eventLoopUtilization();
  process.stdout.write(`${JSON.stringify({ counting: true })}\n`);
});
process.on('SIGTERM', () => {
  const rss = Math.round(process.memoryUsage().rss / 1e6);
  const cpu = process.cpuUsage(cpuAtStart);
  // The share of the time the event loop was busy: near 1, the one thread that runs requests is the limit.
  const loopBusy = performance.eventLoopUtilization(loopAtStart).utilization;
  process.stdout.write(
    `${JSON.stringify({ rssMb: rss, cpuMs: Math.round((cpu.user + cpu.system) / 1000), loopBusy })}\n`,
  );
  void running.close().then(() => process.exit(0));
});
