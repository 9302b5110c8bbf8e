// Which failures mean "the database is not answering" (a 503, no retry of a batch) and which are a statement's own.
import { describe, expect, it } from 'vitest';
import { CommitOutcomeUnknownError, isDatabaseUnavailable } from './unavailable.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('recognises a refused or reset connection, a server shutting down and a dropped socket', () => {
    expect(isDatabaseUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('read ECONNRESET', 'ECONNRESET'))).toBe(true);
    expect(
      isDatabaseUnavailable(withCode('terminating connection due to administrator command', '57P01')),
    ).toBe(true);
    expect(isDatabaseUnavailable(withCode('the database system is starting up', '57P03'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('connection failure', '08006'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new CommitOutcomeUnknownError(new Error('gone')))).toBe(true);
  });

  it('leaves a statement’s own failure alone', () => {
    expect(isDatabaseUnavailable(withCode('duplicate key value violates unique constraint', '23505'))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(withCode('deadlock detected', '40P01'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('ingest returned no result'))).toBe(false);
    expect(isDatabaseUnavailable('not an error')).toBe(false);
  });
});
