/**
 * A local Telegram Bot API server (node:http on 127.0.0.1) for tests, reached through TELEGRAM_API_ROOT
 * (telegraf's `apiRoot`): `POST /bot<token>/<method>` with JSON, urlencoded or multipart bodies, answered
 * with Telegram's JSON shapes (`{ok:true,result}` / `{ok:false,error_code,description,parameters?}`).
 *
 * Implemented: getMe, setWebhook, deleteWebhook, getWebhookInfo, getUpdates (long polling, offsets,
 * 409 when a webhook is set or a newer poll arrives), sendMessage, editMessageText, answerCallbackQuery,
 * sendPhoto, setMyCommands. Like Telegram it parses HTML (unsupported tags, unclosed tags, unknown
 * entities → "can't parse entities"), counts the 4,096-character limit after parsing, rejects callback data
 * over 64 bytes, unknown chats, blocked users, and stale callback queries. Failures can be scripted per
 * method (a 429 with `parameters.retry_after`).
 *
 * The user side: `message()` and `press()` make updates as Telegram would and deliver them by webhook
 * (POST with the secret token header) when one is set, otherwise queue them for getUpdates.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  first_name?: string;
  username?: string;
}

export interface TgEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  user?: TgUser;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
}

export interface TgMessage {
  message_id: number;
  from?: TgUser;
  chat: TgChat;
  date: number;
  text?: string;
  entities?: TgEntity[];
  caption?: string;
  caption_entities?: TgEntity[];
  photo?: Array<{ file_id: string; file_unique_id: string; width: number; height: number; file_size: number }>;
  reply_markup?: { inline_keyboard: InlineButton[][] };
  reply_to_message?: TgMessage;
  edit_date?: number;
  message_thread_id?: number;
}

/** The inline keyboard buttons of a message, row after row. */
export function buttonsOf(message: TgMessage): InlineButton[] {
  return message.reply_markup?.inline_keyboard.flat() ?? [];
}

/** The text (or caption) of the messages, one after the other. */
export function messagesText(messages: TgMessage[]): string {
  return messages.map((m) => m.text ?? m.caption ?? '').join('\n');
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  callback_query?: { id: string; from: TgUser; message?: TgMessage; chat_instance: string; data?: string };
  [key: string]: unknown;
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** Uploaded files by field name (multipart). */
  files: Record<string, { filename: string; bytes: Buffer }>;
  at: number;
  /** What the server answered. */
  response: { ok: boolean; error_code?: number; description?: string };
}

export interface ApiError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export const TOO_MANY_REQUESTS = (retryAfter: number): ApiError => ({
  error_code: 429,
  description: `Too Many Requests: retry after ${retryAfter}`,
  parameters: { retry_after: retryAfter },
});

