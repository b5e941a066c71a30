import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the stub received it (form or JSON arguments, JSON-looking values parsed). */
export interface SlackCall {
  method: string;
  args: Record<string, any>;
  /** The token the call was made with (Authorization: Bearer …, or the `token` argument). */
  token?: string;
}

/** A message as the stub keeps it (chat.postMessage), returned by conversations.history / conversations.replies. */
export interface SlackStoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  /** Message metadata `{event_type, event_payload}` as posted; returned only with include_all_metadata. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  bot_id: string;
}

/** A file that reached the upload URL. */
export interface SlackUpload {
  fileId: string;
  bytes: Buffer;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The file part of a multipart/form-data upload (or the raw body when it is not multipart). */
function fileOf(contentType: string, raw: Buffer): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return raw;
  const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = raw.indexOf(marker);
  const headersEnd = raw.indexOf('\r\n\r\n', start);
  const end = raw.indexOf(Buffer.concat([Buffer.from('\r\n'), marker]), headersEnd);
  return raw.subarray(headersEnd + 4, end < 0 ? raw.length : end);
}

function parseArgs(contentType: string, raw: Buffer): Record<string, any> {
  const text = raw.toString('utf8');
  if (contentType.includes('application/json')) return text ? JSON.parse(text) : {};
  const args: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

/**
 * A Slack Web API stub on 127.0.0.1 (what SLACK_API_URL points to): records chat.postMessage,
 * chat.update, views.open and the current file upload (files.getUploadURLExternal, a POST of the bytes
 * to the returned upload URL, files.completeUploadExternal); answers apps.connections.open with
 * `socketUrl` (Socket Mode, app tokens only) and usergroups.users.list from `userGroups`. `failNext`
 * makes the next call of a method answer with a Slack error. Posted messages are kept (`messages`, with
 * their metadata and a `ts` from the clock) and read back by conversations.history (top-level messages)
 * and conversations.replies (a thread), newest first, `oldest`/`latest`/`limit`/`cursor` honoured and the
 * metadata included only with `include_all_metadata`, as Slack does.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly uploads: SlackUpload[] = [];
  private server: Server | undefined;
  /** Last message ts handed out, in microseconds (from the clock, strictly increasing). */
  private lastTsMicros = 0;
  private fileCounter = 0;
  private readonly failures = new Map<string, string>();
  url = '';
  /** What apps.connections.open returns (a fake Socket Mode server's ws:// URL). */
  socketUrl = '';
  /** User group id → member ids, for usergroups.users.list. */
  readonly userGroups = new Map<string, string[]>();
  /** Every message posted with chat.postMessage (in order), as conversations.history returns them. */
  readonly messages: SlackStoredMessage[] = [];
  /** While set, apps.connections.open answers with this error (e.g. 'invalid_auth': a revoked app token). */
  connectionsOpenError: string | undefined;

  /** A message ts from the clock (seconds.micros), unique and increasing like Slack's. */
  private nextTs(): string {
    this.lastTsMicros = Math.max(Date.now() * 1000, this.lastTsMicros + 1);
    return `${Math.floor(this.lastTsMicros / 1e6)}.${String(this.lastTsMicros % 1e6).padStart(6, '0')}`;
  }

  /** conversations.history / conversations.replies over the kept messages. */
  private history(args: Record<string, any>, thread?: string): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true' || args.include_all_metadata === '1';
    const oldest = args.oldest !== undefined ? Number(args.oldest) : Number.NEGATIVE_INFINITY;
    const latest = args.latest !== undefined ? Number(args.latest) : Number.POSITIVE_INFINITY;
    const limit = Math.max(1, Math.min(999, Number(args.limit ?? 100) || 100));
    const offset = Number(args.cursor ?? 0) || 0;
    const all = this.messages
      .filter((m) => m.channel === channel)
      .filter((m) => (thread === undefined ? m.thread_ts === undefined || m.thread_ts === m.ts : m.thread_ts === thread || m.ts === thread))
      .filter((m) => Number(m.ts) > oldest && Number(m.ts) < latest)
      .reverse();
    const page = all.slice(offset, offset + limit).map(({ channel: _channel, metadata, ...message }) => ({ ...message, ...(withMetadata && metadata ? { metadata } : {}) }));
    const more = offset + limit < all.length;
    return { ok: true, messages: page, has_more: more, response_metadata: { next_cursor: more ? String(offset + limit) : '' } };
  }

  /** Messages kept for a channel (and thread), oldest first, with their metadata. */
  messagesIn(channel: string, threadTs?: string): SlackStoredMessage[] {
    return this.messages.filter((m) => m.channel === channel && (threadTs === undefined || m.thread_ts === threadTs));
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void (async () => {
        const raw = await readBody(request);
        const path = (request.url ?? '/').split('?')[0]!;
        const reply = (body: unknown) => {
          const text = JSON.stringify(body);
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(text);
        };
        if (path.startsWith('/files/')) {
          this.uploads.push({ fileId: path.slice('/files/'.length), bytes: fileOf(String(request.headers['content-type'] ?? ''), raw) });
          response.writeHead(200, { 'content-type': 'text/plain' });
          response.end(`OK - ${raw.length}`);
          return;
        }
        const method = path.replace(/^\/api\//, '');
        const args = parseArgs(String(request.headers['content-type'] ?? ''), raw);
        const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
        const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
        this.calls.push({ method, args, ...(token ? { token } : {}) });
        const failure = this.failures.get(method);
        if (failure) {
          this.failures.delete(method);
          return reply({ ok: false, error: failure });
        }
        switch (method) {
          case 'chat.postMessage': {
            const ts = this.nextTs();
            this.messages.push({
              type: 'message',
              channel: String(args.channel),
              ts,
              ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
              ...(args.text !== undefined ? { text: String(args.text) } : {}),
              ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
              ...(args.metadata && typeof args.metadata === 'object' ? { metadata: args.metadata } : {}),
              bot_id: 'B0JEMBATAN',
            });
            return reply({ ok: true, channel: args.channel, ts, message: { text: args.text, ts } });
          }
          case 'chat.update': {
            const kept = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts);
            if (kept) {
              if (args.text !== undefined) kept.text = String(args.text);
              if (Array.isArray(args.blocks)) kept.blocks = args.blocks;
            }
            return reply({ ok: true, channel: args.channel, ts: args.ts, text: args.text });
          }
          case 'conversations.history':
            return reply(this.history(args));
          case 'conversations.replies':
            if (!args.ts) return reply({ ok: false, error: 'invalid_arguments' });
            return reply(this.history(args, String(args.ts)));
          case 'files.getUploadURLExternal': {
            const fileId = `F${++this.fileCounter}`;
            return reply({ ok: true, upload_url: `${this.url.replace(/\/api\/$/, '')}/files/${fileId}`, file_id: fileId });
          }
          case 'apps.connections.open':
            if (!token?.startsWith('xapp-')) return reply({ ok: false, error: 'not_allowed_token_type' });
            if (this.connectionsOpenError) return reply({ ok: false, error: this.connectionsOpenError });
            if (!this.socketUrl) return reply({ ok: false, error: 'internal_error' });
            return reply({ ok: true, url: this.socketUrl });
          case 'usergroups.users.list': {
            const members = this.userGroups.get(String(args.usergroup ?? ''));
            return reply(members ? { ok: true, users: members } : { ok: false, error: 'no_such_subteam' });
          }
          case 'files.completeUploadExternal':
            return reply({ ok: true, files: (args.files ?? []).map((file: { id: string; title?: string }) => ({ id: file.id, title: file.title })) });
          default:
            return reply({ ok: true });
        }
      })();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  failNext(method: string, error: string): void {
    this.failures.set(method, error);
  }

  of(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Messages posted to a channel (chat.postMessage). */
  postedTo(channel: string): Array<Record<string, any>> {
    return this.of('chat.postMessage')
      .filter((call) => call.args.channel === channel)
      .map((call) => call.args);
  }
}

/** Slack's request signature: v0=hex(HMAC-SHA256(secret, `v0:${timestamp}:${body}`)). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Posts a body to the app as Slack does: signed, with the timestamp header. */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  contentType: 'application/json' | 'application/x-www-form-urlencoded',
  options: { timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(secret, timestamp, body),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...options.headers,
    },
    body,
  });
  return { status: response.status, text: await response.text(), ms: performance.now() - started };
}
