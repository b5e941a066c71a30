import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The `jembatan` command as a user runs it: child processes of `node scripts/jembatan.mjs` against stores in
// temporary directories. Every listing and query below is made-up test data written for these tests.

const ROOT = join(import.meta.dirname, '..');

const LISTINGS = [
  {
    external_id: 'cli-rice-dryer',
    kind: 'offer',
    title: 'Solar rice dryer',
    summary: 'A solar powered dryer for paddy rice that cuts post-harvest losses for farmer cooperatives.',
    language: 'en',
    country: 'VN',
    trl: 7,
    sectors: ['agrifood'],
  },
  {
    external_id: 'cli-fish-kiln',
    kind: 'offer',
    title: 'Solar fish kiln',
    summary: 'A solar kiln that dries fish and rice crackers for village markets.',
    language: 'en',
    country: 'TH',
    trl: 4,
    sectors: ['agrifood'],
  },
  {
    external_id: 'cli-dryer-need',
    kind: 'need',
    title: 'Paddy drying wanted by a farmer cooperative',
    summary: 'Our farmer cooperative needs a solar rice dryer to dry paddy during the rainy season.',
    language: 'en',
    country: 'ID',
    sectors: ['agrifood'],
  },
  {
    external_id: 'cli-drying-lab',
    kind: 'expertise',
    title: 'Solar thermal drying laboratory',
    summary: 'Our laboratory tests solar rice dryers and other crop drying equipment for efficiency.',
    language: 'en',
    country: 'MY',
    trl: 6,
    sectors: ['agrifood', 'energy'],
  },
  {
    external_id: 'cli-pengering',
    kind: 'offer',
    title: 'Pengering padi tenaga surya',
    summary: 'Alat pengering padi bertenaga surya untuk mengurangi kehilangan hasil panen petani.',
    language: 'id',
    country: 'ID',
    trl: 8,
    sectors: ['agrifood'],
  },
  {
    external_id: 'cli-flood',
    kind: 'offer',
    title: 'Flood early warning sensors',
    summary: 'River level sensors that send flood early warnings to city residents by SMS.',
    language: 'en',
    country: 'PH',
    trl: 8,
    sectors: ['environment'],
  },
  {
    external_id: 'cli-shrimp',
    kind: 'offer',
    title: 'Shrimp pond oxygen monitor',
    summary: 'Dissolved oxygen monitor for shrimp ponds that alerts farmers before shrimp die at night.',
    language: 'en',
    country: 'TH',
    trl: 7,
    sectors: ['agrifood'],
  },
].map((listing) => ({ source: 'cli-test', status: 'published', ...listing }));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment of a child: ours without store/provider settings, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'DATABASE_URL' || key.startsWith('JEMBATAN_') || key.startsWith('OPENAI_')) continue;
    env[key] = value;
  }
  return { ...env, LOG_LEVEL: 'warn', JEMBATAN_EMBEDDINGS: 'none', CI: 'true', ...extra };
}

/**
 * At most this many `jembatan` processes at once: each one is CPU-bound (tsx, PGlite's WebAssembly); one more
 * than the cores keeps them busy while a child waits on I/O, many more only slow down the longest chain.
 */
const MAX_CHILDREN = 3;
let running = 0;
const waiting: Array<{ start: () => void; urgent: boolean }> = [];

function acquire(urgent: boolean): Promise<void> {
  if (running < MAX_CHILDREN) {
    running++;
    return Promise.resolve();
  }
  return new Promise((start) => {
    const entry = { start, urgent };
    if (urgent) waiting.splice(waiting.filter((w) => w.urgent).length, 0, entry);
    else waiting.push(entry);
  });
}

function release(): void {
  const next = waiting.shift();
  if (next) next.start();
  else running--;
}

