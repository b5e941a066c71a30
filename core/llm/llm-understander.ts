import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';
import { z } from 'zod';
import { COUNTRIES } from '../domain/countries.js';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../domain/languages.js';
import { IP_STATUSES, LISTING_KINDS, PARTNERSHIP_TYPES, type ListingKind } from '../domain/listing.js';
import { SECTORS } from '../domain/sectors.js';
import type { Logger } from '../log.js';
import {
  COMMANDS,
  type DraftFields,
  type Intent,
  type MessageUnderstander,
  type Refinement,
  type Understanding,
  type UnderstandingContext,
} from '../understanding/types.js';
import { LlmOutputError, describeFailure, finishReasonOf, modelName, refusalOf, textOf, withDeadline } from './call.js';
import { dataBlock, newBlockId } from './data-block.js';
import { defaultPrompts, type LlmPrompts } from './prompts.js';

/** Every `Intent['kind']`, checked against the type both ways. */
export const INTENT_KINDS = [
  'command',
  'search',
  'describe_offer',
  'describe_need',
  'refine',
  'more',
  'yes',
  'no',
  'cancel',
  'greeting',
  'thanks',
  'unknown',
] as const satisfies ReadonlyArray<Intent['kind']>;
type MissingIntentKind = Exclude<Intent['kind'], (typeof INTENT_KINDS)[number]>;
const allIntentKindsListed: [MissingIntentKind] extends [never] ? true : MissingIntentKind = true;
void allIntentKindsListed;

/*
 * What the model is asked to produce. Every property is required and nullable, objects are closed: the
 * shape OpenAI's strict structured outputs accept, and the easiest for small local models. The schema is
 * sent to the model; the answer is then validated field by field (see `readIntent` / `readFields`), so one
 * invalid value is dropped instead of losing the whole answer.
 */
export const IntentAnswerSchema = z
  .object({
    intent: z.enum(INTENT_KINDS).describe('What the message means.'),
    command: z.enum(COMMANDS).nullable().describe('For intent "command": which command; otherwise null.'),
    text: z.string().nullable().describe('For "search": the need to search for; for "command": the text after the command; otherwise null.'),
    refinement: z
      .object({
        countries: z.array(z.enum(COUNTRIES)).nullable().describe('ISO 3166-1 alpha-2 codes.'),
        minTrl: z.number().int().min(1).max(9).nullable(),
        kinds: z.array(z.enum(LISTING_KINDS)).nullable(),
        sectors: z.array(z.enum(SECTORS)).nullable(),
        clear: z.boolean().nullable().describe('True when the user removes filters.'),
      })
      .nullable()
      .describe('For intent "refine" only; otherwise null.'),
    language: z.enum(LANGUAGES).nullable().describe('Language of the message, or null when too short to tell.'),
    confidence: z.number().min(0).max(1),
  })
  .describe('How Jembatan should read one chat message.');

export const FieldsAnswerSchema = z
  .object({
    title: z.string().nullable(),
    summary: z.string().nullable(),
    sectors: z.array(z.enum(SECTORS)).max(3).nullable(),
    trl: z.number().int().min(1).max(9).nullable(),
    ipStatus: z.enum(IP_STATUSES).nullable(),
    partnership: z.array(z.enum(PARTNERSHIP_TYPES)).nullable(),
    country: z.enum(COUNTRIES).nullable(),
    organisation: z.string().nullable(),
    confidential: z.string().nullable(),
  })
  .describe('Fields of a listing found in its description; null when not stated.');

export const UNDERSTAND_FUNCTION = 'classify_message';
export const EXTRACT_FUNCTION = 'extract_listing_fields';

/** Longest message or description sent to the model (characters). */
const MAX_MESSAGE_CHARS = 4000;
const MAX_DESCRIPTION_CHARS = 12_000;

const KIND_MEANINGS: Record<ListingKind, string> = {
  offer: 'a technology a university, institute or company offers for licensing or cooperation',
  need: 'a technology or expertise a company is looking for',
  expertise: 'the expertise of a researcher or a laboratory available for cooperation',
};

export interface LlmUnderstanderOptions {
  /** Deadline for one model answer, retries included; past it the fallback answers. */
  timeoutMs: number;
  logger: Logger;
  prompts?: LlmPrompts;
  /**
   * When the fallback is at least this confident (rules give 1 for typed commands and buttons), its answer
   * is used without asking the model. Default 1; `Infinity` always asks the model.
   */
  trustFallbackAt?: number;
}

