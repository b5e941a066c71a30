-- Jembatan store, version 6: introductions with double opt-in, and saved-need alerts
-- (core/introductions, core/alerts). Every notification these cause is queued in `outbox` in the same
-- transaction as the change that caused it.

-- What a user shares when an introduction is accepted (never shown before), and a short public profile
-- the other side sees with a request ("Agronomist at a shrimp cooperative in Ca Mau").
ALTER TABLE chat_users ADD COLUMN contact text;
ALTER TABLE chat_users ADD COLUMN profile text;

-- An introduction request: requested → pending (owner or secretariat told) → accepted | declined |
-- withdrawn | expired. `route` says who decides: the listing's owner, or the secretariat for listings
-- without an owner reachable in any channel (imported data, samples).
ALTER TABLE introduction_requests ADD COLUMN message text;
ALTER TABLE introduction_requests ADD COLUMN route text NOT NULL DEFAULT 'owner' CHECK (route IN ('owner', 'secretariat'));
ALTER TABLE introduction_requests ADD COLUMN expires_at timestamptz;
ALTER TABLE introduction_requests ADD COLUMN decided_at timestamptz;
-- who decided: for the owner route the owner; for the secretariat route a staff member ('slack:U…')
ALTER TABLE introduction_requests ADD COLUMN decided_by text;
-- a decline reason the owner chose to share with the requester (NULL = none shared)
ALTER TABLE introduction_requests ADD COLUMN shared_reason text;
ALTER TABLE introduction_requests ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE introduction_requests ADD CONSTRAINT introduction_requests_status
  CHECK (status IN ('requested', 'pending', 'accepted', 'declined', 'withdrawn', 'expired'));
CREATE INDEX introduction_requests_open ON introduction_requests (expires_at) WHERE status = 'pending';
CREATE INDEX introduction_requests_daily ON introduction_requests (user_id, created_at);

-- Questions and answers relayed between the two sides of a pending request (no contact details).
CREATE TABLE introduction_messages (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id integer NOT NULL REFERENCES introduction_requests (id) ON DELETE CASCADE,
  from_side text NOT NULL CHECK (from_side IN ('owner', 'requester')),
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A saved need: "tell me when something like this appears".
CREATE TABLE saved_needs (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES chat_users (id) ON DELETE CASCADE,
  query text NOT NULL,
  language text NOT NULL,
  -- the search refinements when it was saved (kinds, countries, sectors, min TRL)
  filters jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  stopped_at timestamptz
);
CREATE INDEX saved_needs_active ON saved_needs (user_id) WHERE stopped_at IS NULL;

-- Listings found for a saved need. Those found when it was saved are `baseline` (the user saw them in
-- the search); the others wait for the user's next digest (`sent_at`).
CREATE TABLE alert_matches (
  saved_need_id integer NOT NULL REFERENCES saved_needs (id) ON DELETE CASCADE,
  listing_id integer NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  baseline boolean NOT NULL DEFAULT false,
  found_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  PRIMARY KEY (saved_need_id, listing_id)
);
CREATE INDEX alert_matches_unsent ON alert_matches (saved_need_id) WHERE sent_at IS NULL AND NOT baseline;

-- When each user last got a digest (at most one a day).
CREATE TABLE alert_digests (
  user_id integer PRIMARY KEY REFERENCES chat_users (id) ON DELETE CASCADE,
  last_sent_at timestamptz NOT NULL
);
