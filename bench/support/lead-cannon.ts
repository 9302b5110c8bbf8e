// autocannon sending form submissions, each from a chosen client address, keeping the reference of every lead answered 2xx.
import { createRequire } from 'node:module';
import type { FormFields } from './dev-leads.ts';
import { submissionBody } from './dev-leads.ts';

// autocannon ships no types; these are the fields used here.
interface CannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type CannonContext = { ref?: string };
const autocannon = createRequire(import.meta.url)('autocannon') as ((
  options: Record<string, unknown>,
) => Promise<CannonResult> & { stop(): void }) & { track: unknown };

export interface Submission {
  readonly fields: FormFields;
  readonly ip: string;
}

export interface CannonRun {
  readonly requests: number;
  /** Leads answered 2xx per second. */
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
  /** The `ref` of every lead answered 2xx. */
  readonly accepted: readonly string[];
}

let sequence = 0;

/**
 * Sends `next()`'s submissions to `url` for `duration` seconds on `connections` connections,
 * as fast as answered or, with `rate`, that many per second in all (autocannon's overallRate).
 */
export async function fireLeads(options: {
  readonly url: string;
  readonly duration: number;
  readonly connections: number;
  readonly rate?: number;
  readonly next: () => Submission;
  /** Starts every lead's `ref`; a cannon in another process needs its own so no two leads share one. */
  readonly refPrefix?: string;
}): Promise<CannonRun> {
  const accepted: string[] = [];
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        method: 'POST',
        // Each connection has one request in flight, so its context pairs a request with its answer.
        setupRequest: (request: Record<string, unknown>, context: CannonContext) => {
          const submission = options.next();
          context.ref = `${options.refPrefix ?? 'r'}${(sequence += 1)}`;
          return {
            ...request,
            headers: { 'content-type': 'application/json', 'x-forwarded-for': submission.ip },
            body: submissionBody(submission.fields, context.ref),
          };
        },
        onResponse: (status: number, _body: string, context: CannonContext) => {
          if (status >= 200 && status < 300 && context.ref) accepted.push(context.ref);
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    perSecond: Math.round(accepted.length / (result.duration || options.duration)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    accepted,
  };
}

export interface PacedRun {
  /** Latency percentiles per kind of submission, in ms. */
  readonly latency: Readonly<Record<string, { count: number; p50: number; p99: number }>>;
  readonly sent: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly accepted: readonly string[];
}

function percentile(sorted: readonly number[], q: number): number {
  return (
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN) * 10) / 10
  );
}

/**
 * Open-loop traffic: one submission every 1/rate s, whatever the server's answer time (no waiting
 * for the previous answer, so a slow server cannot slow the sender and hide its latency).
 */
export async function paceLeads(options: {
  readonly url: string;
  readonly duration: number;
  readonly rate: number;
  readonly next: () => Submission & { readonly kind: string };
}): Promise<PacedRun> {
  const latencies = new Map<string, number[]>();
  const accepted: string[] = [];
  const inFlight: Promise<void>[] = [];
  let non2xx = 0;
  let errors = 0;
  const send = async () => {
    const submission = options.next();
    const ref = `p${(sequence += 1)}`;
    const started = performance.now();
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': submission.ip },
        body: submissionBody(submission.fields, ref),
      });
      await response.arrayBuffer();
      const list = latencies.get(submission.kind) ?? [];
      list.push(performance.now() - started);
      latencies.set(submission.kind, list);
      if (response.ok) accepted.push(ref);
      else non2xx += 1;
    } catch {
      errors += 1;
    }
  };
  const total = Math.round(options.duration * options.rate);
  const began = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = began + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send());
  }
  await Promise.all(inFlight);
  const latency = Object.fromEntries(
    [...latencies].map(([kind, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return [kind, { count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }];
    }),
  );
  return { latency, sent: total, non2xx, errors, accepted };
}
