import { translator } from '../conversation/i18n.js';
import { countryName } from '../conversation/labels.js';
import type { Language } from '../domain/languages.js';
import { log as defaultLog, type Logger } from '../log.js';
import type { Matcher } from '../retrieval/match.js';
import type { Queryable } from '../store/db.js';
import { statsLanguage, statsTexts, type StatsLanguage, type StatsTexts } from './messages.js';
import { formatMonth, monthsBetween, todayOf } from './periods.js';
import { unsupported } from './errors.js';
import { StatsQuerySchema, unsupportedParts, type StatsGroupBy, type StatsQuery } from './query.js';
import { buildStatsPlan, FUNNEL_STAGES, type CountStatements, type FunnelStage, type SqlStatement } from './sql.js';
import { UNMET_THRESHOLD, UnmetNeedScores } from './unmet.js';

export interface StatsColumn {
  /** Stable id: the group-by ('country', 'month' …), 'stage', a funnel stage, or 'count'. */
  key: string;
  /** Header in the answer's language. */
  label: string;
  type: 'text' | 'number';
}

/** A statistics answer, ready for a table (Block Kit fields), a chart and a CSV file. */
export interface StatsAnswer {
  query: StatsQuery;
  language: StatsLanguage;
  title: string;
  columns: StatsColumn[];
  /** One array per row, one cell per column. */
  rows: Array<Array<string | number>>;
  /** The raw group value of each row ('VN', 'agrifood', '2025-01', a funnel stage; null = none); empty when ungrouped. */
  keys: Array<string | null>;
  /** Distinct items counted (a listing in two sectors counts once); the funnel's first stage. */
  total: number;
  /** Answer as CSV (UTF-8 with BOM, CRLF, RFC 4180; a `code` column first when grouped). */
  csv: string;
  /** Definitions and caveats to show under the table, in the answer's language. */
  notes: string[];
}

export interface StatsEngineDeps {
  db: Queryable;
  /** For unmet needs: the same retrieval founders get. */
  matcher: Matcher;
  logger?: Logger;
}

export interface StatsEngineOptions {
  /** Best-match score below which a need is unmet (default UNMET_THRESHOLD, 0.6). */
  unmetThreshold?: number;
  /** Today, for filling months up to now (default: the clock). */
  now?: () => Date;
  /** Called with every statement run (tests, debugging). */
  onSql?: (statement: SqlStatement) => void;
}

interface CountRow {
  key: string | null;
  n: number;
}

/**
 * Runs StatsQuery values against the store. One engine per process: it caches the unmet-need scores
 * (see UnmetNeedScores).
 */
export class StatsEngine {
  private readonly unmet: UnmetNeedScores;
  private readonly logger: Logger;
  readonly unmetThreshold: number;

  constructor(
    private readonly deps: StatsEngineDeps,
    private readonly options: StatsEngineOptions = {},
  ) {
    this.unmet = new UnmetNeedScores(deps.matcher);
    this.logger = (deps.logger ?? defaultLog).child({ component: 'stats' });
    this.unmetThreshold = options.unmetThreshold ?? UNMET_THRESHOLD;
  }

  /** Needs scored with the Matcher so far (the rest came from the cache). */
  get needsScored(): number {
    return this.unmet.scored;
  }

