import type { Language } from '../domain/languages.js';
import type { ListingKind, ListingStatus, PublicListing } from '../domain/listing.js';
import type { EmbeddingModelId } from '../embeddings/provider.js';
import type { PreparedListing } from '../listings/prepare.js';
import type { Db, Queryable } from './db.js';
import { migrate } from './migrate.js';
import { ensureVectorIndex, vectorLiteral } from './vector-index.js';

export class StoreModelMismatchError extends Error {
  override name = 'StoreModelMismatchError';
  constructor(
    readonly stored: EmbeddingModelId | { provider: 'none' },
    readonly active: EmbeddingModelId | { provider: 'none' },
  ) {
    const describe = (id: EmbeddingModelId | { provider: 'none' }) =>
      id.provider === 'none' ? 'no embedding model (provider none)' : `${id.provider} model ${id.model} (${id.dimension} dimensions)`;
    super(
      `This store was built with ${describe(stored)}, but the active configuration uses ${describe(active)}. ` +
        'Run `jembatan reindex` to rebuild every listing with the active model, or set JEMBATAN_EMBEDDINGS / ' +
        'JEMBATAN_MODEL back to what the store was built with.',
    );
  }
}

/** Search filters; only published, unexpired listings are ever searched. */
export interface ListingFilter {
  kinds?: ListingKind[];
  countries?: string[];
  sectors?: string[];
  minTrl?: number;
  /** Only listings written in these languages. */
  languages?: Language[];
  /** Leave these listings out (e.g. the listing a search starts from). */
  excludeIds?: number[];
}

export interface PassageHit {
  listingId: number;
  passageId: number;
  score: number;
  matchedTerms: string[];
}

export interface ConceptHit {
  listingId: number;
  score: number;
  sharedConcepts: string[];
}

interface ListingRow {
  id: number;
  source: string;
  external_id: string;
  kind: ListingKind;
  title: string;
  summary: string;
  language: string;
  country: string;
  sectors: string[];
  trl: number | null;
  ip_status: PublicListing['ipStatus'];
  partnership: PublicListing['partnership'];
  organisation: string | null;
  url: string | null;
  status: PublicListing['status'];
  status_reason?: string | null;
  created_at: Date;
  updated_at: Date;
  expires_at: Date | null;
}

const PUBLIC_COLUMNS =
  'id, source, external_id, kind, title, summary, language, country, sectors, trl, ip_status, partnership, organisation, url, status, status_reason, created_at, updated_at, expires_at';

function toPublic(row: ListingRow): PublicListing {
  return {
    id: row.id,
    source: row.source,
    externalId: row.external_id,
    kind: row.kind,
    title: row.title,
    summary: row.summary,
    language: row.language,
    country: row.country.trim(),
    sectors: row.sectors,
    trl: row.trl,
    ipStatus: row.ip_status,
    partnership: row.partnership,
    organisation: row.organisation,
    url: row.url,
    status: row.status,
    statusReason: row.status_reason ?? null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
  };
}

/**
 * What changes whenever the set of searchable listings changes (a listing published, edited, withdrawn or
 * expired, by any process): count, latest update and number expired of the published listings. Caches of
 * match results compare it to know when to look again.
 */
export async function publishedListingsFingerprint(q: Queryable): Promise<string> {
  const { rows } = await q.query<{ n: number; latest: string | null; expired: number }>(
    `SELECT count(*)::int AS n, max(updated_at)::text AS latest,
            count(*) FILTER (WHERE expires_at IS NOT NULL AND expires_at <= now())::int AS expired
       FROM listings WHERE status = 'published'`,
  );
  return JSON.stringify(rows[0] ?? null);
}

