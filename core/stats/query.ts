import { z } from 'zod';
import { COUNTRIES } from '../domain/countries.js';
import { LANGUAGES } from '../domain/languages.js';
import { LISTING_KINDS, LISTING_STATUSES } from '../domain/listing.js';
import { SECTORS } from '../domain/sectors.js';

/**
 * A statistics question as a typed value. Parsers (rules or an LLM) produce it; `core/stats/sql.ts`
 * builds SQL from it with parameters only. Nothing in it is free text that reaches SQL: every value is
 * an enum member or an ISO date, and `period.label` is for display only.
 */

/**
 * What is counted.
 * - `listings`: listings (offers, needs, expertise), by default only published ones.
 * - `searches`: searches run from chat (search_log, plus `search` events).
 * - `matches_shown`: listings shown to a user as search results (one per listing per page shown).
 * - `introductions_requested` / `introductions_accepted`: introduction events.
 * - `unmet_needs`: published needs whose best offer/expertise match scores below the threshold.
 * - `languages`: people (chat users), by the language they chat in.
 * - `match_funnel`: searches → matches shown → introductions requested → accepted.
 */
export const STATS_METRICS = [
  'listings',
  'searches',
  'matches_shown',
  'introductions_requested',
  'introductions_accepted',
  'unmet_needs',
  'languages',
  'match_funnel',
] as const;
export type StatsMetric = (typeof STATS_METRICS)[number];

export const STATS_GROUP_BY = ['country', 'sector', 'kind', 'status', 'trl', 'month', 'language', 'channel'] as const;
export type StatsGroupBy = (typeof STATS_GROUP_BY)[number];

export const STATS_FILTERS = ['kinds', 'statuses', 'countries', 'sectors', 'languages'] as const;
export type StatsFilterName = (typeof STATS_FILTERS)[number];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

const IsoDateSchema = z.string().refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD');

function uniqueList<T extends readonly [string, ...string[]]>(values: T) {
  return z
    .array(z.enum(values))
    .min(1)
    .max(values.length)
    .refine((list) => new Set(list).size === list.length, 'must not repeat a value');
}

export const StatsFiltersSchema = z
  .object({
    kinds: uniqueList(LISTING_KINDS).optional(),
    statuses: uniqueList(LISTING_STATUSES).optional(),
    countries: uniqueList(COUNTRIES).optional(),
    sectors: uniqueList(SECTORS).optional(),
    languages: uniqueList(LANGUAGES).optional(),
  })
  .strict();
export type StatsFilters = z.infer<typeof StatsFiltersSchema>;

/** Calendar days in UTC, both ends included; either end may be open. */
export const StatsPeriodSchema = z
  .object({
    from: IsoDateSchema.optional(),
    to: IsoDateSchema.optional(),
    /** How the period reads to people ("this year (2025)", "ไตรมาสที่แล้ว (Q1 2025)"); never used in SQL. */
    label: z.string().trim().min(1).max(80),
  })
  .strict()
  .refine((period) => !period.from || !period.to || period.from <= period.to, 'from must not be after to');
export type StatsPeriod = z.infer<typeof StatsPeriodSchema>;

export const StatsQuerySchema = z
  .object({
    metric: z.enum(STATS_METRICS),
    groupBy: z.enum(STATS_GROUP_BY).optional(),
    filters: StatsFiltersSchema.default({}),
    period: StatsPeriodSchema.optional(),
    /** Keep only the first N groups ("top 5 sectors"); the total still counts everything. */
    limit: z.number().int().min(1).max(100).optional(),
  })
  .strict();
export type StatsQuery = z.infer<typeof StatsQuerySchema>;

/** Which group-bys and filters each metric supports (the SQL builder has a column for exactly these). */
export const SUPPORT: Record<StatsMetric, { groupBy: readonly StatsGroupBy[]; filters: readonly StatsFilterName[] }> = {
  listings: { groupBy: ['country', 'sector', 'kind', 'status', 'trl', 'month', 'language'], filters: ['kinds', 'statuses', 'countries', 'sectors', 'languages'] },
  unmet_needs: { groupBy: ['country', 'sector', 'trl', 'month', 'language'], filters: ['countries', 'sectors', 'languages'] },
  searches: { groupBy: ['country', 'sector', 'month', 'language', 'channel'], filters: ['countries', 'sectors', 'languages'] },
  matches_shown: { groupBy: ['country', 'sector', 'kind', 'month', 'language', 'channel'], filters: ['kinds', 'countries', 'sectors', 'languages'] },
  introductions_requested: { groupBy: ['country', 'sector', 'kind', 'month', 'language', 'channel'], filters: ['kinds', 'countries', 'sectors', 'languages'] },
  introductions_accepted: { groupBy: ['country', 'sector', 'kind', 'month', 'language', 'channel'], filters: ['kinds', 'countries', 'sectors', 'languages'] },
  languages: { groupBy: ['language', 'channel', 'month'], filters: ['languages'] },
  match_funnel: { groupBy: ['month', 'language', 'channel', 'sector'], filters: ['sectors', 'languages'] },
};

/** What a query asks for that its metric cannot give. */
export interface Unsupported {
  groupBy?: StatsGroupBy;
  filters: StatsFilterName[];
}

/** Undefined when the metric supports everything the query asks for. */
export function unsupportedParts(query: StatsQuery): Unsupported | undefined {
  const support = SUPPORT[query.metric];
  const groupBy = query.groupBy && !support.groupBy.includes(query.groupBy) ? query.groupBy : undefined;
  const filters = STATS_FILTERS.filter((name) => query.filters[name] !== undefined && !support.filters.includes(name));
  return groupBy || filters.length ? { ...(groupBy ? { groupBy } : {}), filters } : undefined;
}

/**
 * The defaults both parsers apply, so a question means the same whoever read it:
 * - listings count published listings unless a status is named or the question groups by status;
 * - "unmet needs" are published needs by definition (kinds and statuses filters are dropped).
 */
export function withDefaults(query: StatsQuery): StatsQuery {
  const next: StatsQuery = { ...query, filters: { ...query.filters } };
  if (next.metric === 'listings' && !next.filters.statuses && next.groupBy !== 'status') next.filters.statuses = ['published'];
  if (next.metric === 'unmet_needs' && next.filters.kinds) delete next.filters.kinds;
  if (next.metric === 'unmet_needs' && next.filters.statuses) delete next.filters.statuses;
  return next;
}
