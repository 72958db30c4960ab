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

-- Members waiting for, or past, their list batch. The enqueue activity inserts them (once: the
-- message id is deterministic per run, step, destination and identifier value) and tells the list's
-- ListBatcherWorkflow how many arrived; the batcher's flush activity claims them in batches. Keeping
-- them here rather than in signals keeps the batcher's history small whatever the burst.
CREATE TABLE list_members (
  message_id       text PRIMARY KEY,
  destination_id   text NOT NULL,
  external_id      text NOT NULL,
  member           jsonb NOT NULL,
  -- pending: waiting (new, or a refused member due again at due_at); sending: claimed by batch_id
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
  attempt          int NOT NULL DEFAULT 0,
  -- set on members refused together: they are resent together, and only them
  retry_group      text,
  batch_id         text,
  due_at           timestamptz NOT NULL DEFAULT now(),
  first_attempt_at timestamptz,
  enqueued_at      timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX list_members_waiting ON list_members (destination_id, external_id, enqueued_at) WHERE status = 'pending';
CREATE INDEX list_members_by_batch ON list_members (batch_id) WHERE status = 'sending';
