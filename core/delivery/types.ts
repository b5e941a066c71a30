import type { Reply } from '../conversation/types.js';

/**
 * Delivery between chat platforms and the engine, held in the database so any `jembatan serve` process
 * can do the work and nothing is lost on a crash (contract; implemented in core/delivery/*.ts).
 *
 * - Inbox: a webhook handler stores the platform update and answers the platform at once; a worker in
 *   any process claims it, runs the engine and puts the replies in the outbox. A redelivered update
 *   (same channel + message id) is stored once.
 * - Outbox: replies and proactive notifications waiting to be sent, with retry times. Each channel's
 *   sender sends them paced within the platform's limits, waiting out 429s; a message is never dropped
 *   for a rate limit. Rows for a channel that is not running wait until it runs.
 * - Addresses: where a user can be reached proactively on a channel (Telegram chat id, Slack channel,
 *   Teams conversation reference), kept per user and conversation, so a moderation outcome or an
 *   introduction reaches them later, also after a restart.
 */

/** A channel-specific, JSON-serialisable address (e.g. `{ chatId: 123 }` or a Teams ConversationReference). */
export type ChannelAddress = Record<string, unknown>;

export interface InboxItem<P = unknown> {
  id: number;
  channel: string;
  messageId: string;
  payload: P;
  attempts: number;
}

export interface OutboxItem {
  id: number;
  channel: string;
  address: ChannelAddress;
  replies: Reply[];
  attempts: number;
  /** Sent in id order per address: a conversation's messages never overtake each other. */
  createdAt: Date;
}

/** What a channel adapter's sender reports for one outbox item. */
export type SendOutcome =
  | { status: 'sent' }
  /** Rate limited or temporarily failing: try again after `afterMs` (e.g. Telegram's retry_after). */
  | { status: 'retry'; afterMs: number; error: string }
  /** Can never be delivered (user blocked the bot, chat deleted): kept with the error, not retried. */
  | { status: 'failed'; error: string };

export interface ChannelSender {
  channel: string;
  send(address: ChannelAddress, replies: Reply[]): Promise<SendOutcome>;
}
