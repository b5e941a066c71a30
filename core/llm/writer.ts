import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { LANGUAGE_NAMES, type Language } from '../domain/languages.js';
import type { Logger } from '../log.js';
import { LlmOutputError, describeFailure, finishReasonOf, modelName, refusalOf, textOf, withDeadline } from './call.js';
import { dataBlock, newBlockId } from './data-block.js';
import { checkExplanation, checkTranslation, type GuardVerdict } from './output-guard.js';
import { defaultPrompts, type LlmPrompts } from './prompts.js';

export interface ExplainMatchInput {
  /** The user's need, as they wrote it. */
  need: string;
  listing: { title: string; summary: string };
  /** The user's language: the explanation is written in it. */
  language: Language;
}

export interface TranslateSummaryInput {
  text: string;
  from: Language;
  to: Language;
}

/** Texts written by a model for users; `undefined` whenever there is none worth showing. */
export interface TextWriter {
  /** One or two sentences, in the user's language, on why the listing fits the need. */
  explainMatch(input: ExplainMatchInput): Promise<string | undefined>;
  /** A listing summary in another language (the caller labels it machine-translated). */
  translateSummary(input: TranslateSummaryInput): Promise<string | undefined>;
}

export interface LlmWriterOptions {
  /** Deadline for one answer, retries included. */
  timeoutMs: number;
  logger: Logger;
  prompts?: LlmPrompts;
  /** Longest summary sent for translation (characters); longer ones are not translated. Default 6000. */
  maxTranslateChars?: number;
}

const MAX_NEED_CHARS = 2000;
const MAX_TITLE_CHARS = 300;
const MAX_SUMMARY_CHARS = 6000;

/**
 * Match explanations and summary translations by an LLM. Listing and user text reach the model only inside
 * delimited data blocks; every answer is checked (output-guard.ts) and dropped, with a structured warning,
 * when the call fails or the text does not pass.
 */
export class LlmWriter implements TextWriter {
  private readonly prompts: LlmPrompts;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly maxTranslateChars: number;

  constructor(
    private readonly model: BaseChatModel,
    options: LlmWriterOptions,
  ) {
    this.prompts = options.prompts ?? defaultPrompts();
    this.logger = options.logger.child({ component: 'llm-writer', model: modelName(model) });
    this.timeoutMs = options.timeoutMs;
    this.maxTranslateChars = options.maxTranslateChars ?? MAX_SUMMARY_CHARS;
  }

  async explainMatch({ need, listing, language }: ExplainMatchInput): Promise<string | undefined> {
    if (!need.trim() || !(listing.title.trim() || listing.summary.trim())) return undefined;
    const id = newBlockId();
    const languageName = LANGUAGE_NAMES[language].english;
    const messages = [
      new SystemMessage(this.prompts.render('explainSystem', { language_name: languageName })),
      new HumanMessage(
        this.prompts.render('explainUser', {
          need_block: dataBlock('user_need', need, id, MAX_NEED_CHARS),
          title_block: dataBlock('listing_title', listing.title, id, MAX_TITLE_CHARS),
          summary_block: dataBlock('listing_summary', listing.summary, id, MAX_SUMMARY_CHARS),
          language_name: languageName,
        }),
      ),
    ];
    return this.write('explainMatch', messages, (text) =>
      checkExplanation(text, { listingTexts: [listing.title, listing.summary], language }),
    );
  }

  async translateSummary({ text, from, to }: TranslateSummaryInput): Promise<string | undefined> {
    const source = text.trim();
    if (!source || from === to) return undefined;
    if (Array.from(source).length > this.maxTranslateChars) {
      this.logger.info({ event: 'llm_writer_skipped', operation: 'translateSummary', reason: 'too_long', chars: source.length });
      return undefined;
    }
    const id = newBlockId();
    const names = { from_language: LANGUAGE_NAMES[from].english, to_language: LANGUAGE_NAMES[to].english };
    const messages = [
      new SystemMessage(this.prompts.render('translateSystem', names)),
      new HumanMessage(this.prompts.render('translateUser', { ...names, text_block: dataBlock('summary', source, id, this.maxTranslateChars) })),
    ];
    return this.write('translateSummary', messages, (output) => checkTranslation(output, { source, to }));
  }

  private async write(operation: string, messages: BaseMessage[], check: (text: string) => GuardVerdict): Promise<string | undefined> {
    const started = Date.now();
    try {
      const answer = await withDeadline(this.timeoutMs, (signal) => this.model.invoke(messages, { signal }));
      const refusal = refusalOf(answer);
      if (refusal !== undefined) throw new LlmOutputError('refusal', `the model refused: ${refusal.slice(0, 200)}`);
      const finish = finishReasonOf(answer);
      if (finish === 'length') throw new LlmOutputError('truncated', 'the answer was cut at the token limit');
      if (finish === 'content_filter') throw new LlmOutputError('refusal', 'the answer was withheld by a content filter');
      const verdict = check(textOf(answer));
      if (!verdict.ok) {
        this.logger.warn(
          { event: 'llm_output_rejected', operation, reason: verdict.reason, elapsedMs: Date.now() - started },
          `LLM ${operation}: answer rejected (${verdict.reason}); omitted`,
        );
        return undefined;
      }
      return verdict.text;
    } catch (error) {
      this.logger.warn(
        { event: 'llm_writer_failed', operation, ...describeFailure(error), elapsedMs: Date.now() - started },
        `LLM ${operation} failed; omitted`,
      );
      return undefined;
    }
  }
}
