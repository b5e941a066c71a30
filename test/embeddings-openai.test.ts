/**
 * The OpenAI-compatible embedding provider (@langchain/openai) against a real HTTP server on 127.0.0.1
 * that speaks the /v1/embeddings JSON of the OpenAI API. Its vectors are a hashed bag of words (64
 * dimensions, normalised), so texts sharing words get similar vectors and dense search is meaningful.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embeddings } from '@langchain/core/embeddings';
import { AsyncCaller } from '@langchain/core/utils/async_caller';
import { OpenAIEmbeddings } from '@langchain/openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../core/config/env.js';
import { encoderFromEnv } from '../core/embeddings/from-env.js';
import { openAIEncoder } from '../core/embeddings/openai.js';
import type { DenseEncoder, EmbeddingModelId } from '../core/embeddings/provider.js';
import { Glossary } from '../core/glossary/glossary.js';
import { Matcher } from '../core/retrieval/match.js';
import type { ListingStore } from '../core/store/listing-store.js';
import { ingest } from '../ingest/ingest.js';
import { PRESETS } from '../ingest/presets/index.js';
import { STORE_KINDS, openTestStore } from './support/stores.js';

const API_KEY = 'sk-test-jembatan-0123456789';
const MODEL = 'fake-bow-64';
const DIMENSION = 64;

// ---- the fake OpenAI-compatible server ------------------------------------------------------------------

/** Hashed bag of words: each word adds ±1 to one of 64 buckets; the sum is L2-normalised. */
function bagOfWordsVector(text: string): number[] {
  const vector = new Array<number>(DIMENSION).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const hash = createHash('sha256').update(word).digest();
    vector[hash.readUInt32LE(0) % DIMENSION]! += hash[4]! & 1 ? 1 : -1;
  }
  const length = Math.hypot(...vector);
  if (length === 0) {
    vector[0] = 1;
    return vector;
  }
  return vector.map((x) => x / length);
}

function base64Float32(vector: number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => buffer.writeFloatLE(x, i * 4));
  return buffer.toString('base64');
}

interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: { model?: unknown; input?: unknown; encoding_format?: unknown };
}

interface FakeOpenAI {
  /** Base URL including /v1, as OPENAI_BASE_URL takes it. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Answer the next `times` embedding requests with this HTTP status (Infinity = always). */
  failNext(status: number, times: number): void;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function apiError(res: ServerResponse, status: number, message: string, type: string, code: string | null = null): void {
  sendJson(res, status, { error: { message, type, param: null, code } });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  let failure: { status: number; remaining: number } | undefined;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: RecordedRequest['body'] = {};
      try {
        body = raw ? (JSON.parse(raw) as RecordedRequest['body']) : {};
      } catch {
        apiError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
        return;
      }
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
      if (req.method !== 'POST' || path !== '/v1/embeddings') {
        apiError(res, 404, `Unknown request URL: ${req.method} ${path}.`, 'invalid_request_error', 'unknown_url');
        return;
      }
      if (req.headers.authorization !== `Bearer ${API_KEY}`) {
        apiError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
        return;
      }
      if (failure && failure.remaining > 0) {
        failure.remaining--;
        apiError(res, failure.status, 'The server had an error while processing your request.', 'server_error');
        return;
      }
      const { model, input, encoding_format: format = 'float' } = body;
      const texts = typeof input === 'string' ? [input] : input;
      if (typeof model !== 'string' || !Array.isArray(texts) || texts.length === 0 || !texts.every((t) => typeof t === 'string')) {
        apiError(res, 400, "'input' must be a non-empty string or array of strings, and 'model' a string.", 'invalid_request_error');
        return;
      }
      if (format !== 'float' && format !== 'base64') {
        apiError(res, 400, `Invalid encoding_format '${String(format)}': use 'float' or 'base64'.`, 'invalid_request_error');
        return;
      }
      const tokens = (texts as string[]).reduce((sum, t) => sum + (t.match(/\S+/g)?.length ?? 0), 0);
      sendJson(res, 200, {
        object: 'list',
        data: (texts as string[]).map((text, index) => {
          const vector = bagOfWordsVector(text);
          return { object: 'embedding', index, embedding: format === 'base64' ? base64Float32(vector) : vector };
        }),
        model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    })().catch((error: unknown) => {
      if (!res.headersSent) apiError(res, 500, String(error), 'server_error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext(status, times) {
      failure = { status, remaining: times };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

// ---- tests ----------------------------------------------------------------------------------------------

let fake: FakeOpenAI;
let scratch: string;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  scratch = mkdtempSync(join(tmpdir(), 'jembatan-openai-emb-'));
});

afterAll(async () => {
  await fake?.close();
  rmSync(scratch, { recursive: true, force: true });
});

afterEach(() => {
  fake.requests.length = 0;
  fake.failNext(500, 0);
});

function encoder(batchSize = 16, apiKey = API_KEY): DenseEncoder {
  return openAIEncoder({ model: MODEL, baseURL: fake.baseURL, apiKey, batchSize });
}

const embeddingRequests = () => fake.requests.filter((r) => r.path === '/v1/embeddings');
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]!)));

