import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbTarget } from '../core/store/db.js';
import { ListingStore } from '../core/store/listing-store.js';
import { createPostgresDatabase, type StoreKind } from './support/stores.js';

// Kill `jembatan ingest` with SIGKILL in the middle of a run, then run it again: every committed batch is
// complete, nothing is half-written, and the second run finishes the job without duplicates.

const TOTAL = 600;
const BATCH = 20;
const ROOT = join(import.meta.dirname, '..');

const TOPICS = [
  ['solar rice dryer', 'dries paddy with solar heat to cut post-harvest losses'],
  ['shrimp pond aerator', 'keeps dissolved oxygen up in shrimp ponds at night'],
  ['flood warning sensor', 'measures river levels and sends early flood warnings by SMS'],
  ['biogas digester', 'turns pig manure into cooking gas for farm households'],
  ['cassava starch tray', 'replaces foam food trays with biodegradable cassava starch'],
  ['mangrove salinity buoy', 'logs salinity and temperature in mangrove estuaries'],
] as const;
const COUNTRIES = ['TH', 'VN', 'ID', 'MY', 'PH', 'KH', 'LA', 'MM', 'SG', 'BN'] as const;

/** Synthetic listings written for this test. */
function syntheticListings(): string {
  const lines: string[] = [];
  for (let i = 1; i <= TOTAL; i++) {
    const [topic, what] = TOPICS[i % TOPICS.length]!;
    lines.push(
      JSON.stringify({
        external_id: `resume-${String(i).padStart(4, '0')}`,
        source: 'resume-test',
        kind: i % 3 === 0 ? 'need' : 'offer',
        title: `${topic} variant ${i}`,
        summary: `Synthetic listing ${i}: a ${topic} that ${what}. Batch marker ${Math.floor((i - 1) / BATCH) + 1}, serial ${i * 7919}.`,
        language: 'en',
        country: COUNTRIES[i % COUNTRIES.length],
        trl: (i % 9) + 1,
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  committedBatches: number;
}

/** Runs `jembatan ingest`; with `killAfterBatches`, sends SIGKILL once that many batches were logged as committed. */
function runIngest(file: string, env: NodeJS.ProcessEnv, killAfterBatches?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['scripts/jembatan.mjs', 'ingest', file, '--batch-size', String(BATCH), '--no-duplicates', '--json'],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let committedBatches = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const lines = createInterface({ input: child.stderr, crlfDelay: Infinity });
    lines.on('line', (line) => {
      stderr += `${line}\n`;
      let entry: { msg?: string } | undefined;
      try {
        entry = JSON.parse(line) as { msg?: string };
      } catch {
        return; // not a log line (e.g. the provider notice)
      }
      if (entry?.msg !== 'ingest batch committed') return;
      committedBatches++;
      if (killAfterBatches !== undefined && committedBatches === killAfterBatches) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, committedBatches }));
  });
}

interface StoreState {
  externalIds: string[];
  listings: number;
  withoutPassages: number;
  passages: number;
}

async function storeState(target: DbTarget): Promise<StoreState> {
  const store = await ListingStore.open(await openDb(target));
  try {
    const { rows: ids } = await store.db.query<{ external_id: string }>(
      'SELECT external_id FROM listings ORDER BY external_id',
    );
    const { rows: bare } = await store.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM listings l WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.listing_id = l.id)',
    );
    const { rows: passages } = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM passages');
    return {
      externalIds: ids.map((row) => row.external_id),
      listings: ids.length,
      withoutPassages: bare[0]!.n,
      passages: passages[0]!.n,
    };
  } finally {
    await store.close();
  }
}

const expectedIds = Array.from({ length: TOTAL }, (_, i) => `resume-${String(i + 1).padStart(4, '0')}`);

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jembatan-resume-'));
  file = join(dir, 'listings.jsonl');
  writeFileSync(file, syntheticListings());
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.concurrent('ingest killed mid-run and resumed', () => {
  const kinds: StoreKind[] = ['pglite', 'postgres'];
  it.each(kinds)('%s', async (kind) => {
    const cleanups: Array<() => Promise<void>> = [];
    try {
      let target: DbTarget;
      const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', JEMBATAN_EMBEDDINGS: 'none' };
      if (kind === 'pglite') {
        const dataDir = join(dir, 'pglite-store');
        target = { kind: 'pglite', dataDir };
        env.JEMBATAN_DATA_DIR = dataDir;
        delete env.DATABASE_URL;
      } else {
        const database = await createPostgresDatabase();
        cleanups.push(() => database.drop());
        target = { kind: 'postgres', url: database.url };
        env.DATABASE_URL = database.url;
      }

      const killed = await runIngest(file, env, 3);
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      expect(killed.committedBatches).toBeGreaterThanOrEqual(3);
      expect(killed.stdout).toBe(''); // it never got to print a summary

      const partial = await storeState(target);
      expect(partial.listings).toBeGreaterThanOrEqual(3 * BATCH);
      expect(partial.listings).toBeLessThan(TOTAL);
      expect(partial.listings % BATCH).toBe(0);
      // Batches are committed in file order: what is stored is exactly the first N records.
      expect(partial.externalIds).toEqual(expectedIds.slice(0, partial.listings));
      expect(partial.withoutPassages).toBe(0);
      expect(partial.passages).toBe(partial.listings); // every summary here fits in one passage

      const resumed = await runIngest(file, env);
      expect(resumed.code, resumed.stderr).toBe(0);
      const summary = JSON.parse(resumed.stdout) as {
        read: number;
        added: number;
        updated: number;
        unchanged: number;
        rejected: unknown[];
      };
      expect(summary).toMatchObject({
        read: TOTAL,
        added: TOTAL - partial.listings,
        updated: 0,
        unchanged: partial.listings,
        rejected: [],
      });
      expect(resumed.committedBatches).toBe(TOTAL / BATCH);

      const final = await storeState(target);
      expect(final.listings).toBe(TOTAL);
      expect(final.externalIds).toEqual(expectedIds);
      expect(final.withoutPassages).toBe(0);
      expect(final.passages).toBe(TOTAL);
    } finally {
      for (const cleanup of cleanups) await cleanup();
    }
    // Two child processes per store kind; allow for a busy machine.
  }, 180_000);
});
