// The train and eval commands end to end: train on a small slice of made-up leads, then evaluate, cross-validate and screen with the model.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { evalCommand } from '../../src/cli/commands/eval.ts';
import type { EvalFlags } from '../../src/cli/commands/eval.ts';
import { UsageError } from '../../src/cli/commands/model-options.ts';
import { makeSyntheticLeads } from '../../src/classifier/synthetic-leads.ts';
import { parseModel } from '../../src/classifier/serialise.ts';
import type { Confusion } from '../../src/classifier/metrics.ts';

let dir = '';
const toJsonl = (seed: number, count: number) =>
  makeSyntheticLeads(count, 0.35, seed)
    .map(({ lead, label }) =>
      JSON.stringify({
        id: lead.id,
        label,
        name: lead.name,
        email: lead.email,
        subject: lead.subject,
        message: lead.message,
      }),
    )
    .join('\n');

function collect(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const modelFlags = {
  kind: 'logistic',
  epochs: '5',
  bits: '16',
  learningRate: '0.5',
  grams: '3',
  calibrationFolds: '3',
  targetFpr: '0.002',
  seed: '1',
  baseShare: '0.3',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadguard-cli-'));
  await writeFile(join(dir, 'train.jsonl'), `${toJsonl(41, 300)}\n{"label":"maybe"}\nnot json\n`);
  await writeFile(join(dir, 'test.jsonl'), toJsonl(42, 120));
});

describe('leadguard train and eval', () => {
  it('trains a model file from labelled leads, skipping bad lines', async () => {
    const output = join(dir, 'model.json');
    const code = await runCli([
      'node',
      'leadguard',
      'train',
      '--input',
      join(dir, 'train.jsonl'),
      '--output',
      output,
      '--bits',
      '16',
    ]);
    expect(code).toBe(0);
    const model = parseModel(await readFile(output, 'utf8'));
    expect(model.examples).toBe(300);
    expect(model.calibration.cutLogit).toBeGreaterThan(0);
  });

  it('evaluates a trained model on held-out leads and prints every figure as JSON', async () => {
    const out = collect();
    const err = collect();
    const flags: EvalFlags = {
      ...modelFlags,
      train: join(dir, 'train.jsonl'),
      test: join(dir, 'test.jsonl'),
      json: true,
    };
    await evalCommand(flags, out.stream, err.stream);
    const report = JSON.parse(out.text()) as Record<string, number> & { confusion: Confusion };
    expect(report.examples).toBe(120);
    expect(report.auc).toBeGreaterThan(0.95);
    for (const key of ['recallAtFpr05', 'recallAtFpr01', 'precision', 'recall', 'fpr'])
      expect(report[key]).toBeGreaterThanOrEqual(0);
    const c = report.confusion;
    expect(c.truePositives + c.falseNegatives + c.falsePositives + c.trueNegatives).toBe(120);
    expect(err.text()).toMatch(/line 301: label/);
  });

  it('cross-validates and reports each fold and the mean in text', async () => {
    const out = collect();
    await evalCommand(
      { ...modelFlags, cv: '3', input: join(dir, 'test.jsonl') },
      out.stream,
      collect().stream,
    );
    const text = out.text();
    expect(text.match(/^fold \d+:/gm)).toHaveLength(3);
    expect(text).toMatch(/mean of 3 folds: AUC \d\.\d{5}/);
    expect(text).toMatch(/spam recall at ham FPR 0\.5%/);
  });

  it('reports the online curve window by window', async () => {
    const out = collect();
    await evalCommand(
      { ...modelFlags, online: true, input: join(dir, 'train.jsonl'), json: true },
      out.stream,
      collect().stream,
    );
    const report = JSON.parse(out.text()) as { points: { seen: number; errorsPerThousand: number }[] };
    expect(report.points.length).toBeGreaterThan(0);
    expect(report.points.at(-1)?.seen).toBe(210);
  });

  it('screens with the trained model', async () => {
    const output = join(dir, 'model.json');
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      lines.push(chunk);
      return true;
    }) as typeof process.stdout.write;
    try {
      expect(
        await runCli(['node', 'leadguard', 'screen', '--input', join(dir, 'test.jsonl'), '--model', output]),
      ).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    const verdicts = lines
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { signals: { check: string }[] });
    expect(verdicts).toHaveLength(120);
    expect(verdicts.every((v) => v.signals.some((s) => s.check === 'classifier'))).toBe(true);
  });

  it('says what to fix when the options do not make sense', async () => {
    await expect(evalCommand({ ...modelFlags }, collect().stream, collect().stream)).rejects.toThrow(
      /--train A --test B/,
    );
    await expect(
      evalCommand(
        { ...modelFlags, cv: '1', input: join(dir, 'test.jsonl') },
        collect().stream,
        collect().stream,
      ),
    ).rejects.toThrow(/--cv must be/);
    await expect(
      evalCommand(
        { ...modelFlags, kind: 'forest', cv: '3', input: join(dir, 'test.jsonl') },
        collect().stream,
        collect().stream,
      ),
    ).rejects.toThrow(UsageError);
  });
});
