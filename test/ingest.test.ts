import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTING_KINDS } from '../core/domain/listing.js';
import { Glossary } from '../core/glossary/glossary.js';
import { Matcher } from '../core/retrieval/match.js';
import type { ListingStore } from '../core/store/listing-store.js';
import { ingest, type IngestOptions, type IngestSummary } from '../ingest/ingest.js';
import { PRESETS } from '../ingest/presets/index.js';
import { STORE_KINDS, openTestStore } from './support/stores.js';

// Every listing below is made-up test data written for these tests.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jembatan-ingest-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fileCounter = 0;
function writeInput(extension: string, text: string): string {
  const path = join(dir, `input-${++fileCounter}.${extension}`);
  writeFileSync(path, text);
  return path;
}

const jsonl = (records: object[]) => `${records.map((record) => JSON.stringify(record)).join('\n')}\n`;

function record(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'offer',
    title: 'Solar powered water purifier for villages',
    summary: 'A low-cost water purification unit that runs on solar energy and removes bacteria from river water.',
    language: 'en',
    country: 'TH',
    trl: 6,
    status: 'published',
    ...overrides,
  };
}

interface ListingRowState {
  id: number;
  external_id: string;
  summary: string;
  status: string;
  updated_at: string;
  created_at: string;
  content_hash: string;
}

