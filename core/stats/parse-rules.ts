import { LANGUAGES, type Language } from '../domain/languages.js';
import { LISTING_KINDS, LISTING_STATUSES, type ListingKind, type ListingStatus } from '../domain/listing.js';
import type { Sector } from '../domain/sectors.js';
import { detectLanguage } from '../text/detect-language.js';
import { contentWords } from '../understanding/content-words.js';
import { findCountries } from '../understanding/countries.js';
import { PhraseMatcher, baseText, cut, nonOverlapping, regexSpans, type PhraseEntry, type Span } from '../understanding/phrase-matcher.js';
import { findSectorWords } from '../understanding/sector-words.js';
import { notUnderstood, unsupported } from './errors.js';
import { STATS_LANGUAGES, statsTexts, type StatsLanguage } from './messages.js';
import {
  describePeriod,
  lastRange,
  latestMonthStart,
  latestQuarter,
  monthRange,
  quarterRange,
  relativeRange,
  yearRange,
  type DateRange,
  type PeriodUnit,
  type RelativePeriod,
} from './periods.js';
import {
  ACCEPTED_WORDS,
  ALL_TIME_WORDS,
  COUNT_WORDS,
  DURING_WORDS,
  FILLER_WORDS,
  GROUP_WORDS,
  KIND_WORDS,
  LANGUAGE_NAME_WORDS,
  LANGUAGE_WORDS,
  METRIC_WORDS,
  PEOPLE_WORDS,
  MONTH_WORDS,
  RELATIVE_WORDS,
  SINCE_WORDS,
  STATUS_WORDS,
  TOP_WORDS,
  UNTIL_WORDS,
} from './phrases.js';
import { StatsQuerySchema, SUPPORT, unsupportedParts, withDefaults, type StatsGroupBy, type StatsMetric, type StatsQuery } from './query.js';

/**
 * The rule parser: a statistics question in plain words (English, Indonesian, Malay, Thai, Vietnamese)
 * → a StatsQuery. Phrases are spotted anywhere in the text (core/understanding/phrase-matcher.ts, longest
 * wins where they overlap); countries and sectors come from the core's multilingual word lists. What is
 * left once every known phrase and small word is taken out is reported as `ignored`, never guessed.
 */

export interface ParsedStatsQuestion {
  query: StatsQuery;
  /** The language the answer should be written in (the question's, as far as the phrases tell). */
  language: StatsLanguage;
  /** Words of the question that were not understood and left out of the query. */
  ignored: string[];
  via: 'rules' | 'llm';
}

export interface ParseOptions {
  /** Relative periods ("this year", "last quarter") are resolved against this instant (UTC). */
  now?: Date;
  /** The asker's usual language: breaks ties when the words fit several languages. */
  language?: Language;
}

/** Longest question read (characters): statistics questions are short. */
export const MAX_QUESTION_CHARS = 500;

type Cue =
  | { type: 'metric'; metric: Exclude<StatsMetric, 'languages'> }
  | { type: 'accepted' }
  | { type: 'language_word' }
  | { type: 'people' }
  | { type: 'kind'; kind: ListingKind }
  | { type: 'status'; status: ListingStatus }
  | { type: 'group'; groupBy: StatsGroupBy }
  | { type: 'language_name'; language: Language }
  | { type: 'relative'; period: RelativePeriod }
  | { type: 'all_time' }
  | { type: 'month'; month: number }
  | { type: 'since' }
  | { type: 'until' }
  | { type: 'during' }
  | { type: 'top' }
  | { type: 'count' }
  | { type: 'filler' };

interface CueValue {
  cue: Cue;
  languages: StatsLanguage[];
}

type Item =
  | (Span & { kind: 'cue'; cue: Cue; languages: StatsLanguage[]; phrase: string })
  | (Span & { kind: 'country'; code: string })
  | (Span & { kind: 'sector'; sector: Sector })
  | (Span & { kind: 'year'; year: number })
  | (Span & { kind: 'quarter'; quarter: number })
  | (Span & { kind: 'iso'; date: string })
  | (Span & { kind: 'last'; count: number; unit: PeriodUnit })
  | (Span & { kind: 'top_n'; count: number });

