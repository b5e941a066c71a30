-- Jembatan store, version 2: chat users, conversation state, feedback, introduction requests, search log.
-- Everything a conversation needs lives here, so any `jembatan serve` process can take the next message.

-- One row per person per channel (a Telegram user and a Slack user are different rows).
CREATE TABLE chat_users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel text NOT NULL,
  channel_user_id text NOT NULL,
  -- reply language; `language_locked` when the user chose it with the language command
  language text NOT NULL DEFAULT 'en',
  language_locked boolean NOT NULL DEFAULT false,
  display_name text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT chat_users_channel_user UNIQUE (channel, channel_user_id)
);

-- The state of one user's conversation in one chat (a DM, a Slack channel, a Teams conversation).
CREATE TABLE conversations (
  user_id integer NOT NULL REFERENCES chat_users (id) ON DELETE CASCADE,
  conversation_id text NOT NULL,
  state jsonb NOT NULL,
  version integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, conversation_id)
);

-- Platform message ids already answered: a redelivered webhook is not answered twice.
CREATE TABLE processed_messages (
  channel text NOT NULL,
  message_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, message_id)
);

-- "Not relevant" answers with their reason: evaluation material and a signal for moderators.
CREATE TABLE match_feedback (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES chat_users (id) ON DELETE CASCADE,
  listing_id integer NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  query text NOT NULL,
  verdict text NOT NULL CHECK (verdict IN ('not_relevant')),
  reason text CHECK (reason IN ('too_early', 'wrong_sector', 'wrong_country', 'other')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A founder asked to be introduced to a listing's owner (the introduction itself is its own workflow).
CREATE TABLE introduction_requests (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES chat_users (id) ON DELETE CASCADE,
  listing_id integer NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  query text NOT NULL,
  status text NOT NULL DEFAULT 'requested',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT introduction_requests_once UNIQUE (user_id, listing_id)
);

-- Every search run from chat: the match funnel and unmet needs come from here.
CREATE TABLE search_log (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer REFERENCES chat_users (id) ON DELETE SET NULL,
  channel text NOT NULL,
  language text NOT NULL,
  query text NOT NULL,
  filters jsonb NOT NULL DEFAULT '{}',
  concepts text[] NOT NULL DEFAULT '{}',
  sectors text[] NOT NULL DEFAULT '{}',
  result_count integer NOT NULL,
  top_score real,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_log_created ON search_log (created_at);
