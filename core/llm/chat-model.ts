import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import type { Env } from '../config/env.js';

/** Sent as the API key to an endpoint configured without one (local servers such as vLLM or llama.cpp). */
export const PLACEHOLDER_API_KEY = 'not-needed';

/** At most one retry: a second failure falls back to the rules instead of keeping the user waiting. */
export const LLM_MAX_RETRIES = 1;

/**
 * The chat model the environment asks for, or undefined: no LLM when `JEMBATAN_LLM=off` or when neither
 * `OPENAI_BASE_URL` nor `OPENAI_API_KEY` is set (everything then works on rules). A base URL without a key
 * is allowed (local servers); a key without a base URL means OpenAI itself.
 *
 * Requests use temperature 0, time out after `JEMBATAN_LLM_TIMEOUT_MS` and are retried at most once.
 */
export function chatModelFromEnv(env: Env): BaseChatModel | undefined {
  if (env.JEMBATAN_LLM === 'off') return undefined;
  if (!env.OPENAI_BASE_URL && !env.OPENAI_API_KEY) return undefined;
  return new ChatOpenAI({
    model: env.JEMBATAN_LLM_MODEL,
    apiKey: env.OPENAI_API_KEY ?? PLACEHOLDER_API_KEY,
    temperature: 0,
    timeout: env.JEMBATAN_LLM_TIMEOUT_MS,
    maxRetries: LLM_MAX_RETRIES,
    // Keep the raw response: the Chat Completions converter drops `message.refusal`, which we log.
    __includeRawResponse: true,
    configuration: env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {},
  });
}
