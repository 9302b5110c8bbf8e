// Starts bench/support/lead-server.ts in a child process and follows what it prints: its address, memory and CPU samples, retention rounds.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const script = fileURLToPath(new URL('lead-server.ts', import.meta.url));

export interface ResourceSample {
  /** Seconds since the server started listening. */
  readonly at: number;
  readonly rssMb: number;
  /** The server's CPU time so far (user + system). */
  readonly cpuMs: number;
}

export interface ServerProcess {
  readonly url: string;
  readonly samples: readonly ResourceSample[];
  /** Asks the server to run one retention round now; resolves with what it reported. */
  runRetention(): Promise<{ ran: boolean; purged: number }>;
  /** Stops the profiler of a server started with `profileDir` and waits until its profile is written there. */
  stopProfiler(): Promise<void>;
  /** SIGTERM: the server drains in-flight requests and queued batches, then exits. */
  stop(): Promise<void>;
}

/** The file a server started with `profileDir` writes its profile to there. */
export const serverProfileFile = 'server.cpuprofile';

export function startServerProcess(
  options: { dataDir: string; databaseUrl?: string; redisUrl?: string; profileDir?: string },
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const samples: ResourceSample[] = [];
  const waiting = new Map<string, (message: Record<string, unknown>) => void>();
  let startedAt = 0;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    if (typeof message.rssMb === 'number')
      samples.push({
        at: Math.round((performance.now() - startedAt) / 1000),
        rssMb: message.rssMb,
        cpuMs: Number(message.cpuMs),
      });
    const key = Object.keys(message)[0] ?? '';
    const resolve = waiting.get(key);
    waiting.delete(key);
    resolve?.(message);
  });
  const next = (key: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      waiting.set(key, resolve);
      void exited.then((code) => reject(new Error(`the server exited with ${code} before printing ${key}`)));
    });
  return next('url').then((ready) => {
    startedAt = performance.now();
    return {
      url: String(ready.url),
      samples,
      async runRetention() {
        const reply = next('retention');
        child.stdin.write('retention\n');
        return (await reply).retention as { ran: boolean; purged: number };
      },
      async stopProfiler() {
        const reply = next('profiled');
        child.stdin.write('profile-stop\n');
        const { profiled } = await reply;
        if (profiled !== true) throw new Error(`the profile was not written: ${JSON.stringify(profiled)}`);
      },
      async stop() {
        child.kill('SIGTERM');
        await exited;
      },
    };
  });
}
