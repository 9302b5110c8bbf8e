// Intake under sustained load with a realistic mix (80% ham, 20% spam, many client IPs), then a spam flood from one IP at 10x the normal rate.
// Usage: node --import tsx bench/load-mix.ts [--duration 60] [--rate 40] [--backend pglite,postgres]
// Reports leads/s, legitimate leads' p50/p99 with and without the flood, server memory over time and the engine's share of CPU,
// then checks in the database that every lead answered 2xx is stored once and that the flood's leads past 300 are quarantined.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../src/db/database.ts';
import { createBenchStore, storeNames } from './support/bench-store.ts';
import type { BenchStore, StoreKind } from './support/bench-store.ts';
import { normalTraffic, readDevLeads } from './support/dev-leads.ts';
import { floodFromProcess } from './support/flood-process.ts';
import { fireLeads, paceLeads } from './support/lead-cannon.ts';
import type { CannonRun, PacedRun } from './support/lead-cannon.ts';
import { profileShares } from './support/profile-shares.ts';
import {
  createSkipList,
  loadNow,
  machineLine,
  markdownTable,
  readOption,
  writeResults,
} from './support/report.ts';
import { serverProfileFile, startServerProcess } from './support/server-process.ts';
import type { ResourceSample } from './support/server-process.ts';

const duration = Number(readOption('duration', '60'));
const rate = Number(readOption('rate', '40'));
const backends = readOption('backend', 'pglite,postgres').split(',') as StoreKind[];
const pacedSeconds = Math.max(5, Math.round(duration / 2));
const warmupSeconds = 5;
const floodIp = '203.0.113.66';
const frequencyLimit = 300;

const leads = readDevLeads();
const normalLead = normalTraffic(leads);

interface Checks {
  readonly accepted: number;
  readonly missing: number;
  readonly twice: number;
  readonly flood: { stored: number; overLimit: number; overLimitQuarantined: number };
  readonly othersOverLimit: number;
}

