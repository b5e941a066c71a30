import type { EngineInput } from '../../core/conversation/types.js';

/**
 * A Bot Framework activity from Teams as the engine sees it (pure: no network, no database).
 *
 * - Personal chat (and the Bot Framework Emulator, which has no conversation type) answers everything.
 * - Channels and group chats: only messages that @mention the bot; the `<at>…</at>` mention is taken out
 *   of the text before the engine reads it. A card button press is answered everywhere (the card came
 *   from the bot).
 * - An Adaptive Card `Action.Submit` arrives as a message activity whose `value` is the button's data
 *   `{ action }`; a Universal Action (`Action.Execute`) as an `invoke` named `adaptiveCard/action`.
 *   Both become engine actions.
 * - The bot being added to a personal chat (`conversationUpdate` with the bot in `membersAdded`) is
 *   answered with the help message.
 */

export const CHANNEL = 'teams';

/** The parts of a Bot Framework activity read here (botbuilder's `Activity` is structurally compatible). */
export interface TeamsActivity {
  type: string;
  id?: string;
  name?: string;
  text?: string;
  value?: unknown;
  locale?: string;
  timestamp?: string | Date;
  channelId: string;
  serviceUrl: string;
  from: ChannelAccountLike;
  recipient: ChannelAccountLike;
  conversation: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean; name?: string };
  entities?: Array<{ type: string; [key: string]: unknown }>;
  membersAdded?: ChannelAccountLike[];
  channelData?: { tenant?: { id?: string }; [key: string]: unknown };
}

export interface ChannelAccountLike {
  id: string;
  name?: string;
  aadObjectId?: string;
  role?: string;
}

/**
 * Where replies and proactive messages for one Teams conversation go: a Bot Framework conversation
 * reference without the per-message parts (activity id, locale, display names), so every message of a
 * conversation has the same address and the outbox keeps them in order.
 */
export interface TeamsAddress {
  channelId: string;
  serviceUrl: string;
  conversation: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean };
  bot: { id: string };
  user: { id: string; aadObjectId?: string };
  [key: string]: unknown;
}

export type Intake =
  | { kind: 'ignore'; reason: string }
  | {
      kind: 'input';
      input: EngineInput;
      address: TeamsAddress;
      /** Personal chat: where proactive messages (moderation outcomes, introductions) reach the user. */
      personal: boolean;
    };

/** The engine's action ids (engine.ts ACTION_PATTERN); anything else in a card payload is ignored. */
const ACTION_ID = /^[a-z]{2,8}(:[A-Za-z0-9_]{1,40}){0,2}$/;

export function isPersonal(activity: TeamsActivity): boolean {
  const type = activity.conversation.conversationType;
  if (type) return type === 'personal';
  return !activity.conversation.isGroup;
}

