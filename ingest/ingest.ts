import { z } from 'zod';
import { ListingInputSchema, type ListingInput } from '../core/domain/listing.js';
import type { DenseEncoder } from '../core/embeddings/provider.js';
import type { Glossary } from '../core/glossary/glossary.js';
import type { Logger } from '../core/log.js';
import { prepareListing, segmentationLocale, type PreparedListing } from '../core/listings/prepare.js';
import type { ListingStore } from '../core/store/listing-store.js';
import { findNearDuplicates, wordingVector, type DuplicateCandidate, type DuplicatePair } from './near-duplicates.js';
import type { Preset } from './presets/index.js';
import { estimateRecords, listInputFiles, readRecords } from './read-records.js';

export interface RejectedRecord {
  file: string;
  line: number;
  field: string;
  reason: string;
}

export interface IngestSummary {
  files: string[];
  read: number;
  added: number;
  updated: number;
  unchanged: number;
  skipped: Record<string, number>;
  rejected: RejectedRecord[];
  duplicates: DuplicatePair[];
  embeddedPassages: number;
  seconds: number;
}

export interface IngestOptions {
  preset: Preset;
  /** Source name for records that carry none (generic preset). */
  source?: string;
  /** Records written per transaction. */
  batchSize?: number;
  /** Cosine similarity of wording at which two listings count as near-duplicates. */
  duplicateThreshold?: number;
  detectDuplicates?: boolean;
  log?: Logger;
  onProgress?: (event: { done: number; total: number }) => void;
}

interface Pending {
  file: string;
  line: number;
  input: ListingInput;
  fallbackSectors: PreparedListing['input']['sectors'];
}

function describeIssue(issue: z.core.$ZodIssue): { field: string; reason: string } {
  return { field: issue.path.join('.') || '(record)', reason: issue.message };
}

/**
 * Reads files, validates every record, and stores new or changed listings in batches, each batch in one
 * transaction. Unchanged records (same content hash) are not embedded again, so re-running after a crash
 * finishes the job with no duplicates and nothing lost.
 */
export async function ingest(
  path: string,
  store: ListingStore,
  glossary: Glossary,
  encoder: DenseEncoder | undefined,
  options: IngestOptions,
): Promise<IngestSummary> {
  const started = performance.now();
  const files = listInputFiles(path);
  const batchSize = options.batchSize ?? 64;
  const summary: IngestSummary = {
    files,
    read: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    skipped: {},
    rejected: [],
    duplicates: [],
    embeddedPassages: 0,
    seconds: 0,
  };
  const total = files.reduce((sum, file) => sum + Math.max(0, estimateRecords(file)), 0);
  const seen: DuplicateCandidate[] = [];
  const sources = new Set<string>();
  let batch: Pending[] = [];
  let done = 0;

  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    // Later records with the same id in one batch replace earlier ones.
    const unique = new Map<string, Pending>();
    for (const item of current) unique.set(`${item.input.source}\u0000${item.input.external_id}`, item);
    const bySource = new Map<string, Pending[]>();
    for (const item of unique.values()) {
      const list = bySource.get(item.input.source) ?? [];
      list.push(item);
      bySource.set(item.input.source, list);
    }
    const toWrite: PreparedListing[] = [];
    const unchangedItems: PreparedListing[] = [];
    for (const [source, items] of bySource) {
      const hashes = await store.existingHashes(source, items.map((item) => item.input.external_id));
      for (const item of items) {
        const prepared = prepareListing(item.input, glossary, item.fallbackSectors);
        if (hashes.get(item.input.external_id) === prepared.contentHash) unchangedItems.push(prepared);
        else toWrite.push(prepared);
      }
    }
    let vectors: Array<Array<number[] | undefined>> | undefined;
    if (encoder && toWrite.length > 0) {
      const texts = toWrite.flatMap((listing) => listing.passages.map((passage) => passage.embeddingText));
      const flat = await encoder.embeddings.embedDocuments(texts);
      summary.embeddedPassages += flat.length;
      let cursor = 0;
      vectors = toWrite.map((listing) => listing.passages.map(() => flat[cursor++]));
    }
    const written = await store.upsertListings(toWrite, vectors);
    written.forEach((result) => (result.created ? summary.added++ : summary.updated++));
    summary.unchanged += unchangedItems.length;
    if (options.detectDuplicates !== false) {
      const ids = await idsFor(store, unchangedItems);
      const all = [
        ...toWrite.map((listing, index) => ({ listing, id: written[index]!.id })),
        ...unchangedItems.map((listing) => ({ listing, id: ids.get(`${listing.input.source}\u0000${listing.input.external_id}`)! })),
      ];
      for (const { listing, id } of all) {
        if (id === undefined) continue;
        seen.push({
          id,
          label: `${listing.input.source}/${listing.input.external_id}`,
          vector: wordingVector(`${listing.input.title}. ${listing.input.summary}`, segmentationLocale(listing.input.language)),
        });
      }
    }
    options.log?.info(
      { written: toWrite.length, unchanged: unchangedItems.length, done },
      'ingest batch committed',
    );
  };

  for (const file of files) {
    for await (const raw of readRecords(file)) {
      summary.read++;
      done++;
      options.onProgress?.({ done, total: Math.max(total, done) });
      if ('error' in raw) {
        summary.rejected.push({ file: raw.file, line: raw.line, field: '(record)', reason: raw.error });
        continue;
      }
      const mapped = options.preset.map(raw.value, { defaultSource: options.source });
      if ('skip' in mapped) {
        summary.skipped[mapped.skip] = (summary.skipped[mapped.skip] ?? 0) + 1;
        continue;
      }
      const parsed = ListingInputSchema.safeParse(mapped.record);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          summary.rejected.push({ file: raw.file, line: raw.line, ...describeIssue(issue) });
        }
        continue;
      }
      sources.add(parsed.data.source);
      batch.push({ file: raw.file, line: raw.line, input: parsed.data, fallbackSectors: mapped.fallbackSectors ?? [] });
      if (batch.length >= batchSize) await flush();
    }
  }
  await flush();
  // Bulk loads change the tables' shape: refresh the planner's statistics (see ListingStore.vacuumAnalyze).
  if (summary.added + summary.updated >= 1000) await store.vacuumAnalyze();
  store.invalidateStatistics();

  if (options.detectDuplicates !== false) {
    const others = await otherSourceListings(store, [...sources]);
    const pairs = findNearDuplicates([...seen, ...others], options.duplicateThreshold ?? 0.9);
    const known = new Set(seen.map((item) => item.id));
    summary.duplicates = pairs.filter((pair) => known.has(pair.listingId) || known.has(pair.duplicateOf));
    await store.recordNearDuplicates(summary.duplicates);
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

async function idsFor(store: ListingStore, listings: PreparedListing[]): Promise<Map<string, number>> {
  return store.idsByExternalIds(listings.map((l) => ({ source: l.input.source, externalId: l.input.external_id })));
}

/** Listings from other sources, to find the same technology listed by two sources. */
async function otherSourceListings(store: ListingStore, sources: string[]): Promise<DuplicateCandidate[]> {
  const rows = await store.listingTextsOutside(sources);
  return rows.map((row) => ({
    id: row.id,
    label: `${row.source}/${row.externalId}`,
    vector: wordingVector(`${row.title}. ${row.summary}`, segmentationLocale(row.language)),
  }));
}
