-- Jembatan store, version 3: delivery between chat platforms and the engine (see core/delivery/types.ts).
-- Inbox (platform updates waiting for the engine), outbox (replies and notifications waiting to be sent)
-- and where each user can be reached. Held here so any `jembatan serve` process can do the work and
-- nothing is lost on a crash. Workers claim rows with FOR UPDATE SKIP LOCKED and a lease (claimed_until):
-- a lease that runs out (the process died) makes the row claimable again.

-- Platform updates as received. UNIQUE (channel, message_id): a redelivered update is stored once.
CREATE TABLE inbox (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel text NOT NULL,
  message_id text NOT NULL,
  payload jsonb NOT NULL,
  -- times the row was claimed (a claim whose lease ran out counts as an attempt)
  attempts integer NOT NULL DEFAULT 0,
  not_before timestamptz NOT NULL DEFAULT now(),
  claimed_until timestamptz,
  -- set when handled, or when given up (then last_error says why)
  done_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT inbox_channel_message UNIQUE (channel, message_id)
);
CREATE INDEX inbox_claim ON inbox (channel, id) WHERE done_at IS NULL;
CREATE INDEX inbox_given_up ON inbox (channel) WHERE done_at IS NOT NULL AND last_error IS NOT NULL;
CREATE INDEX inbox_done ON inbox (done_at) WHERE done_at IS NOT NULL;

-- Replies and notifications waiting to be sent. address_key is the address as stable JSON (sorted keys):
-- only the oldest unsent row per (channel, address_key) is claimable, so one chat's messages stay in order.
CREATE TABLE outbox (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel text NOT NULL,
  address jsonb NOT NULL,
  address_key text NOT NULL,
  -- Reply[] with image bytes as base64 (core/delivery/serialize.ts)
  replies jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  not_before timestamptz NOT NULL DEFAULT now(),
  claimed_until timestamptz,
  sent_at timestamptz,
  -- can never be delivered (blocked bot, deleted chat): kept with the error, not retried
  failed_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Unsent rows per address in id order: the claim query and its "is this the oldest?" check.
CREATE INDEX outbox_unsent ON outbox (channel, address_key, id) WHERE sent_at IS NULL AND failed_at IS NULL;
-- Last send per address: per-address pacing across processes.
CREATE INDEX outbox_sent ON outbox (channel, address_key, sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX outbox_failed ON outbox (channel) WHERE failed_at IS NOT NULL;

-- Where a user can be reached proactively on a channel, per conversation (Telegram chat id, Slack
-- channel, Teams conversation reference). Deleted with the user ("forget").
CREATE TABLE channel_addresses (
  user_id integer NOT NULL REFERENCES chat_users (id) ON DELETE CASCADE,
  conversation_id text NOT NULL,
  channel text NOT NULL,
  address jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, conversation_id)
);
CREATE INDEX channel_addresses_latest ON channel_addresses (user_id, channel, updated_at DESC);