  /**
   * Answers a query (validated here too). Throws StatsQuestionError (`unsupported`) when the metric cannot
   * be split or filtered as asked.
   */
  async answer(input: StatsQuery, options: { language?: Language | string; ignored?: string[] } = {}): Promise<StatsAnswer> {
    const query = StatsQuerySchema.parse(input);
    const language = statsLanguage(options.language);
    const texts = statsTexts(language);
    const missing = unsupportedParts(query);
    if (missing) throw unsupported(language, query.metric, missing);
    const started = Date.now();
    const plan = buildStatsPlan(query);
    let answer: Omit<StatsAnswer, 'csv' | 'notes' | 'title' | 'query' | 'language'>;
    if (plan.kind === 'funnel') {
      const stages = await Promise.all(plan.stages.map(async (stage) => ({ stage: stage.stage, ...(await this.counts(stage.statements)) })));
      answer = this.funnel(query, texts, stages);
    } else {
      let statements: CountStatements;
      if (plan.kind === 'unmet') {
        await this.unmet.refresh(this.deps.db);
        const needs = await this.run<{ id: number; updated_at: unknown }>(plan.candidates);
        const scores = await this.unmet.bestScores(needs);
        statements = plan.count(needs.filter((need) => (scores.get(need.id) ?? 0) < this.unmetThreshold).map((need) => need.id));
      } else statements = plan.statements;
      answer = this.table(query, texts, await this.counts(statements));
    }
    const notes: string[] = [];
    if (query.metric === 'unmet_needs') notes.push(texts.t('note.unmet_threshold', { threshold: this.unmetThreshold }));
    if (query.metric === 'searches' && (query.groupBy === 'country' || query.filters.countries)) notes.push(texts.t('note.searches_country'));
    if (options.ignored?.length) notes.push(texts.t('note.ignored', { words: options.ignored.join(', ') }));
    this.logger.debug({ event: 'stats_answer', metric: query.metric, groupBy: query.groupBy, rows: answer.rows.length, elapsedMs: Date.now() - started });
    return {
      query,
      language,
      title: title(query, texts),
      ...answer,
      csv: toCsv(answer.keys.length ? ['code', ...answer.columns.map((c) => c.label)] : answer.columns.map((c) => c.label), answer.rows.map((row, index) => (answer.keys.length ? [answer.keys[index] ?? '', ...row] : row))),
      notes,
    };
  }

  private async run<T>(statement: SqlStatement): Promise<T[]> {
    this.options.onSql?.(statement);
    return (await this.deps.db.query<T>(statement.text, statement.values)).rows;
  }

  private async counts(statements: CountStatements): Promise<{ groups: CountRow[]; total: number }> {
    const [groups, total] = await Promise.all([
      statements.groups ? this.run<CountRow>(statements.groups) : Promise.resolve([]),
      this.run<{ n: number }>(statements.total),
    ]);
    return { groups: groups.map((row) => ({ key: row.key, n: Number(row.n) })), total: Number(total[0]?.n ?? 0) };
  }

  private today(): string {
    return todayOf(this.options.now?.() ?? new Date());
  }

  private ordered(query: StatsQuery, groups: CountRow[]): CountRow[] {
    let rows = [...groups];
    if (query.groupBy === 'month') {
      const present = new Map(rows.map((row) => [row.key, row.n]));
      const keys = rows.map((row) => row.key).filter((key): key is string => key !== null).sort();
      const first = query.period?.from ?? (keys[0] ? `${keys[0]}-01` : undefined);
      const lastDay = [query.period?.to ?? this.today(), this.today()].sort()[0]!;
      const last = keys.length && `${keys[keys.length - 1]}-01` > lastDay ? `${keys[keys.length - 1]}-01` : lastDay;
      rows = first ? monthsBetween(first, last).map((key) => ({ key, n: present.get(key) ?? 0 })) : [];
    } else if (query.groupBy === 'trl') {
      rows.sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : Number(a.key) - Number(b.key)));
    } else {
      rows.sort((a, b) => b.n - a.n || (a.key === null ? 1 : b.key === null ? -1 : a.key.localeCompare(b.key)));
    }
    return query.limit ? rows.slice(0, query.limit) : rows;
  }

  private table(query: StatsQuery, texts: StatsTexts, counts: { groups: CountRow[]; total: number }) {
    const valueColumn: StatsColumn = { key: 'count', label: metricLabel(query, texts), type: 'number' };
    if (!query.groupBy) return { columns: [valueColumn], rows: [[counts.total]], keys: [], total: counts.total };
    const groupBy = query.groupBy;
    const rows = this.ordered(query, counts.groups);
    return {
      columns: [{ key: groupBy, label: texts.t(`column.${groupBy}`), type: 'text' as const }, valueColumn],
      rows: rows.map((row) => [groupLabel(groupBy, row.key, texts, query), row.n]),
      keys: rows.map((row) => row.key),
      total: counts.total,
    };
  }

  private funnel(query: StatsQuery, texts: StatsTexts, stages: Array<{ stage: FunnelStage; groups: CountRow[]; total: number }>) {
    const total = stages[0]?.total ?? 0;
    if (!query.groupBy) {
      return {
        columns: [
          { key: 'stage', label: texts.t('column.stage'), type: 'text' as const },
          { key: 'count', label: texts.t('column.count'), type: 'number' as const },
        ],
        rows: stages.map((stage) => [texts.t(`stage.${stage.stage}`), stage.total]),
        keys: stages.map((stage) => stage.stage),
        total,
      };
    }
    const groupBy = query.groupBy;
    // Groups ordered by the first stage (searches), then every group any stage has.
    const byStage = new Map(stages.map((stage) => [stage.stage, new Map(stage.groups.map((row) => [row.key, row.n]))]));
    const allKeys = new Map<string | null, number>();
    for (const stage of stages) for (const row of stage.groups) allKeys.set(row.key, Math.max(allKeys.get(row.key) ?? 0, 0));
    for (const row of stages[0]?.groups ?? []) allKeys.set(row.key, row.n);
    const ordered = this.ordered({ ...query, limit: undefined }, [...allKeys.entries()].map(([key, n]) => ({ key, n })));
    const rows = query.limit ? ordered.slice(0, query.limit) : ordered;
    return {
      columns: [
        { key: groupBy, label: texts.t(`column.${groupBy}`), type: 'text' as const },
        ...FUNNEL_STAGES.map((stage) => ({ key: stage, label: texts.t(`stage.${stage}`), type: 'number' as const })),
      ],
      rows: rows.map((row) => [groupLabel(groupBy, row.key, texts, query), ...FUNNEL_STAGES.map((stage) => byStage.get(stage)?.get(row.key) ?? 0)]),
      keys: rows.map((row) => row.key),
      total,
    };
  }
}

