import { isLanguage, type Language } from '../domain/languages.js';
import { translator, type Translate } from '../conversation/i18n.js';
import type { ConversationEngine, EngineInput, Reply } from '../conversation/types.js';
import type { Db } from '../store/db.js';
import type { DeliveryStore } from './delivery-store.js';
import type { ChannelAddress, InboxItem } from './types.js';

export interface InboxHandlerDeps<P> {
  engine: ConversationEngine;
  store: DeliveryStore;
  /** The engine input for a stored update; undefined = nothing to answer (an edit, a join, …). */
  toInput(payload: P): EngineInput | undefined;
  /** Where the replies go (and where the user can be reached later). */
  addressOf(payload: P): ChannelAddress;
}

/**
 * Turns a stored platform update into an engine call and queues the replies for the update's address.
 * The platform message id is not passed to the engine: the inbox already stores an update once, and a
 * crash between the engine and `completeInbox` must run the message again rather than lose its replies.
 * The replies are queued and the inbox item completed in one transaction. The user's address is
 * remembered (for `notifyUser`) unless the user no longer exists (they just asked to be forgotten).
 */
export function inboxHandler<P = unknown>(deps: InboxHandlerDeps<P>): (item: InboxItem) => Promise<void> {
  return async (item: InboxItem) => {
    const payload = item.payload as P;
    const parsed = deps.toInput(payload);
    if (!parsed) return;
    const { messageId: _ignored, ...input } = parsed;
    // No await before this call: updates handed over concurrently reach the engine's per-conversation queue in order.
    const output = await deps.engine.handle(input);
    const address = deps.addressOf(payload);
    await deps.store.rememberAddressOf(input.channel, input.userId, input.conversationId, address);
    if (output.replies.length > 0) await deps.store.enqueue(input.channel, address, output.replies, { completesInbox: item.id });
  };
}

/**
 * Queues a message for a user, written in their language, to the address they were last seen at on
 * their channel (a moderation outcome, an introduction). False when the user is unknown or has no
 * known address there.
 */
export async function notifyUser(
  deps: { db: Db; store: DeliveryStore },
  user: { channel: string; channelUserId: string },
  message: (t: Translate, language: Language) => Reply[],
): Promise<boolean> {
  const { rows } = await deps.db.query<{ id: number }>('SELECT id FROM chat_users WHERE channel = $1 AND channel_user_id = $2', [
    user.channel,
    user.channelUserId,
  ]);
  const row = rows[0];
  if (!row) return false;
  return deps.store.enqueueForUser(
    deps.db,
    row.id,
    (code) => {
      const language: Language = isLanguage(code) ? code : 'en';
      return message(translator(language), language);
    },
    user.channel,
  );
}