/** Builds the WHERE clause over `l` (listings) for a filter, appending parameters to `params`. */
function filterSql(filter: ListingFilter, params: unknown[]): string {
  const clauses = ["l.status = 'published'", '(l.expires_at IS NULL OR l.expires_at > now())'];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.kinds?.length) clauses.push(`l.kind = ANY(${add(filter.kinds)}::text[])`);
  if (filter.countries?.length) clauses.push(`l.country = ANY(${add(filter.countries)}::text[])`);
  if (filter.sectors?.length) clauses.push(`l.sectors && ${add(filter.sectors)}::text[]`);
  if (filter.minTrl !== undefined) clauses.push(`l.trl >= ${add(filter.minTrl)}`);
  if (filter.languages?.length) clauses.push(`l.language = ANY(${add(filter.languages)}::text[])`);
  if (filter.excludeIds?.length) clauses.push(`NOT (l.id = ANY(${add(filter.excludeIds)}::int[]))`);
  return clauses.join(' AND ');
}

interface CachedFigure {
  value: unknown;
  at: number;
}

const FIGURE_TTL_MS = 60_000;

/**
 * Listings, passages and their indexes in PostgreSQL/PGlite. Knows SQL and nothing of chat platforms.
 * Holds no state that matters between processes: caches here are only of corpus statistics.
 */
export class ListingStore {
  private readonly figures = new Map<string, CachedFigure>();

  private constructor(readonly db: Db) {}

