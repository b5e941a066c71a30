import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';
import { z } from 'zod';
import { COUNTRIES } from '../domain/countries.js';
import { LANGUAGES, LANGUAGE_NAMES, isLanguage } from '../domain/languages.js';
import { LISTING_KINDS, LISTING_STATUSES } from '../domain/listing.js';
import { SECTORS } from '../domain/sectors.js';
import { LlmOutputError, describeFailure, finishReasonOf, modelName, refusalOf, textOf, withDeadline } from '../llm/call.js';
import { dataBlock, newBlockId } from '../llm/data-block.js';
import { defaultPrompts } from '../llm/prompts.js';
import type { Logger } from '../log.js';
import { STATS_MESSAGES_DIR, statsLanguage } from './messages.js';
import { parseStatsRules, type ParseOptions, type ParsedStatsQuestion } from './parse-rules.js';
import { describePeriod, relativeRange, todayOf } from './periods.js';
import { STATS_GROUP_BY, STATS_METRICS, StatsQuerySchema, isIsoDate, unsupportedParts, withDefaults, type StatsQuery } from './query.js';

/**
 * Statistics questions read by an LLM with structured output (a forced function call) that fills the
 * same StatsQuery as the rules, with the rules as fallback: on a timeout, an HTTP error, a refusal, an
 * invalid or unsupported answer, or "not understood", the rule parser answers (and its error, with what
 * can be asked, is what the user sees when it cannot either). Same pattern as core/llm/llm-understander.ts.
 */

export interface StatsQuestionParser {
  parse(question: string, options?: ParseOptions): Promise<ParsedStatsQuestion>;
}

/** The rules alone (no LLM configured). */
export class RuleStatsParser implements StatsQuestionParser {
  async parse(question: string, options: ParseOptions = {}): Promise<ParsedStatsQuestion> {
    return parseStatsRules(question, options);
  }
}

export const STATS_FUNCTION = 'read_stats_question';

/** Every property required and nullable, objects closed: what strict structured outputs accept. */
export const StatsAnswerSchema = z
  .object({
    understood: z.boolean().describe('False when the message does not ask for one of the figures.'),
    metric: z.enum(STATS_METRICS).nullable(),
    groupBy: z.enum(STATS_GROUP_BY).nullable(),
    kinds: z.array(z.enum(LISTING_KINDS)).nullable(),
    statuses: z.array(z.enum(LISTING_STATUSES)).nullable(),
    countries: z.array(z.enum(COUNTRIES)).nullable().describe('ISO 3166-1 alpha-2 codes.'),
    sectors: z.array(z.enum(SECTORS)).nullable(),
    languages: z.array(z.enum(LANGUAGES)).nullable(),
    from: z.string().nullable().describe('First day of the period, YYYY-MM-DD.'),
    to: z.string().nullable().describe('Last day of the period, YYYY-MM-DD.'),
    limit: z.number().int().min(1).max(100).nullable(),
    language: z.enum(LANGUAGES).nullable().describe('Language of the question.'),
  })
  .describe('A statistics question read as a query.');

/** Longest question sent to the model (characters). */
const MAX_QUESTION_CHARS = 1000;

export const STATS_PROMPT_DIR = STATS_MESSAGES_DIR;
const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;

/** The two prompt files, checked like core/llm/prompts.ts checks its own: no unknown or missing placeholder. */
export class StatsPrompts {
  private constructor(
    readonly system: string,
    readonly user: string,
  ) {}

  static load(dir: string = STATS_PROMPT_DIR): StatsPrompts {
    const read = (file: string, placeholders: string[]) => {
      const text = readFileSync(join(dir, file), 'utf8').trim();
      const found = new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]!));
      const unknown = [...found].filter((name) => !placeholders.includes(name));
      const missing = placeholders.filter((name) => !found.has(name));
      if (unknown.length || missing.length) throw new Error(`prompts/stats/${file}: unknown ${unknown.join(', ') || '-'}; missing ${missing.join(', ') || '-'}`);
      return text;
    };
    return new StatsPrompts(
      read('parse.system.md', ['function_name', 'group_bys', 'kinds', 'statuses', 'sectors', 'languages', 'today', 'this_year', 'data_rules']),
      read('parse.user.md', ['today', 'user_language', 'question_block']),
    );
  }

  /** Fills a template in one pass, so text inside a value is never itself read as a placeholder. */
  static render(template: string, values: Record<string, string>): string {
    return template.replace(PLACEHOLDER, (_match, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`stats prompt: no value for {{${key}}}`);
      return value;
    });
  }
}

