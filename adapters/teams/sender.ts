import { createHash } from 'node:crypto';
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { Reply } from '../../core/conversation/types.js';
import type { ChannelAddress, ChannelSender, SendOutcome, SendProgress } from '../../core/delivery/types.js';
import { backoffMs } from '../../core/delivery/worker.js';
import type { Logger } from '../../core/log.js';
import { CHANNEL, type TeamsAddress } from './incoming.js';
import { renderActivities, type OutgoingActivity } from './render.js';

/** Statuses Teams answers when it is throttling or briefly unavailable: retried with jittered back-off. */
const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);
/** Back-off when the bot's credentials are refused: an operator has to fix the configuration. */
const UNAUTHORIZED_RETRY_MS = 60_000;

/**
 * Teams' per-thread limits for one bot (learn.microsoft.com, "Optimize your bot: rate limiting"): at most
 * 7 messages per second, 8 per 2 s, 60 per 30 s and 1800 per hour in one conversation.
 */
export const THREAD_LIMITS: ReadonlyArray<{ windowMs: number; max: number }> = [
  { windowMs: 1_000, max: 7 },
  { windowMs: 2_000, max: 8 },
  { windowMs: 30_000, max: 60 },
  { windowMs: 3_600_000, max: 1800 },
];

export interface TeamsSenderOptions {
  adapter: CloudAdapter;
  /** MICROSOFT_APP_ID ('' when running unauthenticated). */
  appId: string;
  logger: Logger;
  /** First back-off after a retryable failure (default 1000 ms); doubles per attempt, jittered. */
  retryBaseMs?: number;
  /** Per-thread limits (default THREAD_LIMITS). */
  threadLimits?: ReadonlyArray<{ windowMs: number; max: number }>;
}

/** A Bot Framework conversation reference for `continueConversationAsync` from a stored address. */
export function referenceOf(address: TeamsAddress): Partial<ConversationReference> {
  return {
    channelId: address.channelId,
    serviceUrl: address.serviceUrl,
    conversation: { ...address.conversation, isGroup: address.conversation.isGroup ?? false, conversationType: address.conversation.conversationType ?? '', name: '' } as ConversationReference['conversation'],
    bot: { id: address.bot.id, name: '' },
    user: { ...address.user, name: '' },
  };
}

function isAddress(value: ChannelAddress): value is TeamsAddress {
  const address = value as Partial<TeamsAddress>;
  return (
    typeof address.serviceUrl === 'string' &&
    typeof address.channelId === 'string' &&
    typeof address.conversation?.id === 'string' &&
    typeof address.bot?.id === 'string' &&
    typeof address.user?.id === 'string'
  );
}

interface HttpFailure {
  status?: number;
  retryAfterMs?: number;
  message: string;
}

/** Status and Retry-After of a Bot Connector error (RestError from @azure/core-rest-pipeline, or similar). */
export function httpFailure(error: unknown): HttpFailure {
  const e = error as {
    statusCode?: number;
    status?: number;
    code?: string;
    message?: string;
    response?: { status?: number; headers?: { get?(name: string): string | undefined; [key: string]: unknown } };
  };
  const status = e?.statusCode ?? e?.response?.status ?? (typeof e?.status === 'number' ? e.status : undefined);
  const header = e?.response?.headers;
  const raw = typeof header?.get === 'function' ? header.get('retry-after') : (header?.['retry-after'] as string | undefined);
  let retryAfterMs: number | undefined;
  if (raw) {
    const seconds = Number(raw);
    if (Number.isFinite(seconds)) retryAfterMs = Math.max(0, seconds * 1000);
    else if (!Number.isNaN(Date.parse(raw))) retryAfterMs = Math.max(0, Date.parse(raw) - Date.now());
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status, retryAfterMs, message: status ? `${status}: ${message}` : (e?.code ? `${e.code}: ${message}` : message) };
}

/**
 * The Teams ChannelSender for the delivery worker: renders an outbox item's replies as activities and
 * sends them into the stored conversation with `continueConversationAsync` (so the same code sends replies
 * and proactive messages, also after a restart). Sends are paced per conversation within Teams' thread
 * limits. 429/412/502/504 (and other transient failures) return `retry` with jittered exponential back-off,
 * at least Teams' Retry-After; a conversation the bot can no longer post to (403/404) returns `failed`.
 * The connector's own retry policy is removed, so a throttled send never blocks the worker: the outbox
 * holds the item and the worker moves on. When an item stops half way, the activities already sent are
 * remembered and the retry continues after them.
 */
export class TeamsSender implements ChannelSender {
  readonly channel = CHANNEL;
  /** Item fingerprint → activities already delivered and failures so far (until the item completes). */
  private readonly progress = new Map<string, { sent: number; failures: number }>();
  /** Conversation id → recent send times (for the per-thread limits). */
  private readonly recent = new Map<string, number[]>();
  private readonly limits: ReadonlyArray<{ windowMs: number; max: number }>;

