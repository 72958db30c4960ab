-- Every ingested Segment-style call (identify, track, …), deduplicated by messageId.
CREATE TABLE events (
  id          bigserial PRIMARY KEY,
  message_id  text NOT NULL UNIQUE,
  user_id     text NOT NULL,
  type        text NOT NULL CHECK (type IN ('identify', 'track', 'page', 'screen', 'group', 'alias')),
  event       text,
  properties  jsonb NOT NULL DEFAULT '{}'::jsonb,
  traits      jsonb NOT NULL DEFAULT '{}'::jsonb,
  context     jsonb NOT NULL DEFAULT '{}'::jsonb,
  timestamp   timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_by_user ON events (user_id, timestamp);
CREATE INDEX events_by_name ON events (event, timestamp) WHERE event IS NOT NULL;
