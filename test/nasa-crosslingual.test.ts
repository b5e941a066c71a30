import { sharedPath } from './support/shared.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Glossary } from '../core/glossary/glossary.js';
import { Matcher } from '../core/retrieval/match.js';
import type { ListingStore } from '../core/store/listing-store.js';
import { ingest, type IngestSummary } from '../ingest/ingest.js';
import { PRESETS } from '../ingest/presets/index.js';
import { openTestStore, STORE_KINDS } from './support/stores.js';

const NASA = sharedPath('data/nasa-t2/nasa_t2_normalized.jsonl');

/**
 * Needs written for this test (not real user requests), each targeting one NASA offer. The Thai and Khmer
 * ones share no word with the English listings: only the glossary bridges them.
 */
const CASES: Array<{ language: 'en' | 'th' | 'km'; query: string; target: string }> = [
  { language: 'en', query: 'wearable robot to help stroke patients move their arms again', target: 'MSC-TOPS-85' },
  { language: 'th', query: 'หุ่นยนต์สวมใส่ช่วยฟื้นฟูผู้ป่วยอัมพาตให้ขยับแขนได้อีกครั้ง', target: 'MSC-TOPS-85' },
  { language: 'km', query: 'រ៉ូបូតពាក់ សម្រាប់ស្តារមុខងាររាងកាយអ្នកជំងឺដែលខ្វិនដៃ', target: 'MSC-TOPS-85' },
  { language: 'en', query: 'kill bacteria in water with microwaves to make it safe to drink', target: 'MSC-TOPS-53' },
  { language: 'th', query: 'ใช้คลื่นไมโครเวฟฆ่าเชื้อโรคในน้ำ เพื่อผลิตน้ำดื่มสะอาด', target: 'MSC-TOPS-53' },
  { language: 'km', query: 'ប្រើមីក្រូវ៉េវសម្លាប់មេរោគក្នុងទឹក ដើម្បីបានទឹកផឹកស្អាត', target: 'MSC-TOPS-53' },
  { language: 'en', query: 'reconfigurable FPGA on-board computer that tolerates radiation', target: 'GSC-TOPS-35' },
  { language: 'th', query: 'คอมพิวเตอร์บนเอฟพีจีเอสำหรับประมวลผลข้อมูลบนดาวเทียม', target: 'GSC-TOPS-35' },
  { language: 'km', query: 'កុំព្យូទ័រ អេហ្វភីជីអេ សម្រាប់ដំណើរការទិន្នន័យលើផ្កាយរណប', target: 'GSC-TOPS-35' },
];

describe.each(STORE_KINDS)('NASA offers on %s', (kind) => {
  let store: ListingStore;
  let cleanup: () => Promise<void>;
  let matcher: Matcher;
  let summary: IngestSummary;

  beforeAll(async () => {
    ({ store, cleanup } = await openTestStore(kind));
    await store.assertModel({ provider: 'none' });
    const glossary = Glossary.shared();
    summary = await ingest(NASA, store, glossary, undefined, { preset: PRESETS['nasa-t2']!, batchSize: 128 });
    matcher = new Matcher(store, glossary, undefined);
  }, 240_000);

  afterAll(async () => cleanup?.());

  it('ingests the 633 patents and 934 software as offers and skips the spinoffs', () => {
    expect(summary.added).toBe(1567);
    expect(summary.rejected).toEqual([]);
    expect(Object.values(summary.skipped).reduce((a, b) => a + b, 0)).toBe(2387);
    // The file holds near-copies (e.g. the same invention filed twice): they are reported.
    expect(summary.duplicates.length).toBeGreaterThan(5);
    expect(summary.duplicates.some((d) => d.label === 'nasa-t2/ARC-17994-1B' && d.duplicateLabel === 'nasa-t2/ARC-17994-1A')).toBe(true);
  });

  it.each(CASES)('$language: "$query" finds $target in the top 5', async ({ language, query, target }) => {
    const response = await matcher.match(query, { limit: 5 });
    expect(response.language).toBe(language);
    const ids = response.results.map((r) => r.listing.externalId);
    expect(ids).toContain(target);
    const hit = response.results.find((r) => r.listing.externalId === target)!;
    if (language !== 'en') {
      // Cross-language: the match comes from shared glossary concepts, reported as reasons in the query's language.
      expect(hit.reasons.sharedConcepts.length).toBeGreaterThan(0);
    }
    expect(hit.passage.length).toBeGreaterThan(20);
  });

  it('filters by sector and pages without overlap', async () => {
    const first = await matcher.match('sensor for measuring water quality', { limit: 5, sectors: ['electronics'] });
    const second = await matcher.match('sensor for measuring water quality', { limit: 5, offset: 5, sectors: ['electronics'] });
    expect(first.results).toHaveLength(5);
    for (const r of [...first.results, ...second.results]) expect(r.listing.sectors).toContain('electronics');
    const ids = new Set(first.results.map((r) => r.listing.id));
    for (const r of second.results) expect(ids.has(r.listing.id)).toBe(false);
  });

  it('finds needs for an offer (the other direction)', async () => {
    const needs = await matcher.match('wearable robot for rehabilitation', { kinds: ['need'] });
    expect(needs.results).toEqual([]); // the NASA file has offers only
  });
});
