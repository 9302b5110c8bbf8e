// Versioned JSON for a classifier: sparse weights as delta-coded indices and quantised values in base64, so a model file stays small and loads in milliseconds.
import { z } from 'zod';
import { SpamClassifier } from './spam-classifier.ts';
import type { ClassifierOptions } from './spam-classifier.ts';

export const modelFormat = 'leadguard-classifier';
export const modelFormatVersion = 1;

/** A model file that cannot be read: says what is wrong, never crashes the caller. */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
}

const sparseSchema = z.object({
  count: z.number().int().min(0),
  /** Value of one quantisation step. */
  scale: z.number().positive().finite(),
  /** Gaps between successive indices as unsigned LEB128 varints. */
  indices: z.string(),
  /** Quantised values, little-endian int16 (weights) or uint16 (counts, clamped). */
  values: z.string(),
});
type Sparse = z.infer<typeof sparseSchema>;

const modelFileSchema = z.object({
  format: z.literal(modelFormat),
  formatVersion: z.literal(modelFormatVersion),
  version: z.string().min(1).max(200),
  createdAt: z.string().max(100).optional(),
  options: z.object({
    kind: z.enum(['logistic', 'bayes', 'ensemble']),
    bits: z.number().int().min(10).max(24),
    features: z.object({
      gramSize: z.number().int().min(0).max(3),
      wordPairs: z.boolean(),
      textLimit: z.number().int().min(100).max(1_000_000),
    }),
    learningRate: z.number().positive().finite(),
    smoothing: z.number().positive().finite(),
    bayesScale: z.number().positive().finite(),
    maxClassWeight: z.number().min(1).finite(),
  }),
  spamExamples: z.number().min(0).finite(),
  hamExamples: z.number().min(0).finite(),
  calibration: z.object({ cutLogit: z.number().positive().finite() }),
  weights: sparseSchema.optional(),
  spamCounts: sparseSchema.optional(),
  hamCounts: sparseSchema.optional(),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

export interface SerialiseOptions {
  /** Weights smaller than this share of the largest are dropped: they move no verdict and cost bytes. */
  readonly prune?: number;
}

function encodeSparse(values: Float32Array, prune: number, signed: boolean): Sparse {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i] as number));
  const limit = signed ? 32767 : 65535;
  // Counts stay whole numbers unless they outgrow 16 bits.
  const scale = max > 0 ? (signed ? max / limit : Math.max(1, max / limit)) : 1;
  const floor = max * prune;
  const gaps: number[] = [];
  const quantised: number[] = [];
  let last = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v === 0 || Math.abs(v) < floor) continue;
    const q = Math.round(v / scale);
    if (q === 0) continue;
    gaps.push(i - last);
    quantised.push(q);
    last = i;
  }
  const indexBytes = new Uint8Array(gaps.length * 4);
  let at = 0;
  for (let gap of gaps) {
    while (gap >= 0x80) {
      indexBytes[at++] = (gap & 0x7f) | 0x80;
      gap >>>= 7;
    }
    indexBytes[at++] = gap;
  }
  const valueBytes = Buffer.alloc(quantised.length * 2);
  quantised.forEach((q, i) =>
    signed ? valueBytes.writeInt16LE(q, i * 2) : valueBytes.writeUInt16LE(q, i * 2),
  );
  return {
    count: quantised.length,
    scale,
    indices: Buffer.from(indexBytes.subarray(0, at)).toString('base64'),
    values: valueBytes.toString('base64'),
  };
}

function decodeSparse(sparse: Sparse, into: Float32Array, signed: boolean, what: string): void {
  const indexBytes = Buffer.from(sparse.indices, 'base64');
  const valueBytes = Buffer.from(sparse.values, 'base64');
  if (valueBytes.length !== sparse.count * 2)
    throw new ModelFormatError(`${what}: expected ${sparse.count} values`);
  let at = 0;
  let index = -1;
  for (let k = 0; k < sparse.count; k++) {
    let gap = 0;
    let shift = 0;
    for (;;) {
      if (at >= indexBytes.length || shift > 28)
        throw new ModelFormatError(`${what}: index data is truncated`);
      const byte = indexBytes[at++] as number;
      gap |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
      shift += 7;
    }
    index += gap;
    if (gap <= 0 || index >= into.length) throw new ModelFormatError(`${what}: index out of range`);
    into[index] = (signed ? valueBytes.readInt16LE(k * 2) : valueBytes.readUInt16LE(k * 2)) * sparse.scale;
  }
}

export function toModelFile(model: SpamClassifier, options: SerialiseOptions = {}): ModelFile {
  const prune = options.prune ?? 0;
  return {
    format: modelFormat,
    formatVersion: modelFormatVersion,
    version: model.version,
    createdAt: new Date().toISOString(),
    options: { ...model.options, features: { ...model.options.features } },
    spamExamples: model.spamExamples,
    hamExamples: model.hamExamples,
    calibration: { ...model.calibration },
    weights: model.weights && encodeSparse(model.weights, prune, true),
    spamCounts: model.spamCounts && encodeSparse(model.spamCounts, 0, false),
    hamCounts: model.hamCounts && encodeSparse(model.hamCounts, 0, false),
  };
}

/** The model as JSON text (versioned; see `parseModel`). */
export function serialiseModel(model: SpamClassifier, options: SerialiseOptions = {}): string {
  return JSON.stringify(toModelFile(model, options));
}

/** Reads a model from JSON text; anything malformed is a `ModelFormatError` that says what. */
export function parseModel(text: string): SpamClassifier {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelFormatError('model file is not valid JSON');
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (format !== modelFormat)
    throw new ModelFormatError(`not a LeadGuard classifier model (format: ${String(format)})`);
  const version = (json as { formatVersion?: unknown }).formatVersion;
  if (version !== modelFormatVersion)
    throw new ModelFormatError(
      `model format version ${String(version)} is not supported (expected ${modelFormatVersion})`,
    );
  const parsed = modelFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelFormatError(
      `model file: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const file = parsed.data;
  const options: ClassifierOptions = {
    ...file.options,
    features: Object.freeze({ ...file.options.features }),
  };
  const model = new SpamClassifier(options, file.version);
  model.spamExamples = file.spamExamples;
  model.hamExamples = file.hamExamples;
  model.calibration = { ...file.calibration };
  const parts = [
    [file.weights, model.weights, true, 'weights'],
    [file.spamCounts, model.spamCounts, false, 'spamCounts'],
    [file.hamCounts, model.hamCounts, false, 'hamCounts'],
  ] as const;
  for (const [sparse, into, signed, what] of parts) {
    if (!into) continue;
    if (!sparse) throw new ModelFormatError(`model file: ${what} missing for a ${options.kind} model`);
    decodeSparse(sparse, into, signed, what);
  }
  return model;
}
