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
  /** Parts (platform messages) of this item delivered by earlier attempts. */
  partsSent: number;
  /** An earlier attempt started the part at `partsSent` and died before recording it as delivered. */
  partInDoubt: boolean;
}

/**
 * Durable progress of one outbox item, handed to the sender: it sends parts from `from` on, calling
 * `starting(i)` before and `delivered(i)` after each part, so a crash anywhere resumes after the last
 * delivered part. `key` is stable across attempts (an idempotency key where the platform has one).
 */
export interface SendProgress {
  key: string;
  from: number;
  /** The part at `from` may already have been delivered (see OutboxItem.partInDoubt). */
  inDoubt: boolean;
  starting(part: number): Promise<void>;
  delivered(part: number): Promise<void>;
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
  /** Sends the replies (from `progress.from` on, when given); see SendProgress. */
  send(address: ChannelAddress, replies: Reply[], progress?: SendProgress): Promise<SendOutcome>;
}
