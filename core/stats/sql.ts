import { addDays } from './periods.js';
import { unsupportedParts, type StatsFilterName, type StatsGroupBy, type StatsQuery } from './query.js';

/**
 * SQL for a StatsQuery, built by code: every fragment of text below is a constant of this file; values
 * (dates, countries, sectors, kinds…) go in as `$n` parameters only. Group-by columns come from a fixed
 * map per source. Runs unchanged on PGlite and PostgreSQL. Times are UTC calendar days.
 */

export interface SqlStatement {
  text: string;
  values: unknown[];
}

/** Rows of a grouped count: `{ key, n }` (key null = no value, e.g. a listing without TRL). */
export interface CountStatements {
  /** Absent when the query is not grouped. */
  groups?: SqlStatement;
  /** `{ n }`: distinct items counted once, whatever the groups (a listing in two sectors counts once). */
  total: SqlStatement;
}

export type FunnelStage = 'searches' | 'shown' | 'requested' | 'accepted';
export const FUNNEL_STAGES: readonly FunnelStage[] = ['searches', 'shown', 'requested', 'accepted'];

export type StatsPlan =
  | { kind: 'count'; statements: CountStatements }
  | { kind: 'funnel'; stages: Array<{ stage: FunnelStage; statements: CountStatements }> }
  /** Unmet needs: pick the candidate needs, score them with the Matcher, then count the unmet ones. */
  | { kind: 'unmet'; candidates: SqlStatement; count: (unmetIds: number[]) => CountStatements };

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

interface Dimension {
  /** SQL expression of the group key (text). */
  key: string;
  /** A lateral join that spreads an array into one row per element (`g.key`). */
  lateral?: string;
}

type FilterBuilder = (params: Params, values: readonly string[]) => string;
type PeriodBuilder = (params: Params, from: string | undefined, to: string | undefined) => string[];

interface Source {
  from: string;
  /** What is counted: `count(DISTINCT <id>)`. */
  id: string;
  dims: Partial<Record<StatsGroupBy, Dimension>>;
  filters: Partial<Record<StatsFilterName, FilterBuilder>>;
  /** The period conditions for the instants [from, to). */
  period: PeriodBuilder;
  where: (params: Params) => string[];
}

const month = (column: string) => `to_char(date_trunc('month', ${column} AT TIME ZONE 'UTC'), 'YYYY-MM')`;
const unnest = (array: string): Dimension => ({ key: 'g.key', lateral: `LEFT JOIN LATERAL unnest(${array}) AS g(key) ON true` });
const anyOf = (column: string, cast: string): FilterBuilder => (params, values) => `${column} = ANY(${params.add([...values])}::${cast}[])`;
const overlaps = (column: string): FilterBuilder => (params, values) => `${column} && ${params.add([...values])}::text[]`;
const between = (column: string): PeriodBuilder => (params, from, to) => [
  ...(from ? [`${column} >= ${params.add(from)}::timestamptz`] : []),
  ...(to ? [`${column} < ${params.add(to)}::timestamptz`] : []),
];

const LISTINGS: Omit<Source, 'where'> = {
  from: 'listings l',
  id: 'l.id',
  dims: {
    country: { key: 'l.country::text' },
    sector: unnest('l.sectors'),
    kind: { key: 'l.kind' },
    status: { key: 'l.status' },
    trl: { key: 'l.trl::text' },
    month: { key: month('l.created_at') },
    language: { key: 'l.language' },
  },
  filters: {
    kinds: anyOf('l.kind', 'text'),
    statuses: anyOf('l.status', 'text'),
    countries: anyOf('l.country::text', 'text'),
    sectors: overlaps('l.sectors'),
    languages: anyOf('l.language', 'text'),
  },
  period: between('l.created_at'),
};