export interface LlmStatsParserOptions {
  /** Deadline for one model answer, retries included; past it the rules answer. */
  timeoutMs: number;
  logger: Logger;
  prompts?: StatsPrompts;
  /**
   * When the rules understood every word of the question, use their reading without asking the model
   * (default true, like the understander's trusted rule answers). False always asks the model.
   */
  trustRules?: boolean;
}

type StructuredRunnable = Runnable<BaseMessage[], { raw: BaseMessage; parsed: unknown }>;

export class LlmStatsParser implements StatsQuestionParser {
  private readonly runnable: StructuredRunnable;
  private readonly logger: Logger;
  private readonly prompts: StatsPrompts;
  private readonly trustRules: boolean;

  constructor(
    model: BaseChatModel,
    private readonly options: LlmStatsParserOptions,
  ) {
    this.prompts = options.prompts ?? StatsPrompts.load();
    this.logger = options.logger.child({ component: 'stats-parser', model: modelName(model) });
    this.trustRules = options.trustRules ?? true;
    this.runnable = model.withStructuredOutput(StatsAnswerSchema, { name: STATS_FUNCTION, method: 'functionCalling', includeRaw: true }) as StructuredRunnable;
  }

  async parse(question: string, options: ParseOptions = {}): Promise<ParsedStatsQuestion> {
    const now = options.now ?? new Date();
    let rules: ParsedStatsQuestion | undefined;
    let rulesError: unknown;
    try {
      rules = parseStatsRules(question, { ...options, now });
    } catch (error) {
      rulesError = error;
    }
    if (this.trustRules && rules && rules.ignored.length === 0) return rules;
    const fallback = () => {
      if (rules) return rules;
      throw rulesError;
    };
    const text = question.trim();
    if (!text) return fallback();
    const started = Date.now();
    try {
      const today = todayOf(now);
      const thisYear = relativeRange('this_year', now);
      const userLanguage = options.language && isLanguage(options.language) ? options.language : (rules?.language ?? 'en');
      const messages = [
        new SystemMessage(
          StatsPrompts.render(this.prompts.system, {
            function_name: STATS_FUNCTION,
            group_bys: STATS_GROUP_BY.join(', '),
            kinds: LISTING_KINDS.join(', '),
            statuses: LISTING_STATUSES.join(', '),
            sectors: SECTORS.join(', '),
            languages: LANGUAGES.join(', '),
            today,
            this_year: `${thisYear.from} to ${thisYear.to}`,
            data_rules: defaultPrompts().dataRules,
          }),
        ),
        new HumanMessage(
          StatsPrompts.render(this.prompts.user, {
            today,
            user_language: `${userLanguage} (${LANGUAGE_NAMES[userLanguage].english})`,
            question_block: dataBlock('stats_question', text, newBlockId(), MAX_QUESTION_CHARS),
          }),
        ),
      ];
      const args = await withDeadline(this.options.timeoutMs, (signal) => this.call(messages, signal));
      const parsed = readStatsAnswer(args, now, rules);
      this.logger.debug({ event: 'llm_answer', operation: 'stats', metric: parsed.query.metric, elapsedMs: Date.now() - started });
      return parsed;
    } catch (error) {
      this.logger.warn({ event: 'llm_fallback', operation: 'stats', ...describeFailure(error), elapsedMs: Date.now() - started }, 'LLM stats parsing failed; using the rules');
      return fallback();
    }
  }

  private async call(messages: BaseMessage[], signal: AbortSignal): Promise<Record<string, unknown>> {
    const { raw } = await this.runnable.invoke(messages, { signal });
    const refusal = refusalOf(raw);
    if (refusal !== undefined) throw new LlmOutputError('refusal', `the model refused: ${refusal.slice(0, 200)}`);
    if (finishReasonOf(raw) === 'length') throw new LlmOutputError('truncated', 'the answer was cut at the token limit');
    if (!AIMessage.isInstance(raw)) throw new LlmOutputError('invalid_output', `unexpected ${raw.type} message`);
    const call = raw.tool_calls?.find((toolCall) => toolCall.name === STATS_FUNCTION);
    if (call) return call.args;
    if (raw.invalid_tool_calls?.some((toolCall) => toolCall.name === STATS_FUNCTION || toolCall.name === undefined)) {
      throw new LlmOutputError('malformed_output', `the arguments of ${STATS_FUNCTION} are not valid JSON`);
    }
    throw new LlmOutputError('invalid_output', textOf(raw).trim() ? `answered in text instead of calling ${STATS_FUNCTION}` : `no call of ${STATS_FUNCTION}`);
  }
}

