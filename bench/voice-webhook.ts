// Voice webhook throughput on the real server: signed Twilio-style calls (10% from a blocked area code) per backend.
// Usage: node --import tsx bench/voice-webhook.ts [--duration 10] [--backend pglite,postgres]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { loadConfig } from '../src/config/env.ts';
import { startServer } from '../src/main.ts';
import { openStorageBackend } from '../src/services/backend.ts';
import { createAccount, createForm, createItem, createOrganization } from '../src/services/index.ts';
import { CompiledConfigCache } from '../src/engine/compile.ts';
import { createTestSchema } from '../test/support/databases.ts';

interface CannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
interface CannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: Record<string, unknown>,
) => Promise<CannonResult>;

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};
const duration = Number(option('duration', '10'));
const backends = option('backend', 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
const connections = 10;
const publicUrl = 'https://voice.example.com';
const authToken = randomBytes(16).toString('hex');

async function run(kind: 'pglite' | 'postgres') {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadguard-bench-voice-'));
  const schema = kind === 'postgres' ? await createTestSchema() : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    PUBLIC_URL: publicUrl,
    SECRET_KEY: 'bench-secret-0123456789abcdef0123456789',
    LOG_LEVEL: 'silent',
    ...(schema ? { DATABASE_URL: schema.url } : {}),
  });
  const storage = await openStorageBackend(config);
  const server = await startServer(config, { logger: false, openBackend: async () => storage });
  try {
    const deps = { db: storage.db, configCache: new CompiledConfigCache() };
    const organization = await createOrganization(deps, { name: 'Bench group' });
    const account = await createAccount(deps, {
      organizationId: organization.id,
      name: 'Bench',
      siteDomains: [],
    });
    const form = await createForm(deps, account.id, { name: 'Calls' });
    await storage.db.query('UPDATE accounts SET settings = $2::jsonb WHERE id = $1', [
      account.id,
      JSON.stringify({ voice: { forwardingNumber: '+14155550199', twilioAuthToken: authToken } }),
    ]);
    await createItem(
      deps,
      'rules',
      account.id,
      { action: 'block', dimension: 'area_code', value: '212' },
      { userId: null, via: 'system' },
    );
    const path = `/api/v1/voice/${form.public_key}`;
    let n = 0;
    const result = await autocannon({
      url: server.url,
      connections,
      duration,
      requests: [
        {
          method: 'POST',
          path,
          setupRequest: (request: CannonRequest) => {
            n += 1;
            const area = n % 10 === 0 ? '212' : '415';
            const params = {
              CallSid: `CA${randomBytes(16).toString('hex')}`,
              From: `+1${area}555${String(1000 + (n % 9000)).padStart(4, '0')}`,
              To: '+14155550123',
              Direction: 'inbound',
            };
            return {
              ...request,
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                'x-twilio-signature': twilio.getExpectedTwilioSignature(
                  authToken,
                  `${publicUrl}${path}`,
                  params,
                ),
              },
              body: new URLSearchParams(params).toString(),
            };
          },
        },
      ],
    });
    const [stored] = await storage.db.query<{ calls: string; rejected: string }>(
      "SELECT count(*) AS calls, count(*) FILTER (WHERE status = 'quarantined') AS rejected FROM activities WHERE kind = 'call'",
    );
    return {
      kind,
      perSecond: result.requests.average,
      total: result.requests.total,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      stored: Number(stored?.calls),
      rejected: Number(stored?.rejected),
    };
  } finally {
    await server.close();
    await schema?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(
  `voice webhook, ${connections} connections, ${duration} s, ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log('| backend | calls/s | total | p50 ms | p99 ms | non-2xx | stored | rejected (busy) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const kind of backends) {
  const r = await run(kind);
  console.log(
    `| ${r.kind} | ${r.perSecond.toFixed(0)} | ${r.total} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.stored} | ${r.rejected} |`,
  );
}
