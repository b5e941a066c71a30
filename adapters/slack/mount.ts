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
import type { Logger } from '../../core/log.js';
import { ModerationStore, notifySubmitter, type ModerationDecision } from '../../core/moderation/index.js';
import { Matcher } from '../../core/retrieval/match.js';
import { askStats, renderChart, RuleStatsParser, StatsEngine, StatsQuestionError, type StatsQuestionParser } from '../../core/stats/index.js';
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

/** What the inbox stores for one Slack request (after the signature was verified). */
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
  statsParser?: StatsQuestionParser;
  logger: Logger;
  /** Clock for signature freshness and statistics periods (tests). */
  now?: () => Date;
  worker?: { pollMs?: number; retryBaseMs?: number; pacing?: DeliveryPacing };
  /** Web API client retries (default 2; tests use 0). */
  apiRetries?: number;
}

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
 * Slack on the shared server of `jembatan serve` (docs/SLACK.md). Every request's signature is verified
 * with @slack/bolt's `verifySlackRequest` (a forged or stale one: 401, nothing stored); a verified
 * request is stored in the delivery inbox (keyed by event_id / trigger_id, so a retry is stored once) and
 * acknowledged at once; the delivery worker does the work: engine turns for DMs, mentions and buttons
 * (replies through the outbox and `SlackSender`), statistics for the secretariat, moderation decisions.
 * A moderation pass posts pending listings of every channel to the moderation channel.
 */
export class SlackChannel implements ChannelMount {
  readonly name = CHANNEL;
  readonly routes: Route[];
  readonly client: InstanceType<typeof webApi.WebClient>;
  readonly moderation: ModerationStore;
  private readonly worker: DeliveryWorker;
  private statsPromise: Promise<StatsEngine> | undefined;
  private readonly parser: StatsQuestionParser;
  private readonly now: () => Date;
  private poller: NodeJS.Timeout | undefined;
  private pass: Promise<unknown> = Promise.resolve();
  private readonly engineTurn: (item: InboxItem) => Promise<void>;

  constructor(private readonly options: SlackMountOptions) {
    const handle = (request: IncomingMessage, response: ServerResponse) => this.onRequest(request, response);
    this.routes = [EVENTS_PATH, COMMANDS_PATH, INTERACTIVITY_PATH].map((path) => ({ method: 'POST' as const, path, handle }));
    this.now = options.now ?? (() => new Date());
    this.client = new webApi.WebClient(options.config.botToken, {
      slackApiUrl: options.config.apiUrl,
      retryConfig: { retries: options.apiRetries ?? 2 },
      rejectRateLimitedCalls: true,
      logLevel: webApi.LogLevel.ERROR,
    });
    this.moderation = new ModerationStore(options.db);
    this.parser = options.statsParser ?? new RuleStatsParser();
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
    this.options.logger.info(
      { paths: [EVENTS_PATH, COMMANDS_PATH, INTERACTIVITY_PATH], api: this.config.apiUrl, moderationChannel: this.config.moderationChannel ?? null },
      'Slack app listening',
    );
  }

  async stop(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
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
        signingSecret: this.config.signingSecret,
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
    if (body.ssl_check) return sendEmpty(response);
    if (body.type === 'url_verification') return sendJson(response, 200, { challenge: body.challenge });
    if (body.type === 'event_callback') {
      if (typeof body.event_id !== 'string') return sendJson(response, 400, { error: 'event without event_id' });
      await this.store(`ev:${body.event_id}`, { kind: 'event', body }, request.headers['x-slack-retry-num']);
      return sendEmpty(response);
    }
    if (typeof body.command === 'string') {
      await this.store(`cmd:${body.trigger_id ?? `${body.user_id}:${body.channel_id}:${body.text}`}`, { kind: 'command', body });
      return sendEmpty(response);
    }
    if (body.type === 'block_actions') {
      const action = (body.actions as Json[] | undefined)?.[0];
      if (!action) return sendEmpty(response);
      // The reason for a rejection is asked in a modal, which must open within the trigger's 3 seconds.
      if (action.action_id === MOD_REJECT && this.secretariat(body)) {
        try {
          await this.openRejectModal(body.trigger_id, Number(action.value));
          return sendEmpty(response);
        } catch (error) {
          // Stored below: the worker asks the moderator to press Reject again.
          this.options.logger.warn({ err: error }, 'opening the rejection modal failed');
        }
      }
      await this.store(`act:${body.trigger_id ?? `${body.container?.message_ts}:${action.action_ts}`}`, { kind: 'action', body });
      return sendEmpty(response);
    }
    if (body.type === 'view_submission') {
      await this.store(`view:${body.view?.id}:${body.trigger_id ?? body.view?.hash}`, { kind: 'view', body });
      return sendJson(response, 200, { response_action: 'clear' });
    }
    return sendEmpty(response);
  }

  private async store(messageId: string, payload: SlackInboxPayload, retry?: string | string[]): Promise<void> {
    const fresh = await this.options.delivery.accept(CHANNEL, messageId, payload);
    if (fresh) this.worker.wake();
    else this.options.logger.info({ messageId, retry: retry ?? null }, 'slack re-sent a request already received; not handled again');
  }

  private async openRejectModal(triggerId: string, listingId: number): Promise<void> {
    const item = await this.moderation.item(listingId);
    await this.client.views.open({ trigger_id: triggerId, view: rejectReasonView(listingId, item?.title ?? `#${listingId}`) as never });
  }

  private secretariat(body: Json): boolean {
    return isSecretariat(this.config, {
      teamId: body.team_id ?? body.team?.id ?? body.user?.team_id,
      userId: body.user_id ?? body.user?.id ?? body.event?.user,
      channelId: body.channel_id ?? body.channel?.id ?? body.event?.channel,
    });
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
      if (this.secretariat(who) && (await this.looksLikeStats(text))) return this.statsQuestion(who, text, address);
      return this.engine(item, { userId: event.user, conversationId: `${event.channel}:${address.thread_ts}`, message: { type: 'text', text } }, address);
    }
  }

  private async looksLikeStats(text: string): Promise<boolean> {
    try {
      await this.parser.parse(text, { now: this.now() });
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
      const address = threadTs ? { channel, thread_ts: threadTs } : { channel };
      const conversationId = threadTs ? `${channel}:${threadTs}` : channel;
      return this.engine(item, { userId: body.user.id, conversationId, message: { type: 'action', action: String(action.value) } }, address);
    }
    const where = { channel, thread_ts: threadTs ?? body.message?.ts ?? body.container?.message_ts };
    if (!this.secretariat(body)) return this.refuse(body, where);
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
    if (!this.secretariat(body)) return;
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
    if (!this.secretariat(who)) return this.refuse(who, address);
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

/**
 * The Slack channel as `jembatan serve` mounts it: when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set;
 * undefined otherwise. Statistics use the rule parser and the offline retrieval signals.
 */
export function slackMountFromEnv(deps: { env: Env; engine: ConversationEngine; db: Db | undefined; logger: Logger }): SlackChannel | undefined {
  const config = slackConfig(deps.env);
  if (!config) return undefined;
  if (!deps.db) throw new Error('The Slack channel needs the database for delivery and moderation: pass it to channelMounts (bots/serve/serve.ts).');
  const db = deps.db;
  return new SlackChannel({
    config,
    engine: deps.engine,
    db,
    delivery: new DeliveryStore(db),
    matcher: async () => new Matcher(await ListingStore.open(db), Glossary.shared(), undefined),
    logger: deps.logger,
  });
}
