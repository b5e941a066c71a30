import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { ChannelMount, Route } from '../../bots/serve/http-server.js';
import type { Env } from '../../core/config/env.js';
import type { ConversationEngine } from '../../core/conversation/types.js';
import { DeliveryStore } from '../../core/delivery/delivery-store.js';
import { inboxHandler } from '../../core/delivery/engine-bridge.js';
import { DeliveryWorker, type DeliveryPacing } from '../../core/delivery/worker.js';
import type { Logger } from '../../core/log.js';
import type { Db } from '../../core/store/db.js';
import { teamsConfig, type TeamsConfig } from './config.js';
import { CHANNEL, addressOf, readActivity, type TeamsActivity } from './incoming.js';
import { TeamsSender } from './sender.js';

/** Where the Azure Bot's messaging endpoint points: https://<host>/api/messages. */
export const MESSAGES_PATH = '/api/messages';
/** Bot Framework activities are small; anything bigger is refused before parsing. */
const MAX_BODY_BYTES = 1_000_000;

/**
 * Pacing of the Teams outbox: one item (one engine answer, usually one or two messages) per conversation
 * per 500 ms across processes, at most 30 items a second from one process (Teams allows a bot about 50
 * requests a second per tenant). The sender also keeps each conversation within Teams' per-thread limits.
 */
export const TEAMS_PACING: DeliveryPacing = { perAddressMs: 500, perSecond: 30 };

export interface TeamsMountOptions {
  config: TeamsConfig;
  engine: ConversationEngine;
  delivery: DeliveryStore;
  logger: Logger;
  /** Test tuning: worker poll interval, retry back-off, pacing. */
  worker?: { pollMs?: number; retryBaseMs?: number; pacing?: DeliveryPacing };
  sender?: { retryBaseMs?: number };
}

interface Runtime {
  adapter: CloudAdapter;
  checkToken: (activity: Record<string, unknown>, authorization: string) => Promise<boolean>;
  processRequest: typeof import('./bot.js').processRequest;
  worker: DeliveryWorker;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'activity too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'activity too large');
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'body is not an activity');
  return body as Record<string, unknown>;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * Microsoft Teams on the shared server of `jembatan serve`: botbuilder's CloudAdapter behind
 * `POST /api/messages`. An authenticated activity the bot should answer is stored in the delivery inbox
 * (a re-sent activity id is stored once) and acknowledged at once, well within Teams' 15 seconds; the
 * delivery worker runs the engine and sends the replies through the outbox with the Teams sender, which
 * also carries proactive messages (`notifyUser`) to the conversation reference stored for the user.
 */
export class TeamsChannel implements ChannelMount {
  readonly name = CHANNEL;
  readonly routes: Route[];
  private runtimePromise: Promise<Runtime> | undefined;

  constructor(private readonly options: TeamsMountOptions) {
    this.routes = [{ method: 'POST', path: MESSAGES_PATH, handle: (request, response) => this.onRequest(request, response) }];
  }

  get authenticated(): boolean {
    return this.options.config.appId !== '';
  }

  private runtime(): Promise<Runtime> {
    this.runtimePromise ??= (async () => {
      const bot = await import('./bot.js');
      const { adapter, checkToken } = bot.createCloudAdapter(this.options.config);
      const sender = new TeamsSender({
        adapter,
        appId: this.options.config.appId,
        logger: this.options.logger,
        retryBaseMs: this.options.sender?.retryBaseMs,
      });
      const worker = new DeliveryWorker({
        store: this.options.delivery,
        channel: CHANNEL,
        sender,
        handleInbox: inboxHandler<TeamsActivity>({
          engine: this.options.engine,
          store: this.options.delivery,
          toInput: (activity) => {
            const intake = readActivity(activity);
            return intake.kind === 'input' ? intake.input : undefined;
          },
          addressOf: (activity) => addressOf(activity),
        }),
        logger: this.options.logger,
        pollMs: this.options.worker?.pollMs,
        retryBaseMs: this.options.worker?.retryBaseMs,
        pacing: this.options.worker?.pacing ?? TEAMS_PACING,
      });
      return { adapter, checkToken, processRequest: bot.processRequest, worker };
    })();
    return this.runtimePromise;
  }

