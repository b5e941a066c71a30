import type { Sector } from '../../core/domain/sectors.js';
import type { MappedRecord, Preset } from './preset.js';

/**
 * NASA technology-transfer portfolio (../shared/data/nasa-t2): patents and software are technology offers
 * from the United States; spinoff stories describe past commercial uses and are not offers.
 */
const CATEGORY_SECTORS: Record<string, Sector[]> = {
  // patents
  aerospace: ['aerospace'],
  communications: ['ict'],
  'electrical and electronics': ['electronics'],
  environment: ['environment'],
  'health medicine and biotechnology': ['health'],
  'information technology and software': ['ict'],
  instrumentation: ['electronics'],
  manufacturing: ['manufacturing'],
  'materials and coatings': ['materials'],
  'mechanical and fluid systems': ['manufacturing'],
  optics: ['electronics'],
  'power generation and storage': ['energy'],
  propulsion: ['aerospace'],
  'robotics automation and control': ['robotics'],
  sensors: ['electronics'],
  // software
  aeronautics: ['aerospace'],
  'autonomous systems': ['robotics'],
  'business systems and project management': ['ict'],
  'crew and life support': ['health', 'aerospace'],
  'data and image processing': ['ict'],
  'data servers processing and handling': ['ict'],
  'design and integration tools': ['ict'],
  'electronics and electrical power': ['electronics', 'energy'],
  'environmental science earth air space exoplanet': ['environment'],
  'materials and processes': ['materials'],
  operations: ['ict'],
  'structures and mechanisms': ['manufacturing'],
  'system testing': ['ict'],
  'vehicle management space air ground': ['aerospace', 'transport'],
};

export const NASA_CATEGORY_SECTORS: Readonly<Record<string, Sector[]>> = CATEGORY_SECTORS;

const text = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

export const nasaT2Preset: Preset = {
  name: 'nasa-t2',
  description: 'NASA T2 portfolio JSONL: patents and software become offers; spinoffs are skipped.',
  map(raw): MappedRecord {
    const kind = text(raw.kind);
    if (kind === 'spinoff') return { skip: 'spinoff stories describe past uses, not offers' };
    if (kind !== 'patent' && kind !== 'software') return { skip: `unknown NASA record kind "${kind}"` };
    const category = text(raw.category_norm || raw.category).toLowerCase();
    const center = text(raw.center);
    return {
      record: {
        external_id: raw.id,
        source: 'nasa-t2',
        kind: 'offer',
        title: raw.title,
        summary: raw.abstract,
        language: 'en',
        country: 'US',
        sectors: CATEGORY_SECTORS[category] ?? [],
        ip_status: kind === 'software' ? 'copyright' : 'unknown',
        partnership: ['licence'],
        organisation: center ? `NASA ${center}` : 'NASA',
        url: raw.url || undefined,
        status: 'published',
      },
      fallbackSectors: [],
    };
  },
};
