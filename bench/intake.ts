// Intake throughput: autocannon on loopback, 50 connections, realistic leads from ../shared/data/leads-dev.jsonl, per backend.
// Usage: node --import tsx bench/intake.ts [--duration 10] [--warmup 10] [--backend memory,pglite,postgres] [--profile]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { postgresCpuMs } from './support/postgres-cpu.ts';
import { profileShares } from './support/profile-shares.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { intakeLimits } from '../src/http/lead-from-body.ts';

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
/** Seconds of the same load before each row's count starts: sustained intake is a warmed server's. */
const warmup = Number(option('warmup', '10'));
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
  /** Resident memory of the server process at the end of the run. */
  readonly rssMb: number;
  /** The server process's CPU time per answered request, µs: steadier than req/s on a shared machine. */
  readonly cpuUsPerRequest: number;
  /** Share of the run the server's event loop was busy, in percent: near 100, its one thread is the limit. */
  readonly loopBusy?: number;
  /** The PostgreSQL server's CPU time per answered request, µs (PostgreSQL rows only, when it runs on this machine). */
  readonly dbCpuUsPerRequest?: number;
  /** This process's CPU time per request: autocannon's, the load generator's share of the machine. */
  readonly loadCpuUsPerRequest: number;
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

/**
 * Each lead from a visitor of its own, as behind the site's proxy: from one address, every lead after the 30th would
 * take the flood lane (see isBusyAddress) and every one after the 300th the over-limit screening, which is not
 * what a site's traffic looks like.
 */
