-- The history is an append-only log written only by the services, in the same transaction as what it speaks of: a
-- lead's lines go in with the lead, a contact's with the contact. Its foreign keys guarded nothing those writes do
-- not already guarantee (leads and contacts are never deleted: retention wipes a lead's content and keeps its row),
-- yet each history line paid three key checks on insert, two lines a lead: about 13 µs a lead on PostgreSQL and
-- 23 µs on PGlite, 12 to 14 % of the statement that stores a batch of leads. A log line should also outlive what it
-- names, which a key would forbid.
ALTER TABLE history_events DROP CONSTRAINT IF EXISTS history_events_account_id_fkey;
ALTER TABLE history_events DROP CONSTRAINT IF EXISTS history_events_contact_id_fkey;
ALTER TABLE history_events DROP CONSTRAINT IF EXISTS history_events_activity_id_fkey;
