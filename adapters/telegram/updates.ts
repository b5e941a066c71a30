import type { CallbackQuery, Message, MessageEntity, Update, User } from 'telegraf/types';
import type { EngineInput } from '../../core/conversation/types.js';

/**
 * A Telegram update as the engine sees it (pure: no network, no database). Private chats answer
 * everything; in groups the bot answers commands (not those addressed to another bot), messages that
 * mention it (the mention is taken out of the text) and replies to its own messages. `/start l_<id>` (the
 * deep link https://t.me/<bot>?start=l_<id>) opens a listing's details.
 */

export const CHANNEL = 'telegram';

/** Where replies for one chat go: the chat, and the forum topic the message came from. */
export interface TelegramAddress {
  chatId: number;
  threadId?: number;
  [key: string]: unknown;
}

export interface BotIdentity {
  id: number;
  username: string;
}

export type Intake =
  | { kind: 'ignore'; reason: string }
  | {
      kind: 'input';
      input: EngineInput;
      address: TelegramAddress;
      /** Private chat: where proactive notifications (moderation outcomes) can reach the user. */
      private: boolean;
    };

const DEEP_LINK = /^\/start(?:@\w+)?\s+l_(\d{1,12})\s*$/i;
const COMMAND = /^\/([A-Za-z0-9_]+)(?:@(\w+))?(?=\s|$)/;

function displayName(user: User): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ');
}

/** Text of a UTF-16 entity span (Telegram offsets count UTF-16 code units, like JavaScript strings). */
function entityText(text: string, entity: MessageEntity): string {
  return text.slice(entity.offset, entity.offset + entity.length);
}

function mentionsBot(text: string, entities: MessageEntity[] | undefined, bot: BotIdentity): boolean {
  const handle = `@${bot.username}`.toLowerCase();
  for (const entity of entities ?? []) {
    if (entity.type === 'mention' && entityText(text, entity).toLowerCase() === handle) return true;
    if (entity.type === 'text_mention' && entity.user.id === bot.id) return true;
  }
  // Entities can be missing (forwarded or edited text): a plain @handle counts too.
  return new RegExp(`(^|[^\\w])@${bot.username}(?![\\w])`, 'i').test(text);
}

function stripMention(text: string, bot: BotIdentity): string {
  return text
    .replace(new RegExp(`(^|\\s)@${bot.username}(?![\\w])[,:]?`, 'gi'), '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

function messageText(message: Message): { text: string; entities?: MessageEntity[] } {
  if ('text' in message) return { text: message.text, entities: message.entities };
  if ('caption' in message && typeof message.caption === 'string') return { text: message.caption, entities: message.caption_entities };
  return { text: '' };
}

function addressOf(message: Message): TelegramAddress {
  const address: TelegramAddress = { chatId: message.chat.id };
  if ('is_topic_message' in message && message.is_topic_message && message.message_thread_id) address.threadId = message.message_thread_id;
  return address;
}

function fromMessage(update: Update, message: Message, bot: BotIdentity): Intake {
  const from = message.from;
  if (!from) return { kind: 'ignore', reason: 'no sender' };
  if (from.is_bot) return { kind: 'ignore', reason: 'from a bot' };
  const isPrivate = message.chat.type === 'private';
  if (message.chat.type === 'channel') return { kind: 'ignore', reason: 'channel post' };
  let { text, entities } = messageText(message);
  if (!isPrivate) {
    const command = COMMAND.exec(text);
    if (command) {
      if (command[2] && command[2].toLowerCase() !== bot.username.toLowerCase()) return { kind: 'ignore', reason: 'command for another bot' };
      text = text.replace(COMMAND, `/${command[1]}`);
    } else {
      const replyToBot = 'reply_to_message' in message && message.reply_to_message?.from?.id === bot.id;
      if (!mentionsBot(text, entities, bot) && !replyToBot) return { kind: 'ignore', reason: 'group message not addressed to the bot' };
      text = stripMention(text, bot);
    }
  }
  const link = DEEP_LINK.exec(text.trim());
  const input: EngineInput = {
    channel: CHANNEL,
    userId: String(from.id),
    conversationId: String(message.chat.id),
    message: link ? { type: 'action', action: `det:${Number(link[1])}` } : { type: 'text', text },
    localeHint: from.language_code,
    messageId: String(update.update_id),
    displayName: displayName(from),
  };
  return { kind: 'input', input, address: addressOf(message), private: isPrivate };
}

function fromCallback(update: Update, query: CallbackQuery, decode: (data: string) => string): Intake {
  if (!('data' in query) || typeof query.data !== 'string') return { kind: 'ignore', reason: 'callback without data' };
  const message = query.message;
  if (!message) return { kind: 'ignore', reason: 'callback on an inline message' };
  const input: EngineInput = {
    channel: CHANNEL,
    userId: String(query.from.id),
    conversationId: String(message.chat.id),
    message: { type: 'action', action: decode(query.data) },
    localeHint: query.from.language_code,
    messageId: String(update.update_id),
    displayName: displayName(query.from),
  };
  const address: TelegramAddress = { chatId: message.chat.id };
  if ('is_topic_message' in message && message.is_topic_message && message.message_thread_id) address.threadId = message.message_thread_id;
  return { kind: 'input', input, address, private: message.chat.type === 'private' };
}

/** What to do with an update: run the engine on an input, or ignore it (and why, for the log). */
export function readUpdate(update: Update, bot: BotIdentity, decode: (data: string) => string = (data) => data): Intake {
  if ('message' in update && update.message) return fromMessage(update, update.message, bot);
  if ('callback_query' in update && update.callback_query) return fromCallback(update, update.callback_query, decode);
  return { kind: 'ignore', reason: 'update type not handled' };
}
