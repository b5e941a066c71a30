import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Glossary } from '../core/glossary/glossary.js';
import { prepareListing } from '../core/listings/prepare.js';
import { migrate } from '../core/store/migrate.js';
import { StoreModelMismatchError, type ListingStore } from '../core/store/listing-store.js';
import type { Db } from '../core/store/db.js';
import { listingInput } from './support/listings.js';
import { openTestStore, STORE_KINDS } from './support/stores.js';

const DIMENSION = 16;
const COUNTRIES = ['TH', 'VN', 'ID', 'MY', 'PH', 'KH', 'LA', 'MM', 'SG', 'BN'];

/** Deterministic pseudo-random unit vectors (a small LCG), so both stores see identical data. */
function vectors(count: number, seed: number): number[][] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648 - 0.5;
  };
  return Array.from({ length: count }, () => {
    const v = Array.from({ length: DIMENSION }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

describe.each(STORE_KINDS)('store on %s', (kind) => {
  let store: ListingStore;
  let db: Db;
  let cleanup: () => Promise<void>;
  const glossary = Glossary.shared();
  const data = vectors(2000, 42);

  beforeAll(async () => {
    ({ store, db, cleanup } = await openTestStore(kind));
    await store.assertModel({ provider: 'openai', model: 'test-model', dimension: DIMENSION });
    // 2,000 offers, one passage each; country VN holds 10% of them.
    const batch = [];
    const batchVectors = [];
    for (let i = 0; i < data.length; i++) {
      batch.push(
        prepareListing(
          listingInput({
            external_id: `v-${i}`,
            title: `Synthetic listing ${i}`,
            summary: `Synthetic listing number ${i} for vector index tests.`,
            country: COUNTRIES[i % 10],
            status: i % 50 === 49 ? 'pending' : 'published',
          }),
          glossary,
        ),
      );
      batchVectors.push([data[i]!]);
      if (batch.length === 250) {
        await store.upsertListings(batch.splice(0), batchVectors.splice(0));
      }
    }
    await store.upsertListings(batch, batchVectors);
  });

  afterAll(async () => cleanup?.());

  it('migrations are recorded and re-running them changes nothing', async () => {
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query<{ version: string }>('SELECT version::text FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toContain('1');
  });

  it('uses the HNSW index and keeps the full limit under a selective filter (iterative scan)', async () => {
    const query = data[7]!;
    const { rows: plan } = await db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      return tx.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM passages ORDER BY embedding::vector(${DIMENSION}) <=> $1::vector(${DIMENSION}) LIMIT 5`,
        [`[${query.join(',')}]`],
      );
    });
    expect(plan.map((row) => Object.values(row)[0]).join('\n')).toContain(`passages_embedding_hnsw_${DIMENSION}`);

    // ef_search 10 without iterative scans would return about 1 row for a 10% filter; we need all 40.
    const hits = await store.denseSearch(query, DIMENSION, { kinds: ['offer'], countries: ['VN'] }, 40, { efSearch: 10 });
    expect(hits).toHaveLength(40);
    const listings = await store.listingsByIds(hits.map((h) => h.listingId));
    for (const hit of hits) {
      expect(listings.get(hit.listingId)?.country).toBe('VN');
      expect(listings.get(hit.listingId)?.status).toBe('published');
    }
    // Sorted by similarity, best first.
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
  });

  it('finds the exact nearest neighbours for an unfiltered query', async () => {
    const query = data[123]!;
    const exact = data
      .map((v, i) => ({ i, sim: v.reduce((s, x, k) => s + x * query[k]!, 0) }))
      .filter(({ i }) => i % 50 !== 49)
      .sort((a, b) => b.sim - a.sim)
      .slice(0, 10)
      .map(({ i }) => `v-${i}`);
    const hits = await store.denseSearch(query, DIMENSION, {}, 10);
    const listings = await store.listingsByIds(hits.map((h) => h.listingId));
    const found = hits.map((h) => listings.get(h.listingId)!.externalId);
    const overlap = found.filter((id) => exact.includes(id)).length;
    expect(overlap).toBeGreaterThanOrEqual(9);
    expect(found[0]).toBe('v-123');
  });

  it('refuses a store built with another model and names jembatan reindex', async () => {
    await expect(store.assertModel({ provider: 'local', model: 'other', dimension: 384 })).rejects.toThrow(
      StoreModelMismatchError,
    );
    await expect(store.assertModel({ provider: 'none' })).rejects.toThrow(/jembatan reindex/);
    await expect(store.assertModel({ provider: 'openai', model: 'test-model', dimension: DIMENSION })).resolves.toBeUndefined();
  });

  it('lexical and concept search never return unpublished listings', async () => {
    const weighted = [{ term: 'synthetic', idf: 1 }];
    const hits = await store.lexicalSearch(weighted, ['synthetic'], {}, 5000);
    const listings = await store.listingsByIds(hits.map((h) => h.listingId));
    expect(listings.size).toBe(1960);
    for (const listing of listings.values()) expect(listing.status).toBe('published');
  });
});
