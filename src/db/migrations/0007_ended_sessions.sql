-- Sign-out ends the session on the server. Sessions are still signed cookies (no session table): each now carries
-- a random id, and signing out records that id here, so a copy of the cookie is refused from then on while the
-- user's other sessions go on. A record is needed only until the cookie would have expired anyway (expires_at);
-- later sign-outs clear the records past that, so the table holds about a week of sign-outs.
CREATE TABLE ended_sessions (
  id uuid PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

CREATE INDEX ended_sessions_expires_at ON ended_sessions (expires_at);