let cueMatcher: PhraseMatcher<CueValue> | undefined;

/** One matcher over every table; a phrase listed in two tables keeps the first (more specific) meaning. */
function cues(): PhraseMatcher<CueValue> {
  if (cueMatcher) return cueMatcher;
  const byPhrase = new Map<string, CueValue & { exact: boolean }>();
  const add = (cue: Cue, table: Record<StatsLanguage, string[]>) => {
    for (const language of STATS_LANGUAGES) {
      for (const phrase of table[language]) {
        const key = phrase.trim().toLowerCase();
        const existing = byPhrase.get(key);
        // Single Vietnamese syllables fold into other words ("từ" → "tu"): they match as written.
        const exact = language === 'vi' && !key.includes(' ');
        if (!existing) byPhrase.set(key, { cue, languages: [language], exact });
        else if (JSON.stringify(existing.cue) === JSON.stringify(cue) && !existing.languages.includes(language)) {
          existing.languages.push(language);
          existing.exact &&= exact;
        }
      }
    }
  };
  add({ type: 'metric', metric: 'introductions_accepted' }, METRIC_WORDS.introductions_accepted);
  add({ type: 'metric', metric: 'unmet_needs' }, METRIC_WORDS.unmet_needs);
  add({ type: 'metric', metric: 'match_funnel' }, METRIC_WORDS.match_funnel);
  for (const language of LANGUAGES) {
    const table = LANGUAGE_NAME_WORDS[language];
    if (table) add({ type: 'language_name', language }, table);
  }
  for (const [groupBy, table] of Object.entries(GROUP_WORDS)) add({ type: 'group', groupBy: groupBy as StatsGroupBy }, table);
  for (const [period, table] of Object.entries(RELATIVE_WORDS)) add({ type: 'relative', period: period as RelativePeriod }, table);
  add({ type: 'all_time' }, ALL_TIME_WORDS);
  for (const metric of ['introductions_requested', 'matches_shown', 'searches', 'listings'] as const) add({ type: 'metric', metric }, METRIC_WORDS[metric]);
  add({ type: 'accepted' }, ACCEPTED_WORDS);
  for (const kind of LISTING_KINDS) add({ type: 'kind', kind }, KIND_WORDS[kind]);
  for (const status of LISTING_STATUSES) add({ type: 'status', status }, STATUS_WORDS[status]);
  MONTH_WORDS.forEach((table, index) => add({ type: 'month', month: index + 1 }, table));
  add({ type: 'top' }, TOP_WORDS);
  add({ type: 'count' }, COUNT_WORDS);
  add({ type: 'language_word' }, LANGUAGE_WORDS);
  add({ type: 'people' }, PEOPLE_WORDS);
  add({ type: 'since' }, SINCE_WORDS);
  add({ type: 'until' }, UNTIL_WORDS);
  add({ type: 'during' }, DURING_WORDS);
  add({ type: 'filler' }, FILLER_WORDS);
  const entries: PhraseEntry<CueValue>[] = [...byPhrase.entries()].map(([phrase, value]) => ({
    phrase,
    value: { cue: value.cue, languages: value.languages },
    exact: value.exact,
  }));
  cueMatcher = new PhraseMatcher(entries);
  return cueMatcher;
}

const UNITS: Record<string, PeriodUnit> = {
  day: 'day', days: 'day', hari: 'day', 'วัน': 'day', ngay: 'day',
  week: 'week', weeks: 'week', minggu: 'week', pekan: 'week', 'สัปดาห์': 'week', 'อาทิตย์': 'week', tuan: 'week',
  month: 'month', months: 'month', bulan: 'month', 'เดือน': 'month', thang: 'month',
  year: 'year', years: 'year', tahun: 'year', 'ปี': 'year', nam: 'year',
};

