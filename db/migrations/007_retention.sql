-- Retention (SOJOURN_RETENTION_DAYS): the daily prune finds old rows by time without a full scan.
CREATE INDEX deliveries_by_time ON deliveries (created_at);
CREATE INDEX list_members_settled ON list_members (updated_at) WHERE status IN ('delivered', 'failed');
