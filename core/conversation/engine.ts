import { isLanguage, type Language } from '../domain/languages.js';
import { COMMANDS, type Command, type NeedAnalyzer, type Understanding, type UnderstandingContext } from '../understanding/types.js';
import { translator } from './i18n.js';
import { KeyedQueue } from './keyed-queue.js';
import { languageFromLocale } from './labels.js';
import * as account from './flows/account.js';
import * as draft from './flows/draft.js';
import * as alerts from './flows/alerts.js';
import * as find from './flows/find.js';
import * as introduce from './flows/introduce.js';
import { DRAFT_FIELDS, type ConversationState } from './state.js';
import { StateConflictError } from './state-store.js';
import { Turn, type EngineDeps } from './turn.js';
import type { ConversationEngine, EngineInput, EngineOutput } from './types.js';

/** Longest message the engine reads; longer text is cut (and the user told). */
export const MAX_MESSAGE_CHARS = 4000;
const ACTION_PATTERN = /^[a-z]{2,8}(:[A-Za-z0-9_]{1,40}){0,2}$/;

/** Buttons on introduction requests and notifications (flows/introduce.ts): verb → handler of `verb:<request id>`. */
const INTRODUCTION_ACTIONS: Record<string, (turn: Turn, requestId: number) => Promise<void> | void> = {
  iac: introduce.acceptIntroduction,
  idc: introduce.askDeclineReason,
  idn: (turn, requestId) => introduce.declineIntroduction(turn, requestId, null),
  iqs: introduce.askQuestion,
  irp: introduce.askReply,
  iwd: introduce.withdrawIntroduction,
};

/** Answers that are data rather than conversation: they never change the reply language. */
const DATA_ENTRY = new Set(['confidential', 'contact', 'intro_contact', 'intro_accept_contact']);

export interface EngineOptions extends EngineDeps {
  needs: NeedAnalyzer;
}

/** Removes control characters (keeps line breaks and tabs) and unpaired surrogates. */
export function cleanText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .trim();
}

/**
 * The conversation engine: one message in, channel-neutral replies out. State lives in the database,
 * messages of one conversation are handled one at a time (in this process and across processes), and a
 * failure is answered politely without losing the conversation.
 */
export class Engine implements ConversationEngine {
  private readonly queue = new KeyedQueue();
  private closing = false;

  constructor(private readonly deps: EngineOptions) {}

  /** Waits for in-flight messages (graceful shutdown); new ones are refused meanwhile. */
  async drain(): Promise<void> {
    this.closing = true;
    await this.queue.drain();
  }

  async handle(input: EngineInput): Promise<EngineOutput> {
    if (this.closing) throw new Error('The engine is shutting down.');
    const key = JSON.stringify([input.channel, input.userId, input.conversationId]);
    return this.queue.run(key, () => this.deps.states.withConversationLock(key, () => this.handleLocked(input)));
  }

  private async handleLocked(input: EngineInput): Promise<EngineOutput> {
    const { states, logger } = this.deps;
    const hinted = languageFromLocale(input.localeHint) ?? 'en';
    if (input.messageId && !(await states.firstDelivery(input.channel, input.messageId))) {
      return { replies: [], language: hinted, duplicate: true };
    }
    const user = await states.user(input.channel, input.userId, hinted, input.displayName);
    for (let attempt = 0; ; attempt++) {
      const loaded = await states.load(user.id, input.conversationId);
      const turn = new Turn(this.deps, input, user, loaded.state, user.language, translator(user.language));
      try {
        await this.dispatch(turn, loaded.reset);
        if (!turn.forgotten) await states.save(user.id, input.conversationId, turn.state, loaded.version);
        return { replies: turn.replies, language: turn.language };
      } catch (error) {
        if (error instanceof StateConflictError && attempt < 2) continue;
        logger.error({ err: error, channel: input.channel, conversation: input.conversationId }, 'message handling failed');
        const t = translator(turn.language);
        return { replies: [{ type: 'text', text: t('error.internal') }], language: turn.language };
      }
    }
  }

  private async dispatch(turn: Turn, stateWasReset: boolean): Promise<void> {
    if (stateWasReset) turn.say('error.state_reset');
    const message = turn.input.message;
    if (message.type === 'action') {
      await this.onAction(turn, message.action);
      return;
    }
    let text = cleanText(message.text);
    if (text.length === 0) {
      turn.say('input.empty');
      account.showHelp(turn);
      return;
    }
    if (text.length > MAX_MESSAGE_CHARS) {
      text = text.slice(0, MAX_MESSAGE_CHARS);
      turn.say('input.truncated', { max: MAX_MESSAGE_CHARS });
    }
    const understanding = await this.deps.understander.understand(text, this.context(turn));
    // Contact and confidential details (names, e-mails, phone numbers) say nothing about the user's language.
    if (!DATA_ENTRY.has(turn.state.awaiting?.type ?? '')) await this.adoptLanguage(turn, understanding);
    await this.onText(turn, text, understanding);
  }