/** "last 30 days", "30 hari terakhir", "30 hari lepas", "30 วันที่ผ่านมา", "30 ngày qua" (matched folded). */
const LAST_PATTERNS: Array<{ pattern: RegExp; count: number; unit: number }> = [
  { pattern: /(?:last|past|previous)\s+(\d{1,3})\s+(days?|weeks?|months?|years?)\b/gu, count: 1, unit: 2 },
  { pattern: /(?<![\p{L}\d])(\d{1,3})\s+(hari|minggu|pekan|bulan|tahun)\s+(?:terakhir|belakangan|sebelumnya|lepas|yang lalu|kebelakangan)\b/gu, count: 1, unit: 2 },
  { pattern: /(?<!\d)(\d{1,3})\s*(วัน|สัปดาห์|อาทิตย์|เดือน|ปี)\s*(?:ที่ผ่านมา|ล่าสุด|หลังสุด)/gu, count: 1, unit: 2 },
  { pattern: /ย้อนหลัง\s*(\d{1,3})\s*(วัน|สัปดาห์|อาทิตย์|เดือน|ปี)/gu, count: 1, unit: 2 },
  { pattern: /(?<![\p{L}\d])(\d{1,3})\s+(ngay|tuan|thang|nam)\s+(?:qua|gan day|gan nhat|vua qua)\b/gu, count: 1, unit: 2 },
];

const TOP_N_PATTERNS: RegExp[] = [/\btop\s*(\d{1,2})(?!\d)/gu, /(?<![\p{L}\d])(\d{1,2})\s*(?:teratas|terbanyak|อันดับแรก|hang dau|dung dau)/gu];

/** Gregorian 1990–2099 or Thai Buddhist-era 2533–2642 (converted). */
const YEAR_PATTERN = /(?<![\p{L}\p{N}])((?:199|20\d|25[3-9]|26[0-4])\d)(?![\p{L}\p{N}])/gu;
const QUARTER_PATTERNS = [
  /(?<![\p{L}\p{N}])(?:q|quarter|quy|kuartal|triwulan|suku tahun ke-?|suku ke-?|k|s)\s*([1-4])(?![\p{N}])/gu,
  /ไตรมาส(?:ที่)?\s*([1-4])(?![\p{N}])/gu,
];
const ISO_PATTERN = /(?<![\p{N}])(\d{4}-\d{2}-\d{2})(?![\p{N}])/gu;

function regexItems(text: string): Item[] {
  const items: Item[] = [];
  for (const { pattern, count, unit } of LAST_PATTERNS) {
    for (const span of regexSpans(text, new RegExp(pattern.source, 'gu'), true)) {
      const n = Number(span.match[count]);
      const word = (span.match[unit] ?? '').replace(/s$/u, '');
      const u = UNITS[word] ?? UNITS[`${word}s`];
      if (n >= 1 && u) items.push({ kind: 'last', start: span.start, end: span.end, count: n, unit: u });
    }
  }
  for (const pattern of TOP_N_PATTERNS) {
    for (const span of regexSpans(text, new RegExp(pattern.source, 'gu'), true)) {
      const n = Number(span.match[1]);
      if (n >= 1) items.push({ kind: 'top_n', start: span.start, end: span.end, count: n });
    }
  }
  for (const span of regexSpans(text, new RegExp(ISO_PATTERN.source, 'gu'))) {
    items.push({ kind: 'iso', start: span.start, end: span.end, date: span.match[1]! });
  }
  for (const span of regexSpans(text, new RegExp(YEAR_PATTERN.source, 'gu'))) {
    const raw = Number(span.match[1]);
    items.push({ kind: 'year', start: span.start, end: span.end, year: raw >= 2400 ? raw - 543 : raw });
  }
  for (const pattern of QUARTER_PATTERNS) {
    for (const span of regexSpans(text, new RegExp(pattern.source, 'gu'), true)) {
      items.push({ kind: 'quarter', start: span.start, end: span.end, quarter: Number(span.match[1]) });
    }
  }
  return items;
}

function findItems(text: string): Item[] {
  const all: Item[] = [];
  for (const hit of cues().all(text)) all.push({ kind: 'cue', start: hit.start, end: hit.end, cue: hit.value.cue, languages: hit.value.languages, phrase: hit.phrase });
  for (const hit of findCountries(text)) all.push({ kind: 'country', start: hit.start, end: hit.end, code: hit.code });
  for (const hit of findSectorWords(text)) all.push({ kind: 'sector', start: hit.start, end: hit.end, sector: hit.value });
  all.push(...regexItems(text));
  return nonOverlapping(all);
}