export interface Dropped {
  field: string;
  value: string;
}

type StructuredRunnable = Runnable<BaseMessage[], { raw: BaseMessage; parsed: unknown }>;

/**
 * Message understanding by an LLM (structured output through tool calling), with another understander
 * (the rules) as fallback: on a timeout, an HTTP error, a refusal or an invalid answer, the fallback's
 * answer is returned and a structured warning logged.
 */
export class LlmUnderstander implements MessageUnderstander {
  private readonly prompts: LlmPrompts;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly trustFallbackAt: number;
  private readonly classify: StructuredRunnable;
  private readonly extract: StructuredRunnable;

  constructor(
    private readonly model: BaseChatModel,
    private readonly fallback: MessageUnderstander,
    options: LlmUnderstanderOptions,
  ) {
    this.prompts = options.prompts ?? defaultPrompts();
    this.logger = options.logger.child({ component: 'llm-understander', model: modelName(model) });
    this.timeoutMs = options.timeoutMs;
    this.trustFallbackAt = options.trustFallbackAt ?? 1;
    // Tool calling rather than the client's default json_schema response_format: with a zod schema the
    // OpenAI SDK validates json_schema answers inside the HTTP call, so one invalid enum value would fail
    // (and be retried as) the whole request instead of being dropped.
    this.classify = model.withStructuredOutput(IntentAnswerSchema, {
      name: UNDERSTAND_FUNCTION,
      method: 'functionCalling',
      includeRaw: true,
    }) as StructuredRunnable;
    this.extract = model.withStructuredOutput(FieldsAnswerSchema, {
      name: EXTRACT_FUNCTION,
      method: 'functionCalling',
      includeRaw: true,
    }) as StructuredRunnable;
  }

  async understand(text: string, context: UnderstandingContext): Promise<Understanding> {
    const message = text.trim();
    let fallbackAnswer: Understanding | undefined;
    if (this.trustFallbackAt <= 1) {
      fallbackAnswer = await this.fallback.understand(text, context);
      if (fallbackAnswer.confidence >= this.trustFallbackAt) return fallbackAnswer;
    }
    if (!message) return fallbackAnswer ?? this.fallback.understand(text, context);
    const started = Date.now();
    try {
      const id = newBlockId();
      const messages = [
        new SystemMessage(
          this.prompts.render('understandSystem', {
            function_name: UNDERSTAND_FUNCTION,
            commands: COMMANDS.join(', '),
            kinds: LISTING_KINDS.join(', '),
            sectors: SECTORS.join(', '),
            languages: LANGUAGES.join(', '),
          }),
        ),
        new HumanMessage(
          this.prompts.render('understandUser', {
            user_language: `${context.language} (${LANGUAGE_NAMES[context.language].english})`,
            awaiting: context.awaiting ?? 'nothing in particular',
            has_results: context.hasResults ? 'yes' : 'no',
            message_block: dataBlock('user_message', message, id, MAX_MESSAGE_CHARS),
          }),
        ),
      ];
      const args = await withDeadline(this.timeoutMs, (signal) => this.callFunction(this.classify, UNDERSTAND_FUNCTION, messages, signal));
      const dropped: Dropped[] = [];
      const understanding = readIntent(args, message, dropped);
      this.reportDropped('understand', dropped);
      this.logger.debug({ event: 'llm_answer', operation: 'understand', intent: understanding.intent.kind, elapsedMs: Date.now() - started });
      return understanding;
    } catch (error) {
      this.reportFailure('understand', error, started);
      return fallbackAnswer ?? this.fallback.understand(text, context);
    }
  }

  async extractFields(text: string, kind: ListingKind, language: Language): Promise<DraftFields> {
    const description = text.trim();
    if (!description) return this.fallback.extractFields(text, kind, language);
    const started = Date.now();
    try {
      const id = newBlockId();
      const messages = [
        new SystemMessage(
          this.prompts.render('extractSystem', {
            kind,
            kind_meaning: KIND_MEANINGS[kind],
            function_name: EXTRACT_FUNCTION,
            sectors: SECTORS.join(', '),
            ip_statuses: IP_STATUSES.join(', '),
            partnership_types: PARTNERSHIP_TYPES.join(', '),
          }),
        ),
        new HumanMessage(
          this.prompts.render('extractUser', {
            language_name: LANGUAGE_NAMES[language].english,
            kind,
            description_block: dataBlock('description', description, id, MAX_DESCRIPTION_CHARS),
          }),
        ),
      ];
      const args = await withDeadline(this.timeoutMs, (signal) => this.callFunction(this.extract, EXTRACT_FUNCTION, messages, signal));
      const dropped: Dropped[] = [];
      const fields = readFields(args, kind, dropped);
      this.reportDropped('extractFields', dropped);
      this.logger.debug({ event: 'llm_answer', operation: 'extractFields', fields: Object.keys(fields), elapsedMs: Date.now() - started });
      return fields;
    } catch (error) {
      this.reportFailure('extractFields', error, started);
      return this.fallback.extractFields(text, kind, language);
    }
  }