const nullish = (value: unknown) => value === null || value === undefined;

function enumList<T extends string>(allowed: readonly T[], value: unknown, field: string, normalise: (text: string) => string = (t) => t): T[] | undefined {
  if (nullish(value)) return undefined;
  if (!Array.isArray(value)) throw new LlmOutputError('invalid_output', `${field} is not a list`);
  const list = value.map((item) => (typeof item === 'string' ? normalise(item) : item));
  const bad = list.filter((item) => !(allowed as readonly unknown[]).includes(item));
  if (bad.length) throw new LlmOutputError('invalid_output', `${field} has unknown values`);
  return list.length ? ([...new Set(list)] as T[]) : undefined;
}

/**
 * The model's reading as a ParsedStatsQuestion. Any invalid value makes the whole answer invalid (a
 * statistics figure with one filter silently dropped would be a wrong number, not a smaller one).
 */
export function readStatsAnswer(args: Record<string, unknown>, now: Date, rules?: ParsedStatsQuestion): ParsedStatsQuestion {
  if (args.understood !== true) throw new LlmOutputError('invalid_output', 'the model did not understand the question');
  const metric = args.metric;
  if (typeof metric !== 'string' || !(STATS_METRICS as readonly string[]).includes(metric)) throw new LlmOutputError('invalid_output', 'no valid metric');
  const groupBy = args.groupBy;
  if (!nullish(groupBy) && !(STATS_GROUP_BY as readonly unknown[]).includes(groupBy)) throw new LlmOutputError('invalid_output', 'invalid groupBy');
  const filters: StatsQuery['filters'] = {};
  const kinds = enumList(LISTING_KINDS, args.kinds, 'kinds');
  if (kinds) filters.kinds = kinds;
  const statuses = enumList(LISTING_STATUSES, args.statuses, 'statuses');
  if (statuses) filters.statuses = statuses;
  const countries = enumList(COUNTRIES, args.countries, 'countries', (text) => text.trim().toUpperCase());
  if (countries) filters.countries = countries;
  const sectors = enumList(SECTORS, args.sectors, 'sectors');
  if (sectors) filters.sectors = sectors;
  const languages = enumList(LANGUAGES, args.languages, 'languages');
  if (languages) filters.languages = languages;
  const date = (value: unknown, field: string) => {
    if (nullish(value)) return undefined;
    if (typeof value !== 'string' || !isIsoDate(value.trim())) throw new LlmOutputError('invalid_output', `${field} is not a YYYY-MM-DD date`);
    return value.trim();
  };
  const from = date(args.from, 'from');
  const to = date(args.to, 'to');
  const language = statsLanguage(typeof args.language === 'string' && isLanguage(args.language) ? args.language : rules?.language);
  let period: StatsQuery['period'];
  if (from || to) {
    // Labels are ours, never the model's: the rules' label when they read the same dates, else a description.
    const sameAsRules = rules?.query.period && rules.query.period.from === from && rules.query.period.to === to;
    const label = sameAsRules ? rules!.query.period!.label : describePeriod({ from, to }, language, now);
    period = { ...(from ? { from } : {}), ...(to ? { to } : {}), label };
  }
  const limit = args.limit;
  if (!nullish(limit) && !(typeof limit === 'number' && Number.isInteger(limit) && limit >= 1 && limit <= 100)) throw new LlmOutputError('invalid_output', 'invalid limit');
  const candidate = StatsQuerySchema.safeParse({
    metric,
    ...(groupBy ? { groupBy } : {}),
    filters,
    ...(period ? { period } : {}),
    ...(typeof limit === 'number' ? { limit } : {}),
  });
  if (!candidate.success) throw new LlmOutputError('invalid_output', `not a valid query: ${candidate.error.issues[0]?.message ?? ''}`);
  const query = withDefaults(candidate.data);
  if (unsupportedParts(query)) throw new LlmOutputError('invalid_output', 'a split or filter the metric does not have');
  return { query, language, ignored: [], via: 'llm' };
}

/** The rules alone without a model; the LLM with the rules as fallback with one. */
export function statsParserFor(model: BaseChatModel | undefined, options: LlmStatsParserOptions): StatsQuestionParser {
  return model ? new LlmStatsParser(model, options) : new RuleStatsParser();
}