// ---- labels ----------------------------------------------------------------------------------------

const CHANNEL_NAMES: Record<string, string> = { telegram: 'Telegram', slack: 'Slack', teams: 'Microsoft Teams', console: 'Console' };

function languageName(code: string, language: StatsLanguage): string {
  try {
    return new Intl.DisplayNames([language, 'en'], { type: 'language', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** How a group value reads in the answer's language. */
export function groupLabel(groupBy: StatsGroupBy, key: string | null, texts: StatsTexts, query?: StatsQuery): string {
  const language = texts.language;
  if (key === null) {
    if (groupBy === 'trl') return texts.t('value.trl_unknown');
    if (groupBy === 'country' && query?.metric === 'searches') return texts.t('value.any_country');
    if (groupBy === 'sector') return texts.t('value.no_sector');
    return texts.t('value.none');
  }
  switch (groupBy) {
    case 'country':
      return countryName(key, language);
    case 'sector':
      return translator(language)(`sector.${key}`);
    case 'kind':
      return texts.t(`kind.${key}`);
    case 'status':
      return translator(language)(`status.${key}`);
    case 'trl':
      return `TRL ${key}`;
    case 'month':
      return formatMonth(`${key}-01`, language, 'short');
    case 'language':
      return languageName(key, language);
    case 'channel':
      return CHANNEL_NAMES[key] ?? key;
  }
}

function metricLabel(query: StatsQuery, texts: StatsTexts): string {
  if (query.metric === 'listings' && query.filters.kinds?.length === 1) return texts.t(`metric.listings.${query.filters.kinds[0]}`);
  if (query.metric === 'listings' && query.filters.kinds) return query.filters.kinds.map((kind) => texts.t(`kind.${kind}`)).join(', ');
  return texts.t(`metric.${query.metric}`);
}

/** "Offers · Vietnam · Agriculture & food · this year (2025)", "Needs by country". */
export function title(query: StatsQuery, texts: StatsTexts): string {
  const language = texts.language;
  let head = metricLabel(query, texts);
  const statuses = query.filters.statuses;
  if (query.metric === 'listings' && statuses && !(statuses.length === 1 && statuses[0] === 'published')) {
    head = `${head} (${statuses.map((status) => translator(language)(`status.${status}`)).join(', ')})`;
  }
  if (query.groupBy) head = texts.t('title.by', { metric: head, group: texts.t(`group.${query.groupBy}`) });
  const parts = [
    head,
    ...(query.filters.countries ?? []).map((code) => countryName(code, language)),
    ...(query.filters.sectors ?? []).map((sector) => translator(language)(`sector.${sector}`)),
    ...(query.filters.languages ?? []).map((code) => languageName(code, language)),
    ...(query.period ? [query.period.label] : []),
  ];
  return parts.join(' · ');
}

// ---- CSV ---------------------------------------------------------------------------------------------

/** A CSV cell: quoted when needed; text that a spreadsheet would run as a formula gets a leading '. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/u.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/u.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV with CRLF line ends and a UTF-8 byte order mark (spreadsheets then read Thai and Vietnamese right). */
export function toCsv(header: string[], rows: Array<Array<string | number | null>>): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