describe('openai provider against an OpenAI-compatible server', () => {
  it('probes the dimension with one request carrying the API key, then remembers it', async () => {
    const e = encoder();
    expect(e.provider).toBe('openai');
    expect(e.model).toBe(MODEL);
    expect(await e.dimension()).toBe(DIMENSION);
    expect(await e.dimension()).toBe(DIMENSION);
    const requests = embeddingRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.authorization).toBe(`Bearer ${API_KEY}`);
    expect(requests[0]!.body).toMatchObject({ model: MODEL, input: 'dimension probe', encoding_format: 'float' });
  });

  it('is built from the environment (JEMBATAN_EMBEDDINGS=openai, OPENAI_BASE_URL, OPENAI_API_KEY)', async () => {
    const env = readEnv({
      JEMBATAN_EMBEDDINGS: 'openai',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: API_KEY,
      JEMBATAN_OPENAI_EMBEDDING_MODEL: MODEL,
      JEMBATAN_EMBEDDING_BATCH: '5',
    });
    const e = encoderFromEnv(env)!;
    expect(e.provider).toBe('openai');
    const vector = await e.embeddings.embedQuery('solar water purifier');
    expect(maxAbsDiff(vector, bagOfWordsVector('solar water purifier'))).toBeLessThan(1e-12);
    expect(embeddingRequests()[0]!.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('sends documents in batches of batchSize and returns the vectors in input order', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `listing number ${i} about ${['rice', 'shrimp', 'solar', 'flood', 'battery'][i % 5]}`);
    const vectors = await encoder(4).embeddings.embedDocuments(texts);
    const requests = embeddingRequests();
    expect(requests).toHaveLength(3);
    const sizes = requests.map((r) => (r.body.input as string[]).length).sort((a, b) => b - a);
    expect(sizes).toEqual([4, 4, 2]);
    expect(requests.every((r) => r.authorization === `Bearer ${API_KEY}` && r.body.encoding_format === 'float')).toBe(true);
    expect(vectors).toHaveLength(texts.length);
    for (const [i, text] of texts.entries()) {
      expect(maxAbsDiff(vectors[i]!, bagOfWordsVector(text))).toBeLessThan(1e-12);
    }
  });

  it('speaks base64 too: the OpenAI SDK asks for it by default and decodes the same vectors', async () => {
    const direct = new OpenAIEmbeddings({ model: MODEL, apiKey: API_KEY, configuration: { baseURL: fake.baseURL } });
    const texts = ['mangrove restoration with drones', 'rice husk dryer'];
    const decoded = await direct.embedDocuments(texts);
    expect(embeddingRequests()[0]!.body.encoding_format).toBe('base64');
    const floats = await encoder().embeddings.embedDocuments(texts);
    for (const [i, vector] of decoded.entries()) {
      expect(vector).toHaveLength(DIMENSION);
      expect(maxAbsDiff(vector, floats[i]!)).toBeLessThan(1e-6); // float32 precision
    }
  });

  it('fails at once, without retrying, on a wrong API key (401)', async () => {
    await expect(encoder(16, 'sk-wrong').embeddings.embedQuery('x')).rejects.toThrow(/401|Incorrect API key/);
    expect(embeddingRequests()).toHaveLength(1);
    expect(embeddingRequests()[0]!.authorization).toBe('Bearer sk-wrong');
  });

  it('surfaces an HTTP 500 as an error', async () => {
    fake.failNext(500, Infinity);
    const e = encoder();
    // Keep the test fast: no back-off retries (the encoder's own setting is exercised in the next test).
    (e.embeddings as Embeddings).caller = new AsyncCaller({ maxRetries: 0, maxConcurrency: 2 });
    await expect(e.embeddings.embedDocuments(['a text'])).rejects.toThrow(/500/);
    await expect(e.dimension()).rejects.toThrow(/500/);
    expect(embeddingRequests()).toHaveLength(2);
  });

  it('retries a transient 500 and then succeeds', async () => {
    fake.failNext(500, 1);
    const vector = await encoder().embeddings.embedQuery('flood warning');
    expect(maxAbsDiff(vector, bagOfWordsVector('flood warning'))).toBeLessThan(1e-12);
    expect(embeddingRequests()).toHaveLength(2);
  });
});