/** Searches from chat (search_log) and `search` events, with the countries each was restricted to. */
const SEARCHES: Source = {
  from: `(SELECT 'log:' || s.id::text AS id, s.created_at AS at, s.channel, s.language, s.sectors,
            CASE WHEN jsonb_typeof(s.filters -> 'countries') = 'array'
                 THEN ARRAY(SELECT jsonb_array_elements_text(s.filters -> 'countries')) ELSE '{}'::text[] END AS countries
       FROM search_log s
     UNION ALL
     SELECT 'event:' || e.id::text, e.occurred_at, e.channel, e.language, e.sectors,
            CASE WHEN e.country IS NULL THEN '{}'::text[] ELSE ARRAY[e.country::text] END
       FROM match_events e WHERE e.event = 'search') q`,
  id: 'q.id',
  dims: {
    country: unnest('q.countries'),
    sector: unnest('q.sectors'),
    month: { key: month('q.at') },
    language: { key: 'q.language' },
    channel: { key: 'q.channel' },
  },
  filters: {
    countries: overlaps('q.countries'),
    sectors: overlaps('q.sectors'),
    languages: anyOf('q.language', 'text'),
  },
  period: between('q.at'),
  where: () => [],
};

const EVENT_NAMES = { shown: 'shown', requested: 'intro_requested', accepted: 'intro_accepted' } as const;

function events(stage: keyof typeof EVENT_NAMES): Source {
  return {
    from: 'match_events e',
    id: 'e.id',
    dims: {
      country: { key: 'e.country::text' },
      sector: unnest('e.sectors'),
      kind: { key: 'e.listing_kind' },
      month: { key: month('e.occurred_at') },
      language: { key: 'e.language' },
      channel: { key: 'e.channel' },
    },
    filters: {
      kinds: anyOf('e.listing_kind', 'text'),
      countries: anyOf('e.country::text', 'text'),
      sectors: overlaps('e.sectors'),
      languages: anyOf('e.language', 'text'),
    },
    period: between('e.occurred_at'),
    where: (params) => [`e.event = ${params.add(EVENT_NAMES[stage])}`],
  };
}

/** People (chat users) by their chat language; in a period: those whose activity overlaps it. */
const PEOPLE: Source = {
  from: 'chat_users u',
  id: 'u.id',
  dims: {
    language: { key: 'u.language' },
    channel: { key: 'u.channel' },
    month: { key: month('u.created_at') },
  },
  filters: { languages: anyOf('u.language', 'text') },
  period: (params, from, to) => [
    ...(from ? [`u.last_seen_at >= ${params.add(from)}::timestamptz`] : []),
    ...(to ? [`u.created_at < ${params.add(to)}::timestamptz`] : []),
  ],
  where: () => [],
};

/** `[from, to)` instants of a period of calendar days (UTC). */
export function periodBounds(period: StatsQuery['period']): { from?: string; to?: string } {
  return {
    ...(period?.from ? { from: `${period.from}T00:00:00.000Z` } : {}),
    ...(period?.to ? { to: `${addDays(period.to, 1)}T00:00:00.000Z` } : {}),
  };
}

function countStatements(source: Source, query: StatsQuery): CountStatements {
  return { ...(query.groupBy ? { groups: statement(source, query, 'groups') } : {}), total: statement(source, query, 'total') };
}

/** One statement over a source: a grouped count, the total count, or the ids counted (with updated_at). */
function statement(source: Source, query: StatsQuery, select: 'groups' | 'total' | 'ids'): SqlStatement {
  const grouped = select === 'groups';
  const params = new Params();
  const conditions = [...source.where(params)];
  for (const [name, values] of Object.entries(query.filters) as Array<[StatsFilterName, string[] | undefined]>) {
    if (!values) continue;
    const filter = source.filters[name];
    if (!filter) throw new Error(`stats: no ${name} filter for ${query.metric}`);
    conditions.push(filter(params, values));
  }
  const bounds = periodBounds(query.period);
  conditions.push(...source.period(params, bounds.from, bounds.to));
  const dimension = grouped && query.groupBy ? source.dims[query.groupBy] : undefined;
  if (grouped && !dimension) throw new Error(`stats: no ${query.groupBy} column for ${query.metric}`);
  // A listing in two sectors shows in both groups, but only in the sectors asked for.
  if (dimension?.lateral && query.groupBy === 'sector' && query.filters.sectors) conditions.push(`g.key = ANY(${params.add([...query.filters.sectors])}::text[])`);
  if (dimension?.lateral && query.groupBy === 'country' && query.filters.countries) conditions.push(`g.key = ANY(${params.add([...query.filters.countries])}::text[])`);
  const where = conditions.length ? `\nWHERE ${conditions.join('\n  AND ')}` : '';
  if (select === 'ids') return { text: `SELECT ${source.id} AS id, l.updated_at\nFROM ${source.from}${where}\nORDER BY 1`, values: params.values };
  if (!dimension) return { text: `SELECT count(DISTINCT ${source.id})::int AS n\nFROM ${source.from}${where}`, values: params.values };
  return {
    text: `SELECT ${dimension.key} AS key, count(DISTINCT ${source.id})::int AS n\nFROM ${source.from}${dimension.lateral ? `\n${dimension.lateral}` : ''}${where}\nGROUP BY 1`,
    values: params.values,
  };
}

