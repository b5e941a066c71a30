import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Connector service Teams bots send to, on 127.0.0.1. Given as an activity's
 * `serviceUrl`, it records what the bot posts (`POST /v3/conversations/{id}/activities` and
 * `/v3/conversations/{id}/activities/{replyToId}`) and can answer with a failure (429, 502…) a given
 * number of times first.
 */

export interface RecordedActivity {
  conversationId: string;
  replyToId?: string;
  authorization?: string;
  activity: Record<string, unknown>;
  at: number;
}

export interface PlannedFailure {
  status: number;
  retryAfter?: string;
  /** Only for this conversation (default: any). */
  conversationId?: string;
  /** Let this many matching posts through first (default 0: fail the very next one). */
  after?: number;
}

export class FakeBotConnector {
  readonly activities: RecordedActivity[] = [];
  /** Every POST, failed ones included. */
  readonly attempts: Array<{ conversationId: string; status: number; at: number }> = [];
  private readonly failures: PlannedFailure[] = [];
  private readonly server: Server;
  private waiters: Array<() => void> = [];
  private counter = 0;
  url = '';

  constructor() {
    this.server = createServer((request, response) => void this.onRequest(request, response));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next matching POST is answered with this status instead of being recorded. */
  failNext(failure: PlannedFailure): void {
    this.failures.push(failure);
  }

  /** Activities posted to one conversation, in order. */
  to(conversationId: string): Record<string, unknown>[] {
    return this.activities.filter((entry) => entry.conversationId === conversationId).map((entry) => entry.activity);
  }

  /** Waits until `predicate` holds over the recorded activities (checked after every post). */
  async waitFor(predicate: (activities: RecordedActivity[]) => boolean, timeoutMs = 20_000, what = 'activities'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.activities)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; recorded ${this.activities.length}: ${JSON.stringify(this.activities.map((a) => a.activity.text ?? a.activity.attachments).slice(-5)).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until `count` more activities arrived in `conversationId` than `after`, and returns the new ones. */
  async next(conversationId: string, after: number, count = 1, timeoutMs = 20_000): Promise<Record<string, unknown>[]> {
    await this.waitFor((all) => all.filter((entry) => entry.conversationId === conversationId).length >= after + count, timeoutMs, `${count} activities in ${conversationId}`);
    return this.to(conversationId).slice(after);
  }

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = decodeURIComponent((request.url ?? '/').split('?')[0]!);
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      response.end(text);
    };
    if (request.method !== 'POST' || !match) return json(404, { error: { code: 'NotFound', message: `${request.method} ${path}` } });
    const conversationId = match[1]!;
    const index = this.failures.findIndex((failure) => !failure.conversationId || failure.conversationId === conversationId);
    if (index >= 0 && (this.failures[index]!.after ?? 0) > 0) {
      this.failures[index]!.after! -= 1;
    } else if (index >= 0) {
      const [failure] = this.failures.splice(index, 1);
      this.attempts.push({ conversationId, status: failure!.status, at: Date.now() });
      return json(failure!.status, { error: { code: 'Throttled', message: `planned ${failure!.status}` } }, failure!.retryAfter ? { 'retry-after': failure!.retryAfter } : {});
    }
    let activity: Record<string, unknown>;
    try {
      activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return json(400, { error: { code: 'BadArgument', message: 'body is not JSON' } });
    }
    this.attempts.push({ conversationId, status: 200, at: Date.now() });
    this.activities.push({ conversationId, replyToId: match[2], authorization: request.headers.authorization, activity, at: Date.now() });
    json(200, { id: `bot-activity-${++this.counter}` });
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
