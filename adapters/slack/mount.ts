import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifySlackRequest, webApi } from '@slack/bolt';
import type { ChannelMount, Route } from '../../bots/serve/http-server.js';
import type { Env } from '../../core/config/env.js';
import type { ConversationEngine, EngineInput } from '../../core/conversation/types.js';
import { translator } from '../../core/conversation/i18n.js';
import { ConversationStateStore } from '../../core/conversation/state-store.js';
import { DeliveryStore } from '../../core/delivery/delivery-store.js';
import { inboxHandler } from '../../core/delivery/engine-bridge.js';
import type { ChannelAddress, InboxItem } from '../../core/delivery/types.js';
import { DeliveryWorker, type DeliveryPacing } from '../../core/delivery/worker.js';
import { Glossary } from '../../core/glossary/glossary.js';
import { chatModelFromEnv } from '../../core/llm/chat-model.js';
import type { Logger } from '../../core/log.js';
import { ModerationStore, notifySubmitter, type ModerationDecision } from '../../core/moderation/index.js';
import { Matcher } from '../../core/retrieval/match.js';
import { askStats, renderChart, RuleStatsParser, StatsEngine, StatsQuestionError, statsParserFor, type StatsQuestionParser } from '../../core/stats/index.js';
import type { Db } from '../../core/store/db.js';
import { ListingStore } from '../../core/store/listing-store.js';
import { isSecretariat, slackConfig, type SlackConfig } from './config.js';
import {
  ENGINE_ACTION_PREFIX,
  MOD_APPROVE,
  MOD_EDIT,
  MOD_REJECT,
  REJECT_VIEW,
  STATS_CSV,
  escapeSlack,
  rejectReasonView,
  renderModerationDone,
  renderModerationPost,
  renderStats,
  renderStatsHelp,
  type SlackMessage,
} from './render.js';
import { SlackSender } from './sender.js';
import { SlackSocket, type SlackEnvelope } from './socket.js';
import { SlackUserGroups } from './usergroups.js';

export const CHANNEL = 'slack';
/** One Request URL serves the Events API, the slash command and interactivity; the three paths are aliases. */
export const EVENTS_PATH = '/slack/events';
export const COMMANDS_PATH = '/slack/commands';
export const INTERACTIVITY_PATH = '/slack/interactivity';
const MAX_BODY_BYTES = 1_000_000;
/** Slack's chat.postMessage allows about one message per second per channel. */
export const SLACK_PACING: DeliveryPacing = { perAddressMs: 1000, perSecond: 20 };
/** Mentions and slash commands starting with this word are statistics questions. */
const STATS_WORDS = /^\s*(stats?|statistics|statistik|สถิติ|thống kê)\b[:\s]*/iu;

type Json = Record<string, any>;

/** What the inbox stores for one Slack request (after the signature was verified) or Socket Mode envelope. */
export interface SlackInboxPayload {
  kind: 'event' | 'command' | 'action' | 'view';
  body: Json;
}

/** An engine turn for the shared inbox handler. */
interface EngineJob {
  input: EngineInput;
  address: ChannelAddress;
}

export interface SlackMountOptions {
  config: SlackConfig;
  engine: ConversationEngine;
  db: Db;
  delivery: DeliveryStore;
  /** Unmet needs in statistics use the same retrieval as founders (built on first use when a function). */
  matcher: Matcher | (() => Promise<Matcher>);
  /** Default: the rules (slackMountFromEnv passes an LlmStatsParser when an LLM is configured). */
  statsParser?: StatsQuestionParser;
  logger: Logger;
  /** Clock for signature freshness, statistics periods and the user-group cache (tests). */
  now?: () => Date;
  worker?: { pollMs?: number; retryBaseMs?: number; pacing?: DeliveryPacing };
  /** Web API client retries (default 2; tests use 0). */
  apiRetries?: number;
  /** How long the members of a user group in JEMBATAN_MODERATORS are cached (default 5 minutes). */
  userGroupCacheMs?: number;
  /** Socket Mode timing (tests): pong wait (also the reconnect delay), Slack's ping interval, first-connect wait. */
  socket?: { clientPingTimeoutMs?: number; serverPingTimeoutMs?: number; connectWaitMs?: number; reconnectBaseMs?: number; reconnectMaxMs?: number };
}

