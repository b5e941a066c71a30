-- Jembatan store, version 5: the moderation queue (core/moderation, adapters/slack).
-- A pending listing (from any channel) is posted once to the moderation channel; each decision is kept
-- with who made it and when.

-- One row per listing posted for review. Inserted before posting (a claim across processes), then the
-- message's location is filled in; a failed post deletes the claim so the next pass tries again.
CREATE TABLE moderation_posts (
  listing_id integer PRIMARY KEY REFERENCES listings (id) ON DELETE CASCADE,
  channel text NOT NULL,
  -- where the review message is (Slack: channel id and message ts); NULL while being posted
  location jsonb,
  posted_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE moderation_decisions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  listing_id integer NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  decision text NOT NULL CHECK (decision IN ('approved', 'rejected')),
  reason text,
  -- who decided: channel ('slack') and that channel's user id
  moderator_channel text NOT NULL,
  moderator_id text NOT NULL,
  decided_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_decisions_listing ON moderation_decisions (listing_id, decided_at DESC);
