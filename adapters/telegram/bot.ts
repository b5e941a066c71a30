import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Telegram, TelegramError } from 'telegraf';
import type { Message, Update } from 'telegraf/types';
import { translator } from '../../core/conversation/i18n.js';
import { languageFromLocale } from '../../core/conversation/labels.js';
import type { ConversationEngine } from '../../core/conversation/types.js';
import { MAX_INBOX_ATTEMPTS, type DeliveryStore } from '../../core/delivery/delivery-store.js';
import { inboxHandler } from '../../core/delivery/engine-bridge.js';
import type { InboxItem } from '../../core/delivery/types.js';
import { DeliveryWorker, type DeliveryPacing } from '../../core/delivery/worker.js';
import type { Logger } from '../../core/log.js';
import { CallbackData } from './callback-data.js';
import { commandRegistrations } from './commands.js';
import { MAX_MESSAGE_CHARS, escapeHtml, isChoiceKeyboard } from './render.js';
import { TelegramSender } from './sender.js';
import { CHANNEL, readUpdate, type BotIdentity, type Intake, type TelegramAddress } from './updates.js';

/** The update types the bot asks Telegram for (setWebhook and getUpdates). */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
/** Largest webhook body read (Telegram updates are a few kB). */
const MAX_BODY_BYTES = 1024 * 1024;
/** Default route when TELEGRAM_WEBHOOK_URL has no path. */
export const DEFAULT_WEBHOOK_PATH = '/telegram/webhook';
/** Telegram's pacing: about one message a second per chat, 30 a second overall. */
export const TELEGRAM_PACING: Required<DeliveryPacing> = { perAddressMs: 1000, perSecond: 30 };

export type TelegramMode = { kind: 'polling'; timeoutSeconds?: number } | { kind: 'webhook'; url: string; secret?: string };

export interface TelegramBotOptions {
  token: string;
  /** A self-hosted Bot API server (telegraf's apiRoot); default https://api.telegram.org. */
  apiRoot?: string;
  mode: TelegramMode;
  engine: ConversationEngine;
  delivery: DeliveryStore;
  logger: Logger;
  pacing?: DeliveryPacing;
  /** Delivery worker knobs (tests make them quicker). */
  worker?: { pollMs?: number; retryBaseMs?: number };
  /** Register the localized command menus with setMyCommands on start (default true). */
  registerCommands?: boolean;
}

export type IntakeResult = 'accepted' | 'duplicate' | 'ignored' | 'unavailable';

/** The webhook secret: TELEGRAM_WEBHOOK_SECRET, or one derived from the token (the same in every process). */
export function webhookSecret(token: string, configured?: string): string {
  return configured ?? createHmac('sha256', token).update('jembatan telegram webhook').digest('base64url');
}

/** The route the webhook is served on, and the URL given to setWebhook. */
export function webhookRoute(url: string): { path: string; url: string } {
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') {
    parsed.pathname = DEFAULT_WEBHOOK_PATH;
    return { path: DEFAULT_WEBHOOK_PATH, url: parsed.toString() };
  }
  return { path: parsed.pathname.replace(/\/+$/, '') || DEFAULT_WEBHOOK_PATH, url };
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The Telegram channel. Updates arrive by webhook (POST on the shared server, secret token checked) or
 * long polling; each is stored in the delivery inbox keyed by its update_id (a redelivery is a no-op) and
 * acknowledged at once (the webhook answers 200, a callback query is answered). The delivery worker then
 * runs the engine and sends the replies through `TelegramSender`, paced. Nothing here knows SQL.
 */
export class TelegramBot {
  readonly telegram: Telegram;
  readonly callbackData = new CallbackData();
  readonly worker: DeliveryWorker;
  readonly webhook?: { path: string; url: string; secret: string };
  private identity?: BotIdentity;
  private readonly logger: Logger;
  private polling?: { abort: AbortController; loop: Promise<void> };
  /** Acknowledgements (answerCallbackQuery, choice edits) still in flight: awaited on stop. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: TelegramBotOptions) {
    this.logger = options.logger.child({ channel: CHANNEL });
    this.telegram = new Telegram(options.token, { apiRoot: options.apiRoot ?? 'https://api.telegram.org', webhookReply: false });
    if (options.mode.kind === 'webhook') {
      this.webhook = { ...webhookRoute(options.mode.url), secret: webhookSecret(options.token, options.mode.secret) };
    }
    const pacing = options.pacing ?? TELEGRAM_PACING;
    this.worker = new DeliveryWorker({
      store: options.delivery,
      channel: CHANNEL,
      sender: new TelegramSender({ telegram: this.telegram, callbackData: this.callbackData, logger: this.logger, perSecond: pacing.perSecond }),
      handleInbox: this.inboxHandler(),
      logger: options.logger,
      pacing,
      pollMs: options.worker?.pollMs,
      retryBaseMs: options.worker?.retryBaseMs,
    });
  }

  /** The bot's own user (after start). */
  get me(): BotIdentity | undefined {
    return this.identity;
  }

