import type { Sector } from '../../core/domain/sectors.js';

/** A record mapped to Jembatan's field names (validated afterwards), or why the preset skips it. */
export type MappedRecord = { record: Record<string, unknown>; fallbackSectors?: Sector[] } | { skip: string };

/** Maps one source's records to Jembatan's listing fields. */
export interface Preset {
  name: string;
  description: string;
  map(raw: Record<string, unknown>, context: { defaultSource?: string }): MappedRecord;
}