/** What Slack gets back for one request or envelope: the HTTP answer, or the Socket Mode ack's payload. */
export type SlackAck = { status: 200; body?: Json } | { status: 400; error: string };

/** Socket Mode envelope types that carry what the HTTP Request URLs receive. */
const ENVELOPE_TYPES = new Set(['events_api', 'slash_commands', 'interactive']);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readRaw(request: IncomingMessage): Promise<string> {
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw new HttpError(413, 'request too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function sendEmpty(response: ServerResponse): void {
  response.writeHead(200, { 'content-length': 0 });
  response.end();
}

/** `<@U123> text` → `text` (every user mention removed). */
export function withoutMentions(text: string): string {
  return text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Slack's escaping of &, <, > undone (user text as typed). */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Slack on the shared server of `jembatan serve` (docs/SLACK.md). Slack reaches the app over HTTP
 * (Request URLs, mounted when the signing secret is set: every request's signature is verified with
 * @slack/bolt's `verifySlackRequest`, a forged or stale one gets 401 and nothing is stored) and/or over
 * Socket Mode (the app token: a WebSocket opened with `apps.connections.open`). Both go through `accept`:
 * the request or envelope is stored in the delivery inbox (keyed by event_id / trigger_id, so a retry is
 * stored once) and acknowledged at once; the delivery worker does the work: engine turns for DMs,
 * mentions and buttons (replies through the outbox and `SlackSender`), statistics for the secretariat,
 * moderation decisions. A moderation pass posts pending listings of every channel to the moderation channel.
 */
export class SlackChannel implements ChannelMount {
  readonly name = CHANNEL;
  readonly routes: Route[];
  readonly client: InstanceType<typeof webApi.WebClient>;
  readonly moderation: ModerationStore;
  /** Members of the user groups listed in JEMBATAN_MODERATORS (cached). */
  readonly userGroups: SlackUserGroups;
  private readonly worker: DeliveryWorker;
  private statsPromise: Promise<StatsEngine> | undefined;
  private readonly parser: StatsQuestionParser;
  /** Mentions are statistics questions when the rules understand them (no model call per mention). */
  private readonly rules = new RuleStatsParser();
  private readonly now: () => Date;
  private readonly socket: SlackSocket | undefined;
  private poller: NodeJS.Timeout | undefined;
  private pass: Promise<unknown> = Promise.resolve();
  private readonly engineTurn: (item: InboxItem) => Promise<void>;

  constructor(private readonly options: SlackMountOptions) {
    const handle = (request: IncomingMessage, response: ServerResponse) => this.onRequest(request, response);
    this.routes = options.config.signingSecret
      ? [EVENTS_PATH, COMMANDS_PATH, INTERACTIVITY_PATH].map((path) => ({ method: 'POST' as const, path, handle }))
      : [];
    this.now = options.now ?? (() => new Date());
    this.client = new webApi.WebClient(options.config.botToken, {
      slackApiUrl: options.config.apiUrl,
      retryConfig: { retries: options.apiRetries ?? 2 },
      rejectRateLimitedCalls: true,
      logLevel: webApi.LogLevel.ERROR,
    });
    this.moderation = new ModerationStore(options.db);
    this.userGroups = new SlackUserGroups(this.client, options.logger.child({ component: 'slack' }), {
      ttlMs: options.userGroupCacheMs,
      now: () => this.now().getTime(),
    });
    this.parser = options.statsParser ?? this.rules;
    this.socket = options.config.appToken
      ? new SlackSocket({
          appToken: options.config.appToken,
          apiUrl: options.config.apiUrl,
          logger: options.logger,
          onEnvelope: (envelope) => this.onEnvelope(envelope),
          ...options.socket,
        })
      : undefined;
    this.engineTurn = inboxHandler<EngineJob>({
      engine: options.engine,
      store: options.delivery,
      toInput: (job) => job.input,
      addressOf: (job) => job.address,
    });
    this.worker = new DeliveryWorker({
      store: options.delivery,
      channel: CHANNEL,
      sender: new SlackSender(this.client, options.logger),
      handleInbox: (item) => this.handleInbox(item),
      logger: options.logger,
      pollMs: options.worker?.pollMs,
      retryBaseMs: options.worker?.retryBaseMs,
      pacing: options.worker?.pacing ?? SLACK_PACING,
    });
  }

  private stats(): Promise<StatsEngine> {
    this.statsPromise ??= (async () => {
      const matcher = typeof this.options.matcher === 'function' ? await this.options.matcher() : this.options.matcher;
      return new StatsEngine({ db: this.options.db, matcher, logger: this.options.logger }, { now: this.now });
    })();
    return this.statsPromise;
  }

  get config(): SlackConfig {
    return this.options.config;
  }

  /** How statistics questions are read (the rules, or an LLM with the rules as fallback). */
  get statsParser(): StatsQuestionParser {
    return this.parser;
  }

  /** Starts the worker, the moderation pass and, with an app token, the Socket Mode connection. */
  async start(): Promise<void> {
    this.worker.start();
    if (this.config.moderationChannel) {
      const tick = () => {
        void this.moderationPass().catch((error: unknown) => this.options.logger.warn({ err: error }, 'moderation pass failed'));
      };
      this.poller = setInterval(tick, this.config.moderationPollMs);
      this.poller.unref();
      tick();
    }
    if (this.socket) {
      try {
        await this.socket.start();
      } catch (error) {
        await this.stop();
        throw error;
      }
    }
    this.options.logger.info(
      {
        paths: this.routes.map((route) => route.path),
        socketMode: !!this.socket,
        api: this.config.apiUrl,
        moderationChannel: this.config.moderationChannel ?? null,
      },
      'Slack app listening',
    );
  }

  async stop(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    await this.socket?.stop();
    await this.pass.catch(() => undefined);
    await this.worker.stop();
  }

  /** Look for inbox and outbox work now. */
  wake(): void {
    this.worker.wake();
  }

  /** One worker pass (tests). */
  runOnce(): Promise<{ inbox: number; outbox: number }> {
    return this.worker.runOnce();
  }

  // ------------------------------------------------------------------------------------------ HTTP

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const secret = this.config.signingSecret;
    if (!secret) return sendJson(response, 404, { error: 'Slack HTTP requests are not enabled (no SLACK_SIGNING_SECRET)' });
    let raw: string;
    try {
      raw = await readRaw(request);
    } catch (error) {
      if (error instanceof HttpError) return sendJson(response, error.status, { error: error.message });
      throw error;
    }
    const signature = request.headers['x-slack-signature'];
    const timestamp = Number(request.headers['x-slack-request-timestamp']);
    try {
      if (typeof signature !== 'string' || !Number.isFinite(timestamp)) throw new Error('missing signature headers');
      verifySlackRequest({
        signingSecret: secret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: this.now().getTime(),
      });
    } catch (error) {
      this.options.logger.warn({ reason: (error as Error).message }, 'slack request with an invalid signature refused');
      return sendJson(response, 401, { error: 'invalid request signature' });
    }
    const contentType = String(request.headers['content-type'] ?? '');
    let body: Json;
    try {
      if (contentType.includes('application/json')) body = JSON.parse(raw) as Json;
      else {
        const form = Object.fromEntries(new URLSearchParams(raw));
        body = typeof form.payload === 'string' ? (JSON.parse(form.payload) as Json) : form;
      }
    } catch {
      return sendJson(response, 400, { error: 'body is not readable' });
    }
    const retry = request.headers['x-slack-retry-num'];
    const ack = await this.accept(body, { via: 'http', ...(retry !== undefined ? { retry: String(retry) } : {}) });
    if (ack.status !== 200) return sendJson(response, ack.status, { error: ack.error });
    return ack.body ? sendJson(response, 200, ack.body) : sendEmpty(response);
  }

  // ------------------------------------------------------------------------------------------ Socket Mode

  private async onEnvelope(envelope: SlackEnvelope): Promise<Json | undefined> {
    if (!ENVELOPE_TYPES.has(envelope.type)) {
      this.options.logger.debug({ envelopeId: envelope.envelopeId, type: envelope.type }, 'slack socket envelope of another type acknowledged');
      return undefined;
    }
    const ack = await this.accept(envelope.body, {
      via: 'socket',
      ...(envelope.retryAttempt ? { retry: `${envelope.retryAttempt}${envelope.retryReason ? ` (${envelope.retryReason})` : ''}` } : {}),
    });
    if (ack.status !== 200) {
      // Re-sent, it would be just as unreadable: acknowledged, not stored.
      this.options.logger.warn({ envelopeId: envelope.envelopeId, type: envelope.type, reason: ack.error }, 'slack socket envelope not understood; acknowledged without handling');
      return undefined;
    }
    return ack.body;
  }

  // ------------------------------------------------------------------------------------------ accept

  /**
   * One Slack payload, already authenticated (a verified HTTP signature, or the Socket Mode connection):
   * stored in the inbox (a retry of a stored one is not stored again) and what Slack must get back at once.
   * Throws when it could not be stored (Slack then sends it again).
   */
  async accept(body: Json, meta: { via: 'http' | 'socket'; retry?: string } = { via: 'http' }): Promise<SlackAck> {
    if (body.ssl_check) return { status: 200 };
    if (body.type === 'url_verification') return { status: 200, body: { challenge: body.challenge } };
    if (body.type === 'event_callback') {
      if (typeof body.event_id !== 'string') return { status: 400, error: 'event without event_id' };
      await this.store(`ev:${body.event_id}`, { kind: 'event', body }, meta);
      return { status: 200 };
    }
    if (typeof body.command === 'string') {
      await this.store(`cmd:${body.trigger_id ?? `${body.user_id}:${body.channel_id}:${body.text}`}`, { kind: 'command', body }, meta);
      return { status: 200 };
    }
    if (body.type === 'block_actions') {
      const action = (body.actions as Json[] | undefined)?.[0];
      if (!action) return { status: 200 };
      // The reason for a rejection is asked in a modal, which must open within the trigger's 3 seconds.
      if (action.action_id === MOD_REJECT && (await this.secretariat(body))) {
        try {
          await this.openRejectModal(body.trigger_id, Number(action.value));
          return { status: 200 };
        } catch (error) {
          // Stored below: the worker asks the moderator to press Reject again.
          this.options.logger.warn({ err: error }, 'opening the rejection modal failed');
        }
      }
      await this.store(`act:${body.trigger_id ?? `${body.container?.message_ts}:${action.action_ts}`}`, { kind: 'action', body }, meta);
      return { status: 200 };
    }
    if (body.type === 'view_submission') {
      await this.store(`view:${body.view?.id}:${body.trigger_id ?? body.view?.hash}`, { kind: 'view', body }, meta);
      return { status: 200, body: { response_action: 'clear' } };
    }
    return { status: 200 };
  }

  private async store(messageId: string, payload: SlackInboxPayload, meta: { via: 'http' | 'socket'; retry?: string }): Promise<void> {
    const fresh = await this.options.delivery.accept(CHANNEL, messageId, payload);
    if (fresh) this.worker.wake();
    else this.options.logger.info({ messageId, via: meta.via, retry: meta.retry ?? null }, 'slack re-sent a request already received; not handled again');
  }

  private async openRejectModal(triggerId: string, listingId: number): Promise<void> {
    const item = await this.moderation.item(listingId);
    await this.client.views.open({ trigger_id: triggerId, view: rejectReasonView(listingId, item?.title ?? `#${listingId}`) as never });
  }

  private secretariat(body: Json): Promise<boolean> {
    return isSecretariat(
      this.config,
      {
        teamId: body.team_id ?? body.team?.id ?? body.user?.team_id,
        userId: body.user_id ?? body.user?.id ?? body.event?.user,
        channelId: body.channel_id ?? body.channel?.id ?? body.event?.channel,
      },
      this.userGroups,
    );
  }

  // ------------------------------------------------------------------------------------------ worker

  private async handleInbox(item: InboxItem): Promise<void> {
    const payload = item.payload as SlackInboxPayload;
    const body = payload.body;
    switch (payload.kind) {
      case 'event':
        return this.onEvent(item, body);
      case 'command':
        return this.onCommand(item, body);
      case 'action':
        return this.onAction(item, body);
      case 'view':
        return this.onView(body);
    }
  }

  private engine(item: InboxItem, input: Omit<EngineInput, 'channel'>, address: ChannelAddress): Promise<void> {
    return this.engineTurn({ ...item, payload: { input: { channel: CHANNEL, ...input }, address } satisfies EngineJob });
  }

  private async onEvent(item: InboxItem, body: Json): Promise<void> {
    const event = body.event as Json | undefined;
    if (!event || event.bot_id || event.subtype || typeof event.user !== 'string' || typeof event.text !== 'string') return;
    if (event.type === 'message' && event.channel_type === 'im') {
      return this.engine(item, { userId: event.user, conversationId: event.channel, message: { type: 'text', text: unescapeSlack(event.text) } }, { channel: event.channel });
    }
    if (event.type === 'app_mention') {
      const text = unescapeSlack(withoutMentions(event.text));
      const address = { channel: event.channel, thread_ts: event.thread_ts ?? event.ts };
      const who = { ...body, user_id: event.user, channel_id: event.channel };
      const asked = STATS_WORDS.exec(text);
      if (asked) return this.statsQuestion(who, text.slice(asked[0].length), address);
      if ((await this.looksLikeStats(text)) && (await this.secretariat(who))) return this.statsQuestion(who, text, address);
      return this.engine(item, { userId: event.user, conversationId: `${event.channel}:${address.thread_ts}`, message: { type: 'text', text } }, address);
    }
  }

  private async looksLikeStats(text: string): Promise<boolean> {
    try {
      await this.rules.parse(text, { now: this.now() });
      return true;
    } catch {
      return false;
    }
  }

  private async onCommand(item: InboxItem, body: Json): Promise<void> {
    const text = unescapeSlack(String(body.text ?? '')).trim();
    const address = { channel: body.channel_id };
    const asked = STATS_WORDS.exec(text);
    if (asked) return this.statsQuestion(body, text.slice(asked[0].length), address);
    return this.engine(
      item,
      { userId: body.user_id, conversationId: body.channel_id, message: { type: 'text', text: text || 'help' } },
      address,
    );
  }

  private async onAction(item: InboxItem, body: Json): Promise<void> {
    const action = (body.actions as Json[])[0]!;
    const actionId = String(action.action_id ?? '');
    const channel = body.channel?.id as string;
    const threadTs = body.message?.thread_ts as string | undefined;
    if (actionId.startsWith(ENGINE_ACTION_PREFIX)) {
      // In a channel (not a DM), a button on a top-level message (e.g. an introduction request in the
      // moderation channel) opens a thread under that message: the follow-up question lands there, and an
      // @mention in the thread continues the same conversation (onEvent uses channel:thread_ts too).
      const thread = threadTs ?? (channel?.startsWith('D') ? undefined : ((body.message?.ts as string | undefined) ?? (body.container?.message_ts as string | undefined)));
      const address = thread ? { channel, thread_ts: thread } : { channel };
      const conversationId = thread ? `${channel}:${thread}` : channel;
      return this.engine(item, { userId: body.user.id, conversationId, message: { type: 'action', action: String(action.value) } }, address);
    }
    const where = { channel, thread_ts: threadTs ?? body.message?.ts ?? body.container?.message_ts };
    if (!(await this.secretariat(body))) return this.refuse(body, where);
    switch (actionId) {
      case STATS_CSV:
        return this.statsCsv(String(action.value ?? ''), where);
      case MOD_APPROVE:
        return this.decide(Number(action.value), 'approved', body.user.id, null);
      case MOD_REJECT:
        // Reached only when the modal could not be opened in time: ask again.
        await this.post(where, { text: 'Press Reject again to give the reason.', blocks: [] });
        return;
      case MOD_EDIT:
        return this.showForEdit(Number(action.value), where);
    }
  }

  private async onView(body: Json): Promise<void> {
    if (body.view?.callback_id !== REJECT_VIEW) return;
    if (!(await this.secretariat(body))) return;
    const reason = String(body.view?.state?.values?.reason?.reason?.value ?? '').trim() || null;
    await this.decide(Number(body.view.private_metadata), 'rejected', body.user.id, reason);
  }

  /** A polite refusal, in the user's language when the engine knows them, in the thread. */
  private async refuse(body: Json, address: ChannelAddress): Promise<void> {
    const language = await new ConversationStateStore(this.options.db).languageOf(CHANNEL, String(body.user_id ?? body.user?.id ?? ''));
    const t = translator(language ?? 'en');
    await this.options.delivery.enqueue(CHANNEL, address, [{ type: 'text', text: t('moderation.not_allowed') }]);
    this.worker.wake();
  }

  // ------------------------------------------------------------------------------------------ stats

  private async statsQuestion(who: Json, question: string, address: { channel: string; thread_ts?: string }): Promise<void> {
    if (!(await this.secretariat(who))) return this.refuse(who, address);
    try {
      const { answer } = await askStats(this.parser, await this.stats(), question, { now: this.now() });
      const posted = await this.post(address, renderStats(answer, question));
      const chart = await renderChart(answer);
      await this.upload(address, posted, chart.png, 'chart.png', chart.alt);
    } catch (error) {
      if (!(error instanceof StatsQuestionError)) throw error;
      await this.post(address, renderStatsHelp(error.help));
    }
  }

  private async statsCsv(question: string, address: { channel: string; thread_ts?: string }): Promise<void> {
    try {
      const { answer } = await askStats(this.parser, await this.stats(), question, { now: this.now() });
      await this.upload(address, address.thread_ts, new TextEncoder().encode(answer.csv), 'stats.csv', answer.title);
    } catch (error) {
      if (!(error instanceof StatsQuestionError)) throw error;
      await this.post(address, renderStatsHelp(error.help));
    }
  }

  // ------------------------------------------------------------------------------------------ moderation

  /** Posts pending listings not yet posted to the moderation channel; returns how many were posted. */
  moderationPass(limit = 20): Promise<number> {
    const next = this.pass.catch(() => undefined).then(() => this.postPending(limit));
    this.pass = next;
    return next;
  }

  private async postPending(limit: number): Promise<number> {
    const channel = this.config.moderationChannel;
    if (!channel) return 0;
    const items = await this.moderation.claimUnposted(CHANNEL, limit);
    let posted = 0;
    for (const item of items) {
      try {
        const message = renderModerationPost(item);
        const result = await this.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never });
        await this.moderation.posted(item.listingId, { channel: result.channel ?? channel, ts: result.ts });
        posted++;
      } catch (error) {
        await this.moderation.unclaim(item.listingId);
        this.options.logger.warn({ err: error, listingId: item.listingId }, 'posting a listing for moderation failed; will try again');
      }
    }
    return posted;
  }

  private async decide(listingId: number, decision: ModerationDecision, moderatorId: string, reason: string | null): Promise<void> {
    const result = await this.moderation.decide(listingId, decision, { channel: CHANNEL, id: moderatorId }, reason);
    const location = await this.moderation.postLocation(listingId);
    if (!result.applied || !result.item) {
      if (location) await this.post({ channel: String(location.channel), thread_ts: String(location.ts) }, { text: 'This listing is no longer pending; nothing was changed.', blocks: [] });
      return;
    }
    const notified = await notifySubmitter({ db: this.options.db, delivery: this.options.delivery }, result.item, decision, reason);
    if (location) {
      const done = renderModerationDone(result.item, decision, moderatorId, reason);
      await this.client.chat.update({ channel: String(location.channel), ts: String(location.ts), text: done.text, blocks: done.blocks as never });
      if (!notified) await this.post({ channel: String(location.channel), thread_ts: String(location.ts) }, { text: 'The submitter could not be notified (no known address).', blocks: [] });
    }
    this.options.logger.info({ listingId, decision, moderatorId, notified }, 'moderation decision');
    this.worker.wake();
  }

  private async showForEdit(listingId: number, address: { channel: string; thread_ts?: string }): Promise<void> {
    const item = await this.moderation.item(listingId);
    if (!item) return;
    const text = `*${escapeSlack(item.title)}*\n${escapeSlack(item.summary)}`;
    await this.post(address, {
      text: `Listing #${listingId} for editing`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 2900) } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `Full text of listing #${listingId}. To change it, ask the submitter (they can edit it in "my listings") or reject it with the changes needed as the reason.` }] },
      ],
    });
  }

  // ------------------------------------------------------------------------------------------ Web API

  private async post(address: { channel: string; thread_ts?: string }, message: SlackMessage): Promise<string | undefined> {
    const result = await this.client.chat.postMessage({
      channel: address.channel,
      ...(address.thread_ts ? { thread_ts: address.thread_ts } : {}),
      text: message.text,
      ...(message.blocks.length > 0 ? { blocks: message.blocks as never } : {}),
    });
    return address.thread_ts ?? result.ts;
  }

  private async upload(address: { channel: string }, threadTs: string | undefined, bytes: Uint8Array, filename: string, title: string): Promise<void> {
    await this.client.filesUploadV2({
      channel_id: address.channel,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      file: Buffer.from(bytes),
      filename,
      title,
    } as never);
  }
}

