import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

/** A route a channel adapter mounts on the shared server (e.g. POST /telegram/webhook). */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void> | void;
}

/** What `jembatan serve` mounts for one chat channel; adapters implement it (see adapters/). */
export interface ChannelMount {
  name: string;
  routes: Route[];
  /** Called after the server listens (e.g. to register a webhook). */
  start?(): Promise<void>;
  /** Called on shutdown, before the engine drains. */
  stop?(): Promise<void>;
}

export interface HealthChecks {
  /** Throws when not ready; the message is shown on /readyz. */
  ready(): Promise<Record<string, string>>;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}

/**
 * One HTTP server for every channel: /healthz (the process is up), /readyz (database and model answer),
 * then the routes of the mounted channels. In-flight requests are tracked so shutdown can wait for them.
 */
export class JembatanServer {
  private readonly server: Server;
  private readonly routes = new Map<string, Route>();
  private inFlight = 0;
  private draining = false;

  constructor(
    private readonly checks: HealthChecks,
    mounts: ChannelMount[],
    private readonly logger: Logger,
  ) {
    for (const mount of mounts) for (const route of mount.routes) this.routes.set(`${route.method} ${route.path}`, route);
    this.server = createServer((request, response) => void this.onRequest(request, response));
    this.server.keepAliveTimeout = 5_000;
  }

  get activeRequests(): number {
    return this.inFlight;
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  /** Stops accepting connections, then waits until in-flight requests are answered (at most `timeoutMs`). */
  async close(timeoutMs: number): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    this.server.closeAllConnections();
    await closed;
  }

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.inFlight++;
    const started = performance.now();
    const path = (request.url ?? '/').split('?')[0]!;
    try {
      if (this.draining) response.setHeader('connection', 'close');
      if (request.method === 'GET' && path === '/healthz') return send(response, 200, { status: 'ok' });
      if (request.method === 'GET' && path === '/readyz') {
        if (this.draining) return send(response, 503, { status: 'shutting down' });
        try {
          return send(response, 200, { status: 'ready', ...(await this.checks.ready()) });
        } catch (error) {
          return send(response, 503, { status: 'not ready', reason: (error as Error).message });
        }
      }
      const route = this.routes.get(`${request.method} ${path}`);
      if (!route) return send(response, 404, { error: `no route for ${request.method} ${path}` });
      await route.handle(request, response);
    } catch (error) {
      this.logger.error({ err: error, path }, 'request failed');
      if (!response.headersSent) send(response, 500, { error: 'internal error' });
      else response.end();
    } finally {
      this.inFlight--;
      this.logger.debug({ method: request.method, path, status: response.statusCode, ms: Math.round(performance.now() - started) }, 'request');
    }
  }
}
