// `leadguard screen`: screens a JSONL file of leads and writes one verdict line per lead.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { compileConfig } from '../../engine/compile.ts';
import type { CompiledConfig } from '../../engine/compile.ts';
import type { SpamModel } from '../../engine/model.ts';
import { screenLead } from '../../engine/screen.ts';
import { loadModel } from '../../classifier/model-file.ts';
import { parseLeadLine } from '../lead-line.ts';

export async function loadConfigFile(path: string | undefined): Promise<CompiledConfig> {
  if (!path) return compileConfig({});
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read config ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return compileConfig(json as Parameters<typeof compileConfig>[0], { version: path });
}

export interface ScreenFileOptions {
  readonly input: string;
  readonly config: CompiledConfig;
  readonly model: SpamModel | undefined;
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

/** Screens every line; bad lines are reported with their number and skipped. Returns counts. */
export async function screenFile(options: ScreenFileOptions): Promise<{ screened: number; bad: number }> {
  const input = options.input === '-' ? process.stdin : createReadStream(options.input, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  let screened = 0;
  let bad = 0;
  for await (const text of lines) {
    number += 1;
    if (!text.trim()) continue;
    const parsed = parseLeadLine(text);
    if ('error' in parsed) {
      bad += 1;
      options.err.write(`line ${number}: ${parsed.error}\n`);
      continue;
    }
    const verdict = screenLead(
      parsed.lead,
      options.config,
      { now: parsed.submittedAt ?? Date.now() },
      {
        model: options.model,
      },
    );
    screened += 1;
    const id = parsed.lead.id ?? String(number);
    options.out.write(
      `${JSON.stringify({ id, score: verdict.score, outcome: verdict.outcome, decidedBy: verdict.decidedBy, signals: verdict.signals })}\n`,
    );
  }
  return { screened, bad };
}

export function registerScreen(program: Command): void {
  program
    .command('screen')
    .description('screen leads from a JSONL file and print one verdict per line')
    .requiredOption('--input <file>', 'JSONL file of leads, or - for standard input')
    .option('--config <file>', 'account configuration (JSON); shipped defaults when omitted')
    .option('--model <file>', 'classifier model (JSON); the shipped base model when omitted')
    .action(async (opts: { input: string; config?: string; model?: string }) => {
      const config = await loadConfigFile(opts.config);
      const model = await loadModel(opts.model);
      const { bad } = await screenFile({
        input: opts.input,
        config,
        model,
        out: process.stdout,
        err: process.stderr,
      });
      if (bad > 0) process.stderr.write(`${bad} line(s) skipped\n`);
    });
}