class BadRequest extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const SUPPORTED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'span', 'blockquote', 'tg-emoji']);
const ENTITY_TYPES: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline', s: 'strikethrough', strike: 'strikethrough',
  del: 'strikethrough', a: 'text_link', code: 'code', pre: 'pre', 'tg-spoiler': 'spoiler', span: 'spoiler', blockquote: 'blockquote', 'tg-emoji': 'custom_emoji',
};
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Telegram's HTML parse mode: text and entities (UTF-16 offsets), or a 400 like Telegram's. */
export function parseHtml(html: string): { text: string; entities: TgEntity[] } {
  let text = '';
  const entities: TgEntity[] = [];
  const open: Array<{ tag: string; offset: number; url?: string }> = [];
  let i = 0;
  const byteOffset = (at: number) => Buffer.byteLength(html.slice(0, at));
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) throw new BadRequest(400, `Bad Request: can't parse entities: Unclosed start tag at byte offset ${byteOffset(i)}`);
      const inner = html.slice(i + 1, end);
      if (inner.startsWith('/')) {
        const name = inner.slice(1).trim().toLowerCase();
        const top = open.pop();
        if (!top || (name && top.tag !== name)) {
          throw new BadRequest(400, `Bad Request: can't parse entities: Unmatched end tag at byte offset ${byteOffset(i)}, expected "</${top?.tag ?? ''}>", found "</${name}>"`);
        }
        if (text.length > top.offset) {
          entities.push({ type: ENTITY_TYPES[top.tag]!, offset: top.offset, length: text.length - top.offset, ...(top.url ? { url: top.url } : {}) });
        }
      } else {
        const match = /^([a-zA-Z][\w-]*)(\s+[\s\S]*)?$/.exec(inner);
        const name = match?.[1]?.toLowerCase() ?? '';
        if (!match || !SUPPORTED_TAGS.has(name)) {
          throw new BadRequest(400, `Bad Request: can't parse entities: Unsupported start tag "${name || inner}" at byte offset ${byteOffset(i)}`);
        }
        const href = /href\s*=\s*"([^"]*)"/.exec(match[2] ?? '')?.[1];
        open.push({ tag: name, offset: text.length, url: href });
      }
      i = end + 1;
      continue;
    }
    if (ch === '>') {
      text += ch;
      i++;
      continue;
    }
    if (ch === '&') {
      const match = /^&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/.exec(html.slice(i, i + 12));
      if (match) {
        const name = match[1]!;
        let decoded: string | undefined;
        if (name.startsWith('#x')) decoded = String.fromCodePoint(parseInt(name.slice(2), 16));
        else if (name.startsWith('#')) decoded = String.fromCodePoint(Number(name.slice(1)));
        else decoded = NAMED_ENTITIES[name];
        if (decoded === undefined) throw new BadRequest(400, `Bad Request: can't parse entities: Unsupported HTML entity "&${name};" at byte offset ${byteOffset(i)}`);
        text += decoded;
        i += match[0].length;
        continue;
      }
    }
    text += ch;
    i++;
  }
  if (open.length > 0) {
    throw new BadRequest(400, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${open[open.length - 1]!.tag}"`);
  }
  entities.sort((a, b) => a.offset - b.offset);
  return { text, entities };
}

/** The same text with markup as Telegram would have it for a parse_mode (or none). */
function formatted(text: string, parseMode: unknown): { text: string; entities: TgEntity[] } {
  if (parseMode === undefined || parseMode === null || parseMode === '') return { text, entities: [] };
  if (String(parseMode).toLowerCase() !== 'html') throw new BadRequest(400, `Bad Request: unsupported parse_mode in this fake: ${String(parseMode)}`);
  return parseHtml(text);
}

function parseMultipart(body: Buffer, boundary: string): { fields: Record<string, string>; files: ApiCall['files'] } {
  const fields: Record<string, string> = {};
  const files: ApiCall['files'] = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after delimiter, before next
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const name = /name="([^"]*)"/.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/.exec(headers)?.[1];
      if (name && filename !== undefined) files[name] = { filename, bytes: Buffer.from(content) };
      else if (name) fields[name] = content.toString('utf8');
    }
    start = next;
  }
  return { fields, files };
}

const JSON_FIELDS = ['reply_markup', 'allowed_updates', 'commands', 'scope', 'link_preview_options', 'entities', 'caption_entities', 'reply_parameters'];

function coerce(fields: Record<string, string>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (JSON_FIELDS.includes(key)) {
      try {
        params[key] = JSON.parse(value);
        continue;
      } catch {
        /* keep the string: the method rejects it */
      }
    }
    params[key] = /^-?\d+$/.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : value;
  }
  return params;
}

interface Waiter {
  response: ServerResponse;
  offset: number;
  limit: number;
  timer: NodeJS.Timeout;
}

export interface FakeTelegramOptions {
  token?: string;
  bot?: Partial<TgUser> & { username?: string };
  /** Longest a getUpdates request is held, whatever timeout it asks for (keeps tests quick). */
  maxPollSeconds?: number;
}

