// The spam flood in a process of its own: the paced legitimate leads are timed by an event loop the flood's sender
// does not share, as when the flood comes from elsewhere. Prints the flood's CannonRun as one JSON line.
// Usage: node --import tsx bench/support/flood-process.ts '{"url":"…","duration":30,"rate":400,"ip":"203.0.113.66"}'
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readDevLeads, rotate } from './dev-leads.ts';
import { fireLeads } from './lead-cannon.ts';
import type { CannonRun } from './lead-cannon.ts';

export interface FloodOptions {
  readonly url: string;
  readonly duration: number;
  /** Leads per second in all, over `connections` connections (autocannon's overallRate). */
  readonly rate: number;
  readonly connections: number;
  /** The one client address every flood lead comes from. */
  readonly ip: string;
}

export interface FloodProcess {
  /** Resolves once the child has started and loaded what it sends: the flood begins then. */
  readonly started: Promise<void>;
  /** The flood's result, once it is over. */
  readonly done: Promise<CannonRun>;
}

/**
 * Runs the flood in a child process. Its first line says it has started; its last is its result. Waiting for the
 * first keeps the child's own start (loading the TypeScript loader and the dev leads, about a second of CPU) out of
 * what is timed beside it.
 */
export function floodFromProcess(options: FloodOptions): FloodProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), JSON.stringify(options)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (output.includes('\n')) markStarted();
  });
  const done = new Promise<CannonRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = output.trim().split('\n').at(-1) ?? '';
      if (code === 0) resolve(JSON.parse(last) as CannonRun);
      else reject(new Error(`the flood process exited with ${code}`));
    });
  });
  // A child that fails before it starts must not leave its caller waiting to start.
  return { started: Promise.race([started, done.then(() => undefined)]), done };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = JSON.parse(process.argv[2] ?? '{}') as FloodOptions;
  const spam = readDevLeads().spam;
  let sent = 0;
  process.stdout.write(`${JSON.stringify({ started: true })}\n`);
  const run = await fireLeads({
    url: options.url,
    duration: options.duration,
    connections: options.connections,
    rate: options.rate,
    refPrefix: 'f',
    next: () => ({ fields: rotate(spam, (sent += 1)), ip: options.ip }),
  });
  process.stdout.write(`${JSON.stringify(run)}\n`);
}
