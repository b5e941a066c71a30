-- Jembatan store, version 1: listings, passages with lexical and vector columns, store metadata.
-- Runs unchanged on PGlite and on PostgreSQL >= 15 with pgvector >= 0.8.
CREATE EXTENSION IF NOT EXISTS vector;

-- Key/value facts about the store itself (embedding model and dimension, glossary version).
CREATE TABLE store_meta (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE listings (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source text NOT NULL,
  external_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('offer', 'need', 'expertise')),
  title text NOT NULL,
  summary text NOT NULL,
  language text NOT NULL,
  country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  sectors text[] NOT NULL DEFAULT '{}',
  trl smallint CHECK (trl BETWEEN 1 AND 9),
  ip_status text NOT NULL DEFAULT 'unknown',
  partnership text[] NOT NULL DEFAULT '{}',
  owner_ref text,
  organisation text,
  url text,
  status text NOT NULL CHECK (status IN ('draft', 'pending', 'published', 'rejected', 'archived')),
  status_reason text,
  -- glossary concept ids found in title + summary (cross-language matching without a model)
  concepts text[] NOT NULL DEFAULT '{}',
  -- sha256 of the normalised input record: re-ingesting an unchanged record does nothing
  content_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  CONSTRAINT listings_source_external_id UNIQUE (source, external_id)
);
CREATE INDEX listings_status_kind_country ON listings (status, kind, country);
CREATE INDEX listings_sectors ON listings USING gin (sectors);
CREATE INDEX listings_concepts ON listings USING gin (concepts);
CREATE INDEX listings_owner ON listings (owner_ref) WHERE owner_ref IS NOT NULL;

-- Confidential details live apart from listings: search queries never touch this table.
CREATE TABLE listing_confidential (
  listing_id integer PRIMARY KEY REFERENCES listings (id) ON DELETE CASCADE,
  details text NOT NULL
);

-- A listing's text split into passages short enough for the embedding model.
-- lexemes: segmented, normalised terms (title weighted A, body B), built by the application, so scripts
-- without spaces (Thai, Khmer, Lao, Burmese, Chinese) are indexed word by word whatever the server locale.
-- embedding: dimension-free column; the HNSW index is an expression index for the active model's
-- dimension, created when a model is first recorded (see core/store/vector-index.ts).
CREATE TABLE passages (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  listing_id integer NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  ord smallint NOT NULL,
  text text NOT NULL,
  lexemes tsvector NOT NULL,
  embedding vector,
  CONSTRAINT passages_listing_ord UNIQUE (listing_id, ord)
);
CREATE INDEX passages_lexemes ON passages USING gin (lexemes);

-- Near-duplicate pairs found during ingest (the same technology listed twice, within or across sources).
CREATE TABLE near_duplicates (
  listing_id integer NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  duplicate_of integer NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  similarity real NOT NULL,
  found_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (listing_id, duplicate_of)
);
