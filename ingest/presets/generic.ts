import type { MappedRecord, Preset } from './preset.js';

/**
 * The generic mapping (documented in docs/INGEST.md): Jembatan's own field names, plus common aliases.
 * Unknown columns are ignored. `source` may come from the record or from `--source`.
 */
const ALIASES: Record<string, string[]> = {
  external_id: ['external_id', 'id', 'ref', 'reference'],
  source: ['source'],
  kind: ['kind', 'type', 'listing_type'],
  title: ['title', 'name'],
  summary: ['summary', 'description', 'abstract', 'public_summary'],
  confidential: ['confidential', 'confidential_details', 'private_details'],
  language: ['language', 'lang'],
  country: ['country', 'country_code'],
  sectors: ['sectors', 'sector'],
  trl: ['trl', 'technology_readiness_level'],
  ip_status: ['ip_status', 'ip'],
  partnership: ['partnership', 'partnership_types', 'partnerships'],
  owner_ref: ['owner_ref', 'owner'],
  organisation: ['organisation', 'organization', 'institution'],
  url: ['url', 'link'],
  status: ['status'],
  expires_at: ['expires_at', 'expiry', 'expires'],
};

export const genericPreset: Preset = {
  name: 'generic',
  description: "Jembatan's field names (see docs/INGEST.md) with common aliases.",
  map(raw, context): MappedRecord {
    const lower = new Map(Object.entries(raw).map(([key, value]) => [key.trim().toLowerCase(), value]));
    const record: Record<string, unknown> = {};
    for (const [field, names] of Object.entries(ALIASES)) {
      for (const name of names) {
        const value = lower.get(name);
        if (value !== undefined && value !== '') {
          record[field] = value;
          break;
        }
      }
    }
    if (record.source === undefined && context.defaultSource) record.source = context.defaultSource;
    if (typeof record.external_id === 'number') record.external_id = String(record.external_id);
    return { record };
  },
};
