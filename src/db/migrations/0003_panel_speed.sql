-- Panel pages with 100,000 leads: trigram search, lists with spam shown and reports from one covering index.

-- pg_trgm lives in public: a schema-per-tenant or per-test search_path must not own (and drop) it.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- What the panel's search matches, lower-cased: every text column, the fields as JSON, and the phone's digits
-- (so "555 123" and "(555) 123-4567" find each other). Immutable so an index can hold it.
CREATE FUNCTION lead_search_text(name text, email text, phone text, subject text, message text, fields jsonb)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT lower(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' '
  || regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g') || ' ' || coalesce(subject, '') || ' '
  || coalesce(message, '') || ' ' || coalesce(fields::text, '')) $$;

-- The trigram index names pg_trgm's operator class in whatever schema the extension already sits in.
DO $$
DECLARE
  trgm_schema text;
BEGIN
  SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname = 'pg_trgm';
  EXECUTE format(
    'CREATE INDEX activities_search ON activities USING gin '
    '(lead_search_text(name, email, phone, subject, message, fields) %I.gin_trgm_ops)',
    trgm_schema);
END $$;

-- Newest first across statuses (recent activity with spam shown), and the reports' day counts read from the
-- index alone: the columns they group by ride along.
CREATE INDEX activities_received ON activities (account_id, received_at DESC, id DESC)
  INCLUDE (status, form_id, channel, main_check);

-- The few leads staff released, found without reading every quarantined lead's history.
CREATE INDEX history_released ON history_events (account_id, activity_id) WHERE type = 'marked_not_spam';
