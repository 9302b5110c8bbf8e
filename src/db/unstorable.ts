// Tells a statement refused for a character PostgreSQL cannot store (NUL) from other failures: the caller can fix that one.

/** 22021: a NUL in text ("invalid byte sequence"); 22P05: a \u0000 escape in jsonb. PGlite reports the same codes. */
const unstorableStates: ReadonlySet<string> = new Set(['22021', '22P05']);

export function isUnstorableCharacter(error: unknown): boolean {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && unstorableStates.has(code);
}
