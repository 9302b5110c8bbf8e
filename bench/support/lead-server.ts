// A full LeadGuard server for the load benchmarks, in its own process: the real backend (shipped model, learning, delivery worker, retention), the client IP read from x-forwarded-for.
// Usage (by bench/support/server-process.ts): lead-server.ts '{"dataDir": "...", "databaseUrl": "...", "redisUrl": "..."}'
// Prints JSON lines: {url} once listening, {rssMb, cpuMs} every second, {retention} after a "retention" line on stdin,
// {profiled} after a "profile-stop" line (with "profileDir" in its options the V8 profiler runs from the start until then), {closed} on SIGTERM.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadModel } from '../../src/classifier/model-file.ts';
import { loadConfig } from '../../src/config/env.ts';
import type { Db } from '../../src/db/database.ts';
import type { Backend } from '../../src/http/backend.ts';
import { runRetention } from '../../src/jobs/retention.ts';
import { purgeForRetention, startServerJobs } from '../../src/jobs/server-jobs.ts';
import { startServer } from '../../src/main.ts';
import { openStorageBackend } from '../../src/services/backend.ts';
import { serverProfileFile } from './server-process.ts';

interface LeadServerOptions {
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly redisUrl?: string;
  /** Profile the main thread from the start until "profile-stop", into this folder. */
  readonly profileDir?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as LeadServerOptions;
const print = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

// The profiler can be stopped while the server runs, so phases that time latencies can run without it.
const profiler = options.profileDir ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}

async function stopProfiler(): Promise<void> {
  if (!profiler || !options.profileDir) return;
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(join(options.profileDir, serverProfileFile), JSON.stringify(profile));
  profiler.disconnect();
}

const config = loadConfig({
  DATA_DIR: options.dataDir,
  PORT: '0',
  LOG_LEVEL: 'silent',
  // The load generator (or the bench's proxy) stands in for the edge proxy that sets the client address.
  TRUSTED_PROXY: 'x-forwarded-for',
  // Webhook receivers in the benchmarks listen on loopback.
  ALLOW_PRIVATE_URLS: '1',
  ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl, SECRET_KEY: 'b'.repeat(40) } : {}),
  ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
});

// As src/http/backend.ts opens it, keeping the database handle so a retention round can be started on demand.
let db: Db | undefined;
async function openBackend(): Promise<Backend> {
  const model = await loadModel();
  const storage = await openStorageBackend(config, { model, learning: { base: model } });
  db = storage.db;
  return { ...storage, startJobs: (log) => startServerJobs({ config, db: storage.db, log }) };
}

const server = await startServer(config, { logger: false, openBackend });
print({ url: server.url });

const started = process.cpuUsage();
const sampler = setInterval(() => {
  const used = process.cpuUsage(started);
  print({
    rssMb: Math.round(process.memoryUsage().rss / 1e6),
    cpuMs: Math.round((used.user + used.system) / 1000),
  });
}, 1000);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'profile-stop') {
    stopProfiler().then(
      () => print({ profiled: true }),
      (error: unknown) => print({ profiled: { error: String(error) } }),
    );
    return;
  }
  if (line.trim() !== 'retention' || !db) return;
  runRetention(db, purgeForRetention, new Date()).then(
    (retention) => print({ retention }),
    (error: unknown) => print({ retention: { error: String(error) } }),
  );
});

process.on('SIGTERM', () => {
  clearInterval(sampler);
  void server.close().then(() => {
    print({ closed: true });
    process.exit(0);
  });
});