export class FakeTelegram {
  readonly token: string;
  readonly bot: TgUser & { can_join_groups: boolean; can_read_all_group_messages: boolean; supports_inline_queries: boolean };
  readonly calls: ApiCall[] = [];
  /** Every message the bot has in each chat (current state: edits applied), in order. */
  readonly chats = new Map<number, TgMessage[]>();
  readonly knownChats = new Map<number, TgChat>();
  readonly blocked = new Set<number>();
  /** setMyCommands: key `${scope type}/${language_code}`. */
  readonly commands = new Map<string, Array<{ command: string; description: string }>>();
  webhook: { url: string; secret_token?: string; allowed_updates?: string[] } | undefined;
  /** Webhook deliveries: the update and the HTTP status the bot answered. */
  readonly webhookDeliveries: Array<{ update: TgUpdate; status: number; ms: number }> = [];
  readonly callbackQueries = new Map<string, { createdAt: number; answeredAt?: number; chatId: number }>();

  private server?: Server;
  private port = 0;
  private readonly pending: TgUpdate[] = [];
  private waiter: Waiter | undefined;
  private nextUpdateId = 700_000_000 + Math.floor(Math.random() * 1000);
  private nextMessageId = 1;
  private readonly failures: Array<{ method: string; error: ApiError; times: number; after: number }> = [];
  private readonly started = Date.now();
  private readonly maxPollSeconds: number;

