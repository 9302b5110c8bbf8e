-- Only active leads are search-indexed. A quarantined or deleted lead is searched by reading its own text: spam is
-- most of what a flood stores, indexing a lead costs about a third of storing it, and staff seldom search the
-- quarantine, which retention keeps to its last 30 days. A lead released from quarantine is queued for the indexer
-- then; a lead that leaves the inbox (marked spam, deleted) leaves the index at once.
--
-- So lead_search and lead_search_queue hold active leads only, and a search finds an active lead either queued or
-- indexed, and any other lead by its text (src/db/repositories/activities.ts, searchIds).

-- One function for every change that matters to the index: content (edits, retention's wipe) and status.
CREATE OR REPLACE FUNCTION requeue_changed_lead_for_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM lead_search WHERE activity_id = NEW.id;
  IF NEW.status = 'active'
    AND (num_nonnulls(NEW.name, NEW.email, NEW.phone, NEW.subject, NEW.message) > 0 OR NEW.fields <> '{}'::jsonb) THEN
    INSERT INTO lead_search_queue (activity_id, account_id) VALUES (NEW.id, NEW.account_id)
      ON CONFLICT (activity_id) DO NOTHING;
  ELSE
    DELETE FROM lead_search_queue WHERE activity_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;

-- One trigger for both, so a change of status and content together (retention's purge) runs the function once.
DROP TRIGGER activities_requeue_search ON activities;
CREATE TRIGGER activities_requeue_search
  AFTER UPDATE OF status, name, email, phone, subject, message, fields ON activities
  FOR EACH ROW
  WHEN (
    (OLD.status, OLD.name, OLD.email, OLD.phone, OLD.subject, OLD.message, OLD.fields)
      IS DISTINCT FROM (NEW.status, NEW.name, NEW.email, NEW.phone, NEW.subject, NEW.message, NEW.fields)
  )
  EXECUTE FUNCTION requeue_changed_lead_for_search();

-- Stored leads are queued only when they arrive active.
CREATE OR REPLACE FUNCTION queue_new_leads_for_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lead_search_queue (activity_id, account_id)
    SELECT id, account_id FROM new_leads WHERE status = 'active';
  RETURN NULL;
END $$;

-- What was queued or indexed before this migration for leads that are not active leaves.
DELETE FROM lead_search_queue q USING activities a WHERE a.id = q.activity_id AND a.status <> 'active';
DELETE FROM lead_search s USING activities a WHERE a.id = s.activity_id AND a.status <> 'active';