  /** Calls the model and returns the arguments of its call to `name` (throws LlmOutputError otherwise). */
  private async callFunction(runnable: StructuredRunnable, name: string, messages: BaseMessage[], signal: AbortSignal): Promise<Record<string, unknown>> {
    const { raw } = await runnable.invoke(messages, { signal });
    const refusal = refusalOf(raw);
    if (refusal !== undefined) throw new LlmOutputError('refusal', `the model refused: ${refusal.slice(0, 200)}`);
    if (finishReasonOf(raw) === 'length') throw new LlmOutputError('truncated', 'the answer was cut at the token limit');
    if (!AIMessage.isInstance(raw)) throw new LlmOutputError('invalid_output', `unexpected ${raw.type} message`);
    const call = raw.tool_calls?.find((toolCall) => toolCall.name === name);
    if (call) return call.args;
    if (raw.invalid_tool_calls?.some((toolCall) => toolCall.name === name || toolCall.name === undefined)) {
      throw new LlmOutputError('malformed_output', `the arguments of ${name} are not valid JSON`);
    }
    const text = textOf(raw).trim();
    if (finishReasonOf(raw) === 'content_filter') throw new LlmOutputError('refusal', 'the answer was withheld by a content filter');
    throw new LlmOutputError('invalid_output', text ? `answered in text instead of calling ${name}` : `no call of ${name}`);
  }

  private reportFailure(operation: string, error: unknown, started: number): void {
    this.logger.warn(
      { event: 'llm_fallback', operation, ...describeFailure(error), elapsedMs: Date.now() - started },
      `LLM ${operation} failed; using the rule-based answer`,
    );
  }

  private reportDropped(operation: string, dropped: Dropped[]): void {
    if (dropped.length === 0) return;
    this.logger.warn({ event: 'llm_invalid_fields', operation, dropped }, `LLM ${operation}: dropped ${dropped.length} invalid value(s)`);
  }
}

// ---- validation of the model's answers ----------------------------------------------------------------

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isNull(value: unknown): boolean {
  return value === null || value === undefined;
}

function pickEnum<T extends string>(allowed: readonly T[], value: unknown, field: string, dropped: Dropped[], normalise?: (text: string) => string): T | undefined {
  if (isNull(value)) return undefined;
  const candidate = typeof value === 'string' && normalise ? normalise(value) : value;
  if (typeof candidate === 'string' && (allowed as readonly string[]).includes(candidate)) return candidate as T;
  dropped.push({ field, value: shown(value) });
  return undefined;
}

function pickEnumList<T extends string>(
  allowed: readonly T[],
  value: unknown,
  field: string,
  dropped: Dropped[],
  options: { max?: number; normalise?: (text: string) => string } = {},
): T[] | undefined {
  if (isNull(value)) return undefined;
  if (!Array.isArray(value)) {
    dropped.push({ field, value: shown(value) });
    return undefined;
  }
  const kept: T[] = [];
  for (const item of value) {
    const valid = pickEnum(allowed, item, field, dropped, options.normalise);
    if (valid !== undefined && !kept.includes(valid)) kept.push(valid);
  }
  if (options.max !== undefined && kept.length > options.max) {
    for (const extra of kept.splice(options.max)) dropped.push({ field, value: shown(extra) });
  }
  return kept.length > 0 ? kept : undefined;
}

function pickTrl(value: unknown, field: string, dropped: Dropped[]): number | undefined {
  if (isNull(value)) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 9) return value;
  dropped.push({ field, value: shown(value) });
  return undefined;
}

function pickText(value: unknown, field: string, dropped: Dropped[], min: number, max: number): string | undefined {
  if (isNull(value)) return undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    const length = Array.from(text).length;
    if (length >= min && length <= max) return text;
  }
  dropped.push({ field, value: shown(value) });
  return undefined;
}