/** Runs `node scripts/jembatan.mjs ...args`; `urgent` runs go first (steps of the longest chain). */
async function cli(args: string[], extra: Record<string, string>, urgent = false): Promise<CliRun> {
  await acquire(urgent);
  try {
    return await new Promise<CliRun>((resolve, reject) => {
      const child = spawn(process.execPath, ['scripts/jembatan.mjs', ...args], {
        cwd: ROOT,
        env: childEnv(extra),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  } finally {
    release();
  }
}

/** A failure a user can act on: non-zero exit, one clear message, no stack trace. */
function expectCleanFailure(run: CliRun, message: RegExp): void {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(run.stderr).not.toMatch(/\\n\s+at |"stack"|unexpected failure/);
}

interface SearchJson {
  results: Array<{
    listing: { externalId: string; kind: string; country: string; trl: number | null; status: string };
    score: number;
    passage: string;
    reasons: { sharedTerms: string[]; sharedConcepts: unknown[]; sectorFit: string[]; countryFit: boolean };
  }>;
  signals: string[];
}

// ---- a tiny OpenAI-compatible embeddings endpoint ---------------------------------------------------

const DIMENSION = 16;
let embeddingRequests = 0;

/** Deterministic vector for a text: sha256 bytes mapped to [-1, 1]. */
function hashVector(text: string): number[] {
  const digest = createHash('sha256').update(text).digest();
  return Array.from({ length: DIMENSION }, (_, i) => digest[i]! / 127.5 - 1);
}

function startEmbeddingServer(): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || !request.url?.endsWith('/embeddings')) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      embeddingRequests++;
      const { input, model } = JSON.parse(body) as { input: string | string[]; model: string };
      const inputs = Array.isArray(input) ? input : [input];
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'list',
          model,
          data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: hashVector(String(text)) })),
          usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
        }),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---- the runs -----------------------------------------------------------------------------------------
// Every `jembatan` process is started from beforeAll (at most MAX_CHILDREN at a time) and each test awaits the
// runs it checks, so independent commands overlap: about a minute on an otherwise idle two-core machine
// (some 15 processes of ~6 CPU-seconds each: tsx start-up and PGlite dominate).

let dir: string;
let server: Server;

const EVAL_QUERIES = [
  { qid: 'q1', lang: 'en', query: 'solar rice dryer', relevant: { 'cli-rice-dryer': 2, 'cli-drying-lab': 1 } },
  { qid: 'q2', lang: 'en', query: 'zorblat frimble quaxing', relevant: { 'cli-shrimp': 2 } },
  { qid: 'q3', lang: 'id', query: 'pengering padi tenaga surya', relevant: { 'cli-pengering': 2 } },
];

