// Reads a V8 CPU profile and splits the server's busy time by part: HTTP layer, engine, classifier, services, database driver.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly url: string; readonly functionName: string };
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

// First match wins; paths are as V8 reports them (file URLs or node: internals).
const parts: readonly [string, RegExp][] = [
  ['engine and checks', /\/src\/(engine|checks)\//],
  ['classifier', /\/src\/classifier\//],
  ['services and repositories', /\/src\/(services|db)\//],
  ['database driver (PGlite WASM / pg)', /(@electric-sql\/pglite|\/node_modules\/pg|pg-protocol|wasm:\/\/)/],
  [
    'HTTP layer (Fastify, plugins, routes, counters)',
    /(\/src\/(http|counters|app|main)|fastify|find-my-way|light-my-request|secure-json-parse|avvio|pino|helmet|busboy|zod)/,
  ],
  ['garbage collection', /^\(garbage collector\)$/],
  ['idle', /^\(idle\)$/],
];

/** Share of sampled time per part, in percent, idle excluded from the total. */
export function profileShares(file: string): Record<string, number> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((sample, index) => {
    const frame = byId.get(sample)?.callFrame;
    const key = frame?.url || frame?.functionName || '';
    const part =
      parts.find(([, pattern]) => pattern.test(key))?.[0] ?? 'other (Node internals, I/O, startup)';
    totals.set(part, (totals.get(part) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  totals.delete('idle');
  const busy = [...totals.values()].reduce((sum, value) => sum + value, 0) || 1;
  return Object.fromEntries(
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .map(([part, time]) => [part, Math.round((time / busy) * 1000) / 10]),
  );
}
