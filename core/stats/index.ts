/**
 * Statistics in plain words (docs/STATS.md): a question → StatsQuery (rules, or an LLM with the rules as
 * fallback) → SQL built by code with parameters → a table, a CSV and a PNG chart. Channel adapters (the
 * Slack app) use this module; the conversation engine only records match events (events.ts).
 */
import type { Language } from '../domain/languages.js';
import type { StatsAnswer, StatsEngine } from './answer.js';
import type { StatsQuestionParser } from './parse-llm.js';
import type { ParsedStatsQuestion } from './parse-rules.js';

export { StatsEngine, toCsv, title as statsTitle, type StatsAnswer, type StatsColumn, type StatsEngineDeps, type StatsEngineOptions } from './answer.js';
export { renderChart, chartSpec, chartAlt, MAX_CHART_ITEMS, type StatsChart, type ChartOptions } from './chart.js';
export { StatsQuestionError, type StatsHelp } from './errors.js';
export { recordMatchEvent, MATCH_EVENT_KINDS, type MatchEvent, type MatchEventKind } from './events.js';
export { STATS_LANGUAGES, statsLanguage, statsTexts, type StatsLanguage } from './messages.js';
export { LlmStatsParser, RuleStatsParser, STATS_FUNCTION, StatsAnswerSchema, StatsPrompts, statsParserFor, type LlmStatsParserOptions, type StatsQuestionParser } from './parse-llm.js';
export { parseStatsRules, MAX_QUESTION_CHARS, type ParsedStatsQuestion, type ParseOptions } from './parse-rules.js';
export {
  STATS_FILTERS,
  STATS_GROUP_BY,
  STATS_METRICS,
  StatsQuerySchema,
  SUPPORT,
  unsupportedParts,
  withDefaults,
  type StatsFilters,
  type StatsGroupBy,
  type StatsMetric,
  type StatsPeriod,
  type StatsQuery,
} from './query.js';
export { buildStatsPlan, planTexts, planValues, type StatsPlan, type SqlStatement } from './sql.js';
export { UNMET_THRESHOLD } from './unmet.js';

/**
 * One question end to end: parse (throws StatsQuestionError with what can be asked) and answer in the
 * question's language, with the words that were not understood as a note.
 */
export async function askStats(
  parser: StatsQuestionParser,
  engine: StatsEngine,
  question: string,
  options: { now?: Date; language?: Language } = {},
): Promise<{ parsed: ParsedStatsQuestion; answer: StatsAnswer }> {
  const parsed = await parser.parse(question, options);
  const answer = await engine.answer(parsed.query, { language: parsed.language, ignored: parsed.ignored });
  return { parsed, answer };
}