  private context(turn: Turn): UnderstandingContext {
    const awaiting = turn.state.awaiting?.type;
    const map: Partial<Record<string, UnderstandingContext['awaiting']>> = {
      field: 'field',
      confirm_draft: 'confirm',
      forget_confirm: 'forget_confirm',
      feedback_reason: 'feedback_reason',
      language: 'language',
    };
    return { language: turn.language, awaiting: awaiting ? map[awaiting] : undefined, hasResults: Boolean(turn.state.search) };
  }

  /** Replies follow the message's language unless the user fixed one with the language command. */
  private async adoptLanguage(turn: Turn, understanding: Understanding): Promise<void> {
    const detected = understanding.language;
    if (!detected || turn.user.languageLocked || detected === turn.user.language) return;
    await this.deps.states.setLanguage(turn.user.id, detected, false);
    turn.user.language = detected;
    turn.language = detected;
    turn.t = translator(detected);
  }

  private async onText(turn: Turn, text: string, understanding: Understanding): Promise<void> {
    const intent = understanding.intent;
    if (intent.kind === 'command') {
      await this.onCommand(turn, intent.command, intent.rest?.trim() ?? '');
      return;
    }
    const awaiting = turn.state.awaiting;
    if (awaiting) {
      turn.state.awaiting = undefined;
      switch (awaiting.type) {
        case 'describe':
          if (intent.kind === 'cancel' || intent.kind === 'no') return draft.cancelDraft(turn);
          return draft.startDraft(turn, awaiting.kind, text);
        case 'field': {
          if (intent.kind === 'cancel') return draft.cancelDraft(turn);
          turn.state.awaiting = awaiting;
          if (intent.kind === 'no') {
            draft.skipField(turn);
            if (turn.state.draft?.skipped.includes(awaiting.field)) return draft.continueDraft(turn);
          }
          if (await draft.answerField(turn, awaiting.field, text)) return draft.continueDraft(turn);
          turn.say('draft.not_understood');
          return draft.askField(turn, awaiting.field);
        }
        case 'confirm_draft':
          if (intent.kind === 'yes') return draft.submitDraft(turn);
          if (intent.kind === 'no' || intent.kind === 'cancel') return draft.cancelDraft(turn);
          turn.say('draft.use_buttons');
          return draft.showPreview(turn);
        case 'confidential':
          if (intent.kind === 'cancel' || intent.kind === 'no') return draft.showPreview(turn);
          return draft.setConfidential(turn, text);
        case 'feedback_reason':
          turn.state.awaiting = awaiting;
          await find.feedbackReason(turn, 'other');
          if (intent.kind !== 'search' && intent.kind !== 'refine' && intent.kind !== 'more') return;
          break;
        case 'forget_confirm':
          if (intent.kind === 'yes') return account.forgetUser(turn);
          return turn.say('forget.cancelled');
        case 'language': {
          const language = account.parseLanguage(text);
          if (language) return account.setLanguage(turn, language);
          return account.chooseLanguage(turn);
        }
        case 'intro_message':
          if (intent.kind === 'cancel' || intent.kind === 'no') return turn.say('intro.cancelled');
          return introduce.introductionMessage(turn, awaiting.listingId, text);
        case 'intro_contact':
          if (intent.kind === 'cancel') return turn.say('intro.cancelled');
          return introduce.introductionContact(turn, awaiting.listingId, awaiting.message, text);
        case 'intro_accept_contact':
          if (intent.kind === 'cancel') return turn.say('intro.cancelled_decision');
          return introduce.acceptWithContact(turn, awaiting.requestId, text);
        case 'intro_decline':
          if (intent.kind === 'cancel') return turn.say('intro.cancelled_decision');
          return introduce.declineIntroduction(turn, awaiting.requestId, text);
        case 'intro_question':
          if (intent.kind === 'cancel') return turn.say('intro.cancelled_decision');
          return introduce.sendQuestion(turn, awaiting.requestId, text);
        case 'intro_reply':
          if (intent.kind === 'cancel') return turn.say('intro.cancelled');
          return introduce.sendReply(turn, awaiting.requestId, text);
        case 'contact':
          if (intent.kind === 'cancel' || intent.kind === 'no') return turn.say('intro.cancelled');
          return introduce.setContact(turn, text);
        case 'clarify':
          if (intent.kind === 'cancel' || intent.kind === 'no') return turn.say('find.cancelled');
          return this.onNeed(turn, `${awaiting.partial} ${text}`.trim(), true);
      }
    }
    switch (intent.kind) {
      case 'search':
        return this.onNeed(turn, intent.query || text, false);
      case 'describe_offer':
        return draft.startDraft(turn, 'offer', intent.text || text);
      case 'describe_need':
        return draft.startDraft(turn, 'need', intent.text || text);
      case 'refine':
        return turn.state.search ? find.refineSearch(turn, intent.refinement) : this.onNeed(turn, text, false);
      case 'more':
        return find.nextPage(turn);
      case 'greeting':
        turn.say('greeting');
        return account.showHelp(turn);
      case 'thanks':
        return turn.say('thanks');
      case 'yes':
      case 'no':
      case 'cancel':
        return turn.say('nothing_pending');
      case 'unknown':
        return this.onNeed(turn, text, false);
    }
  }

