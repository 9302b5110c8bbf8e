// Panel sessions ended by sign-out: their ids, kept until the cookie would have expired anyway.
import type { Db } from '../database.ts';

/** The user's session version and whether this session was signed out; undefined for an unknown user. */
export async function findSessionState(
  db: Db,
  userId: string,
  sessionId: string,
): Promise<{ version: number; ended: boolean } | undefined> {
  const [row] = await db.query<{ session_version: number; ended: boolean }>(
    `SELECT u.session_version, EXISTS (SELECT 1 FROM ended_sessions e WHERE e.id = $2) AS ended
     FROM users u WHERE u.id = $1`,
    [userId, sessionId],
  );
  return row && { version: row.session_version, ended: row.ended };
}

/** Records the session as ended until `until`, and clears the records whose cookies have expired by `now`. */
export async function insertEndedSession(db: Db, sessionId: string, until: Date, now: Date): Promise<void> {
  await db.query('DELETE FROM ended_sessions WHERE expires_at < $1', [now]);
  await db.query(
    `INSERT INTO ended_sessions (id, expires_at) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET expires_at = GREATEST(ended_sessions.expires_at, EXCLUDED.expires_at)`,
    [sessionId, until],
  );
}
