import { ListingInputSchema, type ListingInput } from '../../core/domain/listing.js';

/** A valid listing input with overrides (test data written for the project). */
export function listingInput(overrides: Partial<Record<keyof ListingInput, unknown>> = {}): ListingInput {
  return ListingInputSchema.parse({
    external_id: 'test-1',
    source: 'test',
    kind: 'offer',
    title: 'Solar powered water purifier for villages',
    summary: 'A low-cost water purification unit that runs on solar energy and removes bacteria from river water.',
    language: 'en',
    country: 'TH',
    sectors: ['environment'],
    trl: 6,
    partnership: ['licence'],
    status: 'published',
    ...overrides,
  });
}
