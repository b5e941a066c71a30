/**
 * Vector-index benchmark (`npm run bench:vectors`): pgvector's HNSW index (on embedded PGlite and on a
 * PostgreSQL server) against an in-process hnswlib-node index, on the same synthetic vectors.
 * It prints speed, recall and size figures; it is not a test.
 *
 * Data (seeded, identical for every backend): N synthetic 384-dimension unit vectors clustered around N/50
 * random topic directions, each with a `country` attribute cycling over ten values (a filter on one
 * country keeps 10 % of rows). Query vectors are near a topic (a perturbed copy of the topic of a random
 * stored vector). Ground truth is the exact top-10 by cosine, computed in JS, with and without the filter.
 *
 * Index parameters are the store's (core/store/vector-index.ts, listing-store.ts): m = 16,
 * ef_construction = 64, cosine distance; filtered pgvector searches use hnsw.iterative_scan =
 * relaxed_order and hnsw.max_scan_tuples = 40000 as ListingStore.denseSearch does.
 *
 * Environment (all optional):
 *   BENCH_SIZES=10000,100000          vector counts
 *   BENCH_QUERIES=50                  timed queries per figure (after BENCH_WARMUP=5 other warm-up queries)
 *   BENCH_BACKENDS=pglite,postgres,hnswlib
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres   server for the postgres backend; a
 *                                     throwaway database jembatan_bench_vec is created and dropped on it
 *   BENCH_INSERT_BATCH=1000           rows per INSERT statement
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import hnswlib from 'hnswlib-node';
import type { Db, Queryable } from '../core/store/db.js';
import { fmt, note, out, started, int, intEnv, mb, mean, mulberry32, percentile, Random, randomUnitInto } from './bench-support.js';

// ---- configuration -----------------------------------------------------------------------------------------


const SIZES = (process.env.BENCH_SIZES ?? '10000,100000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b);
const QUERY_COUNT = Math.max(1, intEnv('BENCH_QUERIES', 50));
const WARMUP = intEnv('BENCH_WARMUP', 5);
const INSERT_BATCH = Math.max(1, intEnv('BENCH_INSERT_BATCH', 1000));
const BACKEND_NAMES = ['pglite', 'postgres', 'hnswlib'] as const;
type BackendName = (typeof BACKEND_NAMES)[number];
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres,hnswlib')
  .split(',')
  .map((s) => s.trim().toLowerCase())
  .filter((s): s is BackendName => (BACKEND_NAMES as readonly string[]).includes(s));
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DATABASE = 'jembatan_bench_vec';

const DIMENSION = 384;
const K = 10;
const M = 16;
const EF_CONSTRUCTION = 64;
/** As ListingStore.denseSearch. */
const MAX_SCAN_TUPLES = 40_000;
/** As scripts/bench.ts buildVectorIndex: room to build the graph in memory. */
const MAINTENANCE_WORK_MEM = '512MB';
const COUNTRIES = ['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'VN'] as const;
/** Noise norm around a topic direction, for stored and query vectors alike. */
const NOISE = 0.8;

interface Setting {
  filtered: boolean;
  ef: number;
}
const SETTINGS: Setting[] = [
  { filtered: false, ef: 40 },
  { filtered: false, ef: 100 },
  { filtered: true, ef: 100 },
  { filtered: true, ef: 300 },
];

// Explicit garbage collection, so RSS deltas measure the index and not garbage awaiting collection.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

// ---- deterministic randomness -----------------------------------------------------------------------------

// ---- data set ----------------------------------------------------------------------------------------------

interface Query {
  vector: Float32Array;
  /** The same values as a JS array (hnswlib) and as a pgvector literal (SQL), made before timing. */
  array: number[];
  literal: string;
  country: string;
}

interface Dataset {
  n: number;
  topics: number;
  /** n × DIMENSION, row i = vector of id i (float32, exactly what pgvector and hnswlib store). */
  vectors: Float32Array;
  /** Country index (into COUNTRIES) of id i: i % 10. */
  country: Uint8Array;
  warmup: Query[];
  queries: Query[];
  truthAll: number[][];
  truthFiltered: number[][];
}

/** Nine significant digits print short and parse back to exactly the same float4. */
function literalOf(vector: Float32Array): string {
  let s = '[';
  for (let i = 0; i < vector.length; i++) s += (i ? ',' : '') + Number(vector[i]!.toPrecision(9));
  return `${s}]`;
}

function exactTop(ds: Dataset, query: Float32Array, k: number, country: number | undefined): number[] {
  const best: Array<{ id: number; sim: number }> = [];
  const { vectors, n } = ds;
  for (let id = 0; id < n; id++) {
    if (country !== undefined && ds.country[id] !== country) continue;
    const offset = id * DIMENSION;
    let sim = 0;
    for (let i = 0; i < DIMENSION; i++) sim += vectors[offset + i]! * query[i]!;
    if (best.length < k || sim > best[best.length - 1]!.sim) {
      best.push({ id, sim });
      best.sort((a, b) => b.sim - a.sim);
      if (best.length > k) best.pop();
    }
  }
  return best.map((entry) => entry.id);
}

interface Vectors {
  n: number;
  topics: number;
  centres: Float32Array[];
  topicOf: Uint32Array;
  vectors: Float32Array;
  country: Uint8Array;
}

function makeVectors(n: number): Vectors {
  const topics = Math.max(1, Math.round(n / 50));
  const random = new Random(mulberry32(0x7ec0_0001 + n));
  const centres = Array.from({ length: topics }, () => {
    const centre = new Float32Array(DIMENSION);
    randomUnitInto(centre, random, undefined, 0);
    return centre;
  });
  const vectors = new Float32Array(n * DIMENSION);
  const topicOf = new Uint32Array(n);
  const country = new Uint8Array(n);
  for (let id = 0; id < n; id++) {
    const topic = random.int(topics);
    topicOf[id] = topic;
    country[id] = id % COUNTRIES.length;
    randomUnitInto(vectors.subarray(id * DIMENSION, (id + 1) * DIMENSION), random, centres[topic], NOISE);
  }
  return { n, topics, centres, topicOf, vectors, country };
}

function makeDataset(n: number): Dataset {
  const { topics, centres, topicOf, vectors, country } = makeVectors(n);
  const queryRandom = new Random(mulberry32(0x7ec0_0002 + n));
  const makeQuery = (): Query => {
    const vector = new Float32Array(DIMENSION);
    randomUnitInto(vector, queryRandom, centres[topicOf[queryRandom.int(n)]!], NOISE);
    return { vector, array: Array.from(vector), literal: literalOf(vector), country: COUNTRIES[queryRandom.int(COUNTRIES.length)]! };
  };
  const warmup = Array.from({ length: WARMUP }, makeQuery);
  const queries = Array.from({ length: QUERY_COUNT }, makeQuery);
  const ds: Dataset = { n, topics, vectors, country, warmup, queries, truthAll: [], truthFiltered: [] };
  const t0 = performance.now();
  ds.truthAll = queries.map((q) => exactTop(ds, q.vector, K, undefined));
  ds.truthFiltered = queries.map((q) => exactTop(ds, q.vector, K, COUNTRIES.indexOf(q.country as (typeof COUNTRIES)[number])));
  note(`  exact top-${K} for ${queries.length} queries × 2 in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return ds;
}

// ---- measurement -------------------------------------------------------------------------------------------

interface SearchResultRow {
  n: number;
  backend: BackendName;
  setting: Setting;
  recall: number;
  p50: number;
  p95: number;
  meanRows: number;
  note?: string;
}

interface BuildRow {
  n: number;
  backend: BackendName;
  insertSeconds: number;
  buildSeconds: number;
  tableBytes: number;
  indexBytes: number;
  totalBytes: number;
  rssDeltaBytes: number;
  fileBytes: number;
  loadSeconds: number;
  note?: string;
}

type SearchFn = (query: Query) => Promise<number[]> | number[];

async function measure(ds: Dataset, backend: BackendName, setting: Setting, search: SearchFn, note_?: string): Promise<SearchResultRow> {
  for (const query of ds.warmup) await search(query);
  const ms: number[] = [];
  let hits = 0;
  let total = 0;
  let rows = 0;
  for (let i = 0; i < ds.queries.length; i++) {
    const query = ds.queries[i]!;
    const t0 = performance.now();
    const ids = await search(query);
    ms.push(performance.now() - t0);
    const truth = new Set((setting.filtered ? ds.truthFiltered : ds.truthAll)[i]!);
    hits += ids.filter((id) => truth.has(id)).length;
    total += truth.size;
    rows += ids.length;
  }
  const row: SearchResultRow = {
    n: ds.n,
    backend,
    setting,
    recall: hits / Math.max(1, total),
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    meanRows: rows / ds.queries.length,
    note: note_,
  };
  note(
    `  ${backend} ${setting.filtered ? 'filtered' : 'unfiltered'} ef ${setting.ef}: recall ${row.recall.toFixed(3)}, ` +
      `p50 ${fmt(row.p50, 2)} ms, p95 ${fmt(row.p95, 2)} ms`,
  );
  return row;
}

// ---- pgvector (PGlite or PostgreSQL) -----------------------------------------------------------------------

async function loadAndIndex(session: Queryable, ds: Dataset, backend: BackendName): Promise<Omit<BuildRow, 'n' | 'backend'>> {
  await session.query('CREATE EXTENSION IF NOT EXISTS vector');
  await session.query('DROP TABLE IF EXISTS bench_vectors');
  await session.query(`CREATE TABLE bench_vectors (id int PRIMARY KEY, country text NOT NULL, embedding vector(${DIMENSION}) NOT NULL)`);
  let t0 = performance.now();
  for (let start = 0; start < ds.n; start += INSERT_BATCH) {
    const end = Math.min(ds.n, start + INSERT_BATCH);
    const ids: number[] = [];
    const countries: string[] = [];
    const literals: string[] = [];
    for (let id = start; id < end; id++) {
      ids.push(id);
      countries.push(COUNTRIES[ds.country[id]!]!);
      literals.push(literalOf(ds.vectors.subarray(id * DIMENSION, (id + 1) * DIMENSION)));
    }
    await session.query(
      `INSERT INTO bench_vectors (id, country, embedding)
       SELECT a.id, a.country, a.embedding::vector(${DIMENSION})
       FROM unnest($1::int[], $2::text[], $3::text[]) AS a(id, country, embedding)`,
      [ids, countries, literals],
    );
    if (end % (INSERT_BATCH * 20) === 0 || end === ds.n) note(`  ${backend}: inserted ${int(end)}/${int(ds.n)}`);
  }
  const insertSeconds = (performance.now() - t0) / 1000;
  await session.query('ANALYZE bench_vectors');
  await session.query(`SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
  note(`  ${backend}: building HNSW index (m=${M}, ef_construction=${EF_CONSTRUCTION}) over ${int(ds.n)} vectors`);
  t0 = performance.now();
  await session.query(
    `CREATE INDEX bench_vectors_embedding_hnsw ON bench_vectors
     USING hnsw (embedding vector_cosine_ops) WITH (m = ${M}, ef_construction = ${EF_CONSTRUCTION})`,
  );
  const buildSeconds = (performance.now() - t0) / 1000;
  note(`  ${backend}: index built in ${buildSeconds.toFixed(1)} s`);
  await session.query('RESET maintenance_work_mem');
  const { rows } = await session.query<{ table_bytes: string; index_bytes: string; total_bytes: string }>(
    `SELECT pg_table_size('bench_vectors')::text AS table_bytes,
            pg_relation_size('bench_vectors_embedding_hnsw')::text AS index_bytes,
            pg_total_relation_size('bench_vectors')::text AS total_bytes`,
  );
  const sizes = rows[0]!;
  return {
    insertSeconds,
    buildSeconds,
    tableBytes: Number(sizes.table_bytes),
    indexBytes: Number(sizes.index_bytes),
    totalBytes: Number(sizes.total_bytes),
    rssDeltaBytes: Number.NaN,
    fileBytes: Number.NaN,
    loadSeconds: Number.NaN,
  };
}

const UNFILTERED_SQL = 'SELECT id FROM bench_vectors ORDER BY embedding <=> $1::vector LIMIT 10';
const FILTERED_SQL = 'SELECT id FROM bench_vectors WHERE country = $2 ORDER BY embedding <=> $1::vector LIMIT 10';

/** Checks the planner uses the HNSW index for the query shape (it is the thing measured). */
async function planUsesIndex(session: Queryable, ds: Dataset, filtered: boolean): Promise<boolean> {
  const query = ds.queries[0]!;
  const { rows } = await session.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN ${filtered ? FILTERED_SQL : UNFILTERED_SQL}`,
    filtered ? [query.literal, query.country] : [query.literal],
  );
  const plan = rows.map((row) => Object.values(row).join(' ')).join('\n');
  return plan.includes('bench_vectors_embedding_hnsw');
}

async function runPgvector(session: Queryable, ds: Dataset, backend: BackendName): Promise<{ build: BuildRow; results: SearchResultRow[] }> {
  const build = { n: ds.n, backend, ...(await loadAndIndex(session, ds, backend)) };
  const results: SearchResultRow[] = [];
  for (const setting of SETTINGS) {
    await session.query(`SET hnsw.ef_search = ${setting.ef}`);
    await session.query(`SET hnsw.iterative_scan = ${setting.filtered ? 'relaxed_order' : 'off'}`);
    await session.query(`SET hnsw.max_scan_tuples = ${MAX_SCAN_TUPLES}`);
    const search: SearchFn = setting.filtered
      ? async (q) => (await session.query<{ id: number }>(FILTERED_SQL, [q.literal, q.country])).rows.map((r) => r.id)
      : async (q) => (await session.query<{ id: number }>(UNFILTERED_SQL, [q.literal])).rows.map((r) => r.id);
    if (await planUsesIndex(session, ds, setting.filtered)) {
      results.push(await measure(ds, backend, setting, search));
      continue;
    }
    // pgvector's cost estimate grows with ef_search: on a small table the planner may prefer an exact
    // sequential scan. Measure that (it is what a query would get), then the index itself.
    note(`  ${backend}: the planner chose no HNSW index for ${setting.filtered ? 'filtered' : 'unfiltered'} ef ${setting.ef}; measuring that, then with enable_seqscan = off`);
    results.push(await measure(ds, backend, setting, search, "planner's choice: exact scan, no index"));
    await session.query('SET enable_seqscan = off');
    const forced = await planUsesIndex(session, ds, setting.filtered);
    results.push(await measure(ds, backend, setting, search, forced ? 'index forced (enable_seqscan = off)' : 'enable_seqscan = off, still no HNSW index'));
    await session.query('RESET enable_seqscan');
  }
  return { build, results };
}

async function extensionVersion(session: Queryable): Promise<string> {
  const { rows } = await session.query<{ v: string }>("SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'");
  return rows[0]?.v ?? '?';
}

async function runPglite(ds: Dataset, versions: Map<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'jembatan-bench-vec-'));
  let db: Db | undefined;
  try {
    const { openDb } = await import('../core/store/db.js');
    db = await openDb({ kind: 'pglite', dataDir: dir });
    const opened = db;
    return await opened.withSession(async (session) => {
      const result = await runPgvector(session, ds, 'pglite');
      versions.set('pglite', await extensionVersion(session));
      return result;
    });
  } finally {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function adminQuery(sql: string): Promise<void> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

async function runPostgres(ds: Dataset, versions: Map<string, string>, serverInfo: Map<string, string>) {
  await adminQuery(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${BENCH_DATABASE}`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${BENCH_DATABASE}`;
  let db: Db | undefined;
  try {
    const { openDb } = await import('../core/store/db.js');
    db = await openDb({ kind: 'postgres', url: url.toString() });
    const opened = db;
    return await opened.withSession(async (session) => {
      const result = await runPgvector(session, ds, 'postgres');
      versions.set('postgres', await extensionVersion(session));
      const { rows } = await session.query<{ v: string; sb: string; workers: string }>(
        `SELECT split_part(version(), ' ', 2) AS v, current_setting('shared_buffers') AS sb,
                current_setting('max_parallel_maintenance_workers') AS workers`,
      );
      const info = rows[0]!;
      serverInfo.set('version', info.v);
      serverInfo.set('shared_buffers', info.sb);
      serverInfo.set('max_parallel_maintenance_workers', info.workers);
      return result;
    });
  } finally {
    await db?.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
  }
}

// ---- hnswlib-node ------------------------------------------------------------------------------------------

function buildHnswlib(vectors: Float32Array, n: number, progress: boolean): { index: hnswlib.HierarchicalNSW; seconds: number } {
  const index = new hnswlib.HierarchicalNSW('cosine', DIMENSION);
  const t0 = performance.now();
  index.initIndex(n, M, EF_CONSTRUCTION);
  for (let id = 0; id < n; id++) {
    index.addPoint(Array.from(vectors.subarray(id * DIMENSION, (id + 1) * DIMENSION)), id);
    if (progress && (id + 1) % 20_000 === 0) note(`  hnswlib: added ${int(id + 1)}/${int(n)}`);
  }
  return { index, seconds: (performance.now() - t0) / 1000 };
}

const RSS_CHILD_ENV = 'BENCH_VECTORS_RSS_CHILD';

async function settleMemory(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Child-process mode: resident memory the hnswlib index adds to a fresh process that holds only the
 * vectors (the parent process has held PGlite's WebAssembly heap and freed memory, which skews RSS).
 * The database modules are imported lazily so that this process does not load (and later let V8
 * discard) their code, which would also skew the figure.
 */
async function rssChild(n: number): Promise<void> {
  const { vectors } = makeVectors(n);
  await settleMemory();
  const before = process.memoryUsage().rss;
  const { index } = buildHnswlib(vectors, n, false);
  await settleMemory();
  const after = process.memoryUsage().rss;
  // Both stay referenced past the measurement: the garbage collector would otherwise free the vectors or
  // the index itself (its native memory is released when the JS object is collected).
  process.stdout.write(`${JSON.stringify({ rssDeltaBytes: after - before, count: index.getCurrentCount(), first: vectors[0] })}\n`);
}

function measureRssInChild(n: number): number {
  const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, [RSS_CHILD_ENV]: String(n) },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  const line = output.trim().split('\n').pop() ?? '';
  return (JSON.parse(line) as { rssDeltaBytes: number }).rssDeltaBytes;
}

async function runHnswlib(ds: Dataset): Promise<{ build: BuildRow; results: SearchResultRow[] }> {
  note(`  hnswlib: building index (m=${M}, ef_construction=${EF_CONSTRUCTION}) over ${int(ds.n)} vectors`);
  const { index, seconds: buildSeconds } = buildHnswlib(ds.vectors, ds.n, true);
  note(`  hnswlib: index built in ${buildSeconds.toFixed(1)} s; measuring its resident memory in a fresh process (builds it again)`);
  const rssDeltaBytes = measureRssInChild(ds.n);
  note(`  hnswlib: RSS +${mb(rssDeltaBytes)} MB`);

  const dir = mkdtempSync(join(tmpdir(), 'jembatan-bench-hnswlib-'));
  let fileBytes = Number.NaN;
  let loadSeconds = Number.NaN;
  try {
    const file = join(dir, 'index.bin');
    await index.writeIndex(file);
    fileBytes = statSync(file).size;
    const t1 = performance.now();
    const loaded = new hnswlib.HierarchicalNSW('cosine', DIMENSION);
    await loaded.readIndex(file);
    loadSeconds = (performance.now() - t1) / 1000;
    if (loaded.getCurrentCount() !== ds.n) throw new Error('hnswlib index read back with a different count');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const results: SearchResultRow[] = [];
  for (const setting of SETTINGS) {
    index.setEf(setting.ef);
    const search: SearchFn = setting.filtered
      ? (q) => {
          const wanted = COUNTRIES.indexOf(q.country as (typeof COUNTRIES)[number]);
          return index.searchKnn(q.array, K, (label) => ds.country[label] === wanted).neighbors;
        }
      : (q) => index.searchKnn(q.array, K).neighbors;
    results.push(await measure(ds, 'hnswlib', setting, search));
  }
  return {
    build: {
      n: ds.n,
      backend: 'hnswlib',
      insertSeconds: Number.NaN,
      buildSeconds,
      tableBytes: Number.NaN,
      indexBytes: Number.NaN,
      totalBytes: Number.NaN,
      rssDeltaBytes,
      fileBytes,
      loadSeconds,
    },
    results,
  };
}

// ---- output ------------------------------------------------------------------------------------------------

const BACKEND_LABEL: Record<BackendName, string> = {
  pglite: 'pgvector on PGlite',
  postgres: 'pgvector on PostgreSQL',
  hnswlib: 'hnswlib-node (in process)',
};

function searchLabel(backend: BackendName, setting: Setting): string {
  if (!setting.filtered) return 'unfiltered';
  return backend === 'hnswlib' ? 'country = X, filter callback' : 'country = X, iterative relaxed_order';
}

function printSize(n: number, topics: number, results: SearchResultRow[]): void {
  out(`### ${int(n)} vectors (${int(topics)} topics, 384-d, filter keeps 10 %)`);
  out();
  out('| backend | search | ef_search | recall@10 | p50 ms | p95 ms | rows returned (mean) |');
  out('|---|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    out(
      `| ${BACKEND_LABEL[r.backend]} | ${searchLabel(r.backend, r.setting)}${r.note ? `; ${r.note}` : ''} | ${r.setting.ef} | ` +
        `${r.recall.toFixed(3)} | ${fmt(r.p50, 2)} | ${fmt(r.p95, 2)} | ${fmt(r.meanRows, 1)} |`,
    );
  }
  out();
}

function printBuilds(builds: BuildRow[]): void {
  out('### Build and size');
  out();
  out('| vectors | backend | insert s | index build s | table MB | index MB | table+index MB | RSS delta MB (fresh process) | index file MB | load from file s |');
  out('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const dash = (value: string) => (value === 'n/a' ? '–' : value);
  for (const b of builds) {
    out(
      `| ${int(b.n)} | ${BACKEND_LABEL[b.backend]} | ${dash(fmt(b.insertSeconds))} | ${fmt(b.buildSeconds)} | ` +
        `${dash(mb(b.tableBytes))} | ${dash(mb(b.indexBytes))} | ${dash(mb(b.totalBytes))} | ${dash(mb(b.rssDeltaBytes))} | ` +
        `${dash(mb(b.fileBytes))} | ${dash(fmt(b.loadSeconds, 2))} |`,
    );
  }
  out();
}

// ---- main --------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (BACKENDS.length === 0) throw new Error('BENCH_BACKENDS names no known backend (pglite, postgres, hnswlib)');
  note(`sizes ${SIZES.join(', ')}; ${QUERY_COUNT} timed queries (+${WARMUP} warm-up); backends ${BACKENDS.join(', ')}`);
  const versions = new Map<string, string>();
  const serverInfo = new Map<string, string>();
  const builds: BuildRow[] = [];
  const bySize: Array<{ n: number; topics: number; results: SearchResultRow[] }> = [];
  for (const n of SIZES) {
    note(`${int(n)} vectors: generating`);
    const ds = makeDataset(n);
    const results: SearchResultRow[] = [];
    for (const backend of BACKENDS) {
      const t0 = performance.now();
      note(`${int(n)} vectors: ${BACKEND_LABEL[backend]}`);
      const run =
        backend === 'pglite' ? await runPglite(ds, versions) : backend === 'postgres' ? await runPostgres(ds, versions, serverInfo) : await runHnswlib(ds);
      builds.push(run.build);
      results.push(...run.results);
      note(`${int(n)} vectors: ${BACKEND_LABEL[backend]} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    bySize.push({ n, topics: ds.topics, results });
  }

  out(`## Vector index benchmark: pgvector HNSW versus hnswlib-node`);
  out();
  out(
    `Node ${process.version}; ${QUERY_COUNT} timed queries per figure after ${WARMUP} warm-up queries; ` +
      `HNSW m=${M}, ef_construction=${EF_CONSTRUCTION}, cosine; k=${K}.`,
  );
  const parts: string[] = [];
  if (versions.has('pglite')) parts.push(`PGlite pgvector ${versions.get('pglite')}`);
  if (versions.has('postgres')) {
    parts.push(
      `PostgreSQL ${serverInfo.get('version')} pgvector ${versions.get('postgres')} (shared_buffers ${serverInfo.get('shared_buffers')}, ` +
        `max_parallel_maintenance_workers ${serverInfo.get('max_parallel_maintenance_workers')})`,
    );
  }
  if (parts.length > 0) out(`${parts.join('; ')}; index builds with maintenance_work_mem ${MAINTENANCE_WORK_MEM}.`);
  out();
  for (const size of bySize) printSize(size.n, size.topics, size.results);
  printBuilds(builds);
  out(`Total ${((performance.now() - started) / 60_000).toFixed(1)} min; load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}.`);
}

const rssChildSize = process.env[RSS_CHILD_ENV];
(rssChildSize ? rssChild(Number(rssChildSize)) : main()).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