export function slackMount(options: SlackMountOptions): SlackChannel {
  return new SlackChannel(options);
}

/** What tests may tune when building the channel from the environment (timings, retries). */
export type SlackMountTuning = Pick<SlackMountOptions, 'now' | 'worker' | 'apiRetries' | 'userGroupCacheMs' | 'socket'>;

/**
 * The Slack channel as `jembatan serve` mounts it: when SLACK_BOT_TOKEN is set with SLACK_SIGNING_SECRET
 * (HTTP Request URLs) and/or SLACK_APP_TOKEN (Socket Mode); undefined when none is set. Statistics
 * questions are read by the LLM when one is configured (OPENAI_BASE_URL / OPENAI_API_KEY, not
 * JEMBATAN_LLM=off), with the rules answering first when they understand every word and as fallback;
 * otherwise by the rules. Unmet needs use the offline retrieval signals.
 */
export function slackMountFromEnv(deps: { env: Env; engine: ConversationEngine; db: Db | undefined; logger: Logger; tuning?: SlackMountTuning }): SlackChannel | undefined {
  const config = slackConfig(deps.env);
  if (!config) return undefined;
  if (!deps.db) throw new Error('The Slack channel needs the database for delivery and moderation: pass it to channelMounts (bots/serve/serve.ts).');
  const db = deps.db;
  return new SlackChannel({
    ...deps.tuning,
    config,
    engine: deps.engine,
    db,
    delivery: new DeliveryStore(db),
    matcher: async () => new Matcher(await ListingStore.open(db), Glossary.shared(), undefined),
    statsParser: statsParserFor(chatModelFromEnv(deps.env), { timeoutMs: deps.env.JEMBATAN_LLM_TIMEOUT_MS, logger: deps.logger }),
    logger: deps.logger,
  });
}