  constructor(options: FakeTelegramOptions = {}) {
    this.token = options.token ?? `${1_000_000 + Math.floor(Math.random() * 8_999_999)}:AA${randomBytes(16).toString('hex')}`;
    this.bot = {
      id: Number(this.token.split(':')[0]),
      is_bot: true,
      first_name: 'Jembatan',
      username: 'jembatan_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      ...options.bot,
    };
    this.maxPollSeconds = options.maxPollSeconds ?? 2;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.onRequest(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    if (this.waiter) {
      clearTimeout(this.waiter.timer);
      this.waiter.response.destroy();
      this.waiter = undefined;
    }
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `times` calls of `method` fail with this error (e.g. TOO_MANY_REQUESTS(1)), after `after` calls that succeed. */
  failNext(method: string, error: ApiError, times = 1, after = 0): void {
    this.failures.push({ method, error, times, after });
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  messagesIn(chatId: number): TgMessage[] {
    return this.chats.get(chatId) ?? [];
  }

  // -------------------------------------------------------------------------------------------------
  // The user side.

  privateChat(user: TgUser): TgChat {
    const chat: TgChat = { id: user.id, type: 'private', first_name: user.first_name, ...(user.username ? { username: user.username } : {}) };
    this.knownChats.set(chat.id, chat);
    return chat;
  }

  group(id: number, title: string): TgChat {
    const chat: TgChat = { id, type: 'supergroup', title };
    this.knownChats.set(id, chat);
    return chat;
  }

  /** A user writes `text` (in their private chat unless `chat` is given); returns the update as delivered. */
  async message(
    from: TgUser,
    text: string,
    options: { chat?: TgChat; entities?: TgEntity[]; replyTo?: TgMessage } = {},
  ): Promise<{ update: TgUpdate; status?: number }> {
    const chat = options.chat ?? this.privateChat(from);
    this.knownChats.set(chat.id, chat);
    const entities = options.entities ?? this.autoEntities(text);
    const message: TgMessage = {
      message_id: this.nextMessageId++,
      from,
      chat,
      date: Math.floor(Date.now() / 1000),
      text,
      ...(entities.length > 0 ? { entities } : {}),
      ...(options.replyTo ? { reply_to_message: options.replyTo } : {}),
    };
    return this.deliver({ update_id: this.nextUpdateId++, message });
  }

  /** A user presses the inline button labelled `label` (or with this callback data) on a bot message. */
  async press(from: TgUser, message: TgMessage, labelOrData: string): Promise<{ update: TgUpdate; status?: number }> {
    const button = message.reply_markup?.inline_keyboard.flat().find((b) => b.text === labelOrData || b.callback_data === labelOrData);
    if (!button?.callback_data) {
      const labels = message.reply_markup?.inline_keyboard.flat().map((b) => `${b.text} [${b.callback_data}]`) ?? [];
      throw new Error(`message ${message.message_id} has no button "${labelOrData}" (has: ${labels.join(', ') || 'none'})`);
    }
    const id = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    this.callbackQueries.set(id, { createdAt: Date.now(), chatId: message.chat.id });
    const update: TgUpdate = {
      update_id: this.nextUpdateId++,
      callback_query: { id, from, message: structuredClone(message), chat_instance: `ci${message.chat.id}`, data: button.callback_data },
    };
    return this.deliver(update);
  }

  /** Delivers an update: POSTed to the webhook (with the secret token) when one is set, else queued for getUpdates. */
  async deliver(update: TgUpdate): Promise<{ update: TgUpdate; status?: number }> {
    if (this.webhook) {
      const started = Date.now();
      const status = await this.post(this.webhook.url, update, this.webhook.secret_token);
      this.webhookDeliveries.push({ update, status, ms: Date.now() - started });
      return { update, status };
    }
    this.pending.push(update);
    this.flushWaiter();
    return { update };
  }

  /** POSTs an update to a URL the way Telegram does; returns the HTTP status. */
  post(url: string, update: unknown, secretToken: string | undefined): Promise<number> {
    const body = JSON.stringify(update);
    const target = new URL(url);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...(secretToken !== undefined ? { 'x-telegram-bot-api-secret-token': secretToken } : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  private autoEntities(text: string): TgEntity[] {
    const entities: TgEntity[] = [];
    const command = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(text);
    if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
    for (const match of text.matchAll(/(?<![\w@])@\w{3,}/g)) entities.push({ type: 'mention', offset: match.index, length: match[0].length });
    return entities;
  }

  // -------------------------------------------------------------------------------------------------
  // The Bot API.

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!match) return this.reply(response, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match as unknown as [string, string, string];
    let params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    let files: ApiCall['files'] = {};
    const type = request.headers['content-type'] ?? '';
    if (type.startsWith('application/json') && body.length > 0) params = { ...params, ...(JSON.parse(body.toString('utf8')) as Record<string, unknown>) };
    else if (type.startsWith('application/x-www-form-urlencoded')) params = { ...params, ...coerce(Object.fromEntries(new URLSearchParams(body.toString('utf8')))) };
    else if (type.startsWith('multipart/form-data')) {
      const boundary = /boundary=([^;]+)/.exec(type)?.[1] ?? '';
      const parsed = parseMultipart(body, boundary);
      params = { ...params, ...coerce(parsed.fields) };
      files = parsed.files;
    }
    const call: ApiCall = { method, params, files, at: Date.now() - this.started, response: { ok: true } };
    this.calls.push(call);
    const fail = (status: number, error: ApiError) => {
      call.response = { ok: false, error_code: error.error_code, description: error.description };
      this.reply(response, status, { ok: false, ...error });
    };
    if (token !== this.token) return fail(401, { error_code: 401, description: 'Unauthorized' });
    const scripted = this.failures.find((failure) => failure.method === method && failure.times > 0);
    if (scripted && scripted.after > 0) scripted.after--;
    else if (scripted) {
      scripted.times--;
      return fail(scripted.error.error_code, scripted.error);
    }
    try {
      if (method === 'getUpdates') return this.getUpdates(params, response, call);
      const result = this.handle(method, params, files);
      this.reply(response, 200, { ok: true, result });
    } catch (error) {
      if (error instanceof BadRequest) return fail(error.code, { error_code: error.code, description: error.description });
      throw error;
    }
  }

  private reply(response: ServerResponse, status: number, body: unknown): void {
    if (response.writableEnded || response.destroyed) return;
    const json = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    response.end(json);
  }

  private chat(params: Record<string, unknown>): TgChat {
    const id = Number(params.chat_id);
    const chat = this.knownChats.get(id);
    if (!chat) throw new BadRequest(400, 'Bad Request: chat not found');
    if (this.blocked.has(id)) throw new BadRequest(403, 'Forbidden: bot was blocked by the user');
    return chat;
  }

  private keyboard(params: Record<string, unknown>): TgMessage['reply_markup'] {
    const markup = params.reply_markup as { inline_keyboard?: InlineButton[][] } | undefined;
    if (!markup) return undefined;
    if (!Array.isArray(markup.inline_keyboard)) throw new BadRequest(400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be an Array');
    for (const button of markup.inline_keyboard.flat()) {
      if (typeof button.text !== 'string' || button.text.length === 0) throw new BadRequest(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
      if (button.callback_data !== undefined && (Buffer.byteLength(button.callback_data) > 64 || button.callback_data.length === 0)) {
        throw new BadRequest(400, 'Bad Request: BUTTON_DATA_INVALID');
      }
    }
    return { inline_keyboard: markup.inline_keyboard };
  }

  private store(chatId: number, message: TgMessage): TgMessage {
    const list = this.chats.get(chatId) ?? [];
    list.push(message);
    this.chats.set(chatId, list);
    return message;
  }

  private handle(method: string, params: Record<string, unknown>, files: ApiCall['files']): unknown {
    switch (method) {
      case 'getMe':
        return this.bot;
      case 'setWebhook': {
        const url = String(params.url ?? '');
        if (url === '') {
          this.webhook = undefined;
          return true;
        }
        if (!/^https?:\/\//.test(url)) throw new BadRequest(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
        const secret = params.secret_token as string | undefined;
        if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw new BadRequest(400, 'Bad Request: bad webhook: secret token contains unallowed characters');
        this.webhook = { url, secret_token: secret, allowed_updates: params.allowed_updates as string[] | undefined };
        if (params.drop_pending_updates) this.pending.length = 0;
        if (this.waiter) this.conflict('Conflict: terminated by setWebhook request');
        return true;
      }
      case 'deleteWebhook':
        this.webhook = undefined;
        if (params.drop_pending_updates) this.pending.length = 0;
        return true;
      case 'getWebhookInfo':
        return { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.pending.length };
      case 'sendMessage': {
        const chat = this.chat(params);
        const { text, entities } = formatted(String(params.text ?? ''), params.parse_mode);
        if (text.trim().length === 0) throw new BadRequest(400, 'Bad Request: message text is empty');
        if (text.length > 4096) throw new BadRequest(400, 'Bad Request: message is too long');
        const markup = this.keyboard(params);
        return this.store(chat.id, {
          message_id: this.nextMessageId++,
          from: this.bot,
          chat,
          date: Math.floor(Date.now() / 1000),
          text,
          ...(entities.length > 0 ? { entities } : {}),
          ...(markup ? { reply_markup: markup } : {}),
          ...(params.message_thread_id ? { message_thread_id: Number(params.message_thread_id) } : {}),
        });
      }
      case 'sendPhoto': {
        const chat = this.chat(params);
        const photo = files.photo;
        if (!photo && typeof params.photo !== 'string') throw new BadRequest(400, 'Bad Request: there is no photo in the request');
        const { text, entities } = formatted(String(params.caption ?? ''), params.parse_mode);
        if (text.length > 1024) throw new BadRequest(400, 'Bad Request: message caption is too long');
        const size = photo?.bytes.length ?? 0;
        if (photo && !photo.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
          throw new BadRequest(400, 'Bad Request: IMAGE_PROCESS_FAILED');
        }
        return this.store(chat.id, {
          message_id: this.nextMessageId++,
          from: this.bot,
          chat,
          date: Math.floor(Date.now() / 1000),
          photo: [{ file_id: `photo${this.nextMessageId}`, file_unique_id: `u${this.nextMessageId}`, width: 320, height: 240, file_size: size }],
          ...(text ? { caption: text } : {}),
          ...(entities.length > 0 ? { caption_entities: entities } : {}),
        });
      }
      case 'editMessageText': {
        const chat = this.chat(params);
        const message = this.messagesIn(chat.id).find((m) => m.message_id === Number(params.message_id));
        if (!message) throw new BadRequest(400, 'Bad Request: message to edit not found');
        const parsed = params.entities
          ? { text: String(params.text ?? ''), entities: params.entities as TgEntity[] }
          : formatted(String(params.text ?? ''), params.parse_mode);
        if (parsed.text.trim().length === 0) throw new BadRequest(400, 'Bad Request: message text is empty');
        if (parsed.text.length > 4096) throw new BadRequest(400, 'Bad Request: MESSAGE_TOO_LONG');
        const markup = this.keyboard(params);
        if (parsed.text === message.text && JSON.stringify(markup) === JSON.stringify(message.reply_markup)) {
          throw new BadRequest(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        }
        message.text = parsed.text;
        if (parsed.entities.length > 0) message.entities = parsed.entities;
        else delete message.entities;
        if (markup) message.reply_markup = markup;
        else delete message.reply_markup;
        message.edit_date = Math.floor(Date.now() / 1000);
        return message;
      }
      case 'answerCallbackQuery': {
        const query = this.callbackQueries.get(String(params.callback_query_id));
        if (!query || query.answeredAt !== undefined) {
          throw new BadRequest(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        }
        query.answeredAt = Date.now();
        return true;
      }
      case 'setMyCommands': {
        const commands = params.commands as Array<{ command: string; description: string }> | undefined;
        if (!Array.isArray(commands)) throw new BadRequest(400, 'Bad Request: parameter "commands" is required');
        for (const command of commands) {
          if (!/^[a-z0-9_]{1,32}$/.test(command.command)) throw new BadRequest(400, 'Bad Request: BOT_COMMAND_INVALID');
          if (typeof command.description !== 'string' || command.description.length < 1 || command.description.length > 256) {
            throw new BadRequest(400, 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
          }
        }
        const language = String(params.language_code ?? '');
        if (language !== '' && !/^[a-z]{2}$/.test(language)) throw new BadRequest(400, 'Bad Request: invalid language code specified');
        const scope = (params.scope as { type?: string } | undefined)?.type ?? 'default';
        this.commands.set(`${scope}/${language}`, commands);
        return true;
      }
      default:
        throw new BadRequest(404, 'Not Found');
    }
  }

  private getUpdates(params: Record<string, unknown>, response: ServerResponse, call: ApiCall): void {
    if (this.webhook) {
      call.response = { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" };
      return this.reply(response, 409, call.response);
    }
    if (this.waiter) this.conflict('Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    // Confirming: updates before the offset are forgotten.
    if (offset > 0) {
      const keep = this.pending.filter((update) => update.update_id >= offset);
      this.pending.length = 0;
      this.pending.push(...keep);
    }
    const timeout = Math.min(Number(params.timeout ?? 0), this.maxPollSeconds);
    if (this.pending.length > 0 || timeout <= 0) return this.reply(response, 200, { ok: true, result: this.pending.slice(0, limit) });
    const waiter: Waiter = {
      response,
      offset,
      limit,
      timer: setTimeout(() => {
        if (this.waiter === waiter) this.waiter = undefined;
        this.reply(response, 200, { ok: true, result: [] });
      }, timeout * 1000),
    };
    this.waiter = waiter;
    response.on('close', () => {
      if (this.waiter === waiter) {
        clearTimeout(waiter.timer);
        this.waiter = undefined;
      }
    });
  }

  private flushWaiter(): void {
    const waiter = this.waiter;
    if (!waiter || this.pending.length === 0) return;
    this.waiter = undefined;
    clearTimeout(waiter.timer);
    this.reply(waiter.response, 200, { ok: true, result: this.pending.slice(0, waiter.limit) });
  }

  private conflict(description: string): void {
    const waiter = this.waiter!;
    this.waiter = undefined;
    clearTimeout(waiter.timer);
    this.reply(waiter.response, 409, { ok: false, error_code: 409, description });
  }
}
