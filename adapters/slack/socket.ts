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
  /** Pong wait, in ms (the client pings every third of it; default 5000). Also the default reconnect base delay. */
  clientPingTimeoutMs?: number;
  /** Longest silence between Slack's pings, in ms (default 30000). */
  serverPingTimeoutMs?: number;
  /** How long start() waits for the first `hello` before returning while the client keeps trying (default 20000). */
  connectWaitMs?: number;
  /** First reconnect delay, in ms (default clientPingTimeoutMs); doubles per failed attempt, jittered. */
  reconnectBaseMs?: number;
  /** Longest reconnect delay, in ms (default 60000). */
  reconnectMaxMs?: number;
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
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  if (data && typeof data.error === 'string') return data.error;
  return error instanceof Error ? error.message : String(error);
}

/**
 * apps.connections.open refusals that only an operator can fix (the library's
 * UnrecoverableSocketModeStartError, plus a revoked token and a token of the wrong type): start() fails
 * with them; after the first connection they are logged as errors and retried with back-off.
 */
const REFUSALS = new Set(['not_authed', 'invalid_auth', 'account_inactive', 'user_removed_from_team', 'team_disabled', 'token_revoked', 'not_allowed_token_type']);

export class SlackSocketError extends Error {
  override name = 'SlackSocketError';
}

/**
 * Socket Mode with @slack/socket-mode: `apps.connections.open` (app token, through SLACK_API_URL) gives
 * a WebSocket URL; Slack says `hello`, then sends envelopes, each acknowledged with `{envelope_id,
 * payload}` once `onEnvelope` has stored it. Pings and `disconnect` (Slack recycling the connection) are
 * the library's.
 *
 * Reconnection is done here, not by the library: its own (autoReconnectEnabled) calls `start()` from a
 * timer without handling the rejection (SocketModeClient.delayReconnectAttempt: `cb.apply(this).then(res)`),
 * so an apps.connections.open refused during a reconnect (a revoked app token: invalid_auth) becomes an
 * unhandled rejection, and the client never tries again. Here every attempt's outcome is handled: a lost
 * connection or a failed attempt is retried after a jittered delay doubling from `reconnectBaseMs` up to
 * `reconnectMaxMs` (1 minute), each failure logged with its reason (an error for a refused token).
 */
export class SlackSocket {
  private readonly client: SocketModeClient;
  private readonly logger: Logger;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private connectedOnce = false;
  private connected = false;
  private stopped = true;
  /** A connection attempt (apps.connections.open, then the WebSocket until `hello`) is running. */
  private attempting: Promise<unknown> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Failed attempts since the last `hello`. */
  private failures = 0;
  /** Ends start()'s wait for the first `hello` (stop() while waiting). */
  private endWait: (() => void) | undefined;

  constructor(private readonly options: SlackSocketOptions) {
    this.logger = options.logger.child({ component: 'slack-socket' });
    this.baseMs = Math.max(1, options.reconnectBaseMs ?? options.clientPingTimeoutMs ?? 5000);
    this.maxMs = Math.max(this.baseMs, options.reconnectMaxMs ?? 60_000);
    this.client = new SocketModeClient({
      appToken: options.appToken,
      logger: libraryLogger(options.logger),
      // Reconnecting is ours (see above); apps.connections.open is not retried inside the Web API client
      // either (its default for Socket Mode: 100 retries), so the back-off here decides the pace.
      autoReconnectEnabled: false,
      clientOptions: { slackApiUrl: options.apiUrl, retryConfig: { retries: 0 } },
      ...(options.clientPingTimeoutMs ? { clientPingTimeout: options.clientPingTimeoutMs } : {}),
      ...(options.serverPingTimeoutMs ? { serverPingTimeout: options.serverPingTimeoutMs } : {}),
    });
    this.client.on('slack_event', (event: Json) => void this.onEvent(event));
    this.client.on('connected', () => {
      this.logger.info({ reconnected: this.connectedOnce, ...(this.failures > 0 ? { failedAttempts: this.failures } : {}) }, 'slack socket mode connected');
      this.connectedOnce = true;
      this.connected = true;
      this.failures = 0;
    });
    // Without the library's reconnection, every closed WebSocket ends in `disconnected` (also one that
    // closes before `hello`: then the attempt fails and schedules the next one itself).
    this.client.on('disconnected', () => {
      const wasConnected = this.connected;
      this.connected = false;
      if (this.stopped || this.attempting || !wasConnected) return;
      const retryInMs = this.scheduleReconnect();
      this.logger.warn({ retryInMs }, 'slack socket mode connection lost; reconnecting');
    });
  }