/** Words allowed between the parts of a date ("January of 2025", "tháng 1 năm 2025", "มกราคม พ.ศ. 2568"). */
const DATE_GAP = /^(?:[\s,.;:/()\-–]|of|the|bulan|tahun|năm|nam|เดือน|ปี|พ\.ศ\.|ค\.ศ\.)*$/iu;

const AMBIGUOUS_MONTHS = new Set(['may']);

interface DateExpression {
  start: number;
  end: number;
  resolve(now: Date, after?: DateRange): Required<DateRange>;
  /** A month or quarter without a year (its year depends on now and on what came before it). */
  floating: boolean;
  since: boolean;
  until: boolean;
  during?: boolean;
  /** A month name that is also an everyday word ("may"). */
  ambiguous?: boolean;
}

function dateExpressions(items: Item[], base: string[]): DateExpression[] {
  const gap = (from: number, to: number) => DATE_GAP.test(base.slice(from, to).join(''));
  const expressions: DateExpression[] = [];
  const used = new Set<Item>();
  const sorted = [...items].sort((a, b) => a.start - b.start);
  sorted.forEach((item, index) => {
    if (used.has(item)) return;
    const next = sorted[index + 1];
    const yearAfter = next && next.kind === 'year' && gap(item.end, next.start) ? next : undefined;
    // A month or quarter with a year after it is fixed; alone it floats (resolved against now or the range's start).
    const fixedOrFloating = (exact: (year: number) => Required<DateRange>, floating: Pick<DateExpression, 'resolve' | 'ambiguous'>) => {
      if (yearAfter) {
        used.add(yearAfter);
        const year = yearAfter.year;
        expressions.push({ start: item.start, end: yearAfter.end, floating: false, since: false, until: false, resolve: () => exact(year) });
      } else {
        expressions.push({ start: item.start, end: item.end, floating: true, since: false, until: false, ...floating });
      }
    };
    if (item.kind === 'cue' && item.cue.type === 'month') {
      const month = item.cue.month;
      fixedOrFloating((year) => monthRange(year, month), {
        ambiguous: AMBIGUOUS_MONTHS.has(item.phrase),
        resolve: (now, after) => {
          if (after?.from) {
            const [y, m] = after.from.split('-').map(Number) as [number, number];
            return monthRange(month >= m ? y : y + 1, month);
          }
          return monthRange(latestMonthStart(month, now).year, month);
        },
      });
    } else if (item.kind === 'quarter') {
      const quarter = item.quarter;
      fixedOrFloating((year) => quarterRange(year, quarter), { resolve: (now) => quarterRange(latestQuarter(quarter, now).year, quarter) });
    } else if (item.kind === 'year') {
      const year = item.year;
      expressions.push({ start: item.start, end: item.end, floating: false, since: false, until: false, resolve: () => yearRange(year) });
    } else if (item.kind === 'iso') {
      const date = item.date;
      expressions.push({ start: item.start, end: item.end, floating: false, since: false, until: false, resolve: () => ({ from: date, to: date }) });
    }
  });
  // "since"/"until" words count only right before a date.
  for (const expression of expressions) {
    const marker = sorted
      .filter((item) => item.kind === 'cue' && ['since', 'until', 'during'].includes(item.cue.type) && item.end <= expression.start)
      .pop();
    if (marker && marker.kind === 'cue' && DATE_GAP.test(base.slice(marker.end, expression.start).join(''))) {
      if (marker.cue.type === 'since') expression.since = true;
      else if (marker.cue.type === 'until') expression.until = true;
      else expression.during = true;
      expression.start = marker.start;
    }
  }
  // "may" is a month only with a date word before it or a year after it.
  return expressions.filter((expression) => !(expression.ambiguous && !expression.since && !expression.until && !expression.during));
}

interface ResolvedPeriod {
  range: DateRange;
  label?: string;
  spans: Span[];
}

