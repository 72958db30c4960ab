-- Lists at list destinations (SPEC §3): one per (destination, send step key), created or found on
-- publish. The step key is the audience name; external_id is the list's id at the destination.
CREATE TABLE destination_lists (
  destination_id text NOT NULL REFERENCES destinations(id),
  audience_key   text NOT NULL,
  external_id    text NOT NULL,
  journey_id     text NOT NULL,
  step_id        text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (destination_id, audience_key)
);

-- Requests per second allowed to a destination instance, across all workers (SPEC §5).
-- NULL: the vendor's default (destinations/rate-limits.ts); 0: no limit.
ALTER TABLE destinations ADD COLUMN rate_limit double precision CHECK (rate_limit IS NULL OR rate_limit >= 0);

-- The shared request schedule of each rate-limited destination: the earliest time (epoch ms, on the
-- database clock) the next request may start. Workers reserve a start time with one atomic UPDATE.
CREATE TABLE destination_rate_slots (
  destination_id text PRIMARY KEY,
  next_free_ms   double precision NOT NULL
);

-- GET /v1/deliveries?destinationId= (list batches add many rows per destination).
CREATE INDEX deliveries_by_destination ON deliveries (destination_id, created_at);
