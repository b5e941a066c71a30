/**
 * A local OpenAI-compatible chat server (node:http on 127.0.0.1) for tests: it speaks the
 * /v1/chat/completions wire protocol (non-streaming), records every request and answers with scripted
 * replies. A "structured" reply is delivered the way the request asked for it: as a call of the forced
 * function when the request carries `tools` / `tool_choice`, as JSON message content when it carries a
 * `json_schema` or `json_object` response_format.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessageParam {
  role: string;
  content: unknown;
  [key: string]: unknown;
}

export interface ChatRequestBody {
  model?: unknown;
  messages?: ChatMessageParam[];
  temperature?: unknown;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean } }>;
  tool_choice?: unknown;
  response_format?: { type: string; json_schema?: { name: string; schema?: unknown; strict?: boolean } };
  stream?: unknown;
  [key: string]: unknown;
}

export interface RecordedChatRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  authorization: string | undefined;
  body: ChatRequestBody;
  /** ms since the server started. */
  receivedAt: number;
  /** True when the client closed the connection before the reply was sent (timeouts, aborts). */
  aborted: boolean;
  /** The reply the server used (undefined when none was scripted). */
  reply?: ScriptedReply;
}

interface Delay {
  /** Wait this long before answering (the client may give up first). */
  delayMs?: number;
}

export type ScriptedReply = Delay &
  (
    | { type: 'structured'; value: unknown }
    /** A forced-function call (or JSON content) whose arguments are this exact text, valid JSON or not. */
    | { type: 'structured_text'; text: string }
    | { type: 'text'; text: string; finishReason?: 'stop' | 'length' | 'content_filter' }
    | { type: 'refusal'; text: string }
    | { type: 'error'; status: number; message?: string; errorType?: string; code?: string | null; headers?: Record<string, string> }
  );

export interface FakeOpenAIChat {
  /** Base URL including /v1, as OPENAI_BASE_URL takes it. */
  baseURL: string;
  requests: RecordedChatRequest[];
  /** Queues replies, used one per request in order. A request with nothing queued gets HTTP 500. */
  reply(...replies: ScriptedReply[]): void;
  /** Replies still queued. */
  pending(): number;
  reset(): void;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_${randomBytes(8).toString('hex')}`,
    'openai-processing-ms': '12',
    ...headers,
  });
  res.end(text);
}

function apiError(res: ServerResponse, status: number, message: string, type: string, code: string | null = null, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const approxTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/** The function a request forces with `tool_choice`, if any. */
function forcedFunction(body: ChatRequestBody): string | undefined {
  const choice = body.tool_choice as { type?: string; function?: { name?: string } } | string | undefined;
  if (typeof choice === 'object' && choice?.type === 'function' && typeof choice.function?.name === 'string') return choice.function.name;
  if ((choice === 'required' || choice === 'auto' || choice === undefined) && body.tools?.length === 1) return body.tools[0]!.function.name;
  return undefined;
}

function validationError(body: ChatRequestBody): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return "you must provide a model parameter";
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "'messages' must be a non-empty array";
  for (const [index, message] of body.messages.entries()) {
    if (!['system', 'developer', 'user', 'assistant', 'tool'].includes(message.role)) return `Invalid value for 'messages[${index}].role'`;
    if (typeof message.content !== 'string' && !Array.isArray(message.content)) return `Invalid type for 'messages[${index}].content'`;
  }
  if (body.stream === true) return 'this fake server does not stream';
  for (const [index, tool] of (body.tools ?? []).entries()) {
    if (tool.type !== 'function' || typeof tool.function?.name !== 'string') return `Invalid 'tools[${index}]'`;
    if (typeof tool.function.parameters !== 'object' || tool.function.parameters === null) return `Invalid 'tools[${index}].function.parameters'`;
  }
  const forced = body.tool_choice as { function?: { name?: string } } | undefined;
  if (typeof forced === 'object' && forced?.function?.name && !(body.tools ?? []).some((tool) => tool.function.name === forced.function?.name)) {
    return "Invalid value for 'tool_choice': no function with that name in 'tools'";
  }
  return undefined;
}

function completion(body: ChatRequestBody, message: Record<string, unknown>, finishReason: string) {
  const promptText = JSON.stringify(body.messages ?? []) + JSON.stringify(body.tools ?? '');
  const completionText = JSON.stringify(message);
  const prompt_tokens = approxTokens(promptText);
  const completion_tokens = approxTokens(completionText);
  return {
    id: `chatcmpl-${randomBytes(12).toString('hex')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, annotations: [], ...message }, logprobs: null, finish_reason: finishReason }],
    usage: {
      prompt_tokens,
      completion_tokens,
      total_tokens: prompt_tokens + completion_tokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_jembatan_fake',
  };
}

