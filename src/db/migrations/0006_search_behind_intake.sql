-- Search is indexed behind intake: a lead's trigram entries (about 450 for a 1.25 kB message, a third of what
-- storing a lead costs) are written by the search indexer job shortly after the lead is stored, not in the
-- intake's own transaction. Until then the lead waits in lead_search_queue, and searches read queued leads
-- directly, so a search always sees every lead.

-- Neither table has a foreign key to activities: a lead row is never deleted (retention wipes its content, and
-- the trigger below follows that), and a key check per queued lead would cost intake more than the queue itself.

-- One row per indexed lead: its search text (see lead_search_text in 0003) under a trigram index.
CREATE TABLE lead_search (
  activity_id uuid PRIMARY KEY,
  account_id uuid NOT NULL,
  body text NOT NULL
);

DO $$
DECLARE
  trgm_schema text;
BEGIN
  SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname = 'pg_trgm';
  EXECUTE format('CREATE INDEX lead_search_body ON lead_search USING gin (body %I.gin_trgm_ops)', trgm_schema);
END $$;

-- Leads stored or changed since the indexer last ran.
CREATE TABLE lead_search_queue (
  activity_id uuid PRIMARY KEY,
  account_id uuid NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT now()
);

-- Every way a lead gets stored (forms, calls, the Akismet API, imports) queues it: one statement per batch.
CREATE FUNCTION queue_new_leads_for_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lead_search_queue (activity_id, account_id) SELECT id, account_id FROM new_leads;
  RETURN NULL;
END $$;

CREATE TRIGGER activities_queue_search AFTER INSERT ON activities
  REFERENCING NEW TABLE AS new_leads FOR EACH STATEMENT EXECUTE FUNCTION queue_new_leads_for_search();

-- A lead whose content changes leaves the index at once and is queued to be indexed again; a lead whose content
-- was wiped (retention) has nothing left to find and leaves the queue too.
CREATE FUNCTION requeue_changed_lead_for_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM lead_search WHERE activity_id = NEW.id;
  IF num_nonnulls(NEW.name, NEW.email, NEW.phone, NEW.subject, NEW.message) > 0 OR NEW.fields <> '{}'::jsonb THEN
    INSERT INTO lead_search_queue (activity_id, account_id) VALUES (NEW.id, NEW.account_id)
      ON CONFLICT (activity_id) DO NOTHING;
  ELSE
    DELETE FROM lead_search_queue WHERE activity_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER activities_requeue_search AFTER UPDATE OF name, email, phone, subject, message, fields ON activities
  FOR EACH ROW
  WHEN (
    (OLD.name, OLD.email, OLD.phone, OLD.subject, OLD.message, OLD.fields)
      IS DISTINCT FROM (NEW.name, NEW.email, NEW.phone, NEW.subject, NEW.message, NEW.fields)
  )
  EXECUTE FUNCTION requeue_changed_lead_for_search();

-- Leads stored before this migration are queued too: the indexer works through them after start-up (searches
-- read them directly meanwhile), so upgrading a large store does not hold start-up for minutes.
INSERT INTO lead_search_queue (activity_id, account_id, queued_at) SELECT id, account_id, received_at FROM activities;

DROP INDEX activities_search;
