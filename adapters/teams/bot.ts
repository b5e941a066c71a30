import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';
import type { TeamsConfig } from './config.js';

/**
 * botbuilder's CloudAdapter for one bot registration. Loaded only when Teams is mounted (botbuilder takes
 * a moment to load), see mount.ts.
 */
export function createCloudAdapter(config: TeamsConfig): { adapter: CloudAdapter; checkToken: (activity: Record<string, unknown>, authorization: string) => Promise<boolean> } {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.password ?? '',
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId ?? '',
  });
  // No onTurnError: a failing turn (the database is down) must answer 500, so the Bot Connector sends the
  // activity again rather than the message being lost.
  const adapter = new CloudAdapter(auth);
  /**
   * True when the request's token is valid for this bot; false when it is refused (an AuthenticationError).
   * Checked before `process`, which would print a refused token's stack trace with console.error; other
   * failures (the token keys cannot be fetched) are thrown.
   */
  const checkToken = async (activity: Record<string, unknown>, authorization: string): Promise<boolean> => {
    try {
      await auth.authenticateRequest(activity as unknown as Activity, authorization);
      return true;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if ((error as Error).name === 'AuthenticationError' || status === 401 || status === 403) return false;
      throw error;
    }
  };
  return { adapter, checkToken };
}

/**
 * Runs one Bot Framework request through the adapter: node:http's request (body already parsed) and
 * response adapted to the Express-like shape `CloudAdapter.process` expects.
 */
export async function processRequest(
  adapter: CloudAdapter,
  request: { body: Record<string, unknown>; headers: IncomingHttpHeaders; method: string },
  response: ServerResponse,
  logic: (context: TurnContext) => Promise<void>,
): Promise<void> {
  let status = 200;
  let body: unknown;
  let ended = false;
  const shim = {
    socket: response.socket,
    status(code: number) {
      status = code;
      return shim;
    },
    header(name: string, value: unknown) {
      if (!response.headersSent) response.setHeader(name, String(value));
      return shim;
    },
    send(payload: unknown) {
      body = payload;
      return shim;
    },
    end() {
      if (ended) return shim;
      ended = true;
      if (body === undefined || body === null) {
        response.writeHead(status).end();
      } else {
        const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
        const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
        response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) }).end(text);
      }
      return shim;
    },
  };
  await adapter.process({ body: request.body, headers: request.headers, method: request.method }, shim, logic);
  if (!ended) shim.end();
}