function resolvePeriod(items: Item[], base: string[], language: StatsLanguage, now: Date): ResolvedPeriod | undefined {
  const texts = statsTexts(language);
  for (const item of items) {
    if (item.kind === 'cue' && item.cue.type === 'relative') return { range: relativeRange(item.cue.period, now), spans: [item] };
    if (item.kind === 'last') {
      return { range: lastRange(item.count, item.unit, now), label: texts.t(`period.last_${item.unit}s`, { count: item.count }), spans: [item] };
    }
  }
  const expressions = dateExpressions(items, base);
  const first = expressions[0];
  if (!first) return undefined;
  const second = expressions[1];
  if (second && second.until) {
    const a = first.resolve(now);
    const b = second.resolve(now, a);
    return { range: { from: a.from, to: b.to }, spans: [first, second] };
  }
  const range = first.resolve(now);
  if (first.since) return { range: { from: range.from }, spans: [first] };
  if (first.until) return { range: { to: range.to }, spans: [first] };
  return { range, spans: [first] };
}

function chooseLanguage(items: Item[], text: string, hint: Language | undefined): StatsLanguage {
  const votes = new Map<StatsLanguage, number>();
  for (const item of items) {
    if (item.kind !== 'cue') continue;
    for (const language of item.languages) votes.set(language, (votes.get(language) ?? 0) + 1 / item.languages.length);
  }
  const detected = detectLanguage(text)?.language;
  if (detected === 'th' || detected === 'vi') votes.set(detected, (votes.get(detected) ?? 0) + 100);
  const best = Math.max(0, ...votes.values());
  const tied = STATS_LANGUAGES.filter((language) => best > 0 && (votes.get(language) ?? 0) >= best - 1e-9);
  if (tied.length === 1) return tied[0]!;
  for (const candidate of [hint, detected]) if (candidate && (tied as string[]).includes(candidate)) return candidate as StatsLanguage;
  return tied[0] ?? ((STATS_LANGUAGES as readonly string[]).includes(hint ?? '') ? (hint as StatsLanguage) : 'en');
}

/** Metric priority when several are named ("funnel of matches" is the funnel). */
const METRIC_PRIORITY: Array<Exclude<StatsMetric, 'languages'>> = [
  'match_funnel',
  'unmet_needs',
  'introductions_accepted',
  'introductions_requested',
  'matches_shown',
  'searches',
  'listings',
];

