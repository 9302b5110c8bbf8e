-- Account features: a per-user session version, so changing the password signs out the user's other sessions.
-- Sessions are signed cookies (no server-side session table); each carries the version it was issued under and
-- is refused once the user's version moves on. Existing cookies carry none and count as version 0.

ALTER TABLE users ADD COLUMN session_version integer NOT NULL DEFAULT 0;
