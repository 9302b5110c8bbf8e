// Tests for model files: a round trip keeps predictions, and broken or foreign files give a clear error.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseModelPath, loadModel, saveModel } from './model-file.ts';
import { ModelFormatError, parseModel, serialiseModel } from './serialise.ts';
import { makeSyntheticLeads } from './synthetic-leads.ts';
import { screenForClassifier, trainClassifier } from './training.ts';
import { existsSync } from 'node:fs';

const model = trainClassifier(makeSyntheticLeads(200, 0.4, 9), {
  kind: 'ensemble',
  bits: 14,
  version: 'test-1',
});
model.calibration = { cutLogit: 2.5 };
const probes = makeSyntheticLeads(40, 0.5, 10).map((item) => screenForClassifier(item.lead, { now: 0 }));

describe('model files', () => {
  it('keeps version, counts, calibration and predictions through a round trip', () => {
    const copy = parseModel(serialiseModel(model));
    expect(copy.version).toBe('test-1');
    expect(copy.options).toEqual(model.options);
    expect([copy.spamExamples, copy.hamExamples]).toEqual([model.spamExamples, model.hamExamples]);
    expect(copy.calibration).toEqual({ cutLogit: 2.5 });
    for (const probe of probes)
      expect(copy.predictLogit(probe.prepared, probe.signals)).toBeCloseTo(
        model.predictLogit(probe.prepared, probe.signals),
        2,
      );
  });

  it('can go on learning after it is loaded', () => {
    const copy = parseModel(serialiseModel(model));
    const probe = probes[0]!;
    const before = copy.predict(probe.prepared, probe.signals);
    copy.learn(probe.prepared, probe.signals, 'spam');
    expect(copy.predict(probe.prepared, probe.signals)).toBeGreaterThan(before);
  });

  it('rejects text that is not JSON, another format, a newer version or damaged weights', () => {
    const good = JSON.parse(serialiseModel(model)) as Record<string, unknown>;
    expect(() => parseModel('{nope')).toThrow(ModelFormatError);
    expect(() => parseModel(JSON.stringify({ format: 'other' }))).toThrow(/not a LeadGuard classifier model/);
    expect(() => parseModel(JSON.stringify({ ...good, formatVersion: 99 }))).toThrow(
      /version 99 is not supported/,
    );
    const weights = good.weights as Record<string, unknown>;
    expect(() => parseModel(JSON.stringify({ ...good, weights: { ...weights, count: 5 } }))).toThrow(
      ModelFormatError,
    );
    expect(() => parseModel(JSON.stringify({ ...good, weights: { ...weights, indices: '' } }))).toThrow(
      /truncated/,
    );
    expect(() =>
      parseModel(JSON.stringify({ ...good, options: { ...(good.options as object), bits: 40 } })),
    ).toThrow(/options\.bits/);
  });

  it('loads a saved model from a path and names the file when it cannot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadguard-model-'));
    const path = join(dir, 'model.json');
    await saveModel(model, path);
    expect((await loadModel(path))?.version).toBe('test-1');
    await expect(loadModel(join(dir, 'missing.json'))).rejects.toThrow(/cannot read model .*missing\.json/);
    await writeFile(join(dir, 'bad.json'), 'garbage');
    await expect(loadModel(join(dir, 'bad.json'))).rejects.toThrow(
      /cannot load model .*bad\.json: model file is not valid JSON/,
    );
  });

  it('finds the shipped base model from the package, not the working directory', async () => {
    expect(baseModelPath.endsWith(join('models', 'base-model.json'))).toBe(true);
    const loaded = await loadModel();
    if (existsSync(baseModelPath)) expect(loaded?.examples).toBeGreaterThanOrEqual(200);
    else expect(loaded).toBeUndefined();
  });
});