function listingsSource(extra: (params: Params) => string[] = () => []): Source {
  return { ...LISTINGS, where: extra };
}

/**
 * The plan of statements for a query. Throws when the query asks for a split or filter its metric does
 * not have (parsers check this first and explain it to the user).
 */
export function buildStatsPlan(query: StatsQuery): StatsPlan {
  if (unsupportedParts(query)) throw new Error(`stats: ${query.metric} does not support this query`);
  switch (query.metric) {
    case 'listings':
      return { kind: 'count', statements: countStatements(listingsSource(), query) };
    case 'searches':
      return { kind: 'count', statements: countStatements(SEARCHES, query) };
    case 'matches_shown':
      return { kind: 'count', statements: countStatements(events('shown'), query) };
    case 'introductions_requested':
      return { kind: 'count', statements: countStatements(events('requested'), query) };
    case 'introductions_accepted':
      return { kind: 'count', statements: countStatements(events('accepted'), query) };
    case 'languages':
      return { kind: 'count', statements: countStatements(PEOPLE, query) };
    case 'match_funnel':
      return {
        kind: 'funnel',
        stages: [
          { stage: 'searches', statements: countStatements(SEARCHES, query) },
          { stage: 'shown', statements: countStatements(events('shown'), query) },
          { stage: 'requested', statements: countStatements(events('requested'), query) },
          { stage: 'accepted', statements: countStatements(events('accepted'), query) },
        ],
      };
    case 'unmet_needs': {
      // Published, unexpired needs that fit the filters and period: what search can still answer.
      const needs = listingsSource((params) => [
        `l.kind = ${params.add('need')}`,
        `l.status = ${params.add('published')}`,
        '(l.expires_at IS NULL OR l.expires_at > now())',
      ]);
      return {
        kind: 'unmet',
        candidates: statement(needs, query, 'ids'),
        count: (unmetIds) => countStatements(listingsSource((params) => [`l.id = ANY(${params.add([...unmetIds])}::int[])`]), query),
      };
    }
  }
}

/** Every SQL text of a plan (for tests and logs; values are separate). */
export function planTexts(plan: StatsPlan, unmetIds: number[] = []): string[] {
  const texts = (statements: CountStatements) => [...(statements.groups ? [statements.groups.text] : []), statements.total.text];
  switch (plan.kind) {
    case 'count':
      return texts(plan.statements);
    case 'funnel':
      return plan.stages.flatMap((stage) => texts(stage.statements));
    case 'unmet':
      return [plan.candidates.text, ...texts(plan.count(unmetIds))];
  }
}

/** Every parameter value of a plan. */
export function planValues(plan: StatsPlan, unmetIds: number[] = []): unknown[] {
  const values = (statements: CountStatements) => [...(statements.groups?.values ?? []), ...statements.total.values];
  switch (plan.kind) {
    case 'count':
      return values(plan.statements);
    case 'funnel':
      return plan.stages.flatMap((stage) => values(stage.statements));
    case 'unmet':
      return [...plan.candidates.values, ...values(plan.count(unmetIds))];
  }
}
