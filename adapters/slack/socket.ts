import { LogLevel, SocketModeClient, type Logger as SlackLibraryLogger } from '@slack/socket-mode';
import type { Logger } from '../../core/log.js';

type Json = Record<string, any>;

/** One Socket Mode envelope as Slack sends it (`events_api`, `slash_commands`, `interactive`). */
export interface SlackEnvelope {
  envelopeId: string;
  type: string;
  /** The same body Slack would POST to the Request URL (event_callback, the command's fields, the interactive payload). */
  body: Json;
  retryAttempt?: number;
  retryReason?: string;
}

export interface SlackSocketOptions {
  appToken: string;
  /** Web API base: apps.connections.open goes through it like every other call. */
  apiUrl: string;
  logger: Logger;
  /**
   * Stores one envelope and returns the ack's payload (undefined: an empty ack). Throwing means "not
   * stored": the envelope is not acknowledged and Slack sends it again.
   */
  onEnvelope(envelope: SlackEnvelope): Promise<Json | undefined>;
  /** Pong wait, in ms (the client pings every third of it; default 5000). Also the base reconnect delay. */
  clientPingTimeoutMs?: number;
  /** Longest silence between Slack's pings, in ms (default 30000). */
  serverPingTimeoutMs?: number;
  /** How long start() waits for the first `hello` before returning while the client keeps trying (default 20000). */
  connectWaitMs?: number;
}

/** @slack/socket-mode's logger interface on top of pino. The library's debug lines carry payloads: trace only. */
function libraryLogger(logger: Logger): SlackLibraryLogger {
  const child = logger.child({ component: 'slack-socket-mode' });
  const text = (parts: unknown[]) => parts.map((part) => (typeof part === 'string' ? part : part instanceof Error ? part.message : JSON.stringify(part))).join(' ');
  return {
    debug: (...parts: unknown[]) => child.trace(text(parts)),
    info: (...parts: unknown[]) => child.debug(text(parts)),
    warn: (...parts: unknown[]) => child.warn(text(parts)),
    error: (...parts: unknown[]) => child.error(text(parts)),
    setLevel: () => undefined,
    getLevel: () => (child.isLevelEnabled('trace') ? LogLevel.DEBUG : child.isLevelEnabled('debug') ? LogLevel.INFO : child.isLevelEnabled('warn') ? LogLevel.WARN : LogLevel.ERROR),
    setName: () => undefined,
  };
}

/** The Slack error code of a failed Web API call (invalid_auth, not_allowed_token_type, …) or the message. */
function reasonOf(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  if (data && typeof data.error === 'string') return data.error;
  return error instanceof Error ? error.message : String(error);
}

export class SlackSocketError extends Error {
  override name = 'SlackSocketError';
}

/**
 * Socket Mode with @slack/socket-mode: `apps.connections.open` (app token, through SLACK_API_URL) gives
 * a WebSocket URL; Slack says `hello`, then sends envelopes, each acknowledged with `{envelope_id,
 * payload}` once `onEnvelope` has stored it. Pings, `disconnect` (Slack recycling the connection) and
 * reconnection are the library's; the connection's life is logged here.
 */
export class SlackSocket {
  private readonly client: SocketModeClient;
  private readonly logger: Logger;
  private connecting: Promise<unknown> | undefined;
  private connectedOnce = false;
  private stopped = false;

  constructor(private readonly options: SlackSocketOptions) {
    this.logger = options.logger.child({ component: 'slack-socket' });
    this.client = new SocketModeClient({
      appToken: options.appToken,
      logger: libraryLogger(options.logger),
      clientOptions: { slackApiUrl: options.apiUrl },
      ...(options.clientPingTimeoutMs ? { clientPingTimeout: options.clientPingTimeoutMs } : {}),
      ...(options.serverPingTimeoutMs ? { serverPingTimeout: options.serverPingTimeoutMs } : {}),
    });
    this.client.on('slack_event', (event: Json) => void this.onEvent(event));
    this.client.on('connected', () => {
      this.logger.info({ reconnected: this.connectedOnce }, 'slack socket mode connected');
      this.connectedOnce = true;
    });
    this.client.on('reconnecting', () => this.logger.warn('slack socket mode connection lost; reconnecting'));
    this.client.on('disconnected', () => {
      if (!this.stopped) this.logger.warn('slack socket mode disconnected');
    });
  }

  /**
   * Connects. An unrecoverable refusal of `apps.connections.open` (invalid or revoked app token, wrong
   * token type) rejects with a SlackSocketError. When the first `hello` takes longer than `connectWaitMs`
   * (Slack unreachable), start() returns and the client keeps trying in the background.
   */
  async start(): Promise<void> {
    this.stopped = false;
    const connecting = this.client.start();
    this.connecting = connecting;
    const waitMs = this.options.connectWaitMs ?? 20_000;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      connecting.then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
      new Promise<{ ok: 'waiting' }>((resolve) => {
        timer = setTimeout(() => resolve({ ok: 'waiting' }), waitMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    if (outcome.ok === true) return;
    if (outcome.ok === 'waiting') {
      this.logger.warn({ waitedMs: waitMs }, 'slack socket mode is not connected yet; still trying in the background');
      connecting.catch((error: unknown) => this.logger.error({ reason: reasonOf(error) }, 'slack socket mode could not connect'));
      return;
    }
    this.stopped = true;
    await this.client.disconnect().catch(() => undefined);
    throw new SlackSocketError(
      `Slack Socket Mode could not connect: ${reasonOf(outcome.error)} (check SLACK_APP_TOKEN: an app-level token xapp-… with connections:write, and that Socket Mode is enabled for the app).`,
    );
  }

  /** Closes the WebSocket (close handshake) and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.client.disconnect();
    await this.connecting?.catch(() => undefined);
    this.connecting = undefined;
  }

  private async onEvent(event: Json): Promise<void> {
    const envelope: SlackEnvelope = {
      envelopeId: String(event.envelope_id ?? ''),
      type: String(event.type ?? ''),
      body: (event.body ?? {}) as Json,
      ...(typeof event.retry_num === 'number' ? { retryAttempt: event.retry_num } : {}),
      ...(typeof event.retry_reason === 'string' && event.retry_reason ? { retryReason: event.retry_reason } : {}),
    };
    let payload: Json | undefined;
    try {
      payload = await this.options.onEnvelope(envelope);
    } catch (error) {
      this.logger.error(
        { err: error, envelopeId: envelope.envelopeId, type: envelope.type },
        'a Socket Mode envelope could not be stored; not acknowledged, Slack will send it again',
      );
      return;
    }
    try {
      await (event.ack as (response?: Json) => Promise<void>)(payload);
    } catch (error) {
      this.logger.warn({ reason: reasonOf(error), envelopeId: envelope.envelopeId }, 'acknowledging a Socket Mode envelope failed; Slack will send it again (it is handled once)');
    }
  }
}
