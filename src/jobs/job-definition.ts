// A job is a definition (id, version, payload schema) plus an idempotent handler; payloads are checked before any work.
import type { z } from 'zod';

export interface JobDefinition<Schema extends z.ZodType, Deps, Result> {
  /** Stable name, never reused for another meaning. */
  readonly id: string;
  /** Bumped when the payload shape changes; the schema must still accept rows written by earlier versions. */
  readonly version: number;
  readonly payload: Schema;
  /** Must be safe to run twice for the same payload: delivery is at least once. */
  readonly handle: (payload: z.output<Schema>, deps: Deps) => Promise<Result>;
}

export class JobPayloadError extends Error {
  constructor(
    readonly jobId: string,
    message: string,
  ) {
    super(message);
    this.name = 'JobPayloadError';
  }
}

export function defineJob<Schema extends z.ZodType, Deps, Result>(
  definition: JobDefinition<Schema, Deps, Result>,
): JobDefinition<Schema, Deps, Result> {
  return Object.freeze(definition);
}

/** Validates the stored payload, then runs the handler; a payload that does not parse is a `JobPayloadError`. */
export async function runJob<Schema extends z.ZodType, Deps, Result>(
  definition: JobDefinition<Schema, Deps, Result>,
  payload: unknown,
  deps: Deps,
): Promise<Result> {
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JobPayloadError(
      definition.id,
      `${definition.id}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid payload'}`,
    );
  }
  return definition.handle(parsed.data, deps);
}
