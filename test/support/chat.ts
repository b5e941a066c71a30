import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createAssistant } from '../../bots/assistant.js';
import { readEnv } from '../../core/config/env.js';
import type { Engine } from '../../core/conversation/engine.js';
import type { Button, EngineOutput, ListingCard, Reply } from '../../core/conversation/types.js';
import { Glossary } from '../../core/glossary/glossary.js';
import { Matcher } from '../../core/retrieval/match.js';
import type { ListingStore } from '../../core/store/listing-store.js';
import { ingest } from '../../ingest/ingest.js';
import { PRESETS } from '../../ingest/presets/index.js';

export const SAMPLES = fileURLToPath(new URL('../../samples/listings.jsonl', import.meta.url));

/** Loads the project's sample listings (published) into a store. */
export async function loadSamples(store: ListingStore): Promise<void> {
  await ingest(SAMPLES, store, Glossary.shared(), undefined, { preset: PRESETS.generic!, detectDuplicates: false });
}

/** The assistant as the bots build it, with no LLM and no embeddings (the offline default). */
export function engineFor(store: ListingStore, options: { env?: NodeJS.ProcessEnv; pageSize?: number } = {}): Engine {
  const env = readEnv(options.env ?? {});
  const glossary = Glossary.shared();
  const { engine } = createAssistant({
    env,
    store,
    glossary,
    encoder: undefined,
    matcher: new Matcher(store, glossary, undefined),
    logger: pino({ level: 'silent' }),
    pageSize: options.pageSize,
  });
  return engine;
}

/** One engine answer, with helpers to read it. */
export class Answer {
  constructor(readonly output: EngineOutput) {}

  get replies(): Reply[] {
    return this.output.replies;
  }

  get language(): string {
    return this.output.language;
  }

  cards(): ListingCard[] {
    return this.replies.flatMap((reply) => (reply.type === 'cards' ? reply.cards : []));
  }

  /** Every button of the answer (cards, button rows, choices), in order. */
  buttons(): Button[] {
    return this.replies.flatMap((reply) =>
      reply.type === 'cards'
        ? reply.cards.flatMap((card) => card.buttons)
        : reply.type === 'buttons'
          ? reply.buttons
          : reply.type === 'choice'
            ? reply.options
            : [],
    );
  }

  actions(): string[] {
    return this.buttons().map((button) => button.action);
  }

  /** All text of the answer, card titles and summaries included. */
  text(): string {
    return this.replies
      .map((reply) => {
        switch (reply.type) {
          case 'text':
            return reply.text;
          case 'buttons':
          case 'choice':
            return reply.text;
          case 'cards':
            return reply.cards.map((card) => `${card.title}\n${card.summary}`).join('\n');
          case 'image':
            return reply.alt;
        }
      })
      .join('\n');
  }
}

/** A scripted user of one channel and conversation. */
export class ChatUser {
  private counter = 0;

  constructor(
    public engine: Engine,
    readonly userId: string,
    readonly options: { channel?: string; conversationId?: string; locale?: string } = {},
  ) {}

  private input(message: { type: 'text'; text: string } | { type: 'action'; action: string }) {
    return {
      channel: this.options.channel ?? 'console',
      userId: this.userId,
      conversationId: this.options.conversationId ?? `dm-${this.userId}`,
      message,
      localeHint: this.options.locale,
      messageId: `${this.userId}-${++this.counter}-${Math.random().toString(36).slice(2)}`,
    };
  }

  async say(text: string): Promise<Answer> {
    return new Answer(await this.engine.handle(this.input({ type: 'text', text })));
  }

  async press(action: string): Promise<Answer> {
    return new Answer(await this.engine.handle(this.input({ type: 'action', action })));
  }

  get ownerRef(): string {
    return `${this.options.channel ?? 'console'}:${this.userId}`;
  }
}
