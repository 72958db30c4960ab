-- The event (messageId) that entered a user, so a retried ingest call never enters them twice.
ALTER TABLE journey_entries ADD COLUMN trigger_id text;
CREATE UNIQUE INDEX journey_entries_by_trigger ON journey_entries (journey_id, user_id, trigger_id) WHERE trigger_id IS NOT NULL;
CREATE INDEX journey_entries_by_user ON journey_entries (user_id);
