// Loads a classifier model file: a given path must load or fail clearly; the shipped base model is optional.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseModel, serialiseModel } from './serialise.ts';
import type { SerialiseOptions } from './serialise.ts';
import type { SpamClassifier } from './spam-classifier.ts';

/** The base model shipped with the package, found from this file rather than the working directory. */
export const baseModelPath = fileURLToPath(new URL('../../models/base-model.json', import.meta.url));

/**
 * With a path: that model, or an error naming the file and what is wrong with it. Without one: the
 * shipped base model, or `undefined` when it is absent (the classifier check then stays silent).
 */
export async function loadModel(path?: string): Promise<SpamClassifier | undefined> {
  const file = path ?? baseModelPath;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read model ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  try {
    return parseModel(text);
  } catch (error) {
    throw new Error(`cannot load model ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

export async function saveModel(
  model: SpamClassifier,
  path: string,
  options: SerialiseOptions = {},
): Promise<void> {
  // Write then rename, so a reader never sees half a model.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, serialiseModel(model, options));
  await rename(temporary, path);
}
