/**
 * The local embedding provider (transformers.js, in-process ONNX) with the random-weight stand-in model
 * ../shared/models/tiny-random-bert: loading, pooling, normalisation, batching, e5 prefixes, and the
 * store's bookkeeping of which model its vectors come from. Random weights: these tests check mechanics
 * (shapes, identity of inputs, alignment), never matching quality.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from './support/shared.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEncoder } from '../core/embeddings/local.js';
import type { DenseEncoder, EmbeddingModelId } from '../core/embeddings/provider.js';
import { Glossary } from '../core/glossary/glossary.js';
import { reindex } from '../core/listings/reindex.js';
import { Matcher } from '../core/retrieval/match.js';
import { StoreModelMismatchError, type ListingStore } from '../core/store/listing-store.js';
import { ingest } from '../ingest/ingest.js';
import { PRESETS } from '../ingest/presets/index.js';
import { openTestStore } from './support/stores.js';

/** ../shared/models from the project root (shared files are read in place, never copied). */
const MODELS = `${sharedPath('models')}/`;
const TINY = 'tiny-random-bert';
const TINY_DIR = join(MODELS, TINY);
const DIMENSION = 32;

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'jembatan-local-emb-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** A models folder in the scratch dir where `name` is a symlink to the tiny model (no copy). */
function modelFolderWith(folder: string, name: string): string {
  const dir = join(scratch, folder);
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  symlinkSync(TINY_DIR, join(dir, name), 'dir');
  return dir;
}

function tiny(batchSize = 8): DenseEncoder {
  return localEncoder({ model: TINY, modelDir: MODELS, batchSize });
}

const norm = (v: number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));

const TEXTS = [
  'Solar powered water purifier for remote villages',
  'Dissolved oxygen sensor with automatic aerator control for shrimp ponds',
  'Máy sấy lúa dùng nhiệt từ lò đốt trấu',
  'เครื่องกรองน้ำดื่มพลังงานแสงอาทิตย์สำหรับชุมชนห่างไกล',
  'ប្រព័ន្ធចម្រោះទឹកដោយថាមពលព្រះអាទិត្យ',
  'Alat pengering kopi tenaga surya untuk petani kecil',
  'flood',
  // Longer than the tiny model's 128 positions: must be truncated, not fail.
  'Early warning system for river floods with low-cost water level sensors and SMS alerts. '.repeat(12),
  'Recycled lithium battery packs for electric motorbikes',
  'Drone seeding for mangrove restoration along eroding coasts',
  'Rice husk gasifier stove for village kitchens',
];

describe('local provider: loading', () => {
  it('loads a model once per process: a second encoder for the same model shares the loaded pipeline', async () => {
    const dir = modelFolderWith('shared-pipeline', TINY);
    const first = localEncoder({ model: TINY, modelDir: dir, batchSize: 4 });
    const expected = await first.embeddings.embedQuery('shared pipeline');

    // Take the model files away: a second encoder can only answer if it reuses the loaded pipeline.
    unlinkSync(join(dir, TINY));
    const second = localEncoder({ model: TINY, modelDir: dir, batchSize: 4 });
    expect(await second.embeddings.embedQuery('shared pipeline')).toEqual(expected);
    expect(await second.dimension()).toBe(DIMENSION);

    // The same model name in another folder is another pipeline: with no files there it fails...
    const emptyDir = join(scratch, 'not-yet-there');
    mkdirSync(emptyDir, { recursive: true });
    const missing = localEncoder({ model: TINY, modelDir: emptyDir, batchSize: 4 });
    await expect(missing.embeddings.embedQuery('x')).rejects.toThrow();
    // ...and a failed load is not cached: once the files exist, the next encoder loads them.
    symlinkSync(TINY_DIR, join(emptyDir, TINY), 'dir');
    const retried = localEncoder({ model: TINY, modelDir: emptyDir, batchSize: 4 });
    expect(await retried.embeddings.embedQuery('shared pipeline')).toEqual(expected);
  });

  it('reports the model and provider, and resolves the dimension (32) once', async () => {
    const encoder = tiny();
    expect(encoder.provider).toBe('local');
    expect(encoder.model).toBe(TINY);
    expect(await encoder.dimension()).toBe(DIMENSION);
    expect(await encoder.dimension()).toBe(DIMENSION);
  });
});

