// Reads a JSONL file of labelled leads for training and evaluation; bad lines are collected with their numbers, the rest go on.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseLeadLine } from '../cli/lead-line.ts';
import type { LabelledLead } from './training.ts';

export interface ReadLeadsResult {
  readonly leads: LabelledLead[];
  readonly bad: { readonly line: number; readonly error: string }[];
}

export async function readLabelledLeads(path: string): Promise<ReadLeadsResult> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  const leads: LabelledLead[] = [];
  const bad: { line: number; error: string }[] = [];
  let number = 0;
  try {
    for await (const text of lines) {
      number += 1;
      if (!text.trim()) continue;
      const parsed = parseLeadLine(text);
      if ('error' in parsed) bad.push({ line: number, error: parsed.error });
      else if (!parsed.line.label)
        bad.push({ line: number, error: 'label: "spam" or "ham" is required for training' });
      else
        leads.push(
          parsed.submittedAt === undefined
            ? { lead: parsed.lead, label: parsed.line.label }
            : { lead: parsed.lead, label: parsed.line.label, submittedAt: parsed.submittedAt },
        );
    }
  } catch (error) {
    throw new Error(`cannot read leads ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return { leads, bad };
}
