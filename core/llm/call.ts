import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';

/** Why an LLM call gave nothing usable (logged; the caller falls back or omits the text). */
export type LlmFailureReason =
  | 'timeout'
  | 'rate_limited'
  | 'http_error'
  | 'connection_error'
  | 'context_overflow'
  | 'refusal'
  | 'truncated'
  | 'malformed_output'
  | 'invalid_output'
  | 'error';

/** A failure we detected ourselves (bad output, refusal), as opposed to one thrown by the client. */
export class LlmOutputError extends Error {
  override name = 'LlmOutputError';
  constructor(
    readonly reason: Extract<LlmFailureReason, 'refusal' | 'truncated' | 'malformed_output' | 'invalid_output'>,
    message: string,
  ) {
    super(message);
  }
}

export class LlmTimeoutError extends Error {
  override name = 'LlmTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/**
 * Runs `work` with an overall deadline: the signal handed to it is aborted at `timeoutMs` (which cancels
 * the HTTP request and any retry) and the returned promise rejects with LlmTimeoutError at that moment,
 * whatever the client does. A late rejection of `work` is absorbed, never unhandled.
 */
export async function withDeadline<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new LlmTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const task = work(controller.signal);
  task.catch(() => undefined);
  try {
    return await Promise.race([task, deadline]);
  } finally {
    clearTimeout(timer);
    if (!controller.signal.aborted) controller.abort(new Error('finished'));
  }
}

export interface FailureDescription {
  reason: LlmFailureReason;
  /** HTTP status of the endpoint's answer, when there was one. */
  status?: number;
  /** Error class and message, shortened (never the prompt or the user's text). */
  error: string;
}

function statusOf(error: unknown, depth = 0): number | undefined {
  if (typeof error !== 'object' || error === null || depth > 2) return undefined;
  const status = (error as { status?: unknown }).status ?? (error as { response?: { status?: unknown } }).response?.status;
  if (typeof status === 'number') return status;
  // LangChain wraps some client errors (ContextOverflowError) and keeps the original as `cause`.
  return statusOf((error as { cause?: unknown }).cause, depth + 1);
}

export function describeFailure(error: unknown): FailureDescription {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  const short = `${name}: ${message}`.slice(0, 300);
  if (error instanceof LlmOutputError) return { reason: error.reason, error: short };
  if (error instanceof LlmTimeoutError || name === 'TimeoutError' || /timed? ?out/i.test(message)) return { reason: 'timeout', error: short };
  const status = statusOf(error);
  if (name === 'ContextOverflowError') return { reason: 'context_overflow', ...(status !== undefined ? { status } : {}), error: short };
  if (status === 429) return { reason: 'rate_limited', status, error: short };
  if (status !== undefined) return { reason: 'http_error', status, error: short };
  if (/connection|ECONNREFUSED|ECONNRESET|fetch failed|socket/i.test(message)) return { reason: 'connection_error', error: short };
  if (error instanceof SyntaxError) return { reason: 'malformed_output', error: short };
  return { reason: 'error', error: short };
}

/** The model's name, for logs. */
export function modelName(model: BaseChatModel): string {
  const name = (model as unknown as { model?: unknown }).model;
  return typeof name === 'string' ? name : model.getName();
}

/**
 * The refusal text of an OpenAI-style answer, if the model refused. The Chat Completions converter of
 * @langchain/openai drops `message.refusal`; it is read from the raw response that `chatModelFromEnv`
 * asks the client to keep (and from `additional_kwargs.refusal`, where the Responses API path puts it).
 */
export function refusalOf(message: BaseMessage): string | undefined {
  const kwargs = message.additional_kwargs as {
    refusal?: unknown;
    __raw_response?: { choices?: Array<{ message?: { refusal?: unknown } }> };
  };
  const refusal = kwargs.refusal ?? kwargs.__raw_response?.choices?.[0]?.message?.refusal;
  return typeof refusal === 'string' && refusal.trim() !== '' ? refusal : undefined;
}

/** The finish reason of an answer ("stop", "length", "tool_calls", "content_filter" …). */
export function finishReasonOf(message: BaseMessage): string | undefined {
  const reason = (message.response_metadata as { finish_reason?: unknown } | undefined)?.finish_reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** The text content of a message (string content or the text parts of a content array). */
export function textOf(message: BaseMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .map((part) => (typeof part === 'string' ? part : part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
}