function answer(res: ServerResponse, body: ChatRequestBody, reply: ScriptedReply): void {
  switch (reply.type) {
    case 'error':
      apiError(res, reply.status, reply.message ?? `scripted error ${reply.status}`, reply.errorType ?? 'server_error', reply.code ?? null, reply.headers);
      return;
    case 'text':
      sendJson(res, 200, completion(body, { content: reply.text }, reply.finishReason ?? 'stop'));
      return;
    case 'refusal':
      sendJson(res, 200, completion(body, { content: null, refusal: reply.text }, 'stop'));
      return;
    case 'structured':
    case 'structured_text': {
      const text = reply.type === 'structured' ? JSON.stringify(reply.value) : reply.text;
      const name = body.tools?.length ? forcedFunction(body) : undefined;
      if (name) {
        const call = { id: `call_${randomBytes(12).toString('hex')}`, type: 'function', function: { name, arguments: text } };
        // OpenAI answers a named tool_choice with finish_reason "stop", an "auto" one with "tool_calls".
        const named = typeof body.tool_choice === 'object';
        sendJson(res, 200, completion(body, { content: null, tool_calls: [call] }, named ? 'stop' : 'tool_calls'));
        return;
      }
      const format = body.response_format?.type;
      if (format === 'json_schema' || format === 'json_object') {
        sendJson(res, 200, completion(body, { content: text }, 'stop'));
        return;
      }
      apiError(res, 400, 'fake server: a structured reply was scripted but the request asks for neither a function call nor a JSON response_format', 'invalid_request_error');
      return;
    }
  }
}

export async function startFakeOpenAIChat(): Promise<FakeOpenAIChat> {
  const requests: RecordedChatRequest[] = [];
  const queue: ScriptedReply[] = [];
  const started = Date.now();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      let body: ChatRequestBody = {};
      try {
        body = raw ? (JSON.parse(raw) as ChatRequestBody) : {};
      } catch {
        apiError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
        return;
      }
      const record: RecordedChatRequest = {
        method: req.method ?? '',
        path,
        headers: req.headers,
        authorization: req.headers.authorization,
        body,
        receivedAt: Date.now() - started,
        aborted: false,
      };
      requests.push(record);
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        apiError(res, 404, `Unknown request URL: ${req.method} ${path}.`, 'invalid_request_error', 'unknown_url');
        return;
      }
      const invalid = validationError(body);
      if (invalid) {
        apiError(res, 400, invalid, 'invalid_request_error');
        return;
      }
      const reply = queue.shift();
      record.reply = reply;
      if (!reply) {
        apiError(res, 500, 'fake server: no scripted reply for this request', 'server_error');
        return;
      }
      const send = () => {
        if (!res.destroyed) answer(res, body, reply);
      };
      if (reply.delayMs) {
        const timer = setTimeout(send, reply.delayMs);
        res.on('close', () => {
          if (!res.writableFinished) {
            record.aborted = true;
            clearTimeout(timer);
          }
        });
      } else {
        send();
      }
    })().catch((error: unknown) => {
      if (!res.headersSent) apiError(res, 500, String(error), 'server_error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (...replies) => void queue.push(...replies),
    pending: () => queue.length,
    reset() {
      requests.length = 0;
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
