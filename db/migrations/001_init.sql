-- Destinations: instances of catalog definitions. Secret settings live only in settings_secret (encrypted).
CREATE TABLE destinations (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  slug            text NOT NULL,
  settings        jsonb NOT NULL DEFAULT '{}'::jsonb,
  settings_secret text,
  subscriptions   jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- A journey is a stable id with immutable, numbered versions.
CREATE TABLE journeys (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'paused', 'archived')),
  current_version int NOT NULL DEFAULT 1,
  published_version int,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE journey_versions (
  journey_id  text NOT NULL REFERENCES journeys(id),
  version     int NOT NULL,
  definition  jsonb NOT NULL,
  -- step id -> step key, fixed when the version is created
  step_keys   jsonb NOT NULL DEFAULT '{}'::jsonb,
  published_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (journey_id, version)
);

-- Profiles: custom traits and every identifier value with the time it was first seen.
CREATE TABLE profiles (
  user_id    text PRIMARY KEY,
  traits     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE profile_identifiers (
  user_id    text NOT NULL REFERENCES profiles(user_id),
  type       text NOT NULL,
  value      text NOT NULL,
  first_seen timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (user_id, type, value)
);

-- Journey entries: one row per (journey, user, entry number); the unique key enforces re-entry rules.
CREATE TABLE journey_entries (
  journey_id  text NOT NULL REFERENCES journeys(id),
  user_id     text NOT NULL,
  entry_no    int NOT NULL,
  version     int NOT NULL,
  workflow_id text NOT NULL,
  entered_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (journey_id, user_id, entry_no)
);

-- The event lifecycle log: one row per delivery attempt.
CREATE TABLE deliveries (
  id             bigserial PRIMARY KEY,
  message_id     text NOT NULL,
  workflow_id    text NOT NULL,
  journey_id     text NOT NULL,
  journey_version int NOT NULL,
  step_id        text NOT NULL,
  destination_id text NOT NULL,
  call           text NOT NULL,
  action         text NOT NULL,
  attempt        int NOT NULL,
  status         text NOT NULL CHECK (status IN ('delivered', 'retrying', 'failed')),
  http_status    int,
  latency_ms     int NOT NULL,
  request        jsonb,
  response       jsonb,
  error          text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_by_journey ON deliveries (journey_id, step_id, created_at);
CREATE INDEX deliveries_by_message ON deliveries (message_id);
CREATE INDEX deliveries_by_workflow ON deliveries (workflow_id);