// ---- ingest and dense matching in both stores --------------------------------------------------------------

const LISTINGS = [
  ['oai-rice', 'VN', 'Rice husk furnace paddy dryer', 'Tower dryer for paddy heated by a rice husk furnace; fewer broken grains at milling.'],
  ['oai-shrimp', 'TH', 'Dissolved oxygen buoy for shrimp ponds', 'Floating buoy measures dissolved oxygen and switches paddle wheel aerators in shrimp ponds.'],
  ['oai-solar', 'KH', 'Solar water purifier', 'Ceramic filter, activated carbon and ultraviolet lamp powered by solar panels make drinking water.'],
  ['oai-flood', 'PH', 'River flood early warning', 'Ultrasonic river level gauges send readings over LoRa; residents get SMS flood alerts.'],
  ['oai-battery', 'ID', 'Second life battery packs', 'Used lithium cells from laptops are graded and rebuilt into packs for electric motorbikes.'],
  ['oai-mangrove', 'MY', 'Mangrove seeding drones', 'Drones drop mangrove propagules on eroding mudflats to restore coastal forest.'],
] as const;

describe.each(STORE_KINDS)('openai provider: ingest and dense match (%s)', (kind) => {
  const active: EmbeddingModelId = { provider: 'openai', model: MODEL, dimension: DIMENSION };
  const glossary = Glossary.shared();
  let store: ListingStore;
  let cleanup: () => Promise<void>;
  let e: DenseEncoder;

  beforeAll(async () => {
    ({ store, cleanup } = await openTestStore(kind));
    e = encoder(4);
    const file = join(scratch, `listings-${kind}.jsonl`);
    writeFileSync(
      file,
      LISTINGS.map(([id, country, title, summary]) =>
        JSON.stringify({ id, source: 'openai-test', kind: 'offer', title, summary, language: 'en', country, status: 'published' }),
      ).join('\n') + '\n',
    );
    await store.assertModel(active);
    const summary = await ingest(file, store, glossary, e, { preset: PRESETS.generic!, batchSize: 4 });
    expect(summary.rejected).toEqual([]);
    expect(summary.added).toBe(LISTINGS.length);
    expect(summary.embeddedPassages).toBe(LISTINGS.length);
  });

  afterAll(async () => {
    await cleanup?.();
  });

  it('stores the server vectors (64 dimensions) for every passage and records the model', async () => {
    const { rows } = await store.db.query<{ title: string; text: string; dims: number; embedding: string }>(
      `SELECT l.title, p.text, vector_dims(p.embedding) AS dims, p.embedding::text AS embedding
       FROM passages p JOIN listings l ON l.id = p.listing_id ORDER BY p.id`,
    );
    expect(rows).toHaveLength(LISTINGS.length);
    for (const row of rows) {
      expect(row.dims).toBe(DIMENSION);
      const stored = JSON.parse(row.embedding) as number[];
      expect(maxAbsDiff(stored, bagOfWordsVector(`${row.title}. ${row.text}`))).toBeLessThan(1e-6); // real (float4) column
    }
    expect(await store.embeddingModel()).toEqual(active);
  });

  it.each([
    ['oxygen sensor for shrimp ponds with aerators', 'oai-shrimp'],
    ['drones to restore mangrove forest on mudflats', 'oai-mangrove'],
    ['SMS alerts when the river level rises before a flood', 'oai-flood'],
    ['rebuild used lithium cells into packs for electric motorbikes', 'oai-battery'],
  ])('dense mode: "%s" finds %s first', async (query, expected) => {
    const response = await new Matcher(store, glossary, e).match(query, { mode: 'dense', limit: 5 });
    expect(response.signals).toEqual(['dense']);
    expect(response.results[0]?.listing.externalId).toBe(expected);
  });

  it('dense mode respects filters and hybrid mode fuses dense with the other signals', async () => {
    const matcher = new Matcher(store, glossary, e);
    const filtered = await matcher.match('oxygen sensor for shrimp ponds with aerators', { mode: 'dense', countries: ['KH', 'PH'] });
    expect(filtered.results.map((r) => r.listing.country).every((c) => c === 'KH' || c === 'PH')).toBe(true);
    expect(filtered.results.length).toBe(2);
    const hybrid = await matcher.match('dissolved oxygen buoy shrimp', { limit: 3 });
    expect(hybrid.signals).toContain('dense');
    expect(hybrid.results[0]?.listing.externalId).toBe('oai-shrimp');
  });
});