/** Reads a statistics question with the rules; throws StatsQuestionError when no figure is recognised. */
export function parseStatsRules(question: string, options: ParseOptions = {}): ParsedStatsQuestion {
  const now = options.now ?? new Date();
  const text = baseText([...question].slice(0, MAX_QUESTION_CHARS).join('')).trim();
  const items = text ? findItems(text) : [];
  const language = chooseLanguage(items, text, options.language);
  if (!text) throw notUnderstood(language);
  const base = [...text];
  const cueItems = items.filter((item): item is Extract<Item, { kind: 'cue' }> => item.kind === 'cue');
  const has = (type: Cue['type']) => cueItems.filter((item) => item.cue.type === type);
  const understood: Span[] = [];
  const unused: Span[] = [];

  // What is counted.
  const metricItems = has('metric') as Array<Item & { cue: Extract<Cue, { type: 'metric' }> }>;
  const named = METRIC_PRIORITY.find((metric) => metricItems.some((item) => item.cue.metric === metric));
  const groupItems = has('group') as Array<Item & { cue: Extract<Cue, { type: 'group' }> }>;
  const languageWords = has('language_word');
  const kindItems = has('kind') as Array<Item & { cue: Extract<Cue, { type: 'kind' }> }>;
  const statusItems = has('status') as Array<Item & { cue: Extract<Cue, { type: 'status' }> }>;
  const countryItems = items.filter((item): item is Extract<Item, { kind: 'country' }> => item.kind === 'country');
  const sectorItems = items.filter((item): item is Extract<Item, { kind: 'sector' }> => item.kind === 'sector');
  const acceptedItems = has('accepted');

  let metric: StatsMetric | undefined = named;
  if (metric === 'introductions_requested' && acceptedItems.length > 0) {
    metric = 'introductions_accepted';
    understood.push(...acceptedItems);
  } else unused.push(...acceptedItems);
  const asksLanguages = languageWords.length > 0 || groupItems.some((item) => item.cue.groupBy === 'language');
  const people = has('people');
  if (!metric && (asksLanguages || people.length > 0) && kindItems.length === 0 && statusItems.length === 0) {
    metric = 'languages';
    understood.push(...people);
  }
  if (!metric && (kindItems.length || statusItems.length || countryItems.length || sectorItems.length || has('count').length)) metric = 'listings';
  if (!metric) throw notUnderstood(language);
  understood.push(...metricItems.filter((item) => item.cue.metric === metric || metric === 'introductions_accepted'));
  unused.push(...metricItems.filter((item) => !understood.includes(item)));

  // How it is split.
  let groupBy: StatsGroupBy | undefined;
  for (const item of groupItems) {
    if (!groupBy) {
      groupBy = item.cue.groupBy;
      understood.push(item);
    } else if (item.cue.groupBy === groupBy) understood.push(item);
    else unused.push(item);
  }
  if (languageWords.length) {
    if (!groupBy) groupBy = 'language';
    if (groupBy === 'language') understood.push(...languageWords);
    else unused.push(...languageWords);
  }

  // Filters: only those the metric has; the others are reported as not understood.
  const supported = SUPPORT[metric].filters;
  const filters: StatsQuery['filters'] = {};
  const take = <T extends string>(name: (typeof supported)[number], found: Array<Item & { value: T }>): T[] | undefined => {
    if (found.length === 0) return undefined;
    if (!supported.includes(name)) {
      unused.push(...found);
      return undefined;
    }
    understood.push(...found);
    return [...new Set(found.map((item) => item.value))];
  };
  if (metric === 'unmet_needs') understood.push(...kindItems.filter((item) => item.cue.kind === 'need'));
  const kinds = take(
    'kinds',
    kindItems.filter((item) => metric !== 'unmet_needs' || item.cue.kind !== 'need').map((item) => ({ ...item, value: item.cue.kind })),
  );
  if (kinds) filters.kinds = kinds;
  const statuses = take('statuses', statusItems.map((item) => ({ ...item, value: item.cue.status })));
  if (statuses) filters.statuses = statuses;
  const countries = take('countries', countryItems.map((item) => ({ ...item, value: item.code })));
  if (countries) filters.countries = countries as StatsQuery['filters']['countries'];
  const sectors = take('sectors', sectorItems.map((item) => ({ ...item, value: item.sector })));
  if (sectors) filters.sectors = sectors;
  const languageNames = (has('language_name') as Array<Item & { cue: Extract<Cue, { type: 'language_name' }> }>).map((item) => ({
    ...item,
    value: item.cue.language,
  }));
  const languages = take('languages', languageNames);
  if (languages) filters.languages = languages;

  // When.
  const period = has('all_time').length ? undefined : resolvePeriod(items, base, language, now);
  understood.push(...has('all_time'));
  if (period) understood.push(...period.spans);

  // "top 5".
  const topN = items.find((item): item is Extract<Item, { kind: 'top_n' }> => item.kind === 'top_n');
  if (topN) understood.push(topN);

  // Everything else: small words go, content words are reported.
  const key = (span: Span) => `${span.start}:${span.end}`;
  const spent = new Set([...understood, ...unused].map(key));
  const quiet = items.filter((item) => !spent.has(key(item)) && (item.kind === 'cue' || item.kind === 'year' || item.kind === 'quarter'));
  const leftoverText = cut(text, [...understood, ...quiet]);
  const ignored = [...new Set(contentWords(leftoverText, language))].filter((word) => /\p{L}/u.test(word));

  const candidate = {
    metric,
    ...(groupBy ? { groupBy } : {}),
    filters,
    ...(period
      ? { period: { ...period.range, label: period.label ?? describePeriod(period.range, language, now) } }
      : {}),
    ...(topN ? { limit: topN.count } : {}),
  };
  const parsed = StatsQuerySchema.safeParse(candidate);
  if (!parsed.success) throw notUnderstood(language);
  const query = withDefaults(parsed.data);
  const missing = unsupportedParts(query);
  if (missing) throw unsupported(language, query.metric, missing);
  return { query, language, ignored, via: 'rules' };
}
