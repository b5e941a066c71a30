import { ListingInputSchema, type ListingInput } from '../domain/listing.js';
import type { DenseEncoder } from '../embeddings/provider.js';
import type { Glossary } from '../glossary/glossary.js';
import type { ListingStore } from '../store/listing-store.js';
import { prepareListing } from './prepare.js';

export class ListingValidationError extends Error {
  override name = 'ListingValidationError';
  constructor(readonly problems: Array<{ field: string; message: string }>) {
    super(`Invalid listing: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  }
}

/**
 * Validates, prepares (language, concepts, passages), embeds when a model is active and stores one
 * listing in one transaction. Used by chat flows; files go through the batched ingest pipeline.
 */
export async function saveListing(
  deps: { store: ListingStore; glossary: Glossary; encoder: DenseEncoder | undefined },
  raw: unknown,
): Promise<{ id: number; created: boolean; input: ListingInput }> {
  const parsed = ListingInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ListingValidationError(parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'record', message: issue.message })));
  }
  const prepared = prepareListing(parsed.data, deps.glossary);
  let vectors: Array<Array<number[] | undefined>> | undefined;
  if (deps.encoder) {
    const flat = await deps.encoder.embeddings.embedDocuments(prepared.passages.map((passage) => passage.embeddingText));
    vectors = [flat];
  }
  const [result] = await deps.store.upsertListings([prepared], vectors);
  return { ...result!, input: parsed.data };
}
