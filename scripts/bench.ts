/**
 * Jembatan benchmark (`npm run bench`): prints speed figures, it is not a test.
 *
 *  (a) raw model throughput: the e5-shaped local model embedding passages of NASA abstracts, in batches;
 *  (b) ingest throughput with that model through ingest() into a fresh store, and its ratio to (a);
 *  (c) ingest throughput with provider none (every NASA patent/software offer);
 *  (d) query latency (Matcher.match, hybrid, limit 10) at 10k and 100k listings for provider none and for
 *      the e5-shaped model, on SYNTHETIC listings recombined from NASA abstract sentences, with SYNTHETIC
 *      384-dimension unit vectors inserted directly (embedding 100k passages with the model would take
 *      hours on two cores); plus HNSW recall@10 of the dense search against exact search.
 *
 * The models in ../shared/models have random weights: every figure here is about speed, never quality.
 *
 * Environment (all optional):
 *   BENCH_SIZES=10000,100000      listing counts for (d) (grown incrementally in one store)
 *   BENCH_INGEST_RECORDS=200      NASA records for (a) and (b)
 *   BENCH_QUERIES=40              timed queries per latency figure (after BENCH_WARMUP=5 warm-up queries)
 *   BENCH_RECALL_QUERIES=30       query vectors per recall figure
 *   BENCH_BREAKDOWN_QUERIES=20    timed queries per single-signal mode (lexical, concept, dense); 0 = skip
 *   BENCH_SECTIONS=a,b,c,d        which parts to run
 *   BENCH_CONTROL=1               also time provider none on a store without vectors at the smallest size
 *   BENCH_ANALYZE=1               run ANALYZE after loading the synthetic store (0: leave planner statistics unset)
 *   BENCH_DATABASE_URL=postgres://user@host/db   use a PostgreSQL server (fresh databases are created and
 *                                 dropped on it) instead of PGlite
 *   BENCH_PGLITE=disk|memory      PGlite data in a temporary directory (default, as the CLI) or in memory
 *   JEMBATAN_MODEL_DIR, JEMBATAN_MODEL, JEMBATAN_EMBEDDING_BATCH   as for the CLI
 *                                 (default ../shared/models, e5-small-arch-random, 32)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ListingInputSchema, type ListingInput, type ListingKind } from '../core/domain/listing.js';
import { SECTORS, type Sector } from '../core/domain/sectors.js';
import { localEncoder } from '../core/embeddings/local.js';
import type { DenseEncoder, EmbeddingModelId } from '../core/embeddings/provider.js';
import { Glossary } from '../core/glossary/glossary.js';
import { prepareListing, type PreparedListing } from '../core/listings/prepare.js';
import { Matcher, type MatchMode } from '../core/retrieval/match.js';
import { openDb, type Db } from '../core/store/db.js';
import { ListingStore, type ListingFilter } from '../core/store/listing-store.js';
import { dropVectorIndexes, ensureVectorIndex } from '../core/store/vector-index.js';
import { ingest } from '../ingest/ingest.js';
import { PRESETS } from '../ingest/presets/index.js';
import { NASA_CATEGORY_SECTORS } from '../ingest/presets/nasa-t2.js';
import { fmt, note, out, started, int, intEnv, mean, mulberry32, percentile, Random, randomUnitInto } from './bench-support.js';

// ---- configuration -----------------------------------------------------------------------------------------

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NASA_FILE = resolve(ROOT, process.env.BENCH_NASA_FILE ?? '../shared/data/nasa-t2/nasa_t2_normalized.jsonl');
const MODEL_DIR = resolve(ROOT, process.env.JEMBATAN_MODEL_DIR ?? '../shared/models');
const MODEL = process.env.JEMBATAN_MODEL ?? 'e5-small-arch-random';


const EMBED_BATCH = intEnv('JEMBATAN_EMBEDDING_BATCH', 32);
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b);
const INGEST_RECORDS = intEnv('BENCH_INGEST_RECORDS', 200);
const QUERY_COUNT = intEnv('BENCH_QUERIES', 40);
const WARMUP = intEnv('BENCH_WARMUP', 5);
const RECALL_QUERIES = intEnv('BENCH_RECALL_QUERIES', 30);
const BREAKDOWN_QUERIES = intEnv('BENCH_BREAKDOWN_QUERIES', 20);
const INSERT_BATCH = Math.max(1, intEnv('BENCH_INSERT_BATCH', 500));
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? 'a,b,c,d').split(',').map((s) => s.trim().toLowerCase()));
const CONTROL = process.env.BENCH_CONTROL !== '0';
/** Run ANALYZE after loading the synthetic stores (PGlite has no autovacuum to do it). */
const ANALYZE = process.env.BENCH_ANALYZE !== '0';
const DATABASE_URL = process.env.BENCH_DATABASE_URL || undefined;
const PGLITE_MODE = process.env.BENCH_PGLITE === 'memory' ? 'memory' : 'disk';
const DIMENSION = 384;
/** The filter country for recall: synthetic listings spread evenly over ten ASEAN countries (~10% each). */
const FILTER_COUNTRY = 'TH';
const SYNTHETIC_COUNTRIES = ['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'VN'] as const;

// ---- deterministic randomness -----------------------------------------------------------------------------

// ---- stores ------------------------------------------------------------------------------------------------

interface BenchStore {
  store: ListingStore;
  location: string;
  cleanup(): Promise<void>;
}

async function openBenchStore(label: string): Promise<BenchStore> {
  if (DATABASE_URL) {
    const name = `jembatan_bench_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const url = new URL(DATABASE_URL);
    url.pathname = `/${name}`;
    const store = await ListingStore.open(await openDb({ kind: 'postgres', url: url.toString() }));
    return {
      store,
      location: `${url.host}/${name}`,
      async cleanup() {
        await store.close();
        const client = new pg.Client({ connectionString: DATABASE_URL });
        await client.connect();
        try {
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const dir = PGLITE_MODE === 'disk' ? mkdtempSync(join(tmpdir(), `jembatan-bench-${label}-`)) : undefined;
  const store = await ListingStore.open(await openDb({ kind: 'pglite', dataDir: dir }));
  return {
    store,
    location: dir ?? 'memory://',
    async cleanup() {
      await store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Builds the HNSW index the store would build (same definition), with room to build it in memory. */
async function buildVectorIndex(db: Db): Promise<number> {
  const t0 = performance.now();
  await db.withSession(async (session) => {
    await session.query("SET maintenance_work_mem = '512MB'");
    await dropVectorIndexes(session);
    await ensureVectorIndex(session, DIMENSION);
  });
  return (performance.now() - t0) / 1000;
}

async function tableSizes(db: Db): Promise<{ passages: number; bytes: number }> {
  const { rows } = await db.query<{ passages: number; bytes: string }>(
    "SELECT (SELECT count(*)::int FROM passages) AS passages, pg_database_size(current_database())::text AS bytes",
  );
  return { passages: rows[0]!.passages, bytes: Number(rows[0]!.bytes) };
}

// ---- NASA data ---------------------------------------------------------------------------------------------

interface NasaRecord {
  kind: string;
  id: string;
  title: string;
  abstract: string;
  category?: string;
  category_norm?: string;
}

function readNasa(): { lines: string[]; offers: NasaRecord[]; offerLines: string[] } {
  const lines = readFileSync(NASA_FILE, 'utf8').split('\n').filter((line) => line.trim());
  const offers: NasaRecord[] = [];
  const offerLines: string[] = [];
  for (const line of lines) {
    const record = JSON.parse(line) as NasaRecord;
    if ((record.kind === 'patent' || record.kind === 'software') && record.abstract?.length > 20) {
      offers.push(record);
      offerLines.push(line);
    }
  }
  return { lines, offers, offerLines };
}

function evenlySpaced<T>(items: T[], count: number): T[] {
  if (count >= items.length) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}

function preparedFromNasa(line: string, glossary: Glossary): PreparedListing | undefined {
  const mapped = PRESETS['nasa-t2']!.map(JSON.parse(line) as Record<string, unknown>, {});
  if ('skip' in mapped) return undefined;
  const parsed = ListingInputSchema.safeParse(mapped.record);
  return parsed.success ? prepareListing(parsed.data, glossary, mapped.fallbackSectors ?? []) : undefined;
}

// ---- synthetic listings and vectors ------------------------------------------------------------------------

const TITLE_PREFIXES = ['', '', '', 'Low-cost ', 'Compact ', 'Portable ', 'Modular ', 'Improved ', 'Field-tested ', 'Open '];
const TITLE_SUFFIXES = [
  '',
  '',
  ' for small manufacturers',
  ' for rural cooperatives',
  ' for coastal cities',
  ' for hospitals',
  ' for smallholder farms',
  ' (licensable)',
  ' – second generation',
  ' for tropical climates',
];
const PARTNERSHIPS = ['licence', 'joint_venture', 'research_cooperation', 'technical_cooperation', 'investment', 'sale'] as const;

interface SyntheticCorpus {
  offers: NasaRecord[];
  sentences: string[][];
  centres: Float32Array[];
  random: Random;
  vectorRandom: Random;
}

function syntheticCorpus(offers: NasaRecord[]): SyntheticCorpus {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const sentences = offers.map((record) =>
    [...segmenter.segment(record.abstract.replace(/\s+/g, ' '))].map((s) => s.segment.trim()).filter((s) => s.length >= 25),
  );
  const vectorRandom = new Random(mulberry32(0x5eed_0002));
  // One random direction per NASA record: synthetic listings built mostly from a record's sentences get
  // vectors near its direction, so the vector space has neighbourhoods as real embeddings do.
  const centres = offers.map(() => randomUnit(vectorRandom, undefined, 0));
  return { offers, sentences, centres, random: new Random(mulberry32(0x5eed_0001)), vectorRandom };
}

/** A unit vector: `base` (if any) plus gaussian noise of total norm ≈ `noise` (or pure noise). */
function randomUnit(random: Random, base: Float32Array | undefined, noise: number): Float32Array {
  const v = new Float32Array(DIMENSION);
  randomUnitInto(v, random, base, noise);
  return v;
}

interface SyntheticListing {
  input: ListingInput;
  primary: number;
  secondary: number;
}

function syntheticListing(corpus: SyntheticCorpus, index: number): SyntheticListing {
  const { random, offers, sentences } = corpus;
  const primary = random.int(offers.length);
  const secondary = random.int(offers.length);
  const own = sentences[primary]!;
  const other = sentences[secondary]!;
  const parts: string[] = [];
  const take = 1 + random.int(3);
  const start = own.length > take ? random.int(own.length - take + 1) : 0;
  parts.push(...own.slice(start, start + take));
  if (other.length > 0) parts.push(other[random.int(other.length)]!);
  if (random.float() < 0.4 && own.length > 0) parts.push(own[random.int(own.length)]!);
  const summary = parts.join(' ').trim() || offers[primary]!.abstract;
  const baseTitle = offers[primary]!.title.trim();
  const title =
    random.float() < 0.15
      ? `${baseTitle} with ${offers[secondary]!.title.trim().split(/\s+/).slice(0, 4).join(' ')}`
      : `${random.pick(TITLE_PREFIXES)}${baseTitle}${random.pick(TITLE_SUFFIXES)}`;
  const category = (offers[primary]!.category_norm || offers[primary]!.category || '').toLowerCase();
  const sectors = new Set<Sector>(NASA_CATEGORY_SECTORS[category] ?? [random.pick(SECTORS)]);
  if (random.float() < 0.3) sectors.add(random.pick(SECTORS));
  const roll = random.float();
  const kind: ListingKind = roll < 0.8 ? 'offer' : roll < 0.9 ? 'expertise' : 'need';
  const partnership = PARTNERSHIPS.filter(() => random.float() < 0.3);
  const input = ListingInputSchema.parse({
    external_id: `syn-${index}`,
    source: 'bench-synthetic',
    kind,
    title: title.slice(0, 300),
    summary: summary.slice(0, 20_000),
    language: 'en',
    country: SYNTHETIC_COUNTRIES[index % SYNTHETIC_COUNTRIES.length],
    sectors: [...sectors].slice(0, 3),
    trl: 1 + random.int(9),
    partnership: partnership.length > 0 ? partnership : ['licence'],
    status: 'published',
  });
  return { input, primary, secondary };
}

/** Vector of one synthetic passage: mostly its primary record's direction, some of the secondary, noise. */
function syntheticVector(corpus: SyntheticCorpus, listing: SyntheticListing): Float32Array {
  const base = new Float32Array(DIMENSION);
  const p = corpus.centres[listing.primary]!;
  const s = corpus.centres[listing.secondary]!;
  for (let i = 0; i < DIMENSION; i++) base[i] = p[i]! + 0.35 * s[i]!;
  return randomUnit(corpus.vectorRandom, base, 0.8);
}

/** Numbers that print short and parse back to exactly the same float4 (9 significant digits). */
function float4Array(vector: Float32Array): number[] {
  return Array.from(vector, (x) => Number(x.toPrecision(9)));
}

// ---- queries -----------------------------------------------------------------------------------------------

/** Need statements (several languages), as a user would type them. */
const QUERIES = [
  'lightweight sensor to detect gas leaks in factories',
  'satellite images to monitor rice crops and predict yield',
  'low cost water purification for villages',
  'battery management for electric motorbikes',
  'corrosion resistant coating for steel bridges near the sea',
  'software to schedule maintenance of aircraft engines',
  'robot arm for handling fragile fruit in packing houses',
  'early warning of landslides from soil moisture sensors',
  'thermal insulation material for cold storage of fish',
  'wireless network for sensors in remote plantations',
  'image processing to find defects in printed circuit boards',
  'solar power system with energy storage for islands',
  'detect bacteria in drinking water quickly',
  'composite materials that are light and strong for boats',
  'monitoring air pollution in a large city',
  'medical device to measure blood oxygen at home',
  'autonomous drone navigation without GPS',
  'machine learning to forecast electricity demand',
  'recycling plastic waste into building materials',
  'vibration analysis to predict failure of rotating machines',
  'high temperature sensor for furnaces',
  'fuel cell for backup power of telecom towers',
  'flood mapping with radar satellite data',
  'lubricant-free bearings for food processing machines',
  'tool to test software for safety critical systems',
  'cooling electronics without fans',
  'ultrasonic inspection of welds in pipelines',
  'fertiliser dosing controlled by soil nutrient sensors',
  'laser based measurement of distance and shape',
  'protective clothing against heat for firefighters',
  'cảm biến đo chất lượng không khí giá rẻ',
  'hệ thống lọc nước bằng năng lượng mặt trời',
  'sistem pemantauan kualitas air sungai secara otomatis',
  'teknologi pengeringan hasil panen dengan tenaga surya',
  'ระบบตรวจวัดคุณภาพน้ำในบ่อเลี้ยงกุ้ง',
  'วัสดุน้ำหนักเบาสำหรับชิ้นส่วนยานยนต์',
  'sensor untuk mengesan kebocoran paip air',
  'teknolohiya para sa malinis na inuming tubig sa mga isla',
  'ប្រព័ន្ធចម្រោះទឹកដោយថាមពលព្រះអាទិត្យ',
  'data processing for weather forecasting on small computers',
  'robotic inspection inside pipes and tanks',
  'antenna design for small satellites',
  'noise reduction for aircraft and drones',
  'method to store hydrogen safely',
  'real-time video compression over weak networks',
];

interface LatencyResult {
  label: string;
  mode: MatchMode;
  listings: number;
  passages: number;
  provider: string;
  p50: number;
  p95: number;
  mean: number;
  max: number;
  embedP50?: number;
  withResults: number;
  queries: number;
  note?: string;
}

async function measureLatency(
  store: ListingStore,
  encoder: DenseEncoder | undefined,
  listings: number,
  passages: number,
  note?: string,
  mode: MatchMode = 'hybrid',
  count = QUERY_COUNT,
): Promise<LatencyResult> {
  // A fresh ListingStore on the same database: corpus statistics cached by an earlier run (term document
  // frequencies, counts; kept 60 s) must not make this run look faster. The database's own caches stay warm.
  const fresh = await ListingStore.open(store.db);
  const matcher = new Matcher(fresh, Glossary.shared(), encoder);
  const texts = Array.from({ length: WARMUP + count }, (_, i) => QUERIES[i % QUERIES.length]!);
  const times: number[] = [];
  let withResults = 0;
  for (const [i, text] of texts.entries()) {
    const t0 = performance.now();
    const response = await matcher.match(text, { limit: 10, mode });
    const ms = performance.now() - t0;
    if (i < WARMUP) continue;
    times.push(ms);
    if (response.results.length > 0) withResults++;
  }
  let embedP50: number | undefined;
  if (encoder && mode !== 'lexical' && mode !== 'concept') {
    const embedTimes: number[] = [];
    for (const text of texts.slice(WARMUP)) {
      const t0 = performance.now();
      await encoder.embeddings.embedQuery(text);
      embedTimes.push(performance.now() - t0);
    }
    embedP50 = percentile(embedTimes, 50);
  }
  return {
    label: encoder ? `local ${encoder.model}` : 'none',
    mode,
    listings,
    passages,
    provider: encoder ? `local (${encoder.model})` : 'none',
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    mean: mean(times),
    max: Math.max(...times),
    embedP50,
    withResults,
    queries: times.length,
    note,
  };
}

// ---- recall ------------------------------------------------------------------------------------------------

interface VectorRow {
  listingId: number;
  ord: number;
  searchable: boolean;
  country: string;
  vector: Float32Array;
}

interface RecallResult {
  listings: number;
  queries: string;
  filter: string;
  share: number;
  recallK10: number;
  recallDepth: number;
  msK10: number;
  msDepth: number;
  msExact: number;
}

function exactTop(rows: VectorRow[], query: Float32Array, k: number, country: string | undefined): string[] {
  const best: Array<{ key: string; sim: number }> = [];
  for (const row of rows) {
    if (!row.searchable || (country && row.country !== country)) continue;
    const v = row.vector;
    let sim = 0;
    for (let i = 0; i < DIMENSION; i++) sim += v[i]! * query[i]!;
    if (best.length < k || sim > best[best.length - 1]!.sim) {
      best.push({ key: `${row.listingId}:${row.ord}`, sim });
      best.sort((a, b) => b.sim - a.sim);
      if (best.length > k) best.pop();
    }
  }
  return best.map((entry) => entry.key);
}

async function measureRecall(
  store: ListingStore,
  rows: VectorRow[],
  corpus: SyntheticCorpus,
  listings: number,
): Promise<RecallResult[]> {
  const random = new Random(mulberry32(0x5eed_0003 + listings));
  const querySets: Array<{ name: string; vectors: Float32Array[] }> = [
    {
      name: 'near a topic',
      vectors: Array.from({ length: RECALL_QUERIES }, () => randomUnit(random, corpus.centres[random.int(corpus.centres.length)], 0.8)),
    },
    { name: 'uniform random', vectors: Array.from({ length: RECALL_QUERIES }, () => randomUnit(random, undefined, 0)) },
  ];
  const searchable = rows.filter((row) => row.searchable);
  const filters: Array<{ name: string; filter: ListingFilter; country?: string }> = [
    { name: 'none (kinds offer, expertise)', filter: { kinds: ['offer', 'expertise'] } },
    { name: `country = ${FILTER_COUNTRY}`, filter: { kinds: ['offer', 'expertise'], countries: [FILTER_COUNTRY] }, country: FILTER_COUNTRY },
  ];
  const results: RecallResult[] = [];
  for (const set of querySets) {
    for (const { name, filter, country } of filters) {
      const share = (country ? searchable.filter((row) => row.country === country).length : searchable.length) / rows.length;
      let hitsK10 = 0;
      let hitsDepth = 0;
      let total = 0;
      const msK10: number[] = [];
      const msDepth: number[] = [];
      const msExact: number[] = [];
      for (const query of set.vectors) {
        const q = float4Array(query);
        let t0 = performance.now();
        const exact = exactTop(rows, Float32Array.from(q), 10, country);
        msExact.push(performance.now() - t0);
        t0 = performance.now();
        const k10 = await store.denseSearch(q, DIMENSION, filter, 10);
        msK10.push(performance.now() - t0);
        t0 = performance.now();
        // How the Matcher calls it: depth 150 × 2 passages (ef_search 300), then the best 10 kept.
        const depth = (await store.denseSearch(q, DIMENSION, filter, 300)).slice(0, 10);
        msDepth.push(performance.now() - t0);
        const passages = await store.passagesByIds([...k10, ...depth].map((hit) => hit.passageId));
        const key = (id: number) => {
          const p = passages.get(id)!;
          return `${p.listingId}:${p.ord}`;
        };
        const truth = new Set(exact);
        hitsK10 += k10.filter((hit) => truth.has(key(hit.passageId))).length;
        hitsDepth += depth.filter((hit) => truth.has(key(hit.passageId))).length;
        total += exact.length;
      }
      results.push({
        listings,
        queries: set.name,
        filter: name,
        share,
        recallK10: hitsK10 / Math.max(1, total),
        recallDepth: hitsDepth / Math.max(1, total),
        msK10: percentile(msK10, 50),
        msDepth: percentile(msDepth, 50),
        msExact: percentile(msExact, 50),
      });
    }
  }
  return results;
}

// ---- main --------------------------------------------------------------------------------------------------

interface Summary {
  model?: { loadSeconds: number; passages: number; seconds: number; perSecond: number; avgChars: number; queryP50: number; queryP95: number };
  ingestModel?: { records: number; passages: number; seconds: number; recordsPerSecond: number; passagesPerSecond: number; ratio?: number };
  ingestNone?: { read: number; stored: number; skipped: number; passages: number; seconds: number; storedPerSecond: number; readPerSecond: number };
  latency: LatencyResult[];
  recall: RecallResult[];
  builds: Array<{ listings: number; passages: number; insertSeconds: number; prepareSeconds: number; indexSeconds: number; megabytes: number }>;
}

async function main(): Promise<void> {
  const summary: Summary = { latency: [], recall: [], builds: [] };
  const glossary = Glossary.shared();
  const nasa = readNasa();
  const cpu = cpus();
  out('# Jembatan benchmark');
  out();
  out(`- machine: ${cpu.length} CPU cores (${cpu[0]?.model ?? 'unknown'}), ${fmt(totalmem() / 2 ** 30, 0)} GB RAM, Node ${process.version}`);
  out(`- store: ${DATABASE_URL ? `PostgreSQL server (${new URL(DATABASE_URL).host})` : `PGlite (${PGLITE_MODE === 'disk' ? 'data directory in a temporary folder, as the CLI' : 'in memory'})`}`);
  out(`- model: ${MODEL} from ${MODEL_DIR} (RANDOM WEIGHTS: speed only), batch ${EMBED_BATCH}`);
  out(`- data: ${NASA_FILE} (${nasa.lines.length} records, ${nasa.offers.length} patent/software offers)`);
  out(`- load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other processes share the CPUs)`);
  out();

  const needsModel = SECTIONS.has('a') || SECTIONS.has('b') || SECTIONS.has('d');
  let encoder: DenseEncoder | undefined;
  let modelId: EmbeddingModelId | undefined;
  if (needsModel) {
    encoder = localEncoder({ model: MODEL, modelDir: MODEL_DIR, batchSize: EMBED_BATCH });
    const t0 = performance.now();
    const dimension = await encoder.dimension();
    const loadSeconds = (performance.now() - t0) / 1000;
    modelId = { provider: 'local', model: MODEL, dimension };
    note(`model ${MODEL} loaded in ${fmt(loadSeconds)} s (${dimension} dimensions)`);
    if (dimension !== DIMENSION) note(`warning: the synthetic vectors are ${DIMENSION}-dimensional; section (d) needs a ${DIMENSION}-dimension model`);
    summary.model = { loadSeconds, passages: 0, seconds: 0, perSecond: 0, avgChars: 0, queryP50: 0, queryP95: 0 };
  }

  const sampleLines = evenlySpaced(nasa.offerLines, INGEST_RECORDS);

  // (a) raw model throughput ----------------------------------------------------------------------------------
  if (SECTIONS.has('a') && encoder) {
    const texts = sampleLines
      .map((line) => preparedFromNasa(line, glossary))
      .flatMap((listing) => listing?.passages.map((passage) => passage.embeddingText) ?? []);
    note(`(a) embedding ${texts.length} passages of ${sampleLines.length} NASA records (warm-up first)`);
    await encoder.embeddings.embedDocuments(texts.slice(0, EMBED_BATCH));
    const t0 = performance.now();
    await encoder.embeddings.embedDocuments(texts);
    const seconds = (performance.now() - t0) / 1000;
    const queryTimes: number[] = [];
    for (const text of QUERIES) {
      const q0 = performance.now();
      await encoder.embeddings.embedQuery(text);
      queryTimes.push(performance.now() - q0);
    }
    Object.assign(summary.model!, {
      passages: texts.length,
      seconds,
      perSecond: texts.length / seconds,
      avgChars: mean(texts.map((t) => t.length)),
      queryP50: percentile(queryTimes, 50),
      queryP95: percentile(queryTimes, 95),
    });
    note(`(a) ${fmt(texts.length / seconds)} passages/s; query embedding p50 ${fmt(percentile(queryTimes, 50))} ms`);
  }

  // (b) ingest with the model ---------------------------------------------------------------------------------
  const scratch = mkdtempSync(join(tmpdir(), 'jembatan-bench-input-'));
  try {
    if (SECTIONS.has('b') && encoder && modelId) {
      const file = join(scratch, 'nasa-sample.jsonl');
      writeFileSync(file, `${sampleLines.join('\n')}\n`);
      const bench = await openBenchStore('ingest-model');
      try {
        await bench.store.assertModel(modelId); // as the CLI does: records the model, creates the HNSW index
        note(`(b) ingesting ${sampleLines.length} NASA records with ${MODEL} into ${bench.location}`);
        const result = await ingest(file, bench.store, glossary, encoder, { preset: PRESETS['nasa-t2']! });
        summary.ingestModel = {
          records: result.added + result.updated,
          passages: result.embeddedPassages,
          seconds: result.seconds,
          recordsPerSecond: (result.added + result.updated) / result.seconds,
          passagesPerSecond: result.embeddedPassages / result.seconds,
          ratio: summary.model?.perSecond ? result.embeddedPassages / result.seconds / summary.model.perSecond : undefined,
        };
        note(`(b) ${fmt(summary.ingestModel.recordsPerSecond)} records/s, ${fmt(summary.ingestModel.passagesPerSecond)} passages/s`);
      } finally {
        await bench.cleanup();
      }
    }

    // (c) ingest with provider none -----------------------------------------------------------------------------
    if (SECTIONS.has('c')) {
      const bench = await openBenchStore('ingest-none');
      try {
        await bench.store.assertModel({ provider: 'none' });
        note(`(c) ingesting ${NASA_FILE} with provider none into ${bench.location}`);
        const result = await ingest(NASA_FILE, bench.store, glossary, undefined, { preset: PRESETS['nasa-t2']! });
        const { passages } = await tableSizes(bench.store.db);
        const stored = result.added + result.updated;
        summary.ingestNone = {
          read: result.read,
          stored,
          skipped: Object.values(result.skipped).reduce((a, b) => a + b, 0),
          passages,
          seconds: result.seconds,
          storedPerSecond: stored / result.seconds,
          readPerSecond: result.read / result.seconds,
        };
        note(`(c) ${stored} offers in ${fmt(result.seconds)} s`);
      } finally {
        await bench.cleanup();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  // (d) query latency and recall on synthetic listings ---------------------------------------------------------
  if (SECTIONS.has('d') && SIZES.length > 0) {
    const corpus = syntheticCorpus(nasa.offers);
    const bench = await openBenchStore('synthetic');
    let control = CONTROL ? await openBenchStore('synthetic-novectors') : undefined;
    const rows: VectorRow[] = [];
    try {
      note(`(d) synthetic store at ${bench.location}`);
      let built = 0;
      let controlDone = false;
      for (const size of SIZES) {
        let prepareSeconds = 0;
        let insertSeconds = 0;
        const controlBatches: PreparedListing[][] = [];
        // Inserting under an HNSW index costs far more than building it afterwards: drop it while growing.
        await dropVectorIndexes(bench.store.db);
        while (built < size) {
          const count = Math.min(INSERT_BATCH, size - built);
          const t0 = performance.now();
          const synthetic = Array.from({ length: count }, (_, i) => syntheticListing(corpus, built + i));
          const prepared = synthetic.map((listing) => prepareListing(listing.input, glossary, []));
          const vectors = synthetic.map((listing, i) => prepared[i]!.passages.map(() => syntheticVector(corpus, listing)));
          const t1 = performance.now();
          const written = await bench.store.upsertListings(
            prepared,
            vectors.map((list) => list.map(float4Array)),
          );
          const t2 = performance.now();
          prepareSeconds += (t1 - t0) / 1000;
          insertSeconds += (t2 - t1) / 1000;
          written.forEach(({ id }, i) => {
            const listing = prepared[i]!.input;
            vectors[i]!.forEach((vector, ord) =>
              rows.push({ listingId: id, ord, searchable: listing.kind !== 'need', country: listing.country, vector }),
            );
          });
          if (control && !controlDone) controlBatches.push(prepared);
          built += count;
          if (built % 10_000 === 0 || built === size) note(`(d) ${int(built)} synthetic listings stored (${fmt(insertSeconds, 0)} s inserting)`);
        }
        bench.store.invalidateStatistics();
        note(`(d) building the HNSW index over ${int(rows.length)} vectors`);
        const indexSeconds = await buildVectorIndex(bench.store.db);
        if (ANALYZE) await bench.store.db.query('ANALYZE');
        const sizes = await tableSizes(bench.store.db);
        summary.builds.push({ listings: size, passages: sizes.passages, insertSeconds, prepareSeconds, indexSeconds, megabytes: sizes.bytes / 2 ** 20 });
        note(`(d) ${int(size)} listings / ${int(sizes.passages)} passages ready (index ${fmt(indexSeconds)} s, ${fmt(sizes.bytes / 2 ** 20, 0)} MB)`);

        if (control && !controlDone) {
          for (const batch of controlBatches) await control.store.upsertListings(batch);
          if (ANALYZE) await control.store.db.query('ANALYZE');
          control.store.invalidateStatistics();
          note(`(d) control store without vectors: ${int(size)} listings`);
          summary.latency.push(
            await measureLatency(control.store, undefined, size, sizes.passages, 'store without vectors (control)'),
          );
          controlDone = true;
          await control.cleanup();
          control = undefined;
        }
        note(`(d) query latency at ${int(size)}: provider none`);
        summary.latency.push(await measureLatency(bench.store, undefined, size, sizes.passages, 'same store as the model rows (vectors unused)'));
        if (encoder) {
          note(`(d) query latency at ${int(size)}: ${MODEL}`);
          summary.latency.push(await measureLatency(bench.store, encoder, size, sizes.passages, 'synthetic vectors; real model query embedding'));
        }
        if (BREAKDOWN_QUERIES > 0) {
          note(`(d) single-signal modes at ${int(size)}`);
          for (const mode of ['lexical', 'concept'] as const) {
            summary.latency.push(await measureLatency(bench.store, undefined, size, sizes.passages, 'one signal only', mode, BREAKDOWN_QUERIES));
          }
          if (encoder) {
            summary.latency.push(await measureLatency(bench.store, encoder, size, sizes.passages, 'one signal only', 'dense', BREAKDOWN_QUERIES));
          }
        }
        note(`(d) recall@10 at ${int(size)}`);
        summary.recall.push(...(await measureRecall(bench.store, rows, corpus, size)));
        note(`(d) done at ${int(size)}`);
      }
    } finally {
      await bench.cleanup();
      await control?.cleanup();
    }
  }

  report(summary);
  out();
  out(`Total ${fmt((performance.now() - started) / 60000)} min; load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}.`);
  note('finished');
}

function report(summary: Summary): void {
  out('## Results');
  out();
  out('| # | measure | value | notes |');
  out('|---|---|---|---|');
  const m = summary.model;
  if (m) out(`| a | model load + first query | ${fmt(m.loadSeconds)} s | ${MODEL}, from local files |`);
  if (m && m.passages > 0) {
    out(`| a | raw model throughput | **${fmt(m.perSecond)} passages/s** | ${m.passages} passages (avg ${int(m.avgChars)} chars) of ${INGEST_RECORDS} NASA records, batch ${EMBED_BATCH}, ${fmt(m.seconds)} s |`);
    out(`| a | query embedding (short text) | p50 ${fmt(m.queryP50)} ms, p95 ${fmt(m.queryP95)} ms | ${QUERIES.length} need statements |`);
  }
  const b = summary.ingestModel;
  if (b) {
    out(`| b | ingest with ${MODEL} | **${fmt(b.recordsPerSecond)} records/s, ${fmt(b.passagesPerSecond)} passages/s** | ${b.records} records, ${b.passages} passages, ${fmt(b.seconds)} s, fresh store with HNSW index |`);
    if (b.ratio !== undefined) out(`| b | ingest ÷ raw model throughput | ${fmt(b.ratio * 100, 0)} % | passages/s of (b) over (a) |`);
  }
  const c = summary.ingestNone;
  if (c) {
    out(`| c | ingest, provider none | **${fmt(c.storedPerSecond)} offers/s** | ${c.stored} offers (${c.passages} passages) stored, ${c.read} records read, ${c.skipped} spinoffs skipped, ${fmt(c.seconds, 2)} s |`);
  }
  for (const build of summary.builds) {
    out(
      `| d | synthetic store, ${int(build.listings)} listings | ${int(build.passages)} passages, ${fmt(build.megabytes, 0)} MB | ` +
        `prepare ${fmt(build.prepareSeconds)} s, upsertListings ${fmt(build.insertSeconds)} s (cumulative for this step), HNSW build ${fmt(build.indexSeconds)} s |`,
    );
  }
  out();
  if (summary.latency.length > 0) {
    out('### Query latency (Matcher.match, limit 10; synthetic listings)');
    out();
    out('| listings | passages | provider | mode | p50 ms | p95 ms | mean ms | max ms | of which query embedding p50 ms | queries with results | notes |');
    out('|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|');
    for (const r of summary.latency) {
      out(
        `| ${int(r.listings)} | ${int(r.passages)} | ${r.provider} | ${r.mode} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.mean)} | ${fmt(r.max)} | ` +
          `${r.embedP50 === undefined ? '–' : fmt(r.embedP50)} | ${r.withResults}/${r.queries} | ${r.note ?? ''} |`,
      );
    }
    out();
  }
  if (summary.recall.length > 0) {
    out(`### HNSW recall@10 versus exact search (synthetic ${DIMENSION}-d unit vectors)`);
    out();
    out('| listings | query vectors | filter | rows passing | recall@10, limit 10 (ef_search 100) | recall@10, limit 300 as Matcher (ef_search 300) | ms limit 10 | ms limit 300 | ms exact (JS) |');
    out('|---:|---|---|---:|---:|---:|---:|---:|---:|');
    for (const r of summary.recall) {
      out(
        `| ${int(r.listings)} | ${r.queries} | ${r.filter} | ${fmt(r.share * 100, 1)} % | ${fmt(r.recallK10, 3)} | ${fmt(r.recallDepth, 3)} | ` +
          `${fmt(r.msK10)} | ${fmt(r.msDepth)} | ${fmt(r.msExact)} |`,
      );
    }
    out();
  }
  out('Notes: the model has random weights (speed only; results mean nothing). Section (d) uses SYNTHETIC listings ');
  out('(sentences of NASA abstracts recombined, varied titles, ten ASEAN countries, sectors from NASA categories) and ');
  out(`SYNTHETIC ${DIMENSION}-dimension unit vectors inserted with ListingStore.upsertListings (each near a random direction `);
  out('of the NASA record it was built from), not vectors computed by the model; query latency for the model includes ');
  out('the real model embedding the query text. The HNSW index is built after loading (same definition the store uses).');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
