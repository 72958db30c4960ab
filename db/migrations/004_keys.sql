-- API keys (management, Bearer) and write keys (ingestion, HTTP Basic user name) created through
-- POST /v1/keys or `tsx scripts/keys.ts`. Only a SHA-256 digest of each key is kept: the key itself
-- is shown once, at creation. The environment's SOJOURN_API_KEY / SOJOURN_WRITE_KEY are not stored.
CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('management', 'write')),
  name         text NOT NULL,
  -- the key's first characters, so a listing tells keys apart without revealing them
  prefix       text NOT NULL,
  digest       bytea NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