  /** Opens (and migrates) the store. */
  static async open(db: Db): Promise<ListingStore> {
    await migrate(db);
    return new ListingStore(db);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  // ---- metadata -------------------------------------------------------------------------------------

  async getMeta<T>(key: string): Promise<T | undefined> {
    const { rows } = await this.db.query<{ value: T }>('SELECT value FROM store_meta WHERE key = $1', [key]);
    return rows[0]?.value;
  }

  async setMeta(key: string, value: unknown, tx: Queryable = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO store_meta (key, value) VALUES ($1, $2::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [key, JSON.stringify(value)],
    );
  }

  /** The embedding model the store's vectors come from; `{provider:'none'}` for a lexical-only store. */
  async embeddingModel(): Promise<EmbeddingModelId | { provider: 'none' } | undefined> {
    return this.getMeta('embedding_model');
  }

  /**
   * Checks the active model against the one recorded; records it if the store has none yet.
   * A different model is an error that names `jembatan reindex`.
   */
  async assertModel(active: EmbeddingModelId | { provider: 'none' }): Promise<void> {
    const stored = await this.embeddingModel();
    if (!stored) {
      const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM listings');
      if ((rows[0]?.n ?? 0) === 0 || active.provider === 'none') {
        await this.recordModel(active);
        return;
      }
      throw new StoreModelMismatchError({ provider: 'none' }, active);
    }
    const same =
      stored.provider === active.provider &&
      (stored.provider === 'none' ||
        (active.provider !== 'none' && stored.model === active.model && stored.dimension === active.dimension));
    if (!same) throw new StoreModelMismatchError(stored, active);
    if (active.provider !== 'none') await ensureVectorIndex(this.db, active.dimension);
  }

  async recordModel(active: EmbeddingModelId | { provider: 'none' }): Promise<void> {
    await this.setMeta('embedding_model', active);
    if (active.provider !== 'none') await ensureVectorIndex(this.db, active.dimension);
  }

  // ---- writing -------------------------------------------------------------------------------------

  /** Content hashes already stored for these external ids of one source. */
  async existingHashes(source: string, externalIds: string[]): Promise<Map<string, string>> {
    const { rows } = await this.db.query<{ external_id: string; content_hash: string }>(
      'SELECT external_id, content_hash FROM listings WHERE source = $1 AND external_id = ANY($2::text[])',
      [source, externalIds],
    );
    return new Map(rows.map((row) => [row.external_id, row.content_hash]));
  }

  /**
   * Inserts or updates listings with their passages (and vectors, aligned with passages) in one
   * transaction: after a crash either all of them are stored completely or none is.
   * Returns the ids and whether each was new.
   */
  async upsertListings(
    listings: PreparedListing[],
    vectors?: Array<Array<number[] | undefined>>,
  ): Promise<Array<{ id: number; created: boolean }>> {
    return this.db.transaction(async (tx) => {
      const results: Array<{ id: number; created: boolean }> = [];
      for (const [index, listing] of listings.entries()) {
        results.push(await this.upsertOne(tx, listing, vectors?.[index]));
      }
      return results;
    });
  }

  private async upsertOne(
    tx: Queryable,
    listing: PreparedListing,
    vectors: Array<number[] | undefined> | undefined,
  ): Promise<{ id: number; created: boolean }> {
    const input = listing.input;
    const { rows } = await tx.query<{ id: number; created: boolean }>(
      `INSERT INTO listings (source, external_id, kind, title, summary, language, country, sectors, trl, ip_status,
         partnership, owner_ref, organisation, url, status, concepts, content_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11::text[], $12, $13, $14, $15, $16::text[], $17, $18)
       ON CONFLICT (source, external_id) DO UPDATE SET
         kind = excluded.kind, title = excluded.title, summary = excluded.summary, language = excluded.language,
         country = excluded.country, sectors = excluded.sectors, trl = excluded.trl, ip_status = excluded.ip_status,
         partnership = excluded.partnership, owner_ref = excluded.owner_ref, organisation = excluded.organisation,
         url = excluded.url, status = excluded.status, concepts = excluded.concepts,
         content_hash = excluded.content_hash, expires_at = excluded.expires_at, updated_at = now()
       RETURNING id, (xmax = 0) AS created`,
      [
        input.source,
        input.external_id,
        input.kind,
        input.title,
        input.summary,
        input.language,
        input.country,
        input.sectors,
        input.trl ?? null,
        input.ip_status,
        input.partnership,
        input.owner_ref ?? null,
        input.organisation ?? null,
        input.url ?? null,
        input.status,
        listing.concepts,
        listing.contentHash,
        input.expires_at ?? null,
      ],
    );
    const { id, created } = rows[0]!;
    await tx.query('DELETE FROM passages WHERE listing_id = $1', [id]);
    for (const [ord, passage] of listing.passages.entries()) {
      const vector = vectors?.[ord];
      await tx.query(
        'INSERT INTO passages (listing_id, ord, text, lexemes, embedding) VALUES ($1, $2, $3, $4::tsvector, $5::vector)',
        [id, ord, passage.text, passage.lexemes, vector ? vectorLiteral(vector) : null],
      );
    }
    if (input.confidential) {
      await tx.query(
        `INSERT INTO listing_confidential (listing_id, details) VALUES ($1, $2)
         ON CONFLICT (listing_id) DO UPDATE SET details = excluded.details`,
        [id, input.confidential],
      );
    } else {
      await tx.query('DELETE FROM listing_confidential WHERE listing_id = $1', [id]);
    }
    return { id, created };
  }

  async recordNearDuplicates(pairs: Array<{ listingId: number; duplicateOf: number; similarity: number }>): Promise<void> {
    if (pairs.length === 0) return;
    await this.db.query(
      `INSERT INTO near_duplicates (listing_id, duplicate_of, similarity)
       SELECT * FROM unnest($1::int[], $2::int[], $3::real[])
       ON CONFLICT (listing_id, duplicate_of) DO UPDATE SET similarity = excluded.similarity, found_at = now()`,
      [pairs.map((p) => p.listingId), pairs.map((p) => p.duplicateOf), pairs.map((p) => p.similarity)],
    );
  }

  // ---- listings owned by a chat user ---------------------------------------------------------------

  /** A user's own listings, any status, newest first (archived ones last). */
  async listingsByOwner(ownerRef: string): Promise<PublicListing[]> {
    const { rows } = await this.db.query<ListingRow>(
      `SELECT ${PUBLIC_COLUMNS} FROM listings WHERE owner_ref = $1
        ORDER BY (status = 'archived'), updated_at DESC, id DESC`,
      [ownerRef],
    );
    return rows.map(toPublic);
  }

  /** The listing if `ownerRef` owns it. */
  async ownedListing(listingId: number, ownerRef: string): Promise<PublicListing | undefined> {
    const { rows } = await this.db.query<ListingRow>(`SELECT ${PUBLIC_COLUMNS} FROM listings WHERE id = $1 AND owner_ref = $2`, [
      listingId,
      ownerRef,
    ]);
    return rows[0] ? toPublic(rows[0]) : undefined;
  }

  /** Changes the status of an owned listing; false when the user does not own it. */
  async setOwnedStatus(listingId: number, ownerRef: string, status: ListingStatus, reason: string | null = null): Promise<boolean> {
    const { rows } = await this.db.query<{ id: number }>(
      `UPDATE listings SET status = $3, status_reason = $4, updated_at = now() WHERE id = $1 AND owner_ref = $2 RETURNING id`,
      [listingId, ownerRef, status, reason],
    );
    if (rows.length > 0) this.figures.clear();
    return rows.length > 0;
  }

  /** Deletes every listing of an owner (passages and confidential details cascade); returns how many. */
  async deleteByOwner(ownerRef: string, tx: Queryable = this.db): Promise<number> {
    const { rows } = await tx.query<{ id: number }>('DELETE FROM listings WHERE owner_ref = $1 RETURNING id', [ownerRef]);
    if (rows.length > 0) this.figures.clear();
    return rows.length;
  }

  // ---- reading -------------------------------------------------------------------------------------

  async listingsByIds(ids: number[]): Promise<Map<number, PublicListing>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.db.query<ListingRow>(
      `SELECT ${PUBLIC_COLUMNS} FROM listings WHERE id = ANY($1::int[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, toPublic(row)]));
  }

  async listingByExternalId(source: string, externalId: string): Promise<PublicListing | undefined> {
    const { rows } = await this.db.query<ListingRow>(
      `SELECT ${PUBLIC_COLUMNS} FROM listings WHERE source = $1 AND external_id = $2`,
      [source, externalId],
    );
    return rows[0] ? toPublic(rows[0]) : undefined;
  }

  /** Confidential details: only for flows that have the owner's consent (introductions), never for search. */
  async confidentialDetails(listingId: number): Promise<string | undefined> {
    const { rows } = await this.db.query<{ details: string }>(
      'SELECT details FROM listing_confidential WHERE listing_id = $1',
      [listingId],
    );
    return rows[0]?.details;
  }

  /** Ids of listings by (source, external id); key is `source\u0000externalId`. */
  async idsByExternalIds(keys: Array<{ source: string; externalId: string }>): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    if (keys.length === 0) return ids;
    const { rows } = await this.db.query<{ id: number; source: string; external_id: string }>(
      `SELECT l.id, l.source, l.external_id FROM listings l
       JOIN unnest($1::text[], $2::text[]) AS k(source, external_id)
         ON l.source = k.source AND l.external_id = k.external_id`,
      [keys.map((k) => k.source), keys.map((k) => k.externalId)],
    );
    for (const row of rows) ids.set(`${row.source}\u0000${row.external_id}`, row.id);
    return ids;
  }

  /** Title and summary of every listing not from these sources (near-duplicate checks across sources). */
  async listingTextsOutside(
    sources: string[],
  ): Promise<Array<{ id: number; source: string; externalId: string; title: string; summary: string; language: Language }>> {
    const { rows } = await this.db.query<{ id: number; source: string; external_id: string; title: string; summary: string; language: Language }>(
      'SELECT id, source, external_id, title, summary, language FROM listings WHERE NOT (source = ANY($1::text[]))',
      [sources],
    );
    return rows.map((row) => ({ ...row, externalId: row.external_id }));
  }

  /** Which of these external ids (any source) are stored. */
  async externalIdsPresent(externalIds: string[]): Promise<Set<string>> {
    const { rows } = await this.db.query<{ external_id: string }>(
      'SELECT DISTINCT external_id FROM listings WHERE external_id = ANY($1::text[])',
      [externalIds],
    );
    return new Set(rows.map((row) => row.external_id));
  }

  async conceptsOf(listingId: number): Promise<string[]> {
    const { rows } = await this.db.query<{ concepts: string[] }>('SELECT concepts FROM listings WHERE id = $1', [
      listingId,
    ]);
    return rows[0]?.concepts ?? [];
  }

  async passagesByIds(ids: number[]): Promise<Map<number, { listingId: number; ord: number; text: string }>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.db.query<{ id: number; listing_id: number; ord: number; text: string }>(
      'SELECT id, listing_id, ord, text FROM passages WHERE id = ANY($1::int[])',
      [ids],
    );
    return new Map(rows.map((row) => [row.id, { listingId: row.listing_id, ord: row.ord, text: row.text }]));
  }

  /** First passage of each listing (shown when a listing matched on concepts only). */
  async firstPassages(listingIds: number[]): Promise<Map<number, { passageId: number; text: string }>> {
    if (listingIds.length === 0) return new Map();
    const { rows } = await this.db.query<{ id: number; listing_id: number; text: string }>(
      'SELECT id, listing_id, text FROM passages WHERE listing_id = ANY($1::int[]) AND ord = 0',
      [listingIds],
    );
    return new Map(rows.map((row) => [row.listing_id, { passageId: row.id, text: row.text }]));
  }

  /** Lexemes of passages, to say which query terms a result shares. */
  async passageTerms(passageIds: number[], terms: string[]): Promise<Map<number, string[]>> {
    if (passageIds.length === 0 || terms.length === 0) return new Map();
    const { rows } = await this.db.query<{ id: number; terms: string[] }>(
      `SELECT p.id, array(SELECT u.lexeme FROM unnest(p.lexemes) u WHERE u.lexeme = ANY($2::text[])) AS terms
       FROM passages p WHERE p.id = ANY($1::int[])`,
      [passageIds, terms],
    );
    return new Map(rows.map((row) => [row.id, row.terms]));
  }

  // ---- corpus statistics (cached briefly; only used for weighting) ---------------------------------

  private async figure<T = number>(key: string, compute: () => Promise<T>): Promise<T> {
    const cached = this.figures.get(key);
    if (cached && Date.now() - cached.at < FIGURE_TTL_MS) return cached.value as T;
    const value = await compute();
    this.figures.set(key, { value, at: Date.now() });
    if (this.figures.size > 50_000) this.figures.clear();
    return value;
  }

  /**
   * Reclaims dead rows and refreshes the planner's statistics of the listing tables. Run after bulk
   * writes (reindex rewrites every row): without it PGlite plans queries from stale statistics and
   * searches ran 10–100× slower after a reindex until the next autovacuum (PGlite has none).
   */
  async vacuumAnalyze(): Promise<void> {
    for (const table of ['listings', 'passages', 'listing_confidential']) await this.db.query(`VACUUM (ANALYZE) ${table}`);
  }

  /** Forgets cached corpus statistics (after writes in the same process). */
  invalidateStatistics(): void {
    this.figures.clear();
  }

  async passageCount(): Promise<number> {
    return this.figure('passages', async () => {
      const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM passages');
      return rows[0]?.n ?? 0;
    });
  }

  async averagePassageLength(): Promise<number> {
    return this.figure('avg-passage-length', async () => {
      const { rows } = await this.db.query<{ avg: number | null }>(
        'SELECT avg(length(lexemes))::float8 AS avg FROM passages',
      );
      return rows[0]?.avg ?? 1;
    });
  }

  /** Languages that published listings are written in (cached like the other corpus statistics). */
  async publishedLanguages(): Promise<Language[]> {
    return this.figure<Language[]>('languages', async () => {
      const { rows } = await this.db.query<{ language: Language }>(
        "SELECT DISTINCT language FROM listings WHERE status = 'published' ORDER BY language",
      );
      return rows.map((row) => row.language);
    });
  }

  async listingCount(): Promise<number> {
    return this.figure('listings', async () => {
      const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM listings');
      return rows[0]?.n ?? 0;
    });
  }

  async averageConceptCount(): Promise<number> {
    return this.figure('avg-concepts', async () => {
      const { rows } = await this.db.query<{ avg: number | null }>(
        'SELECT avg(cardinality(concepts))::float8 AS avg FROM listings WHERE cardinality(concepts) > 0',
      );
      return rows[0]?.avg ?? 1;
    });
  }

  /** Number of passages containing each term. */
  async termDocumentFrequencies(terms: string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    const missing = terms.filter((term) => {
      const cached = this.figures.get(`df:${term}`);
      if (cached && Date.now() - cached.at < FIGURE_TTL_MS) {
        result.set(term, cached.value as number);
        return false;
      }
      return true;
    });
    if (missing.length > 0) {
      const { rows } = await this.db.query<{ term: string; df: number }>(
        `SELECT t.term, (SELECT count(*)::int FROM passages p WHERE p.lexemes @@ t.query) AS df
         FROM (SELECT term, (quote_literal(term))::tsquery AS query FROM unnest($1::text[]) AS term) t`,
        [missing],
      );
      for (const row of rows) {
        result.set(row.term, row.df);
        this.figures.set(`df:${row.term}`, { value: row.df, at: Date.now() });
      }
    }
    return result;
  }

  /** Number of listings carrying each concept. */
  async conceptDocumentFrequencies(conceptIds: string[]): Promise<Map<string, number>> {
    if (conceptIds.length === 0) return new Map();
    const { rows } = await this.db.query<{ concept: string; df: number }>(
      `SELECT c AS concept, (SELECT count(*)::int FROM listings l WHERE l.concepts @> ARRAY[c]) AS df
       FROM unnest($1::text[]) AS c`,
      [conceptIds],
    );
    return new Map(rows.map((row) => [row.concept, row.df]));
  }

  // ---- retrieval primitives ------------------------------------------------------------------------

  /**
   * BM25 over passages: candidates are passages containing any of `candidateTerms` (rare terms), scored
   * with every weighted term; title occurrences count three times. Best passages first.
   */
  async lexicalSearch(
    weightedTerms: Array<{ term: string; idf: number }>,
    candidateTerms: string[],
    filter: ListingFilter,
    limit: number,
  ): Promise<PassageHit[]> {
    if (weightedTerms.length === 0 || candidateTerms.length === 0) return [];
    const averageLength = await this.averagePassageLength();
    const params: unknown[] = [
      weightedTerms.map((t) => t.term),
      weightedTerms.map((t) => t.idf),
      candidateTerms.map((term) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | '),
      averageLength,
      limit,
    ];
    const where = filterSql(filter, params);
    const { rows } = await this.db.query<{ listing_id: number; passage_id: number; score: number; matched: string[] }>(
      `WITH q AS (SELECT * FROM unnest($1::text[], $2::float8[]) AS q(term, idf)),
       cand AS (
         SELECT p.id, p.listing_id, p.lexemes, length(p.lexemes) AS len
         FROM passages p JOIN listings l ON l.id = p.listing_id
         WHERE p.lexemes @@ $3::tsquery AND ${where}
       )
       SELECT c.listing_id, c.id AS passage_id,
         sum(q.idf * (x.tf * 2.2) / (x.tf + 1.2 * (0.25 + 0.75 * c.len / $4::float8)))::float8 AS score,
         array_agg(q.term) AS matched
       FROM cand c
       CROSS JOIN LATERAL (
         SELECT u.lexeme,
           (cardinality(u.positions) + 2 * (SELECT count(*) FROM unnest(u.weights) w WHERE w = 'A'))::float8 AS tf
         FROM unnest(c.lexemes) u
       ) x
       JOIN q ON q.term = x.lexeme
       GROUP BY c.listing_id, c.id
       ORDER BY score DESC
       LIMIT $5`,
      params,
    );
    return rows.map((row) => ({
      listingId: row.listing_id,
      passageId: row.passage_id,
      score: row.score,
      matchedTerms: row.matched,
    }));
  }

  /** Listings sharing glossary concepts with the query, weighted by concept rarity (BM25 with tf = 1). */
  async conceptSearch(
    weightedConcepts: Array<{ concept: string; idf: number }>,
    filter: ListingFilter,
    limit: number,
  ): Promise<ConceptHit[]> {
    if (weightedConcepts.length === 0) return [];
    const averageCount = await this.averageConceptCount();
    const params: unknown[] = [
      weightedConcepts.map((c) => c.concept),
      weightedConcepts.map((c) => c.idf),
      averageCount,
      limit,
    ];
    const where = filterSql(filter, params);
    const { rows } = await this.db.query<{ listing_id: number; score: number; shared: string[] }>(
      `SELECT l.id AS listing_id,
         (s.weight * 2.2 / (1 + 1.2 * (0.5 + 0.5 * cardinality(l.concepts) / $3::float8)))::float8 AS score,
         s.shared
       FROM listings l
       CROSS JOIN LATERAL (
         SELECT sum(q.idf) AS weight, array_agg(q.concept) AS shared
         FROM unnest($1::text[], $2::float8[]) AS q(concept, idf)
         WHERE q.concept = ANY(l.concepts)
       ) s
       WHERE l.concepts && $1::text[] AND ${where}
       ORDER BY score DESC, l.id
       LIMIT $4`,
      params,
    );
    return rows.map((row) => ({ listingId: row.listing_id, score: row.score, sharedConcepts: row.shared }));
  }

  /**
   * Nearest passages by cosine distance through the HNSW index. Filters are applied during the index scan
   * with pgvector's iterative scans (relaxed order, re-sorted here), so a selective filter still returns
   * `limit` rows instead of silently fewer.
   */
  async denseSearch(
    vector: number[],
    dimension: number,
    filter: ListingFilter,
    limit: number,
    options: { efSearch?: number; maxScanTuples?: number } = {},
  ): Promise<PassageHit[]> {
    const params: unknown[] = [vectorLiteral(vector), limit];
    const where = filterSql(filter, params);
    const efSearch = Math.max(options.efSearch ?? 100, limit);
    const maxScanTuples = options.maxScanTuples ?? 40_000;
    return this.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL hnsw.ef_search = ${Math.trunc(efSearch)}`);
      await tx.query("SET LOCAL hnsw.iterative_scan = 'relaxed_order'");
      await tx.query(`SET LOCAL hnsw.max_scan_tuples = ${Math.trunc(maxScanTuples)}`);
      const { rows } = await tx.query<{ listing_id: number; passage_id: number; distance: number }>(
        `WITH nearest AS MATERIALIZED (
           SELECT p.listing_id, p.id AS passage_id,
             (p.embedding::vector(${dimension}) <=> $1::vector(${dimension}))::float8 AS distance
           FROM passages p JOIN listings l ON l.id = p.listing_id
           WHERE p.embedding IS NOT NULL AND ${where}
           ORDER BY p.embedding::vector(${dimension}) <=> $1::vector(${dimension})
           LIMIT $2
         )
         SELECT * FROM nearest ORDER BY distance`,
        params,
      );
      return rows.map((row) => ({
        listingId: row.listing_id,
        passageId: row.passage_id,
        score: 1 - row.distance,
        matchedTerms: [],
      }));
    });
  }

  // ---- maintenance ---------------------------------------------------------------------------------

  /** Every listing's id and source fields, in batches, for reindexing. */
  async *allListingInputs(batchSize = 200): AsyncGenerator<Array<{ id: number; row: Record<string, unknown> }>> {
    let after = 0;
    for (;;) {
      const { rows } = await this.db.query<Record<string, unknown> & { id: number }>(
        `SELECT l.*, c.details AS confidential FROM listings l
         LEFT JOIN listing_confidential c ON c.listing_id = l.id
         WHERE l.id > $1 ORDER BY l.id LIMIT $2`,
        [after, batchSize],
      );
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.id;
      yield rows.map((row) => ({ id: row.id, row }));
    }
  }

  async counts(): Promise<Array<{ kind: ListingKind; status: string; language: Language; n: number }>> {
    const { rows } = await this.db.query<{ kind: ListingKind; status: string; language: Language; n: number }>(
      'SELECT kind, status, language, count(*)::int AS n FROM listings GROUP BY 1, 2, 3 ORDER BY 1, 2, 3',
    );
    return rows;
  }
}