  /**
   * Connects: getMe, the localized command menus, then setWebhook (webhook mode) or deleteWebhook and the
   * polling loop; starts the delivery worker. Throws when Telegram refuses the token.
   */
  async start(): Promise<void> {
    let me;
    try {
      me = await this.telegram.getMe();
    } catch (error) {
      if (error instanceof TelegramError && error.code === 401) {
        throw new Error('Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): copy the token BotFather gave you again.', { cause: error });
      }
      throw new Error(`Cannot reach the Telegram Bot API at ${this.options.apiRoot ?? 'https://api.telegram.org'}: ${(error as Error).message}`, { cause: error });
    }
    this.identity = { id: me.id, username: me.username };
    if (this.options.registerCommands !== false) await this.registerCommands();
    if (this.webhook) {
      await this.telegram.setWebhook(this.webhook.url, { secret_token: this.webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
      this.logger.info({ bot: me.username, webhook: this.webhook.url, route: this.webhook.path }, 'telegram webhook registered');
    } else {
      await this.telegram.deleteWebhook();
      const abort = new AbortController();
      this.polling = { abort, loop: this.poll(abort.signal) };
      this.logger.info({ bot: me.username }, 'telegram long polling started');
    }
    this.worker.start();
  }

  /** Stops polling and the worker (the item in progress finishes). The webhook stays registered for other processes. */
  async stop(): Promise<void> {
    if (this.polling) {
      this.polling.abort.abort();
      await this.polling.loop;
      this.polling = undefined;
    }
    await Promise.allSettled([...this.inFlight]);
    await this.worker.stop();
  }

  /** Resolves when the acknowledgements started so far (answerCallbackQuery, choice edits) are done. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async registerCommands(): Promise<void> {
    for (const registration of commandRegistrations()) {
      try {
        await this.telegram.setMyCommands(registration.commands, registration.languageCode ? { language_code: registration.languageCode } : {});
      } catch (error) {
        this.logger.warn({ err: error, language: registration.language }, 'setMyCommands failed; the command menu is not localized for this language');
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Intake: webhook and polling.

  /** The shared server's route: 401 without the right secret token, else store the update and answer 200 at once. */
  async handleWebhook(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!this.webhook || !sameSecret(request.headers['x-telegram-bot-api-secret-token'], this.webhook.secret)) {
      request.resume();
      return send(response, 401, { error: 'unauthorized' });
    }
    const body = await readBody(request);
    if (!body) return send(response, 413, { error: 'body too large' });
    let update: Update;
    try {
      update = JSON.parse(body.toString('utf8')) as Update;
    } catch {
      return send(response, 400, { error: 'body is not JSON' });
    }
    if (!update || typeof update !== 'object' || !Number.isInteger(update.update_id)) return send(response, 400, { error: 'not a Telegram update' });
    const result = await this.intake(update);
    send(response, 200, { ok: true, result });
  }

  /**
   * One update in: stored once (a redelivery is a no-op), the worker woken, a callback query answered.
   * Never throws: with the database down the user is told to try again, directly through the Bot API.
   */
  async intake(update: Update): Promise<IntakeResult> {
    const bot = this.identity;
    if (!bot) throw new Error('TelegramBot.start() must be called before updates arrive');
    const intake = readUpdate(update, bot, (data) => this.callbackData.decode(data));
    if (intake.kind === 'ignore') {
      this.acknowledge(update, false);
      this.logger.debug({ updateId: update.update_id, reason: intake.reason }, 'telegram update ignored');
      return 'ignored';
    }
    let stored: boolean;
    try {
      stored = await this.options.delivery.accept(CHANNEL, String(update.update_id), update);
    } catch (error) {
      this.logger.error({ err: error, updateId: update.update_id }, 'cannot store the telegram update: the database is unavailable');
      this.acknowledge(update, false);
      this.track(this.sayUnavailable(intake));
      return 'unavailable';
    }
    if (!stored) return 'duplicate';
    this.acknowledge(update, true);
    this.worker.wake();
    return 'accepted';
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /**
   * Answers a callback query (Telegram shows a spinner until then) and, when the pressed button belongs to
   * a choice (one option per row), edits that message to show the choice and drop its keyboard, so an
   * answered question cannot be answered twice. Runs in the background: never holds the webhook.
   */
  private acknowledge(update: Update, edit: boolean): void {
    if (!('callback_query' in update) || !update.callback_query) return;
    const query = update.callback_query;
    this.track(
      this.telegram.answerCbQuery(query.id).catch((error: unknown) => this.logger.warn({ err: error }, 'answerCallbackQuery failed')),
    );
    const message = query.message as (Message.TextMessage & { reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> } }) | undefined;
    if (!edit || !message || !('data' in query) || typeof message.text !== 'string') return;
    const keyboard = message.reply_markup?.inline_keyboard;
    if (!isChoiceKeyboard(keyboard)) return;
    const pressed = keyboard!.flat().find((button) => button.callback_data === query.data);
    if (!pressed) return;
    const text = `${message.text}\n\n✓ ${pressed.text}`;
    if (text.length > MAX_MESSAGE_CHARS) return;
    this.track(
      this.telegram
        .editMessageText(message.chat.id, message.message_id, undefined, text, { entities: message.entities })
        .catch((error: unknown) => this.logger.debug({ err: error }, 'could not mark the chosen option')),
    );
  }

  /** "Temporarily unavailable" in the user's Telegram language, sent without the database. */
  private async sayUnavailable(intake: Extract<Intake, { kind: 'input' }>): Promise<void> {
    const language = languageFromLocale(intake.input.localeHint) ?? 'en';
    const address = intake.address;
    try {
      await this.telegram.sendMessage(address.chatId, escapeHtml(translator(language)('error.unavailable')), {
        parse_mode: 'HTML',
        ...(address.threadId ? { message_thread_id: address.threadId } : {}),
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not tell the user that the service is unavailable');
    }
  }

  /** Long polling: getUpdates with a moving offset; errors (409, 429, network) wait and poll again. */
  private async poll(signal: AbortSignal): Promise<void> {
    const timeout = this.options.mode.kind === 'polling' ? (this.options.mode.timeoutSeconds ?? 50) : 50;
    let offset = 0;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const updates = await this.telegram.callApi(
          'getUpdates',
          { offset, timeout, allowed_updates: [...ALLOWED_UPDATES] },
          { signal: signal as unknown as NonNullable<Parameters<Telegram['callApi']>[2]>['signal'] },
        );
        failures = 0;
        for (const update of updates) {
          await this.intake(update);
          offset = update.update_id + 1;
        }
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        const retryAfter = error instanceof TelegramError ? error.parameters?.retry_after : undefined;
        const waitMs = retryAfter ? retryAfter * 1000 : Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        this.logger.warn({ err: error, retryInMs: waitMs }, 'telegram getUpdates failed');
        await sleep(waitMs, signal);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // The worker's side: a stored update through the engine.

  private inboxHandler(): (item: InboxItem) => Promise<void> {
    const { engine, delivery } = this.options;
    const read = (payload: Update): Intake => {
      if (!this.identity) throw new Error('the bot identity is not known yet');
      return readUpdate(payload, this.identity, (data) => this.callbackData.decode(data));
    };
    // Private chats: the engine bridge also remembers the chat as the user's address for notifications.
    const privateChat = inboxHandler<Update>({
      engine,
      store: delivery,
      toInput: (payload) => {
        const intake = read(payload);
        return intake.kind === 'input' ? intake.input : undefined;
      },
      addressOf: (payload) => {
        const intake = read(payload);
        return intake.kind === 'input' ? intake.address : { chatId: 0 };
      },
    });
    return async (item) => {
      const intake = read(item.payload as Update);
      if (intake.kind === 'ignore') return;
      try {
        if (intake.private) return await privateChat(item);
        // Groups: the same, but a group is never where a user's private notifications go.
        const { messageId: _ignored, ...input } = intake.input;
        const output = await engine.handle(input);
        if (output.replies.length > 0) await delivery.enqueue(CHANNEL, intake.address, output.replies, { completesInbox: item.id });
      } catch (error) {
        // The last attempt: the worker gives up after this, so the user hears that we could not answer.
        if (item.attempts >= MAX_INBOX_ATTEMPTS) await this.sayUnavailable(intake);
        throw error;
      }
    };
  }
}

/** Telegram addresses as the outbox stores them. */
export type { TelegramAddress };