async function checkStore(db: Db, store: BenchStore, accepted: readonly string[]): Promise<Checks> {
  const rows = await db.query<{ ref: string; n: number }>(
    `SELECT fields->>'ref' AS ref, count(*)::int AS n FROM activities WHERE account_id = $1 GROUP BY 1`,
    [store.accountId],
  );
  const stored = new Map(rows.map((row) => [row.ref, row.n]));
  const frequencyHit = `verdict->'signals' @> '[{"check": "frequency"}]'`;
  const [flood] = await db.query<{ stored: number; over: number; quarantined: number }>(
    `SELECT count(*)::int AS stored, count(*) FILTER (WHERE ${frequencyHit})::int AS over,
            count(*) FILTER (WHERE ${frequencyHit} AND status = 'quarantined')::int AS quarantined
     FROM activities WHERE account_id = $1 AND ip = $2`,
    [store.accountId, floodIp],
  );
  const [others] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM activities WHERE account_id = $1 AND ip <> $2 AND ${frequencyHit}`,
    [store.accountId, floodIp],
  );
  return {
    accepted: accepted.length,
    missing: accepted.filter((ref) => !stored.has(ref)).length,
    twice: [...stored.values()].filter((n) => n > 1).length,
    flood: {
      stored: flood?.stored ?? 0,
      overLimit: flood?.over ?? 0,
      overLimitQuarantined: flood?.quarantined ?? 0,
    },
    othersOverLimit: others?.n ?? 0,
  };
}

interface BackendRun {
  readonly kind: StoreKind;
  readonly sustained: CannonRun;
  readonly baseline: PacedRun;
  readonly underFlood: PacedRun;
  readonly flood: CannonRun;
  readonly samples: readonly ResourceSample[];
  readonly phases: readonly { label: string; from: number; to: number }[];
  readonly shares: Record<string, number> | undefined;
  readonly checks: Checks;
}

/** The server's main-thread profile. */
function readShares(dir: string): Record<string, number> | undefined {
  const file = join(dir, serverProfileFile);
  return existsSync(file) ? profileShares(file) : undefined;
}

async function runBackend(kind: StoreKind): Promise<BackendRun> {
  const store = await createBenchStore(kind);
  const profileDir = mkdtempSync(join(tmpdir(), 'leadguard-profile-'));
  try {
    const server = await startServerProcess({ ...store.server, profileDir });
    const url = `${server.url}/api/v1/forms/${store.formKey}/submissions`;
    const clock = () => server.samples.at(-1)?.at ?? 0;
    const phases: { label: string; from: number; to: number }[] = [];
    const phase = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
      const from = clock();
      const result = await work();
      phases.push({ label, from, to: clock() });
      return result;
    };
    // Warm-up (JIT, caches, the first batches), not counted; then a pause before each phase lets queued work finish.
    const warmup = await fireLeads({ url, duration: warmupSeconds, connections: 10, next: normalLead });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 3000));
    await settle();
    console.log(`${kind}: sustained mix, 50 connections, ${duration} s`);
    const sustained = await phase('sustained', () =>
      fireLeads({ url, duration, connections: 50, next: normalLead }),
    );
    // The search indexer works off what the sustained phase queued: both paced phases start once it is done, so the
    // flood is compared with a settled server rather than with one still writing the sustained phase's index.
    // The profiler (for the engine's share) covers the warm-up and the sustained phase only: the paced phases, which
    // time every lead, run without its sampling.
    await server.stopProfiler();
    const waited = await untilIdle(server.samples);
    settledAfter.push(`${storeNames[kind]}: ${waited} s`);
    console.log(`${kind}: paced ${rate} leads/s, ${pacedSeconds} s`);
    const baseline = await phase('paced', () =>
      paceLeads({ url, duration: pacedSeconds, rate, next: normalLead }),
    );
    await settle();
    console.log(`${kind}: paced ${rate} leads/s + flood ${rate * 10}/s from one IP, ${pacedSeconds} s`);
    // The flood's process starts first; the paced leads begin with its flood.
    const flooding = floodFromProcess({
      url,
      duration: pacedSeconds,
      connections: 40,
      rate: rate * 10,
      ip: floodIp,
    });
    await flooding.started;
    const [underFlood, flood] = await phase('paced + flood', () =>
      Promise.all([paceLeads({ url, duration: pacedSeconds, rate, next: normalLead }), flooding.done]),
    );
    await server.stop();
    const db = await store.open();
    try {
      const accepted = [warmup, sustained, baseline, underFlood, flood].flatMap((run) => run.accepted);
      const checks = await checkStore(db, store, accepted);
      return {
        kind,
        sustained,
        baseline,
        underFlood,
        flood,
        samples: server.samples,
        phases,
        shares: readShares(profileDir),
        checks,
      };
    } finally {
      await db.close();
    }
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
    await store.remove();
  }
}

/** Seconds waited until the server used under a tenth of a core over its last two samples, at most five minutes. */
async function untilIdle(samples: readonly ResourceSample[]): Promise<number> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 1000);
  while (seconds() < 300) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const recent = samples.slice(-3);
    const first = recent[0];
    const last = recent.at(-1);
    if (
      recent.length === 3 &&
      first &&
      last &&
      (last.cpuMs - first.cpuMs) / ((last.at - first.at) * 1000) < 0.1
    )
      return seconds();
  }
  return seconds();
}
/** How long each store's server took to settle after the sustained phase. */
const settledAfter: string[] = [];

/** CPU cores the server used on average between two sample times (NaN when too few samples). */
function coresBetween(samples: readonly ResourceSample[], from: number, to: number): number {
  const first = samples.find((sample) => sample.at >= from);
  const last = [...samples].reverse().find((sample) => sample.at <= to);
  if (!first || !last || last.at <= first.at) return NaN;
  return (last.cpuMs - first.cpuMs) / 1000 / (last.at - first.at);
}

function coresUsed(samples: readonly ResourceSample[], from: number, to: number): string {
  const cores = coresBetween(samples, from, to);
  return Number.isNaN(cores) ? '–' : cores.toFixed(2);
}

/**
 * The server's extra CPU per flood lead: its cores under the flood less its cores without it, over the flood's
 * answered rate. Moves far less with the machine's load than a p99 does (PostgreSQL's own CPU is not in it).
 */
function floodCpuMs(run: BackendRun): string {
  const cores = (label: string) => {
    const window = run.phases.find((item) => item.label === label);
    return window ? coresBetween(run.samples, window.from, window.to) : NaN;
  };
  const ms = ((cores('paced + flood') - cores('paced')) * 1000) / run.flood.perSecond;
  return Number.isFinite(ms) ? `${ms.toFixed(2)} ms` : '–';
}

function describe(run: BackendRun): string {
  const legit = (paced: PacedRun, kind: string) => paced.latency[kind] ?? { count: 0, p50: NaN, p99: NaN };
  const phaseRow = (label: string, paced: PacedRun) => {
    const window = run.phases.find((item) => item.label === label);
    return [
      label === 'paced' ? `${rate}/s normal traffic` : `${rate}/s normal + ${rate * 10}/s flood`,
      legit(paced, 'ham').count,
      legit(paced, 'ham').p50,
      legit(paced, 'ham').p99,
      legit(paced, 'spam').p50,
      legit(paced, 'spam').p99,
      paced.non2xx + paced.errors,
      window ? coresUsed(run.samples, window.from, window.to) : '–',
    ];
  };
  const ratio = legit(run.underFlood, 'ham').p99 / legit(run.baseline, 'ham').p99;
  const sustainedWindow = run.phases.find((item) => item.label === 'sustained');
  const memory = run.samples.filter((sample, index) => index % 10 === 0 || index === run.samples.length - 1);
  const { checks } = run;
  const expectedOver = Math.max(0, checks.flood.stored - frequencyLimit);
  return `## ${storeNames[run.kind]}

Sustained mix (50 connections, as fast as answered, ${duration} s): **${run.sustained.perSecond} leads/s**,
p50 ${run.sustained.p50} ms, p99 ${run.sustained.p99} ms, ${run.sustained.non2xx} non-2xx, ${run.sustained.errors} errors;
the server used ${sustainedWindow ? coresUsed(run.samples, sustainedWindow.from, sustainedWindow.to) : '–'} cores on average.

Paced traffic (one lead every ${(1000 / rate).toFixed(0)} ms, open loop), ${pacedSeconds} s each, latency in ms:

${markdownTable(
  ['phase', 'ham leads', 'ham p50', 'ham p99', 'spam p50', 'spam p99', 'non-2xx + errors', 'server cores'],
  [phaseRow('paced', run.baseline), phaseRow('paced + flood', run.underFlood)],
)}

Flood: ${run.flood.requests} leads sent (${run.flood.perSecond}/s answered 2xx, p50 ${run.flood.p50} ms, p99 ${run.flood.p99} ms);
the server's extra CPU per flood lead: ${floodCpuMs(run)}.
Legitimate (ham) p99 under the flood: **${ratio.toFixed(2)}x** the p99 without it (goal: at most 2x) — ${ratio <= 2 ? 'met' : 'missed'}.

Server memory (RSS MB, every 10 s from the first lead): ${memory.map((sample) => sample.rssMb).join(', ')};
peak ${Math.max(...run.samples.map((sample) => sample.rssMb))} MB.

${
  run.shares
    ? `Share of the server's busy CPU time in the warm-up and the sustained phase (V8 profiler on, startup included): ${Object.entries(
        run.shares,
      )
        .map(([part, percent]) => `${part} ${percent}%`)
        .join(', ')}.`
    : 'No CPU profile was written.'
}

Checks after the run (the server stopped, the store read directly):
- leads answered 2xx: ${checks.accepted}; not stored: **${checks.missing}**; stored more than once: **${checks.twice}**.
- flood: ${checks.flood.stored} leads stored from ${floodIp}; ${checks.flood.overLimit} carry the frequency signal
  (expected ${expectedOver}: all past the first ${frequencyLimit} in the 5-minute window), ${checks.flood.overLimitQuarantined}
  of them quarantined — ${checks.flood.overLimit === expectedOver && checks.flood.overLimitQuarantined === expectedOver ? 'as expected' : '**not as expected**'}.
- leads from other addresses with the frequency signal: ${checks.othersOverLimit}.
`;
}

const loadBefore = loadNow();
const started = new Date();
const sections: string[] = [];
const skipped = createSkipList();
for (const kind of backends) {
  try {
    const run = await runBackend(kind);
    const section = describe(run);
    console.log(section);
    sections.push(section);
  } catch (error) {
    skipped.add(kind, error);
  }
}

writeResults(
  'load-mix',
  `# Intake under a realistic mix, and a spam flood (bench/load-mix.ts)

Command: \`node --import tsx bench/load-mix.ts --duration ${duration} --rate ${rate} --backend ${backends.join(',')}\`
Machine: ${machineLine()}; the server (the real backend: shipped model, learning, delivery worker, retention;
client IP from \`x-forwarded-for\` as behind a trusted proxy) in its own process, the load generators in this one (the
flood's in a process of its own, so it does not share the event loop that times legitimate leads), on loopback.
Date: ${started.toISOString()}; 1-minute load average ${loadBefore} before, ${loadNow()} after
(other work competes for the 2 cores when it is above 2; every figure here moves with it).

Traffic: leads from \`../shared/data/leads-dev.jsonl\`, every fifth one spam (80% ham, 20% spam), each from its own
client address, each with an extra \`ref\` field to find it in the store afterwards. The sustained phase is closed-loop
autocannon; the paced phases send on a fixed schedule with \`fetch\` (latency per lead, ham and spam apart); the flood is
autocannon at ${rate * 10} leads/s in all over 40 connections (\`overallRate\`: each connection sends its share at the
start of each second, so it arrives in bursts) of spam leads from ${floodIp}, from its own process (the paced leads
begin once that process has started, so its own start is not timed). One server process serves all phases in turn; the CPU profiler
runs from its start to the end of the sustained phase (a few percent of overhead), not in the paced phases. A ${warmupSeconds} s warm-up precedes the phases and a 3 s pause separates them;
after the sustained phase the paced ones wait until the server process is idle (under a tenth of a core; on PGlite that is when the
search indexer has worked off the sustained phase's queue, on PostgreSQL the database indexes in its own processes), which took
${settledAfter.join(', ')}.

${sections.join('\n')}${skipped.markdown()}`,
);