interface Runs {
  ingest: Promise<CliRun>;
  search: Promise<CliRun>;
  searchNeeds: Promise<CliRun>;
  searchFiltered: Promise<CliRun>;
  stats: Promise<{ run: CliRun; dataDir: string }>;
  evalText: Promise<CliRun>;
  evalJson: Promise<CliRun>;
  missingFile: Promise<{ run: CliRun; path: string }>;
  unknownSector: Promise<CliRun>;
  notPostgresUrl: Promise<CliRun>;
  unreachableUrl: Promise<CliRun>;
  malformedUrl: Promise<CliRun>;
  badEvalFile: Promise<CliRun>;
  otherModel: Promise<{ ingest: CliRun; mismatch: CliRun; reindex: CliRun; search: CliRun; requests: number }>;
}
let runs: Runs;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jembatan-cli-'));
  const corpus = join(dir, 'listings.jsonl');
  writeFileSync(corpus, `${LISTINGS.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const queries = join(dir, 'queries.jsonl');
  writeFileSync(queries, `${EVAL_QUERIES.map((q) => JSON.stringify(q)).join('\n')}\n`);
  const badQueries = join(dir, 'bad-queries.jsonl');
  writeFileSync(
    badQueries,
    [
      JSON.stringify({ qid: 'ok', lang: 'en', query: 'solar rice dryer', relevant: { 'cli-rice-dryer': 2 } }),
      '{"qid": "broken", "lang": "en", "query": ',
      JSON.stringify({ qid: 'bad-lang', lang: 'xx', query: 'flood sensors', relevant: { 'cli-flood': 2 } }),
    ].join('\n') + '\n',
  );
  server = await startEmbeddingServer();
  const openaiEnv = {
    JEMBATAN_EMBEDDINGS: 'openai',
    OPENAI_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    OPENAI_API_KEY: 'test-key',
    JEMBATAN_OPENAI_EMBEDDING_MODEL: 'tiny-hash-embedder',
  };

  // The longest chain goes first: a store built with the openai provider, searched and reindexed under none.
  const openaiStore = { JEMBATAN_DATA_DIR: join(dir, 'store-openai') };
  const otherModel = (async () => {
    const ingest = await cli(['ingest', corpus, '--json'], { ...openaiStore, ...openaiEnv }, true);
    const requests = embeddingRequests;
    const mismatch = await cli(['search', 'solar rice dryer', '--json'], openaiStore, true);
    const reindex = await cli(['reindex'], openaiStore, true);
    const search = await cli(['search', 'solar rice dryer', '--json'], openaiStore, true);
    return { ingest, mismatch, reindex, search, requests };
  })();

  // A store built with provider none; later commands work on copies of it (one PGlite process per data dir).
  const baseStore = join(dir, 'store');
  const ingest = cli(['ingest', corpus, '--json'], { JEMBATAN_DATA_DIR: baseStore });
  let copies = 0;
  const onCopy = async <T>(fn: (dataDir: string) => Promise<T>): Promise<T> => {
    await ingest;
    const dataDir = join(dir, `store-copy-${++copies}`);
    cpSync(baseStore, dataDir, { recursive: true });
    return fn(dataDir);
  };
  const unused = { JEMBATAN_DATA_DIR: join(dir, 'never-created') };
  const missingPath = join(dir, 'no-such-file.jsonl');

  runs = {
    otherModel,
    ingest,
    unknownSector: cli(['search', 'solar dryer', '--sector', 'spaceships'], unused),
    notPostgresUrl: cli(['stats'], { DATABASE_URL: 'mysql://root:hunter2@localhost/jembatan' }),
    unreachableUrl: cli(['stats'], { DATABASE_URL: 'postgres://jembatan:hunter2@127.0.0.1:1/nowhere' }),
    malformedUrl: cli(['stats'], { DATABASE_URL: 'postgres://jembatan:hunter2@db.example:notaport/jembatan' }),
    badEvalFile: cli(['eval', badQueries], unused),
    search: onCopy((d) => cli(['search', 'solar rice dryer', '--json'], { JEMBATAN_DATA_DIR: d })),
    searchNeeds: onCopy((d) => cli(['search', 'solar rice dryer', '--kind', 'need', '--json'], { JEMBATAN_DATA_DIR: d })),
    searchFiltered: onCopy((d) =>
      cli(['search', 'solar rice dryer', '--country', 'th,VN', '--min-trl', '5', '--json'], { JEMBATAN_DATA_DIR: d }),
    ),
    stats: onCopy(async (d) => ({ run: await cli(['stats', '--json'], { JEMBATAN_DATA_DIR: d }), dataDir: d })),
    evalText: onCopy((d) => cli(['eval', queries], { JEMBATAN_DATA_DIR: d })),
    evalJson: onCopy((d) => cli(['eval', queries, '--json'], { JEMBATAN_DATA_DIR: d })),
    missingFile: onCopy(async (d) => ({ run: await cli(['ingest', missingPath], { JEMBATAN_DATA_DIR: d }), path: missingPath })),
  };
  // Each test awaits its own runs; until then a failure must not count as an unhandled rejection.
  for (const promise of Object.values(runs)) (promise as Promise<unknown>).catch(() => undefined);
});

afterAll(async () => {
  if (runs) await Promise.allSettled(Object.values(runs));
  await new Promise((resolve) => server?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 300_000);

/** Waiting for a run may take as long as the whole file, since the runs queue for the CPU. */
const WAIT = 300_000;

describe.concurrent('jembatan CLI', () => {
  it('ingest stores a small JSONL file and prints a JSON summary', async () => {
    const run = await runs.ingest;
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { read: number; added: number; rejected: unknown[]; embeddedPassages: number };
    expect(summary).toMatchObject({ read: LISTINGS.length, added: LISTINGS.length, rejected: [], embeddedPassages: 0 });
    expect(run.stderr).toContain('Embeddings: none');
  }, WAIT);

  it('search --json returns the expected listing first, with reasons', async () => {
    const run = await runs.search;
    expect(run.code, run.stderr).toBe(0);
    const response = JSON.parse(run.stdout) as SearchJson;
    const first = response.results[0]!;
    expect(first.listing.externalId).toBe('cli-rice-dryer');
    expect(first.reasons.sharedTerms).toEqual(expect.arrayContaining(['solar', 'rice', 'dryer']));
    expect(first.passage).toContain('solar powered dryer');
    expect(first.score).toBeGreaterThan(0);
    expect(response.signals).toContain('lexical');
    const ids = response.results.map((r) => r.listing.externalId);
    // These two are removed by the filters in the next test.
    expect(ids).toEqual(expect.arrayContaining(['cli-fish-kiln', 'cli-drying-lab']));
    // By default a search looks for offers and expertise, not needs.
    expect(ids).not.toContain('cli-dryer-need');
    for (const result of response.results) expect(['offer', 'expertise']).toContain(result.listing.kind);
  }, WAIT);

  it('search filters by --kind, --country and --min-trl', async () => {
    const needs = await runs.searchNeeds;
    expect(needs.code, needs.stderr).toBe(0);
    expect((JSON.parse(needs.stdout) as SearchJson).results.map((r) => r.listing.externalId)).toEqual(['cli-dryer-need']);

    // cli-fish-kiln (TH, TRL 4) fails --min-trl only; cli-drying-lab (MY, TRL 6) fails --country only.
    const filtered = await runs.searchFiltered;
    expect(filtered.code, filtered.stderr).toBe(0);
    const results = (JSON.parse(filtered.stdout) as SearchJson).results;
    expect(results.map((r) => r.listing.externalId)).toEqual(['cli-rice-dryer']);
    expect(results[0]!.reasons.countryFit).toBe(true);
  }, WAIT);

  it('stats --json counts listings by kind, status and language', async () => {
    const { run, dataDir } = await runs.stats;
    expect(run.code, run.stderr).toBe(0);
    const stats = JSON.parse(run.stdout) as {
      store: string;
      model: { provider: string };
      glossaryConcepts: number;
      counts: Array<{ kind: string; status: string; language: string; n: number }>;
    };
    expect(stats.store).toBe(dataDir);
    expect(stats.model).toEqual({ provider: 'none' });
    expect(stats.glossaryConcepts).toEqual(expect.any(Number));
    expect(stats.counts).toEqual([
      { kind: 'expertise', status: 'published', language: 'en', n: 1 },
      { kind: 'need', status: 'published', language: 'en', n: 1 },
      { kind: 'offer', status: 'published', language: 'en', n: 4 },
      { kind: 'offer', status: 'published', language: 'id', n: 1 },
    ]);
  }, WAIT);

  it('eval prints recall and MRR overall and per language; --json has the numbers', async () => {
    const text = await runs.evalText;
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/R@1\s+R@5\s+R@10\s+MRR@10\s+nDCG@10/);
    // q1 finds its target first, q2 finds nothing, q3 finds its target first.
    expect(text.stdout).toMatch(/^en\s+2\s+0\.500\s+0\.500\s+0\.500\s+0\.500\s+0\.\d{3}$/m);
    expect(text.stdout).toMatch(/^id\s+1\s+1\.000\s+1\.000\s+1\.000\s+1\.000\s+1\.000$/m);
    expect(text.stdout).toMatch(/^all\s+3\s+0\.667\s+0\.667\s+0\.667\s+0\.667\s+0\.\d{3}$/m);

    const json = await runs.evalJson;
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as {
      overall: Record<string, number>;
      byLanguage: Record<string, Record<string, number>>;
      missingIds: string[];
      perQuery: Array<{ qid: string; ranked: string[] }>;
    };
    expect(report.overall.queries).toBe(3);
    expect(report.overall.recallAt1).toBeCloseTo(2 / 3, 6);
    expect(report.overall.mrrAt10).toBeCloseTo(2 / 3, 6);
    expect(report.byLanguage.en).toMatchObject({ queries: 2, recallAt1: 0.5, mrrAt10: 0.5 });
    expect(report.byLanguage.id).toMatchObject({ queries: 1, recallAt1: 1, mrrAt10: 1, ndcgAt10: 1 });
    expect(report.missingIds).toEqual([]);
    expect(report.perQuery.find((q) => q.qid === 'q2')!.ranked).toEqual([]);
  }, WAIT);

  it('a store built with another embedding model must be reindexed before searching', async () => {
    const { ingest, mismatch, reindex, search, requests } = await runs.otherModel;
    expect(ingest.code, ingest.stderr).toBe(0);
    const summary = JSON.parse(ingest.stdout) as { added: number; embeddedPassages: number };
    expect(summary.added).toBe(LISTINGS.length);
    expect(summary.embeddedPassages).toBe(LISTINGS.length);
    expect(requests).toBeGreaterThan(0);

    expectCleanFailure(mismatch, /`jembatan reindex`/);
    expect(mismatch.stderr).toMatch(/openai model tiny-hash-embedder \(16 dimensions\)/);
    expect(mismatch.stdout).toBe('');

    expect(reindex.code, reindex.stderr).toBe(0);
    expect(reindex.stdout).toMatch(new RegExp(`Reindexed ${LISTINGS.length} listings .* with no embedding model`));

    expect(search.code, search.stderr).toBe(0);
    const response = JSON.parse(search.stdout) as SearchJson;
    expect(response.results[0]!.listing.externalId).toBe('cli-rice-dryer');
    expect(response.signals).not.toContain('dense');
  }, WAIT);

  describe('errors are clear, exit non-zero and show no stack trace', () => {
    it('ingest of a missing file', async () => {
      const { run, path } = await runs.missingFile;
      expectCleanFailure(run, new RegExp(`jembatan: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not exist`));
    }, WAIT);

    it('an unknown --sector value', async () => {
      expectCleanFailure(await runs.unknownSector, /unknown sector "spaceships"; use one of: agrifood/);
    }, WAIT);

    it('a DATABASE_URL that is not a PostgreSQL connection string', async () => {
      const run = await runs.notPostgresUrl;
      expectCleanFailure(run, /jembatan: Invalid environment: DATABASE_URL: must be a postgres:\/\//);
      expect(run.stderr).not.toContain('hunter2');
    }, WAIT);

    it('a DATABASE_URL of a server that does not answer (password not shown)', async () => {
      const run = await runs.unreachableUrl;
      expectCleanFailure(run, /jembatan: Cannot reach the database at postgres:\/\/127\.0\.0\.1:1\/nowhere/);
      expect(run.stderr).not.toContain('hunter2');
    }, WAIT);

    // A malformed URL (bad port) must be a configuration error, never a stack trace carrying the password.
    it('a DATABASE_URL that starts with postgres:// but is not a valid URL', async () => {
      const run = await runs.malformedUrl;
      expectCleanFailure(run, /DATABASE_URL/);
      expect(run.stderr).not.toContain('hunter2');
    }, WAIT);

    it('an eval file with a bad line names the line', async () => {
      const run = await runs.badEvalFile;
      expectCleanFailure(run, /bad-queries\.jsonl has invalid lines/);
      expect(run.stderr).toMatch(/line 2: invalid JSON/);
      expect(run.stderr).toMatch(/line 3: lang:/);
      expect(run.stderr).not.toMatch(/line 1\b/);
    }, WAIT);
  });
});