  constructor(private readonly options: TeamsSenderOptions) {
    this.limits = options.threadLimits ?? THREAD_LIMITS;
  }

  /** Waits until one more message fits in every per-thread window of this conversation. */
  private async threadSlot(conversationId: string): Promise<void> {
    const longest = Math.max(...this.limits.map((limit) => limit.windowMs));
    for (;;) {
      const now = Date.now();
      const times = (this.recent.get(conversationId) ?? []).filter((time) => time > now - longest);
      let wait = 0;
      for (const limit of this.limits) {
        const inWindow = times.filter((time) => time > now - limit.windowMs);
        if (inWindow.length >= limit.max) wait = Math.max(wait, inWindow[inWindow.length - limit.max]! + limit.windowMs - now + 1);
      }
      if (wait <= 0) {
        times.push(now);
        this.recent.set(conversationId, times);
        if (this.recent.size > 10_000) this.recent.delete(this.recent.keys().next().value!);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async send(rawAddress: ChannelAddress, replies: Reply[], progress?: SendProgress): Promise<SendOutcome> {
    if (!isAddress(rawAddress)) return { status: 'failed', error: 'not a Teams conversation address' };
    const address = rawAddress;
    const activities = renderActivities(replies);
    if (activities.length === 0) return { status: 'sent' };
    const key = createHash('sha256').update(JSON.stringify([address, replies])).digest('base64url');
    const state = this.progress.get(key) ?? { sent: 0, failures: 0 };
    // Durable progress (the outbox) wins over this process's memory: another process may have sent parts.
    if (progress) state.sent = progress.from;
    if (progress?.inDoubt) {
      // The Bot Connector has no idempotency key: the part an earlier attempt may have delivered before
      // dying is sent again (at most one message can repeat).
      this.options.logger.warn({ conversation: address.conversation.id, part: state.sent, key: progress.key }, 'teams part in doubt after a crash; sending it again');
    }
    try {
      await this.options.adapter.continueConversationAsync(this.options.appId, referenceOf(address), async (context: TurnContext) => {
        const connector = context.turnState.get(context.adapter.ConnectorClientKey) as ConnectorLike | undefined;
        if (!connector) throw new Error('no Bot Connector client for this conversation');
        disableConnectorRetries(connector);
        for (; state.sent < activities.length; state.sent++) {
          // Recorded before waiting for the slot: the pacing gap is measured up to the send itself.
          await progress?.starting(state.sent);
          await this.threadSlot(address.conversation.id);
          await connector.conversations.sendToConversation(address.conversation.id, this.activityFor(address, activities[state.sent]!));
          await progress?.delivered(state.sent);
        }
      });
      this.progress.delete(key);
      return { status: 'sent' };
    } catch (error) {
      state.failures++;
      const outcome = this.classify(error, state.failures);
      if (outcome.status === 'retry') {
        this.progress.set(key, state);
        if (this.progress.size > 10_000) this.progress.delete(this.progress.keys().next().value!);
      } else {
        this.progress.delete(key);
      }
      this.options.logger[outcome.status === 'failed' ? 'warn' : 'info'](
        { conversation: address.conversation.id, sent: state.sent, of: activities.length, outcome },
        outcome.status === 'failed' ? 'teams message cannot be delivered' : 'teams send will be retried',
      );
      return outcome;
    }
  }

  private activityFor(address: TeamsAddress, activity: OutgoingActivity): Record<string, unknown> {
    return {
      ...activity,
      channelId: address.channelId,
      serviceUrl: address.serviceUrl,
      conversation: address.conversation,
      from: { id: address.bot.id },
      recipient: address.user,
    };
  }

  private classify(error: unknown, failures: number): SendOutcome {
    const failure = httpFailure(error);
    const backoff = backoffMs(failures, this.options.retryBaseMs ?? 1000);
    if (failure.status === undefined) return { status: 'retry', afterMs: backoff, error: failure.message };
    if (RETRYABLE.has(failure.status)) return { status: 'retry', afterMs: Math.max(backoff, failure.retryAfterMs ?? 0), error: failure.message };
    if (failure.status === 401) return { status: 'retry', afterMs: UNAUTHORIZED_RETRY_MS, error: failure.message };
    // 403 (bot removed, user blocked it), 404 (conversation gone), 400/413 (would fail the same way again).
    return { status: 'failed', error: failure.message };
  }
}

/** The part of botframework-connector's ConnectorClient used here. */
interface ConnectorLike {
  conversations: { sendToConversation(conversationId: string, activity: Record<string, unknown>): Promise<unknown> };
  client?: { pipeline?: { removePolicy(options: { phase?: string; name?: string }): unknown } };
}

/**
 * Removes the connector pipeline's own retry policies (@azure/core-rest-pipeline's "Retry" phase), which
 * would sleep through Retry-After inside the send; the outbox retries instead.
 */
function disableConnectorRetries(connector: ConnectorLike): void {
  connector.client?.pipeline?.removePolicy({ phase: 'Retry' });
}