const upper = (text: string) => text.trim().toUpperCase();

/** The model's classification as an Understanding; throws LlmOutputError when the intent is unusable. */
export function readIntent(args: Record<string, unknown>, message: string, dropped: Dropped[]): Understanding {
  const kind = pickEnum(INTENT_KINDS, args.intent, 'intent', dropped);
  if (!kind) throw new LlmOutputError('invalid_output', `no valid intent (got ${shown(args.intent)})`);
  const language = pickEnum(LANGUAGES, args.language, 'language', dropped);
  const confidence = typeof args.confidence === 'number' && args.confidence >= 0 && args.confidence <= 1 ? args.confidence : 0.5;
  const modelText = pickText(args.text, 'text', dropped, 1, 1000);
  let intent: Intent;
  switch (kind) {
    case 'command': {
      const command = pickEnum(COMMANDS, args.command, 'command', dropped);
      if (!command) throw new LlmOutputError('invalid_output', `intent "command" without a valid command (got ${shown(args.command)})`);
      intent = modelText ? { kind, command, rest: modelText } : { kind, command };
      break;
    }
    case 'search':
      // The model's cleaned-up query, unless it is empty or much longer than what the user wrote.
      intent = { kind, query: modelText && modelText.length <= message.length * 2 + 20 ? modelText : message };
      break;
    case 'describe_offer':
    case 'describe_need':
      // The user's own words: the engine extracts the fields from them.
      intent = { kind, text: message };
      break;
    case 'refine': {
      const refinement = readRefinement(args.refinement, dropped);
      if (!refinement) throw new LlmOutputError('invalid_output', 'intent "refine" without a valid refinement');
      intent = { kind, refinement };
      break;
    }
    default:
      intent = { kind };
  }
  return { intent, ...(language ? { language } : {}), confidence, via: 'llm' };
}

function readRefinement(value: unknown, dropped: Dropped[]): Refinement | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    if (!isNull(value)) dropped.push({ field: 'refinement', value: shown(value) });
    return undefined;
  }
  const raw = value as Record<string, unknown>;
  const refinement: Refinement = {};
  const countries = pickEnumList(COUNTRIES, raw.countries, 'refinement.countries', dropped, { normalise: upper });
  if (countries) refinement.countries = countries;
  const minTrl = pickTrl(raw.minTrl, 'refinement.minTrl', dropped);
  if (minTrl !== undefined) refinement.minTrl = minTrl;
  const kinds = pickEnumList(LISTING_KINDS, raw.kinds, 'refinement.kinds', dropped);
  if (kinds) refinement.kinds = kinds;
  const sectors = pickEnumList(SECTORS, raw.sectors, 'refinement.sectors', dropped);
  if (sectors) refinement.sectors = sectors;
  if (raw.clear === true) refinement.clear = true;
  else if (!isNull(raw.clear) && raw.clear !== false) dropped.push({ field: 'refinement.clear', value: shown(raw.clear) });
  return Object.keys(refinement).length > 0 ? refinement : undefined;
}

/** The model's extraction as DraftFields: every value checked, invalid ones dropped (and reported). */
export function readFields(args: Record<string, unknown>, kind: ListingKind, dropped: Dropped[]): DraftFields {
  const fields: DraftFields = { kind };
  const title = pickText(args.title, 'title', dropped, 3, 300);
  if (title) fields.title = title;
  const summary = pickText(args.summary, 'summary', dropped, 10, 20_000);
  if (summary) fields.summary = summary;
  const sectors = pickEnumList(SECTORS, args.sectors, 'sectors', dropped, { max: 3 });
  if (sectors) fields.sectors = sectors;
  const trl = pickTrl(args.trl, 'trl', dropped);
  if (trl !== undefined) fields.trl = trl;
  const ipStatus = pickEnum(IP_STATUSES, args.ipStatus, 'ipStatus', dropped);
  if (ipStatus) fields.ipStatus = ipStatus;
  const partnership = pickEnumList(PARTNERSHIP_TYPES, args.partnership, 'partnership', dropped);
  if (partnership) fields.partnership = partnership;
  const country = pickEnum(COUNTRIES, args.country, 'country', dropped, upper);
  if (country) fields.country = country;
  const organisation = pickText(args.organisation, 'organisation', dropped, 1, 300);
  if (organisation) fields.organisation = organisation;
  const confidential = pickText(args.confidential, 'confidential', dropped, 1, 20_000);
  if (confidential) fields.confidential = confidential;
  return fields;
}
