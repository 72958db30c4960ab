-- Trait definitions (POST /v1/traits): computed, SQL and predictive traits, by snake-case key.
CREATE TABLE traits (
  key              text PRIMARY KEY,
  type             text NOT NULL CHECK (type IN ('computed', 'sql', 'predictive')),
  definition       jsonb NOT NULL,
  -- computed: backfilling | ready | failed; sql: ready; predictive: pending | ready | insufficient_data | failed
  status           text NOT NULL,
  status_message   text,
  -- computed: the backfill counted events up to this id; the ingest hook counts those after it
  backfill_through bigint,
  -- predictive: the fitted model, its quality on held-out users, and when it was fitted
  model            jsonb,
  quality          jsonb,
  fitted_at        timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Computed traits, kept current as events arrive: one aggregate per (trait, user, time bucket);
-- bucket is '-infinity' for traits without a window. Reads add up the buckets inside the window.
CREATE TABLE computed_trait_state (
  trait_key   text NOT NULL REFERENCES traits(key) ON DELETE CASCADE,
  user_id     text NOT NULL,
  bucket      timestamptz NOT NULL,
  count       bigint NOT NULL DEFAULT 0,
  sum         double precision NOT NULL DEFAULT 0,
  first_value jsonb,
  first_at    timestamptz,
  last_value  jsonb,
  last_at     timestamptz,
  PRIMARY KEY (trait_key, user_id, bucket)
);

-- SQL traits: each user's result, cached until the trait's refresh interval has passed.
-- value NULL: the query returned no row for the user (the trait is absent, not null).
CREATE TABLE sql_trait_values (
  trait_key    text NOT NULL REFERENCES traits(key) ON DELETE CASCADE,
  user_id      text NOT NULL,
  value        jsonb,
  refreshed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (trait_key, user_id)
);

-- Predictive traits: each scored user's probability, replaced by every fit.
CREATE TABLE predictive_trait_scores (
  trait_key text NOT NULL REFERENCES traits(key) ON DELETE CASCADE,
  user_id   text NOT NULL,
  score     double precision NOT NULL CHECK (score >= 0 AND score <= 1),
  scored_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (trait_key, user_id)
);

-- The role SQL traits run as (SET LOCAL ROLE inside a READ ONLY transaction): it may read the events
-- and profiles tables and nothing else of Sojourn's (no keys, destinations' secrets or deliveries).
-- Roles are cluster-wide, so another database of the cluster may have made it already; a database
-- user without CREATEROLE gets a notice, and SQL traits are then refused with a message saying so.
DO $$
BEGIN
  BEGIN
    CREATE ROLE sojourn_sql_traits NOLOGIN NOINHERIT;
  EXCEPTION WHEN duplicate_object THEN NULL;
  END;
  -- SET ROLE needs membership unless the migrating user is a superuser.
  EXECUTE format('GRANT sojourn_sql_traits TO %I', current_user);
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO sojourn_sql_traits', current_schema());
  GRANT SELECT ON events, profiles TO sojourn_sql_traits;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'sojourn_sql_traits role not set up (%): SQL traits are unavailable until a privileged user creates it', SQLERRM;
END $$;