describe('local provider: vectors', () => {
  it('returns L2-normalised plain number vectors of the model dimension, one per text, in order', async () => {
    const encoder = tiny();
    const vectors = await encoder.embeddings.embedDocuments(TEXTS);
    expect(vectors).toHaveLength(TEXTS.length);
    for (const vector of vectors) {
      expect(Array.isArray(vector)).toBe(true);
      expect(vector).toHaveLength(DIMENSION);
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    const query = await encoder.embeddings.embedQuery('solar water purifier');
    expect(query).toHaveLength(DIMENSION);
    expect(norm(query)).toBeCloseTo(1, 5);
    // Different texts give different vectors (the model is random, not constant).
    expect(maxAbsDiff(vectors[0]!, vectors[1]!)).toBeGreaterThan(1e-3);
  });

  it('gives the same vectors in batches as one by one, for more texts than batchSize', async () => {
    const batched = await tiny(4).embeddings.embedDocuments(TEXTS); // 11 texts: batches of 4, 4, 3
    const single = tiny(1);
    const oneByOne: number[][] = [];
    for (const text of TEXTS) oneByOne.push((await single.embeddings.embedDocuments([text]))[0]!);
    for (const [i, vector] of batched.entries()) {
      // int8 dynamic quantisation sees padded batches, so values differ slightly (measured < 1e-3).
      expect(maxAbsDiff(vector, oneByOne[i]!)).toBeLessThan(5e-3);
      expect(dot(vector, oneByOne[i]!)).toBeGreaterThan(0.999);
      // And each batched vector is nearest to its own text's vector: nothing is shifted between batches.
      const nearest = oneByOne.map((other, j) => ({ j, sim: dot(vector, other) })).sort((a, b) => b.sim - a.sim)[0]!;
      expect(nearest.j).toBe(i);
    }
  });

  it('embeds an empty list as an empty list without loading anything new', async () => {
    expect(await tiny().embeddings.embedDocuments([])).toEqual([]);
  });
});

describe('local provider: e5 prefixes', () => {
  const text = 'low oxygen in shrimp ponds at night';

  it('prefixes "query: " and "passage: " for e5 model names (hub-style and folder-style)', async () => {
    const plain = tiny();
    const expectedQuery = await plain.embeddings.embedQuery(`query: ${text}`);
    const expectedPassage = (await plain.embeddings.embedDocuments([`passage: ${text}`]))[0]!;
    // Same weights under e5 names (symlinks to the tiny model), so only the prefixes can differ.
    for (const name of ['intfloat/multilingual-e5-small', 'e5-small-arch-random']) {
      const dir = modelFolderWith(`e5-${name.replace(/\W/g, '_')}`, name);
      const e5 = localEncoder({ model: name, modelDir: dir, batchSize: 8 });
      const query = await e5.embeddings.embedQuery(text);
      const passage = (await e5.embeddings.embedDocuments([text]))[0]!;
      expect(maxAbsDiff(query, expectedQuery)).toBeLessThan(1e-6);
      expect(maxAbsDiff(passage, expectedPassage)).toBeLessThan(1e-6);
      expect(maxAbsDiff(query, passage)).toBeGreaterThan(1e-4);
    }
  });

  it('adds no prefix for other models: a query and a one-text document are the same vector', async () => {
    const plain = tiny();
    const query = await plain.embeddings.embedQuery(text);
    const passage = (await plain.embeddings.embedDocuments([text]))[0]!;
    expect(maxAbsDiff(query, passage)).toBeLessThan(1e-6);
    expect(maxAbsDiff(query, await plain.embeddings.embedQuery(`query: ${text}`))).toBeGreaterThan(1e-4);
  });
});

describe('local provider: ingest, dense search and model bookkeeping (PGlite)', () => {
  const LISTINGS = [
    {
      external_id: 'loc-1',
      title: 'Solar powered water purifier for villages',
      summary: 'A low-cost purification unit that runs on solar energy and removes bacteria from river water.',
      country: 'TH',
      sectors: 'environment|energy',
    },
    {
      external_id: 'loc-2',
      title: 'Dissolved oxygen buoy for shrimp ponds',
      summary: 'A floating buoy measures dissolved oxygen every five minutes and switches paddle-wheel aerators automatically.',
      country: 'VN',
      sectors: 'agrifood|electronics',
    },
    {
      external_id: 'loc-3',
      title: 'Rice husk fired paddy dryer',
      summary: 'A tower dryer heated by a rice husk furnace that lowers the share of broken rice at milling.',
      country: 'ID',
      sectors: 'agrifood|manufacturing',
    },
    {
      external_id: 'loc-4',
      title: 'River flood early warning with water level sensors',
      summary: 'Low-cost ultrasonic water level sensors send readings over LoRa and residents receive SMS alerts before floods.',
      country: 'PH',
      sectors: 'environment|ict',
    },
  ];
  const active: EmbeddingModelId = { provider: 'local', model: TINY, dimension: DIMENSION };
  let store: ListingStore;
  let cleanup: () => Promise<void>;
  let encoder: DenseEncoder;
  const glossary = Glossary.shared();

  beforeAll(async () => {
    ({ store, cleanup } = await openTestStore('pglite'));
    encoder = tiny(3);
    const file = join(scratch, 'listings.jsonl');
    writeFileSync(
      file,
      LISTINGS.map((l) => JSON.stringify({ ...l, source: 'local-test', kind: 'offer', language: 'en', status: 'published' })).join('\n') + '\n',
    );
    // As the CLI does before any command: the empty store records the active model.
    await store.assertModel(active);
    const summary = await ingest(file, store, glossary, encoder, { preset: PRESETS.generic!, batchSize: 2 });
    expect(summary.rejected).toEqual([]);
    expect(summary.added).toBe(LISTINGS.length);
  });

  afterAll(async () => {
    await cleanup?.();
  });

  it('stores a 32-dimension vector for every passage, aligned with its passage text', async () => {
    const { rows } = await store.db.query<{ title: string; text: string; dims: number | null; embedding: string | null }>(
      `SELECT l.title, p.text, vector_dims(p.embedding) AS dims, p.embedding::text AS embedding
       FROM passages p JOIN listings l ON l.id = p.listing_id ORDER BY p.id`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(LISTINGS.length);
    for (const row of rows) {
      expect(row.dims).toBe(DIMENSION);
      const stored = JSON.parse(row.embedding!) as number[];
      const [fresh] = await encoder.embeddings.embedDocuments([`${row.title}. ${row.text}`]);
      expect(dot(stored, fresh!)).toBeGreaterThan(0.999);
    }
  });

  it('records the model in the store and builds the HNSW index for its dimension', async () => {
    expect(await store.embeddingModel()).toEqual(active);
    await expect(store.assertModel(active)).resolves.toBeUndefined();
    const { rows } = await store.db.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'passages' AND indexname LIKE 'passages_embedding_hnsw_%'",
    );
    expect(rows.map((r) => r.indexname)).toEqual([`passages_embedding_hnsw_${DIMENSION}`]);
  });

  it('finds listings in dense mode; the exact text of a passage comes back first', async () => {
    const matcher = new Matcher(store, glossary, encoder);
    const target = LISTINGS[1]!;
    const response = await matcher.match(`${target.title}. ${target.summary}`, { mode: 'dense', limit: 3 });
    expect(response.signals).toEqual(['dense']);
    expect(response.results.length).toBeGreaterThan(0);
    expect(response.results[0]!.listing.externalId).toBe(target.external_id);
    // Filters apply to the dense search too.
    const filtered = await matcher.match('water', { mode: 'dense', countries: ['PH'] });
    expect(filtered.results.map((r) => r.listing.externalId)).toEqual(['loc-4']);
  });

  it('refuses another model with an error that names `jembatan reindex`; reindex with provider none clears it', async () => {
    const other: EmbeddingModelId = { provider: 'local', model: 'Xenova/multilingual-e5-small', dimension: 384 };
    const error = await store.assertModel(other).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreModelMismatchError);
    expect((error as Error).message).toContain('`jembatan reindex`');
    expect((error as Error).message).toContain(TINY);
    await expect(store.assertModel({ provider: 'local', model: TINY, dimension: 64 })).rejects.toBeInstanceOf(StoreModelMismatchError);
    await expect(store.assertModel({ provider: 'none' })).rejects.toBeInstanceOf(StoreModelMismatchError);

    const summary = await reindex(store, glossary, undefined);
    expect(summary.listings).toBe(LISTINGS.length);
    expect(summary.model).toEqual({ provider: 'none' });
    expect(await store.embeddingModel()).toEqual({ provider: 'none' });
    await expect(store.assertModel({ provider: 'none' })).resolves.toBeUndefined();

    const { rows } = await store.db.query<{ n: number; vectors: number }>(
      'SELECT count(*)::int AS n, count(embedding)::int AS vectors FROM passages',
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(LISTINGS.length);
    expect(rows[0]!.vectors).toBe(0);
    const indexes = await store.db.query(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'passages' AND indexname LIKE 'passages_embedding_hnsw_%'",
    );
    expect(indexes.rows).toEqual([]);
    // Lexical search still works on the reindexed store, and the old model is now the mismatch.
    const lexical = await new Matcher(store, glossary, undefined).match('shrimp ponds oxygen', { limit: 3 });
    expect(lexical.results[0]!.listing.externalId).toBe('loc-2');
    await expect(store.assertModel(active)).rejects.toBeInstanceOf(StoreModelMismatchError);
  });
});
