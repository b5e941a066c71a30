-- Jembatan store, version 4: match events for statistics (core/stats): what was shown and asked for, when,
-- on which channel and in which language. No message text and no user id: these rows are anonymous, so
-- they stay when a user asks to be forgotten, and they are not personal data.
--
-- One row per listing an event is about: a results page of five cards is five `shown` rows, so matches
-- shown can be counted by the listing's country and sector. A `search` row (for entry points that do not
-- write search_log) has no listing; searches from chat are logged in search_log.
CREATE TABLE match_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  channel text NOT NULL,
  event text NOT NULL CHECK (event IN ('search', 'shown', 'intro_requested', 'intro_accepted')),
  -- the user's language when it happened
  language text NOT NULL,
  -- the listing (no foreign key: statistics outlive deleted listings), its kind, country and sectors then
  listing_id integer,
  listing_kind text CHECK (listing_kind IN ('offer', 'need', 'expertise')),
  country char(2) CHECK (country ~ '^[A-Z]{2}$'),
  sectors text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX match_events_event_time ON match_events (event, occurred_at);

-- Introductions requested before this version, so the funnel starts complete.
INSERT INTO match_events (occurred_at, channel, event, language, listing_id, listing_kind, country, sectors)
SELECT r.created_at, u.channel, 'intro_requested', u.language, l.id, l.kind, l.country, l.sectors
  FROM introduction_requests r
  JOIN chat_users u ON u.id = r.user_id
  JOIN listings l ON l.id = r.listing_id;

INSERT INTO match_events (occurred_at, channel, event, language, listing_id, listing_kind, country, sectors)
SELECT r.created_at, u.channel, 'intro_accepted', u.language, l.id, l.kind, l.country, l.sectors
  FROM introduction_requests r
  JOIN chat_users u ON u.id = r.user_id
  JOIN listings l ON l.id = r.listing_id
 WHERE r.status = 'accepted';
