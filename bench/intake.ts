// Intake throughput: autocannon on loopback, 50 connections, realistic leads from ../shared/data/leads-dev.jsonl, per backend.
// Usage: node --import tsx bench/intake.ts [--duration 10] [--backend memory,pglite,postgres]
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import Fastify from 'fastify';
import { loadConfig } from '../src/config/env.ts';
import { intakeLimits } from '../src/http/lead-from-body.ts';
import { startServer } from '../src/main.ts';
import type { StartOptions } from '../src/main.ts';
import { MemoryServices } from '../test/http/support/memory-services.ts';

// autocannon ships no types; these are the fields read here.
interface CannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: Record<string, unknown>,
) => Promise<CannonResult>;

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};
const duration = Number(option('duration', '10'));
const backends = option('backend', 'memory,pglite,postgres').split(',');
const connections = 50;

interface Row {
  readonly target: string;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly rssMb: number;
}

function loadBodies(): string[] {
  const file = join(root, '..', 'shared', 'data', 'leads-dev.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const lead = JSON.parse(line) as Record<string, unknown>;
      const text = (value: unknown) =>
        typeof value === 'string' ? value.slice(0, intakeLimits.fieldChars) : undefined;
      return JSON.stringify({
        name: text(lead.name),
        email: text(lead.email),
        phone: text(lead.phone),
        subject: text(lead.subject),
        message: text(lead.message),
      });
    });
}

async function run(target: string, url: string, bodies: readonly string[] | undefined): Promise<Row> {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(bodies
      ? {
          requests: [
            {
              method: 'POST',
              setupRequest: (request: Record<string, unknown>) => {
                next = (next + 1) % bodies.length;
                return { ...request, body: bodies[next] };
              },
            },
          ],
        }
      : { body: '{}' }),
  });
  return {
    target,
    requests: result.requests.total,
    perSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rssMb: Math.round(process.memoryUsage().rss / 1e6),
  };
}

async function bareFastify(): Promise<Row> {
  const app = Fastify();
  app.post('/', async () => ({ ok: true }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    return await run('bare Fastify POST route (reference)', url, undefined);
  } finally {
    await app.close();
  }
}

async function intake(
  target: string,
  start: StartOptions,
  env: Record<string, string>,
  bodies: readonly string[],
  formKey: () => string,
): Promise<Row> {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'leadguard-bench-')),
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const server = await startServer(config, { logger: false, ...start });
  try {
    return await run(target, `${server.url}/api/v1/forms/${formKey()}/submissions`, bodies);
  } finally {
    await server.close();
  }
}

const bodies = loadBodies();
const rows: Row[] = [await bareFastify()];
const skipped: string[] = [];
for (const backend of backends) {
  if (backend === 'memory') {
    const services = new MemoryServices();
    const form = services.addForm(services.addAccount('bench'));
    rows.push(
      await intake(
        'intake, HTTP layer only (in-memory services, no database, no engine)',
        {
          openBackend: async () => ({
            services,
            issueRenderToken: () => 'token',
            close: async () => undefined,
          }),
        },
        {},
        bodies,
        () => form.formKey,
      ),
    );
    continue;
  }
  // The real backend needs the storage layer's services to create a form; until it is wired, say so.
  skipped.push(`${backend}: the storage services are not wired into the HTTP port yet (src/http/backend.ts)`);
}

const table = [
  '| target | requests | req/s | p50 ms | p99 ms | non-2xx | errors | RSS MB |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (row) =>
      `| ${row.target} | ${row.requests} | ${row.perSecond} | ${row.p50} | ${row.p99} | ${row.non2xx} | ${row.errors} | ${row.rssMb} |`,
  ),
].join('\n');
console.log(table);
for (const line of skipped) console.log(`skipped ${line}`);

const report = `# Intake benchmark

Command: \`node --import tsx bench/intake.ts --duration ${duration} --backend ${backends.join(',')}\`
Machine: ${cpus().length} cores, Node ${process.versions.node}; autocannon and the server in one process on loopback,
${connections} connections, ${duration} s per row, ${bodies.length} leads from \`../shared/data/leads-dev.jsonl\` sent in turn
(fields over ${intakeLimits.fieldChars} characters cut to fit the intake's field limit).
Date: ${new Date().toISOString()}

${table}
${skipped.length ? `\nNot measured:\n${skipped.map((line) => `- ${line}`).join('\n')}\n` : ''}`;
writeFileSync(join(root, 'bench', 'results', 'intake.md'), report);
