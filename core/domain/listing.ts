import { z } from 'zod';
import { LANGUAGES } from './languages.js';
import { SECTORS } from './sectors.js';
import { COUNTRIES } from './countries.js';

export const LISTING_KINDS = ['offer', 'need', 'expertise'] as const;
export type ListingKind = (typeof LISTING_KINDS)[number];

export const LISTING_STATUSES = ['draft', 'pending', 'published', 'rejected', 'archived'] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

export const IP_STATUSES = [
  'granted_patent',
  'patent_pending',
  'unpatented',
  'open_source',
  'trade_secret',
  'copyright',
  'unknown',
] as const;
export type IpStatus = (typeof IP_STATUSES)[number];

export const PARTNERSHIP_TYPES = [
  'licence',
  'joint_venture',
  'research_cooperation',
  'technical_cooperation',
  'investment',
  'sale',
] as const;
export type PartnershipType = (typeof PARTNERSHIP_TYPES)[number];

/** Accepts a list, or a string separated by `|`, `;` or `,` (CSV cells). */
function listOf<T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((value) => {
    if (value === undefined || value === null || value === '') return [];
    if (typeof value === 'string') {
      return value
        .split(/[|;,]/)
        .map((part) => part.trim())
        .filter(Boolean);
    }
    return value;
  }, z.array(z.enum(values)).max(values.length));
}

const emptyToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

/**
 * A listing as it enters Jembatan from any source (file, chat, API), already mapped to our field names.
 * Every entry point validates with this schema.
 */
export const ListingInputSchema = z.object({
  external_id: z.string().trim().min(1, 'must not be empty').max(200),
  source: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lowercase letters, digits, ".", "_" or "-"'),
  kind: z.enum(LISTING_KINDS),
  title: z.string().trim().min(3, 'must have at least 3 characters').max(300),
  summary: z.string().trim().min(10, 'must have at least 10 characters').max(20_000),
  confidential: z.preprocess(emptyToUndefined, z.string().trim().max(20_000).optional()),
  language: z.preprocess(emptyToUndefined, z.enum(LANGUAGES).optional()),
  country: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toUpperCase() : value),
    z.enum(COUNTRIES, { message: 'must be an ISO 3166-1 alpha-2 country code such as TH, VN or ID' }),
  ),
  sectors: listOf(SECTORS).optional(),
  trl: z.preprocess(
    (value) => (value === '' || value === null ? undefined : typeof value === 'string' ? Number(value) : value),
    z.number().int().min(1).max(9).optional(),
  ),
  ip_status: z.preprocess(emptyToUndefined, z.enum(IP_STATUSES).default('unknown')),
  partnership: listOf(PARTNERSHIP_TYPES).default([]),
  owner_ref: z.preprocess(emptyToUndefined, z.string().trim().max(200).optional()),
  organisation: z.preprocess(emptyToUndefined, z.string().trim().max(300).optional()),
  url: z.preprocess(emptyToUndefined, z.url().optional()),
  status: z.preprocess(emptyToUndefined, z.enum(LISTING_STATUSES).default('published')),
  expires_at: z.preprocess(emptyToUndefined, z.coerce.date().optional()),
});
export type ListingInput = z.infer<typeof ListingInputSchema>;

/** A stored listing as the core hands it out. Never contains confidential details. */
export interface PublicListing {
  id: number;
  source: string;
  externalId: string;
  kind: ListingKind;
  title: string;
  summary: string;
  language: string;
  country: string;
  sectors: string[];
  trl: number | null;
  ipStatus: IpStatus;
  partnership: PartnershipType[];
  organisation: string | null;
  url: string | null;
  status: ListingStatus;
  /** Why a moderator rejected or archived it (shown to the owner only). */
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
}
