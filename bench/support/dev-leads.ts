// The labelled dev leads (../shared/data/leads-dev.jsonl) as form bodies for load generators, split into ham and spam.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intakeLimits } from '../../src/http/lead-from-body.ts';

const file = join(
  fileURLToPath(new URL('../..', import.meta.url)),
  '..',
  'shared',
  'data',
  'leads-dev.jsonl',
);

export interface FormFields {
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly subject?: string;
  readonly message?: string;
}

export interface DevLeads {
  readonly ham: readonly FormFields[];
  readonly spam: readonly FormFields[];
}

/** Reads the dev leads; fields over the intake's limit are cut to fit it. */
export function readDevLeads(): DevLeads {
  const ham: FormFields[] = [];
  const spam: FormFields[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as Record<string, unknown>;
    const text = (value: unknown) =>
      typeof value === 'string' ? value.slice(0, intakeLimits.fieldChars) : undefined;
    const fields = {
      name: text(row.name),
      email: text(row.email),
      phone: text(row.phone),
      subject: text(row.subject),
      message: text(row.message),
    };
    (row.label === 'spam' ? spam : ham).push(fields);
  }
  return { ham, spam };
}

/** A distinct client address for each number (up to 2^24), so no generated client nears the per-IP limit. */
export function clientIp(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** The JSON body of one submission; `ref` lands in the lead's extra fields, so the stored lead can be found again. */
export function submissionBody(fields: FormFields, ref: string): string {
  return JSON.stringify({ ...fields, ref });
}

/** The n-th item of a list, round and round. */
export const rotate = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;

/** Normal traffic: every fifth lead spam (80% ham, 20% spam), each from its own address. */
export function normalTraffic(
  leads: DevLeads,
): () => { kind: 'ham' | 'spam'; fields: FormFields; ip: string } {
  let sent = 0;
  return () => {
    sent += 1;
    const kind = sent % 5 === 0 ? 'spam' : 'ham';
    return { kind, fields: rotate(kind === 'spam' ? leads.spam : leads.ham, sent), ip: clientIp(sent) };
  };
}
