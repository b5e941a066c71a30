import { ListingInputSchema } from '../domain/listing.js';
import type { DenseEncoder, EmbeddingModelId } from '../embeddings/provider.js';
import type { Glossary } from '../glossary/glossary.js';
import type { ListingStore } from '../store/listing-store.js';
import { dropVectorIndexes } from '../store/vector-index.js';
import { prepareListing } from './prepare.js';

export interface ReindexSummary {
  listings: number;
  passages: number;
  model: EmbeddingModelId | { provider: 'none' };
  seconds: number;
}

/**
 * Rebuilds every listing's passages, lexical index, glossary concepts and vectors with the active
 * glossary and embedding model, batch by batch (each batch one transaction), then records the model.
 */
export async function reindex(
  store: ListingStore,
  glossary: Glossary,
  encoder: DenseEncoder | undefined,
  onProgress?: (done: number) => void,
): Promise<ReindexSummary> {
  const started = performance.now();
  const model: EmbeddingModelId | { provider: 'none' } = encoder
    ? { provider: encoder.provider, model: encoder.model, dimension: await encoder.dimension() }
    : { provider: 'none' };
  await dropVectorIndexes(store.db);
  let listings = 0;
  let passages = 0;
  for await (const batch of store.allListingInputs(100)) {
    const prepared = batch.map(({ row }) => {
      const input = ListingInputSchema.parse({
        ...row,
        trl: row.trl ?? undefined,
        country: typeof row.country === 'string' ? row.country.trim() : row.country,
        confidential: row.confidential ?? undefined,
        expires_at: row.expires_at ?? undefined,
      });
      // Keep the hash of the record as it was ingested, so re-ingesting the same file still changes nothing.
      return { ...prepareListing(input, glossary, input.sectors ?? []), contentHash: String(row.content_hash) };
    });
    let vectors: Array<Array<number[] | undefined>> | undefined;
    if (encoder) {
      const flat = await encoder.embeddings.embedDocuments(prepared.flatMap((l) => l.passages.map((p) => p.embeddingText)));
      let cursor = 0;
      vectors = prepared.map((l) => l.passages.map(() => flat[cursor++]));
    }
    await store.upsertListings(prepared, vectors);
    listings += prepared.length;
    passages += prepared.reduce((sum, l) => sum + l.passages.length, 0);
    onProgress?.(listings);
  }
  await store.recordModel(model);
  await store.setMeta('glossary_version', glossary.version);
  await store.vacuumAnalyze();
  store.invalidateStatistics();
  return { listings, passages, model, seconds: (performance.now() - started) / 1000 };
}