  async start(): Promise<void> {
    const { worker } = await this.runtime();
    worker.start();
    if (!this.authenticated) {
      this.options.logger.warn(
        { path: MESSAGES_PATH },
        'Teams is running WITHOUT authentication (TEAMS_ENABLED=1, no MICROSOFT_APP_ID): anyone who can reach this server can post activities. Use only with the Bot Framework Emulator or for local tests.',
      );
    } else {
      this.options.logger.info({ path: MESSAGES_PATH, appType: this.options.config.appType }, 'Teams bot listening');
    }
  }

  async stop(): Promise<void> {
    if (!this.runtimePromise) return;
    const { worker } = await this.runtimePromise;
    await worker.stop();
  }

  /** Look for inbox and outbox work now (after a proactive `notifyUser`, for instance). */
  async wake(): Promise<void> {
    (await this.runtime()).worker.wake();
  }

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // With an app id, a request without a Bot Framework token is refused before anything is read or stored.
    if (this.authenticated && !request.headers.authorization?.trim()) {
      request.resume();
      return sendJson(response, 401, { error: 'Unauthorized: a Bot Framework token is required' });
    }
    let body: Record<string, unknown>;
    try {
      body = await readJson(request);
    } catch (error) {
      if (error instanceof HttpError) return sendJson(response, error.status, { error: error.message });
      throw error;
    }
    if (typeof body.type !== 'string') return sendJson(response, 400, { error: 'activity has no type' });
    const runtime = await this.runtime();
    if (this.authenticated && !(await runtime.checkToken(body, request.headers.authorization!))) {
      this.options.logger.warn({ path: MESSAGES_PATH }, 'teams request with an invalid Bot Framework token refused');
      return sendJson(response, 401, { error: 'Unauthorized: invalid Bot Framework token' });
    }
    await runtime.processRequest(runtime.adapter, { body, headers: request.headers, method: request.method ?? 'POST' }, response, (context) =>
      this.onTurn(context, runtime),
    );
  }

  /** Runs after the CloudAdapter authenticated the request: store the activity, wake the worker, acknowledge. */
  private async onTurn(context: TurnContext, runtime: Runtime): Promise<void> {
    const activity = context.activity as unknown as TeamsActivity;
    const intake = readActivity(activity);
    if (intake.kind === 'ignore') {
      this.options.logger.debug({ type: activity.type, reason: intake.reason }, 'teams activity ignored');
    } else {
      const fresh = await this.options.delivery.accept(CHANNEL, intake.input.messageId!, activity);
      if (fresh) runtime.worker.wake();
      else this.options.logger.info({ messageId: intake.input.messageId }, 'teams re-sent an activity already received; not handled again');
    }
    if (activity.type === 'invoke') {
      // Universal Actions expect an invoke response; the answer itself follows as messages.
      await context.sendActivity({
        type: 'invokeResponse',
        value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '✓' } },
      });
    }
  }
}

export function teamsMount(options: TeamsMountOptions): TeamsChannel {
  return new TeamsChannel(options);
}

/**
 * The Teams channel as `jembatan serve` mounts it: when MICROSOFT_APP_ID is set (authenticated) or
 * TEAMS_ENABLED=1 (unauthenticated, local testing); undefined otherwise. Throws a ConfigError when the
 * app type's credentials are incomplete.
 */
export function teamsMountFromEnv(deps: { env: Env; engine: ConversationEngine; db: Db | undefined; logger: Logger }): TeamsChannel | undefined {
  const config = teamsConfig(deps.env);
  if (!config) return undefined;
  // The inbox, outbox and conversation references live in the database: no database, no Teams.
  if (!deps.db) throw new Error('The Teams channel needs the database for delivery: pass it to channelMounts (bots/serve/serve.ts).');
  return new TeamsChannel({ config, engine: deps.engine, delivery: new DeliveryStore(deps.db), logger: deps.logger });
}
