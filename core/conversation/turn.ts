import type { Language } from '../domain/languages.js';
import { ownerRefOf } from '../domain/owner-ref.js';
import type { Logger } from 'pino';
import type { DenseEncoder } from '../embeddings/provider.js';
import type { Glossary } from '../glossary/glossary.js';
import type { TextWriter } from '../llm/writer.js';
import type { Alerts } from '../alerts/alerts.js';
import type { Introductions } from '../introductions/introductions.js';
import type { Matcher } from '../retrieval/match.js';
import type { ListingStore } from '../store/listing-store.js';
import type { MessageUnderstander } from '../understanding/types.js';
import type { Translate } from './i18n.js';
import type { ConversationState } from './state.js';
import type { ChatUser, ConversationStateStore } from './state-store.js';
import type { Button, EngineInput, Reply } from './types.js';

/** Everything the engine is built from; the core has no idea which channel it serves. */
export interface EngineDeps {
  store: ListingStore;
  states: ConversationStateStore;
  matcher: Matcher;
  glossary: Glossary;
  encoder: DenseEncoder | undefined;
  understander: MessageUnderstander;
  /** LLM-written explanations and translations; absent without an LLM, and any call may give undefined. */
  writer?: TextWriter;
  logger: Logger;
  /** Cards per page of results (default 5). */
  pageSize?: number;
  /** Introductions (limits, expiry, secretariat route); defaults to the store's database without a secretariat. */
  introductions?: Introductions;
  /** Saved-need alerts; defaults to the store's database and the engine's matcher. */
  alerts?: Alerts;
}

/** One message being handled: who, in which language, the state to change, the replies to send. */
export class Turn {
  readonly replies: Reply[] = [];
  /** Set after `forget`: the user and the conversation no longer exist, nothing is saved. */
  forgotten = false;

  constructor(
    readonly deps: EngineDeps,
    readonly input: EngineInput,
    readonly user: ChatUser,
    public state: ConversationState,
    public language: Language,
    public t: Translate,
  ) {}

  /** How listings owned by this user are marked in the store. */
  get ownerRef(): string {
    return ownerRefOf(this.user);
  }

  get pageSize(): number {
    return this.deps.pageSize ?? 5;
  }

  say(key: string, values?: Record<string, string | number>): void {
    this.replies.push({ type: 'text', text: this.t(key, values) });
  }

  text(text: string): void {
    this.replies.push({ type: 'text', text });
  }

  buttons(key: string, buttons: Button[], values?: Record<string, string | number>): void {
    this.replies.push({ type: 'buttons', text: this.t(key, values), buttons });
  }

  choice(key: string, options: Button[], values?: Record<string, string | number>): void {
    this.replies.push({ type: 'choice', text: this.t(key, values), options });
  }

  button(key: string, action: string, values?: Record<string, string | number>): Button {
    return { label: this.t(key, values), action };
  }
}