describe.each(STORE_KINDS)('ingest into %s', (kind) => {
  let store: ListingStore;
  let cleanup: () => Promise<void>;
  const glossary = Glossary.shared();

  beforeAll(async () => {
    ({ store, cleanup } = await openTestStore(kind));
  });
  afterAll(async () => {
    await cleanup?.();
  });

  const run = (path: string, options: Partial<IngestOptions> = {}): Promise<IngestSummary> =>
    ingest(path, store, glossary, undefined, { preset: PRESETS.generic!, ...options });

  async function rows(source: string): Promise<ListingRowState[]> {
    const { rows } = await store.db.query<ListingRowState>(
      `SELECT id, external_id, summary, status, updated_at::text AS updated_at, created_at::text AS created_at, content_hash
       FROM listings WHERE source = $1 ORDER BY external_id`,
      [source],
    );
    return rows;
  }

  async function passageIds(listingId: number): Promise<number[]> {
    const { rows } = await store.db.query<{ id: number }>('SELECT id FROM passages WHERE listing_id = $1 ORDER BY ord', [
      listingId,
    ]);
    return rows.map((row) => row.id);
  }

  async function passagesBySource(source: string): Promise<Map<string, number[]>> {
    const result = new Map<string, number[]>();
    for (const row of await rows(source)) result.set(row.external_id, await passageIds(row.id));
    return result;
  }

  /** Listings (any source) with these external ids, and passages belonging to them. */
  async function traces(externalIds: string[]): Promise<{ listings: number; passages: number }> {
    const { rows: listings } = await store.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM listings WHERE external_id = ANY($1::text[])',
      [externalIds],
    );
    const { rows: passages } = await store.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM passages p JOIN listings l ON l.id = p.listing_id
       WHERE l.external_id = ANY($1::text[])`,
      [externalIds],
    );
    return { listings: listings[0]!.n, passages: passages[0]!.n };
  }

  describe('CSV', () => {
    it('stores good rows and reports bad rows with file, line, field and reason, writing nothing for them', async () => {
      const path = writeInput(
        'csv',
        [
          'external_id,source,kind,title,summary,country,trl,sectors,language',
          'csv-good-1,csv-test,offer,Solar rice dryer,A solar powered dryer for paddy that cuts post-harvest losses.,VN,7,agrifood,en',
          'csv-bad-country,csv-test,offer,Biogas digester,Small biogas digester for pig farms and household cooking.,XX,5,energy,en',
          'csv-bad-trl,csv-test,offer,Mangrove sensor buoy,Floating buoy that measures salinity in mangrove estuaries.,ID,12,environment,en',
          'csv-no-title,csv-test,need,,We need a cold storage room for a fishing cooperative.,PH,,agrifood,en',
          'csv-bad-kind,csv-test,gadget,Rice husk ash cement,Replaces part of cement with rice husk ash in concrete blocks.,KH,6,construction,en',
          // A quoted cell spanning two physical lines: the next row must still get its own line number (9).
          'csv-good-2,csv-test,expertise,Aquaculture disease lab,"Diagnosis of shrimp diseases,',
          'including early mortality syndrome, for farms.",TH,8,agrifood|health,en',
          'csv-good-3,csv-test,need,Flood warning for river towns,Need an early warning system for floods in a river town.,MY,,environment,en',
        ].join('\n') + '\n',
      );

      const summary = await run(path);

      expect(summary.read).toBe(7);
      expect(summary.added).toBe(3);
      expect(summary.updated + summary.unchanged).toBe(0);
      const rejected = summary.rejected.map((r) => ({ file: resolve(r.file), line: r.line, field: r.field }));
      expect(rejected).toEqual([
        { file: path, line: 3, field: 'country' },
        { file: path, line: 4, field: 'trl' },
        { file: path, line: 5, field: 'title' },
        { file: path, line: 6, field: 'kind' },
      ]);
      for (const r of summary.rejected) expect(r.reason.length).toBeGreaterThan(5);
      expect(summary.rejected[0]!.reason).toMatch(/country code/);

      const stored = await rows('csv-test');
      expect(stored.map((row) => row.external_id)).toEqual(['csv-good-1', 'csv-good-2', 'csv-good-3']);
      const multiLine = stored.find((row) => row.external_id === 'csv-good-2')!;
      expect(multiLine.summary).toContain('including early mortality syndrome');
      for (const row of stored) expect((await passageIds(row.id)).length).toBeGreaterThan(0);

      expect(await traces(['csv-bad-country', 'csv-bad-trl', 'csv-no-title', 'csv-bad-kind'])).toEqual({
        listings: 0,
        passages: 0,
      });
    });

    it('reports a broken quoted cell with the file and its line', async () => {
      const path = writeInput(
        'csv',
        [
          'external_id,source,kind,title,summary,country',
          'csv-q-1,csv-quote-report,offer,Cassava starch packaging,Biodegradable trays made from cassava starch.,VN',
          'csv-q-2,csv-quote-report,offer,"Broken "quoted" title",This row has a quote inside a quoted cell.,TH',
        ].join('\n') + '\n',
      );

      const summary = await run(path);

      const broken = summary.rejected.find((r) => r.line === 3);
      expect(broken, JSON.stringify(summary.rejected)).toBeDefined();
      expect(resolve(broken!.file)).toBe(path);
      expect(broken!.reason).toMatch(/quote/i);
      expect(await traces(['csv-q-2'])).toEqual({ listings: 0, passages: 0 });
    });

    // One broken quoted cell must not lose the good rows around it.
    it('still stores the good rows before and after a broken quoted cell', async () => {
      const path = writeInput(
        'csv',
        [
          'external_id,source,kind,title,summary,country',
          'csv-b-1,csv-quote-skip,offer,Cassava starch packaging,Biodegradable trays made from cassava starch.,VN',
          'csv-b-2,csv-quote-skip,offer,"Broken "quoted" title",This row has a quote inside a quoted cell.,TH',
          'csv-b-3,csv-quote-skip,offer,Coconut coir erosion mats,Erosion control mats woven from coconut coir.,PH',
        ].join('\n') + '\n',
      );

      const summary = await run(path);

      expect(summary.rejected.map((r) => r.line)).toEqual([3]);
      expect((await rows('csv-quote-skip')).map((row) => row.external_id)).toEqual(['csv-b-1', 'csv-b-3']);
    });

    // A multi-line row is reported at the line where it starts.
    it('reports a rejected multi-line CSV row at the line where it starts', async () => {
      const path = writeInput(
        'csv',
        [
          'external_id,source,kind,title,summary,country',
          'csv-ml-1,csv-multiline,offer,Palm oil effluent treatment,"Anaerobic treatment of palm oil mill effluent,',
          'with biogas capture.",XX',
        ].join('\n') + '\n',
      );

      const summary = await run(path);

      expect(summary.rejected.map((r) => ({ line: r.line, field: r.field }))).toEqual([{ line: 2, field: 'country' }]);
    });
  });

  describe('JSON and JSONL', () => {
    it('reads a JSON array; bad records are reported by their position in the array', async () => {
      const path = writeInput(
        'json',
        JSON.stringify(
          [
            record({ external_id: 'json-1', source: 'json-test', title: 'Drone crop sprayer' }),
            record({ external_id: 'json-2', source: 'json-test', title: 'Dengue mosquito trap', country: 'LA' }),
            record({ external_id: 'json-3', source: 'json-test', summary: 'too short' }),
            'not an object',
            record({ external_id: 'json-5', source: 'json-test', kind: 'need', title: 'Vaccine cold chain monitor' }),
          ],
          null,
          2,
        ),
      );

      const summary = await run(path);

      expect(summary.read).toBe(5);
      expect(summary.added).toBe(3);
      expect(summary.rejected.map((r) => ({ file: resolve(r.file), line: r.line, field: r.field }))).toEqual([
        { file: path, line: 3, field: 'summary' },
        { file: path, line: 4, field: '(record)' },
      ]);
      expect((await rows('json-test')).map((row) => row.external_id)).toEqual(['json-1', 'json-2', 'json-5']);
      expect(await traces(['json-3'])).toEqual({ listings: 0, passages: 0 });
    });

    it('reads JSONL; an invalid JSON line is reported with its line number and the other lines are stored', async () => {
      const lines = [
        JSON.stringify(record({ external_id: 'jsonl-1', source: 'jsonl-test', title: 'Coastal corrosion coating' })),
        JSON.stringify(record({ external_id: 'jsonl-2', source: 'jsonl-test', title: 'Electric motorbike battery swap' })),
        '{"external_id": "jsonl-3", "source": "jsonl-test", "title": ',
        '',
        JSON.stringify(record({ external_id: 'jsonl-5', source: 'jsonl-test', title: 'Peat fire early detection' })),
        '[1, 2, 3]',
        JSON.stringify(record({ external_id: 'jsonl-7', source: 'jsonl-test', country: 'XX' })),
        JSON.stringify(record({ external_id: 'jsonl-8', source: 'jsonl-test', title: 'Fruit shelf life coating' })),
      ];
      const path = writeInput('jsonl', `${lines.join('\n')}\n`);

      const summary = await run(path);

      expect(summary.added).toBe(4);
      expect(summary.rejected.map((r) => ({ file: resolve(r.file), line: r.line, field: r.field }))).toEqual([
        { file: path, line: 3, field: '(record)' },
        { file: path, line: 6, field: '(record)' },
        { file: path, line: 7, field: 'country' },
      ]);
      expect(summary.rejected[0]!.reason).toMatch(/invalid JSON/);
      expect((await rows('jsonl-test')).map((row) => row.external_id)).toEqual(['jsonl-1', 'jsonl-2', 'jsonl-5', 'jsonl-8']);
      expect(await traces(['jsonl-3', 'jsonl-7'])).toEqual({ listings: 0, passages: 0 });
    });
  });

  describe('idempotence, confidentiality and publication status', () => {
    const SECRET = 'Licensing floor price 4.2 million baht; contact Dr. Quillonbrae privately';
    const base = [
      record({
        external_id: 'idem-1',
        source: 'idem-test',
        title: 'Photocatalytic arsenic removal filter',
        summary: 'A photocatalytic filter that removes arsenic from groundwater wells in rural villages.',
        confidential: SECRET,
      }),
      record({
        external_id: 'idem-2',
        source: 'idem-test',
        title: 'Hydroponic lettuce controller',
        summary: 'Controller for nutrient dosing in hydroponic lettuce farms with low-cost sensors.',
        country: 'SG',
      }),
      record({
        external_id: 'idem-3',
        source: 'idem-test',
        kind: 'expertise',
        title: 'Rice straw mushroom cultivation',
        summary: 'Expertise in growing straw mushrooms on rice straw left after the harvest.',
        country: 'VN',
      }),
    ];
    let path: string;
    let firstRows: ListingRowState[];
    let firstPassages: Map<string, number[]>;

    it('stores the records on the first run', async () => {
      path = writeInput('jsonl', jsonl(base));
      const summary = await run(path);
      expect(summary).toMatchObject({ read: 3, added: 3, updated: 0, unchanged: 0, rejected: [] });
      firstRows = await rows('idem-test');
      firstPassages = await passagesBySource('idem-test');
      expect(firstRows).toHaveLength(3);
    });

    it('re-running the same file reports everything unchanged and writes nothing', async () => {
      const summary = await run(path);
      expect(summary).toMatchObject({ read: 3, added: 0, updated: 0, unchanged: 3, rejected: [], embeddedPassages: 0 });
      expect(await rows('idem-test')).toEqual(firstRows);
      expect(await passagesBySource('idem-test')).toEqual(firstPassages);
    });

    it("changing one record's summary updates exactly that listing and replaces its passages", async () => {
      const changed = base.map((r) =>
        r.external_id === 'idem-2'
          ? { ...r, summary: 'Controller for nutrient dosing in hydroponic lettuce and kale farms, now with pH autotuning.' }
          : r,
      );
      writeFileSync(path, jsonl(changed));

      const summary = await run(path);

      expect(summary).toMatchObject({ read: 3, added: 0, updated: 1, unchanged: 2 });
      const after = await rows('idem-test');
      expect(after).toHaveLength(3);
      const before = new Map(firstRows.map((row) => [row.external_id, row]));
      for (const row of after) {
        const old = before.get(row.external_id)!;
        expect(row.id).toBe(old.id);
        if (row.external_id === 'idem-2') {
          expect(row.summary).toContain('pH autotuning');
          expect(row.content_hash).not.toBe(old.content_hash);
          const { rows: later } = await store.db.query<{ later: boolean }>(
            'SELECT updated_at > $2::timestamptz AS later FROM listings WHERE id = $1',
            [row.id, old.updated_at],
          );
          expect(later).toEqual([{ later: true }]);
          expect(row.created_at).toBe(old.created_at);
        } else {
          expect(row).toEqual(old);
        }
      }
      const passages = await passagesBySource('idem-test');
      const oldIds = firstPassages.get('idem-2')!;
      const newIds = passages.get('idem-2')!;
      expect(newIds.length).toBeGreaterThan(0);
      expect(newIds.filter((id) => oldIds.includes(id))).toEqual([]);
      const { rows: stale } = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM passages WHERE id = ANY($1::int[])', [
        oldIds,
      ]);
      expect(stale[0]!.n).toBe(0);
      const texts = await store.passagesByIds(newIds);
      expect([...texts.values()].map((p) => p.text).join(' ')).toContain('pH autotuning');
      expect(passages.get('idem-1')).toEqual(firstPassages.get('idem-1'));
      expect(passages.get('idem-3')).toEqual(firstPassages.get('idem-3'));
    });

    it('keeps confidential details in listing_confidential and never in match results', async () => {
      const id = firstRows.find((row) => row.external_id === 'idem-1')!.id;
      const { rows: secret } = await store.db.query<{ details: string }>(
        'SELECT details FROM listing_confidential WHERE listing_id = $1',
        [id],
      );
      expect(secret).toEqual([{ details: SECRET }]);
      const { rows: leaked } = await store.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM listings WHERE summary LIKE '%Quillonbrae%' OR title LIKE '%Quillonbrae%'",
      );
      expect(leaked[0]!.n).toBe(0);
      const { rows: leakedPassages } = await store.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM passages WHERE text LIKE '%Quillonbrae%' OR lexemes::text LIKE '%quillonbrae%'",
      );
      expect(leakedPassages[0]!.n).toBe(0);

      const matcher = new Matcher(store, glossary, undefined);
      const found = await matcher.match('photocatalytic arsenic removal filter for groundwater', {
        kinds: [...LISTING_KINDS],
        limit: 50,
      });
      expect(found.results[0]?.listing.externalId).toBe('idem-1');
      const serialized = JSON.stringify(found);
      expect(serialized).not.toContain('Quillonbrae');
      expect(serialized).not.toContain('4.2 million');

      // Searching for the confidential words finds nothing: they are not indexed.
      const bySecret = await matcher.match('Quillonbrae licensing floor price', { kinds: [...LISTING_KINDS], limit: 50 });
      expect(bySecret.results.map((r) => r.listing.externalId)).not.toContain('idem-1');
      expect(JSON.stringify(bySecret)).not.toContain('Quillonbrae');
    });

    it('only returns published, unexpired listings', async () => {
      const text = {
        title: 'Tilapia recirculating aquaculture biofilter',
        summary: 'A recirculating aquaculture biofilter for tilapia tanks that keeps ammonia low with moving bed media.',
      };
      const path2 = writeInput(
        'jsonl',
        jsonl([
          record({ external_id: 'status-published', source: 'status-test', ...text }),
          record({ external_id: 'status-pending', source: 'status-test', ...text, status: 'pending' }),
          record({ external_id: 'status-archived', source: 'status-test', ...text, status: 'archived' }),
          record({ external_id: 'status-draft', source: 'status-test', ...text, status: 'draft' }),
          record({ external_id: 'status-expired', source: 'status-test', ...text, expires_at: '2020-01-01T00:00:00Z' }),
        ]),
      );
      const summary = await run(path2);
      expect(summary.added).toBe(5);

      const matcher = new Matcher(store, glossary, undefined);
      for (const mode of ['hybrid', 'lexical', 'concept'] as const) {
        const response = await matcher.match('tilapia recirculating aquaculture biofilter ammonia', {
          kinds: [...LISTING_KINDS],
          limit: 100,
          mode,
        });
        const ids = response.results.map((r) => r.listing.externalId);
        if (mode !== 'concept') expect(ids[0]).toBe('status-published');
        for (const hidden of ['status-pending', 'status-archived', 'status-draft', 'status-expired']) {
          expect(ids, `${mode}: ${hidden}`).not.toContain(hidden);
        }
        for (const result of response.results) expect(result.listing.status).toBe('published');
      }
    });
  });

  describe('near-duplicates', () => {
    it('reports and stores near-identical listings from two sources', async () => {
      const text =
        'A portable ultrasonic device that detects early bruising in mangoes and durians on packing lines, ' +
        'so exporters can sort fruit before shipping and reduce rejected containers at the port.';
      const first = writeInput(
        'jsonl',
        jsonl([
          record({ external_id: 'dup-a-1', source: 'dup-source-a', title: 'Ultrasonic fruit bruise detector', summary: text }),
          record({
            external_id: 'dup-a-2',
            source: 'dup-source-a',
            title: 'Seaweed bioplastic film',
            summary: 'Edible packaging film made from seaweed extract for street food vendors.',
          }),
        ]),
      );
      const second = writeInput(
        'jsonl',
        jsonl([
          record({
            external_id: 'dup-b-1',
            source: 'dup-source-b',
            title: 'Ultrasonic fruit bruise detector',
            summary: text.replace('mangoes and durians', 'mangoes and mangosteens'),
            country: 'VN',
          }),
        ]),
      );

      const firstSummary = await run(first);
      const summary = await run(second);

      const [aId, bId, otherId] = await Promise.all([
        store.listingByExternalId('dup-source-a', 'dup-a-1'),
        store.listingByExternalId('dup-source-b', 'dup-b-1'),
        store.listingByExternalId('dup-source-a', 'dup-a-2'),
      ]).then((listings) => listings.map((l) => l!.id));
      expect(firstSummary.duplicates.filter((d) => d.listingId === aId || d.duplicateOf === aId)).toEqual([]);
      const pair = summary.duplicates.find((d) => d.listingId === bId);
      expect(pair, JSON.stringify(summary.duplicates)).toMatchObject({
        listingId: bId,
        duplicateOf: aId,
        label: 'dup-source-b/dup-b-1',
        duplicateLabel: 'dup-source-a/dup-a-1',
      });
      expect(pair!.similarity).toBeGreaterThanOrEqual(0.9);
      expect(pair!.similarity).toBeLessThan(1);

      const { rows: stored } = await store.db.query<{ listing_id: number; duplicate_of: number; similarity: number }>(
        'SELECT listing_id, duplicate_of, similarity FROM near_duplicates WHERE listing_id = ANY($1::int[]) OR duplicate_of = ANY($1::int[])',
        [[aId, bId, otherId]],
      );
      expect(stored.map((row) => [row.listing_id, row.duplicate_of])).toEqual([[bId, aId]]);
      expect(stored[0]!.similarity).toBeCloseTo(pair!.similarity, 3);
    });
  });

  describe('long text', () => {
    it('splits a ~5,000-character summary into passages and finds a phrase only present at the end', async () => {
      const sentences: string[] = [];
      const crops = ['cassava', 'maize', 'sugarcane', 'coffee', 'cocoa', 'rubber', 'banana', 'pepper'];
      for (let i = 0; sentences.join(' ').length < 4_800; i++) {
        const crop = crops[i % crops.length]!;
        sentences.push(
          `Field trial ${i + 1} measured soil moisture under ${crop} plots in district number ${i + 3} during the dry season, ` +
            `and compared irrigation schedules recorded by the cooperative over ${i + 2} weeks.`,
        );
      }
      sentences.push('Finally the controller adds a peristaltic zeolite cartridge that traps nitrate runoff.');
      const summary = sentences.join(' ');
      expect(summary.length).toBeGreaterThan(4_800);
      expect(summary.length).toBeLessThan(5_400);
      const path = writeInput(
        'jsonl',
        jsonl([record({ external_id: 'long-1', source: 'long-test', title: 'Smart irrigation controller', summary })]),
      );

      const result = await run(path);
      expect(result.added).toBe(1);

      const listing = await store.listingByExternalId('long-test', 'long-1');
      const { rows: passages } = await store.db.query<{ id: number; ord: number; text: string }>(
        'SELECT id, ord, text FROM passages WHERE listing_id = $1 ORDER BY ord',
        [listing!.id],
      );
      expect(passages.length).toBeGreaterThanOrEqual(5);
      for (const passage of passages) expect(passage.text.length).toBeLessThanOrEqual(1_000);
      expect(passages.filter((p) => p.text.includes('peristaltic zeolite'))).toHaveLength(1);
      expect(passages.at(-1)!.text).toContain('peristaltic zeolite cartridge');

      const matcher = new Matcher(store, glossary, undefined);
      const response = await matcher.match('peristaltic zeolite cartridge', { mode: 'lexical', kinds: [...LISTING_KINDS] });
      expect(response.results[0]?.listing.externalId).toBe('long-1');
      expect(response.results[0]!.passage).toContain('peristaltic zeolite cartridge');
      expect(response.results[0]!.reasons.sharedTerms).toEqual(expect.arrayContaining(['peristaltic', 'zeolite']));
    });
  });
});
