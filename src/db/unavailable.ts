// Tells a database that is not answering (down, restarting, connections cut) from a statement that failed on its own merits.

/** SQLSTATEs of a server that went away or will not take us now: connection exceptions (class 08), shutdown, start-up, too many clients. */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300']);
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// pg reports a dropped socket, a connect timeout and a broken client as plain errors without a code.
const pgMessages = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /not queryable/];

/**
 * A COMMIT whose answer never came: the transaction may or may not be stored, so running it again could
 * store it twice. Callers answer "try again" instead of retrying themselves.
 */
export class CommitOutcomeUnknownError extends Error {
  constructor(cause: unknown) {
    super('the connection was lost during COMMIT; the transaction may or may not be stored', { cause });
    this.name = 'CommitOutcomeUnknownError';
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof CommitOutcomeUnknownError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (networkCodes.has(code) || unavailableStates.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  return pgMessages.some((pattern) => pattern.test(error.message));
}