function clientAddress(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

// Across a row's warm-up and its count, so no client address comes back.
let next = 0;
let sent = 0;

async function run(
  target: string,
  url: string,
  bodies: readonly string[] | undefined,
  seconds = duration,
): Promise<Row> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(bodies
      ? {
          requests: [
            {
              method: 'POST',
              setupRequest: (request: Record<string, unknown> & { headers: Record<string, string> }) => {
                next = (next + 1) % bodies.length;
                sent += 1;
                return {
                  ...request,
                  body: bodies[next],
                  headers: { ...request.headers, 'x-forwarded-for': clientAddress(sent) },
                };
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
    rssMb: 0,
    cpuUsPerRequest: 0,
    loadCpuUsPerRequest: 0,
  };
}

const perRequest = (ms: number, requests: number) => (requests ? Math.round((ms * 1000) / requests) : 0);

interface ServerProcess {
  readonly url: string;
  readonly formKey: string;
  /** The server counts its CPU time from now on (the warm-up is over). */
  startCounting(): Promise<void>;
  stop(): Promise<{ rssMb: number; cpuMs: number; loopBusy: number | undefined }>;
}

/** Starts bench/support/intake-server.ts in a child process and waits for its address. */
function startServerProcess(backend: string, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', join(root, 'bench', 'support', 'intake-server.ts'), backend],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const messages: Record<string, unknown>[] = [];
  let waiting: ((message: Record<string, unknown>) => void) | undefined;
  lines.on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    if (waiting) waiting(message);
    else messages.push(message);
  });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const queued = messages.shift();
      if (queued) return resolve(queued);
      waiting = (message) => {
        waiting = undefined;
        resolve(message);
      };
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
  return next().then((ready) => ({
    url: String(ready.url),
    formKey: String(ready.formKey),
    startCounting: async () => {
      child.kill('SIGUSR2');
      await next();
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const last: Record<string, unknown> = await next().catch(() => ({}));
      // A profiled server writes its profile as it exits.
      await exited;
      const loopBusy = typeof last.loopBusy === 'number' ? Math.round(last.loopBusy * 100) : undefined;
      return { rssMb: Number(last.rssMb ?? 0), cpuMs: Number(last.cpuMs ?? 0), loopBusy };
    },
  }));
}

async function measure(
  target: string,
  backend: string,
  bodies: readonly string[] | undefined,
  nodeArgs: readonly string[] = [],
): Promise<Row> {
  const server = await startServerProcess(backend, nodeArgs);
  try {
    const url = `${server.url}/api/v1/forms/${server.formKey}/submissions`;
    if (warmup > 0) {
      await run(target, url, bodies, warmup);
      await server.startCounting();
    }
    const dbBefore = backend.endsWith('postgres') ? postgresCpuMs() : undefined;
    const loadBefore = process.cpuUsage();
    const row = await run(target, url, bodies);
    const load = process.cpuUsage(loadBefore);
    // Read before the server stops: its connections' backends exit with it, and their time with them.
    const dbAfter = dbBefore === undefined ? undefined : postgresCpuMs();
    const { rssMb, cpuMs, loopBusy } = await server.stop();
    return {
      ...row,
      rssMb,
      loopBusy,
      cpuUsPerRequest: perRequest(cpuMs, row.requests),
      loadCpuUsPerRequest: perRequest((load.user + load.system) / 1000, row.requests),
      ...(dbBefore !== undefined && dbAfter !== undefined
        ? { dbCpuUsPerRequest: perRequest(dbAfter - dbBefore, row.requests) }
        : {}),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

const loadBefore = loadavg()[0] ?? 0;
const bodies = loadBodies();
const rows: Row[] = [await measure('bare Fastify POST route (reference)', 'bare', undefined)];
const skipped: string[] = [];
for (const backend of backends) {
  if (backend === 'memory') {
    rows.push(await measure('intake, HTTP layer only (leads kept in memory, engine off)', 'memory', bodies));
    rows.push(
      await measure(
        'intake, HTTP layer + engine (leads kept in memory, no database)',
        'memory-engine',
        bodies,
      ),
    );
    continue;
  }
  const store = backend === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL';
  try {
    rows.push(
      await measure(`naive route on ${store}: one INSERT a request (reference)`, `naive-${backend}`, bodies),
    );
    rows.push(await measure(`intake on ${store}, engine + storage`, backend, bodies));
  } catch (error) {
    skipped.push(`${backend}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// Where the server's CPU time goes on each real store: one more run under the V8 profiler.
const shares: string[] = [];
if (args.includes('--profile')) {
  for (const backend of backends.filter((name) => name === 'pglite' || name === 'postgres')) {
    const dir = mkdtempSync(join(tmpdir(), 'leadguard-profile-'));
    try {
      await measure('profile', backend, bodies, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      // The tsx loader thread writes a profile too; the server's main thread is the largest.
      const file = readdirSync(dir)
        .filter((name) => name.endsWith('.cpuprofile'))
        .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
      if (!file) continue;
      const split = Object.entries(profileShares(join(dir, file)));
      shares.push(`${backend}: ${split.map(([part, percent]) => `${part} ${percent}%`).join(', ')}`);
    } catch (error) {
      shares.push(`${backend}: not profiled (${error instanceof Error ? error.message : String(error)})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

const table = [
  '| target | requests | req/s | p50 ms | p99 ms | non-2xx | errors | RSS MB | server CPU µs/request | server event loop busy | database CPU µs/request | load generator CPU µs/request | req/s with every core busy |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((row) => {
    const total = row.cpuUsPerRequest + (row.dbCpuUsPerRequest ?? 0) + row.loadCpuUsPerRequest;
    const ceiling = total > 0 ? Math.round((cpus().length * 1e6) / total) : 0;
    const database = row.dbCpuUsPerRequest ?? (row.target.includes('PGlite') ? 'in the server' : '–');
    return `| ${row.target} | ${row.requests} | ${row.perSecond} | ${row.p50} | ${row.p99} | ${row.non2xx} | ${row.errors} | ${row.rssMb} | ${row.cpuUsPerRequest} | ${row.loopBusy === undefined ? '–' : `${row.loopBusy} %`} | ${database} | ${row.loadCpuUsPerRequest} | ${ceiling} |`;
  }),
].join('\n');
console.log(table);
for (const line of skipped) console.log(`skipped ${line}`);

const report = `# Intake benchmark

Command: \`node --import tsx bench/intake.ts --duration ${duration} --warmup ${warmup} --backend ${backends.join(',')}${args.includes('--profile') ? ' --profile' : ''}\`
Machine: ${cpus().length} cores, Node ${process.versions.node}; the server in its own process, autocannon in this one, on loopback,
${connections} connections, ${duration} s per row after ${warmup} s of the same load not counted (a server fresh from
start spends more CPU a lead on its first ten thousand or so leads, while V8 optimises its code: sustained intake is a
warmed server's), ${bodies.length} leads from \`../shared/data/leads-dev.jsonl\` sent in turn
(fields over ${intakeLimits.fieldChars} characters cut to fit the intake's field limit), each from a client address of
its own in \`x-forwarded-for\`, which the server trusts as it would behind the site's proxy.
The naive rows are the issue's second reference: a bare Fastify route that stores each body with one INSERT of its
own and answers after its commit, no screening. The intake rows run the storage as the server does: the shipped classifier model screens and the
learning store is open, and the background jobs run as in the server (the search indexer writes what intake
left to it; the in-memory rows screen without a model). Server CPU per request counts the server
process only; it moves less with the machine's load than req/s does. The event loop's busy share is the server's one
thread that runs requests: near 100 %, it is the limit, however idle the machine's cores. Database CPU per request is every \`postgres\`
process's CPU on this machine over the run (backends, WAL writer, checkpointer, autovacuum), read from /proc; PGlite
runs inside the server, so its share is in the server's figure (the profile below splits it out). The last column
divides all the machine's cores by the three together: the rate at which this work would keep every core busy, an
upper bound for this machine whatever the waiting.
Date: ${new Date().toISOString()}; 1-minute load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after\n(other work on the machine competes for its 2 cores when the load is above 2).

${table}
${shares.length ? `\nShare of the server's busy time (V8 profiler, one more run per store, startup and warm-up included; it samples wall time, so time the server spent waiting for a core, mostly inside its writes to PostgreSQL's socket, counts as "other"):\n${shares.map((line) => `- ${line}`).join('\n')}\n` : ''}${skipped.length ? `\nNot measured:\n${skipped.map((line) => `- ${line}`).join('\n')}\n` : ''}`;
writeFileSync(join(root, 'bench', 'results', 'intake.md'), report);