export function addressOf(activity: TeamsActivity): TeamsAddress {
  const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
  const conversation: TeamsAddress['conversation'] = { id: activity.conversation.id };
  if (activity.conversation.conversationType) conversation.conversationType = activity.conversation.conversationType;
  if (tenantId) conversation.tenantId = tenantId;
  if (activity.conversation.isGroup !== undefined) conversation.isGroup = activity.conversation.isGroup;
  const user: TeamsAddress['user'] = { id: activity.from.id };
  if (activity.from.aadObjectId) user.aadObjectId = activity.from.aadObjectId;
  return { channelId: activity.channelId, serviceUrl: activity.serviceUrl, conversation, bot: { id: activity.recipient.id }, user };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'", '&nbsp;': ' ' };

/** Teams text may carry a little HTML (mentions, entities, line breaks): plain text for the engine. */
export function plainText(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(?:amp|lt|gt|quot|#39|apos|nbsp);/g, (entity) => ENTITIES[entity]!)
    .replace(/\u00a0/g, ' ');
}

/** True when one of the activity's mention entities names the bot. */
export function mentionsBot(activity: TeamsActivity): boolean {
  return (activity.entities ?? []).some((entity) => {
    if (entity.type !== 'mention') return false;
    const mentioned = entity.mentioned as ChannelAccountLike | undefined;
    return mentioned?.id === activity.recipient.id;
  });
}

/** The text without the bot's `<at>…</at>` mention(s) (other people's mentions keep their name). */
export function stripBotMention(activity: TeamsActivity): string {
  let text = activity.text ?? '';
  for (const entity of activity.entities ?? []) {
    if (entity.type !== 'mention') continue;
    const mentioned = entity.mentioned as ChannelAccountLike | undefined;
    if (mentioned?.id !== activity.recipient.id) continue;
    if (typeof entity.text === 'string' && entity.text) text = text.split(entity.text).join(' ');
  }
  // Mentions of the bot whose entity was lost (forwarded text) still arrive as <at>Name</at>.
  const name = activity.recipient.name;
  if (name) text = text.replace(new RegExp(`<at>\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*</at>`, 'gi'), ' ');
  return plainText(text)
    .replace(/^[\s,:]+/, '')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** The engine action carried by a card button press, if any. */
export function submittedAction(activity: TeamsActivity): string | undefined {
  let value = activity.value;
  if (activity.type === 'invoke') {
    // Action.Execute: { action: { type: 'Action.Execute', verb, data } }
    const action = (value as { action?: { data?: unknown; verb?: unknown } } | undefined)?.action;
    value = action?.data ?? (typeof action?.verb === 'string' ? { action: action.verb } : undefined);
  }
  if (value === null || typeof value !== 'object') return undefined;
  const action = (value as { action?: unknown }).action;
  return typeof action === 'string' && ACTION_ID.test(action) ? action : undefined;
}

function messageId(activity: TeamsActivity): string {
  if (activity.id) return activity.id;
  const at = activity.timestamp instanceof Date ? activity.timestamp.toISOString() : (activity.timestamp ?? '');
  return `${activity.type}:${activity.conversation.id}:${activity.from.id}:${at}`;
}

function localeOf(activity: TeamsActivity): string | undefined {
  if (activity.locale) return activity.locale;
  const client = (activity.entities ?? []).find((entity) => entity.type === 'clientInfo');
  return typeof client?.locale === 'string' ? client.locale : undefined;
}

/** Decides what the engine should do with one activity. */
export function readActivity(activity: TeamsActivity): Intake {
  if (activity.channelId !== 'msteams' && activity.channelId !== 'emulator') {
    // Other Bot Framework channels (Web Chat, Slack via Azure Bot…) are not configured for this bot.
    return { kind: 'ignore', reason: `channel ${activity.channelId}` };
  }
  if (!activity.from?.id || !activity.conversation?.id || !activity.serviceUrl) return { kind: 'ignore', reason: 'incomplete activity' };
  if (activity.from.id === activity.recipient?.id) return { kind: 'ignore', reason: 'own message' };
  const personal = isPersonal(activity);
  const base = {
    channel: CHANNEL,
    userId: activity.from.id,
    conversationId: activity.conversation.id,
    localeHint: localeOf(activity),
    messageId: messageId(activity),
    displayName: activity.from.name || undefined,
  };
  const address = addressOf(activity);

  if (activity.type === 'conversationUpdate') {
    const botAdded = (activity.membersAdded ?? []).some((member) => member.id === activity.recipient.id);
    if (!botAdded) return { kind: 'ignore', reason: 'conversation update without the bot joining' };
    if (!personal) return { kind: 'ignore', reason: 'bot added to a team or group chat' };
    return { kind: 'input', input: { ...base, message: { type: 'action', action: 'cmd:help' } }, address, personal };
  }

  if (activity.type === 'invoke') {
    if (activity.name !== 'adaptiveCard/action') return { kind: 'ignore', reason: `invoke ${activity.name ?? ''}` };
    const action = submittedAction(activity);
    if (!action) return { kind: 'ignore', reason: 'card action without an engine action' };
    return { kind: 'input', input: { ...base, message: { type: 'action', action } }, address, personal };
  }

  if (activity.type !== 'message') return { kind: 'ignore', reason: `activity ${activity.type}` };
  const action = submittedAction(activity);
  if (action) return { kind: 'input', input: { ...base, message: { type: 'action', action } }, address, personal };
  if (activity.value !== undefined && !activity.text) return { kind: 'ignore', reason: 'card submit without an engine action' };
  if (!personal) {
    if (!mentionsBot(activity)) return { kind: 'ignore', reason: 'not mentioned in a channel or group chat' };
    return { kind: 'input', input: { ...base, message: { type: 'text', text: stripBotMention(activity) } }, address, personal };
  }
  return { kind: 'input', input: { ...base, message: { type: 'text', text: plainText(activity.text ?? '').trim() } }, address, personal };
}
