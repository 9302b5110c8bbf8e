-- Calls: Twilio's CallSid on the stored call, unique per account, so a retried voice webhook finds the call it
-- already stored instead of storing it again. Leads from forms carry none (NULL is never a duplicate).

ALTER TABLE activities ADD COLUMN call_sid text;
CREATE UNIQUE INDEX activities_call_sid ON activities (account_id, call_sid) WHERE call_sid IS NOT NULL;