  /**
   * Connects. An unrecoverable refusal of `apps.connections.open` (invalid or revoked app token, wrong
   * token type) rejects with a SlackSocketError. When the first `hello` takes longer than `connectWaitMs`
   * (Slack unreachable), start() returns and the client keeps trying in the background.
   */
  async start(): Promise<void> {
    this.stopped = false;
    this.failures = 0;
    const waitMs = this.options.connectWaitMs ?? 20_000;
    const deadline = Date.now() + waitMs;
    const first = this.attempt();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      first.then((error) => ({ done: true as const, error })),
      new Promise<{ done: false }>((resolve) => {
        timer = setTimeout(() => resolve({ done: false }), waitMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    if (outcome.done && outcome.error === undefined) return;
    if (outcome.done && REFUSALS.has(reasonOf(outcome.error))) {
      this.stopped = true;
      await this.client.disconnect().catch(() => undefined);
      throw new SlackSocketError(
        `Slack Socket Mode could not connect: ${reasonOf(outcome.error)} (check SLACK_APP_TOKEN: an app-level token xapp-… with connections:write, and that Socket Mode is enabled for the app).`,
      );
    }
    if (outcome.done) {
      // Slack unreachable, or the WebSocket closed before `hello`: keep trying, wait for it a while.
      this.failed(outcome.error);
      if (!(await this.waitConnected(deadline - Date.now()))) this.stillTrying(waitMs);
      return;
    }
    // The first attempt is still running: it carries on (and so do its retries) in the background.
    void first.then((error) => {
      if (error !== undefined && !this.stopped) this.failed(error);
    });
    this.stillTrying(waitMs);
  }

  /** Closes the WebSocket (close handshake) and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.endWait?.();
    await this.client.disconnect().catch(() => undefined);
    // An attempt in the middle of apps.connections.open goes on to open a WebSocket: it closes it itself.
    const attempting = this.attempting;
    if (attempting) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([attempting, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
    }
  }

  private stillTrying(waitedMs: number): void {
    if (!this.stopped && !this.connected) this.logger.warn({ waitedMs }, 'slack socket mode is not connected yet; still trying in the background');
  }

  /**
   * One connection attempt: apps.connections.open, then the WebSocket until `hello`. Resolves with
   * undefined when connected, with the error otherwise; never rejects.
   */
  private attempt(): Promise<unknown> {
    const run = (async (): Promise<unknown> => {
      let error: unknown;
      try {
        await this.client.start();
      } catch (failure) {
        // The library rejects with `undefined` when the WebSocket closes before `hello`.
        error = failure ?? new SlackSocketError('the WebSocket closed before Slack said hello');
      }
      if (this.stopped) {
        // stop() came while apps.connections.open was under way: close what the attempt opened.
        if (error === undefined) await this.client.disconnect().catch(() => undefined);
        return error ?? new SlackSocketError('stopped');
      }
      return error;
    })();
    this.attempting = run;
    void run.finally(() => {
      if (this.attempting === run) this.attempting = undefined;
    });
    return run;
  }

  /** Logs a failed attempt and schedules the next one. */
  private failed(error: unknown): void {
    if (this.stopped) return;
    this.failures++;
    const retryInMs = this.scheduleReconnect();
    const reason = reasonOf(error);
    if (REFUSALS.has(reason)) {
      this.logger.error(
        { reason, failedAttempts: this.failures, retryInMs },
        'slack socket mode cannot reconnect: Slack refuses the app token (SLACK_APP_TOKEN revoked or invalid?); trying again',
      );
    } else {
      this.logger.warn({ reason, failedAttempts: this.failures, retryInMs }, 'slack socket mode could not connect; trying again');
    }
  }

  /** The next attempt after a jittered delay (base·2^failures, at most maxMs); returns the delay. */
  private scheduleReconnect(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    const delay = Math.round(ceiling * (0.5 + 0.5 * Math.random()));
    if (this.stopped || this.retryTimer) return delay;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.stopped || this.attempting || this.connected) return;
      void this.attempt().then((error) => {
        if (error !== undefined) this.failed(error);
      });
    }, delay);
    return delay;
  }

  /** Waits up to `ms` for `hello`; false on timeout or stop(). */
  private waitConnected(ms: number): Promise<boolean> {
    if (this.connected) return Promise.resolve(true);
    if (ms <= 0 || this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (value: boolean): void => {
        clearTimeout(timer);
        this.client.off('connected', onConnected);
        if (this.endWait === onStop) this.endWait = undefined;
        resolve(value);
      };
      const onConnected = (): void => done(true);
      const onStop = (): void => done(false);
      const timer = setTimeout(() => done(false), ms);
      timer.unref();
      this.client.on('connected', onConnected);
      this.endWait = onStop;
    });
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
