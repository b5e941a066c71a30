import type { Language } from '../domain/languages.js';
import type { ListingKind } from '../domain/listing.js';

/**
 * The engine's contract with every chat channel. Adapters turn platform events into an `EngineInput`
 * and render each `Reply`; they know nothing else of the engine.
 */

export interface EngineInput {
  /** Channel name: 'console', 'telegram', 'slack', 'teams', … */
  channel: string;
  /** The user's id on that channel. */
  userId: string;
  /** The chat the message came from (DM, group, Slack channel, Teams conversation). */
  conversationId: string;
  message: { type: 'text'; text: string } | { type: 'action'; action: string };
  /** The platform's idea of the user's language (Telegram language_code, Slack locale, Teams locale). */
  localeHint?: string;
  /** Platform message id: a redelivered message with the same id is not answered twice. */
  messageId?: string;
  displayName?: string;
}

/** A button: `action` is an opaque id (at most 64 bytes, fits Telegram callback data), never free text. */
export interface Button {
  label: string;
  action: string;
}

export interface ListingCard {
  listingId: number;
  kind: ListingKind;
  title: string;
  summary: string;
  /** Country name in the user's language. */
  country: string;
  sectors: string[];
  trl: number | null;
  /** 0..1 relevance, absent outside search results. */
  score?: number;
  /** Why it matched, one line in the user's language. */
  why?: string;
  /** Status label for the owner's own listings. */
  status?: string;
  buttons: Button[];
}

/**
 * Light formatting in `text`: `*bold*` and line breaks only; adapters map it to their markup and
 * escape everything else.
 */
export type Reply =
  | { type: 'text'; text: string }
  | { type: 'cards'; cards: ListingCard[] }
  | { type: 'buttons'; text: string; buttons: Button[] }
  /** Exactly one option is expected; adapters may render it as a list or a menu. */
  | { type: 'choice'; text: string; options: Button[] }
  | { type: 'image'; png: Uint8Array; alt: string };

export interface EngineOutput {
  replies: Reply[];
  /** The language the replies are written in. */
  language: Language;
  /** True when the message was a redelivery and nothing was done. */
  duplicate?: boolean;
}

/** What every channel adapter talks to. */
export interface ConversationEngine {
  handle(input: EngineInput): Promise<EngineOutput>;
}