  /** A need in free text: filters are taken out, a vague need gets one clarifying question. */
  private async onNeed(turn: Turn, text: string, afterClarifying: boolean): Promise<void> {
    const { query, refinement } = this.deps.needs.splitRefinement(text, turn.language);
    if (query.trim().length === 0 || this.deps.needs.isVague(query, turn.language)) {
      if (turn.state.search && query.trim().length === 0) return find.refineSearch(turn, refinement);
      if (afterClarifying) {
        // Asked once already: search with what we have rather than asking again.
        if (query.trim().length > 0) return find.startSearch(turn, query, refinement);
        return account.showHelp(turn);
      }
      turn.state.awaiting = { type: 'clarify', partial: query };
      return turn.say('find.clarify');
    }
    return find.startSearch(turn, query, refinement);
  }

  private async onCommand(turn: Turn, command: Command, rest: string): Promise<void> {
    turn.state.awaiting = undefined;
    switch (command) {
      case 'help':
        return account.showHelp(turn);
      case 'privacy':
        return account.showPrivacy(turn);
      case 'language': {
        const language = rest ? account.parseLanguage(rest) : undefined;
        return language ? account.setLanguage(turn, language) : account.chooseLanguage(turn);
      }
      case 'find':
        if (rest) return this.onNeed(turn, rest, false);
        turn.state.awaiting = { type: 'clarify', partial: '' };
        return turn.say('find.ask');
      case 'offer':
      case 'need': {
        const kind = command === 'need' ? 'need' : 'offer';
        return rest ? draft.startDraft(turn, kind, rest) : draft.askDescription(turn, kind);
      }
      case 'my':
        return account.showMyListings(turn);
      case 'intros':
        return introduce.showIntroductions(turn);
      case 'alerts':
        return alerts.showAlerts(turn);
      case 'forget':
        return account.askForget(turn);
    }
  }

  private async onAction(turn: Turn, action: string): Promise<void> {
    if (!ACTION_PATTERN.test(action)) {
      turn.say('action.unknown');
      return account.showHelp(turn);
    }
    const [verb, arg = '', value = ''] = action.split(':');
    const id = Number(arg);
    const awaiting = turn.state.awaiting;
    const introduction = INTRODUCTION_ACTIONS[verb ?? ''];
    if (introduction && Number.isInteger(id)) {
      turn.state.awaiting = undefined;
      return introduction(turn, id);
    }
    switch (verb) {
      case 'cmd':
        if ((COMMANDS as readonly string[]).includes(arg)) return this.onCommand(turn, arg as Command, '');
        break;
      case 'more':
        return find.nextPage(turn);
      case 'clear':
        return find.refineSearch(turn, { clear: true });
      case 'det':
        if (Number.isInteger(id)) return find.showDetails(turn, id);
        break;
      case 'like':
        if (Number.isInteger(id)) return find.moreLikeThis(turn, id);
        break;
      case 'nr':
        if (Number.isInteger(id)) return find.notRelevant(turn, id);
        break;
      case 'why':
        return find.feedbackReason(turn, arg);
      case 'intro':
        if (Number.isInteger(id)) return introduce.startIntroduction(turn, id);
        break;
      case 'icx':
        turn.state.awaiting = undefined;
        return turn.say('intro.cancelled');
      case 'ict':
        return introduce.askContact(turn);
      case 'alert':
        return alerts.saveAlert(turn);
      case 'ast':
        if (Number.isInteger(id)) return alerts.stopAlert(turn, id);
        break;
      case 'lang':
        if (isLanguage(arg)) return account.setLanguage(turn, arg as Language);
        break;
      case 'forget':
        turn.state.awaiting = undefined;
        if (arg === 'yes' && awaiting?.type === 'forget_confirm') return account.forgetUser(turn);
        return turn.say('forget.cancelled');
      case 'submit':
        return draft.submitDraft(turn);
      case 'edit':
        return draft.chooseFieldToEdit(turn);
      case 'conf':
        if (!turn.state.draft) return turn.say('draft.none');
        return draft.askConfidential(turn);
      case 'cancel':
        return draft.cancelDraft(turn);
      case 'ef':
        if (!turn.state.draft) return turn.say('draft.none');
        if ((DRAFT_FIELDS as readonly string[]).includes(arg)) return draft.askField(turn, arg as (typeof DRAFT_FIELDS)[number]);
        break;
      case 'set':
        if (!turn.state.draft) return turn.say('draft.none');
        if (draft.setFieldFromButton(turn, arg, value)) return draft.continueDraft(turn);
        break;
      case 'skip':
        if (!turn.state.draft) return turn.say('draft.none');
        draft.skipField(turn);
        return draft.continueDraft(turn);
      case 'med':
        if (Number.isInteger(id)) return draft.editOwnListing(turn, id);
        break;
      case 'mwd':
        if (Number.isInteger(id)) return account.withdrawListing(turn, id);
        break;
    }
    turn.say('action.unknown');
    account.showHelp(turn);
  }
}

export type { ConversationState };
