import type { Language } from '../domain/languages.js';
import type { IpStatus, ListingKind, PartnershipType } from '../domain/listing.js';
import type { Sector } from '../domain/sectors.js';

/**
 * What a chat message means to the conversation engine. Produced by the rule-based understanding
 * (`core/understanding/rules.ts`, always available) or by an LLM (`core/llm/`), validated either way.
 */
export const COMMANDS = ['help', 'language', 'find', 'offer', 'need', 'my', 'intros', 'alerts', 'privacy', 'forget'] as const;
export type Command = (typeof COMMANDS)[number];

export type Intent =
  /** One of the eight commands, typed ("/find solar pumps", "bantuan", "ช่วยเหลือ") or said in words. */
  | { kind: 'command'; command: Command; /** Text after the command word, if any ("/find solar pumps" → "solar pumps"). */ rest?: string }
  /** A request for technology: the text is the need to search for. */
  | { kind: 'search'; query: string }
  /** A researcher describing their own work ("I work on …", "kami mengembangkan …"). */
  | { kind: 'describe_offer'; text: string }
  /** A founder describing a need they want to post ("we are looking for a partner who can …" with intent to post). */
  | { kind: 'describe_need'; text: string }
  /** Narrowing or widening the last search in plain words ("only Vietnam", "TRL 6 or higher", "software only"). */
  | { kind: 'refine'; refinement: Refinement }
  /** "more", "next", "lagi", "เพิ่มเติม" … */
  | { kind: 'more' }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'cancel' }
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  /** Nothing recognisable (the engine asks a clarifying question or shows help). */
  | { kind: 'unknown' };

export interface Refinement {
  /** ISO 3166-1 alpha-2, e.g. ["VN"] for "only Vietnam" / "chỉ Việt Nam". */
  countries?: string[];
  minTrl?: number;
  kinds?: ListingKind[];
  sectors?: Sector[];
  /** True for "any country", "remove filters", "semua negara" …: drop the filters named, or all when none named. */
  clear?: boolean;
}

/** Fields of a listing the user is drafting in chat; everything optional until confirmed. */
export interface DraftFields {
  kind?: ListingKind;
  title?: string;
  summary?: string;
  sectors?: Sector[];
  trl?: number;
  ipStatus?: IpStatus;
  partnership?: PartnershipType[];
  country?: string;
  organisation?: string;
  confidential?: string;
}

export interface Understanding {
  intent: Intent;
  /** Language of the message; undefined when the text is too short to tell (the engine keeps the user's). */
  language?: Language;
  /** 0..1; rules give 1 for commands and buttons, less for similarity guesses. */
  confidence: number;
  /** Which path produced it. */
  via: 'rules' | 'llm';
}

export interface UnderstandingContext {
  /** The user's current language (fallback for short texts). */
  language: Language;
  /** What the engine is waiting for, so "yes", "6", "Vietnam" can be read in context. */
  awaiting?: 'confirm' | 'field' | 'feedback_reason' | 'language' | 'forget_confirm';
  /** True when the user has results to page or refine. */
  hasResults: boolean;
}

/** Any implementation of message understanding (rules, LLM with rule fallback). */
export interface MessageUnderstander {
  understand(text: string, context: UnderstandingContext): Promise<Understanding>;
  /** Pulls listing fields out of a researcher's or founder's free-text description. */
  extractFields(text: string, kind: ListingKind, language: Language): Promise<DraftFields>;
}

/** Reading a founder's need: filters said in the same message, and whether it is too vague to search. */
export interface NeedAnalyzer {
  /** "water filter for a clinic, only Vietnam, TRL 6+" → query "water filter for a clinic" + filters. */
  splitRefinement(text: string, language: Language): { query: string; refinement: Refinement };
  /** True when the text names no problem or technology to search for ("help me", "ada teknologi?"). */
  isVague(text: string, language: Language): boolean;
}
