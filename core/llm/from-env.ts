import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Env } from '../config/env.js';
import type { Logger } from '../log.js';
import type { MessageUnderstander } from '../understanding/types.js';
import { chatModelFromEnv } from './chat-model.js';
import { LlmUnderstander } from './llm-understander.js';
import { LlmWriter, type TextWriter } from './writer.js';

export interface LlmServices {
  /** The chat model, when one is configured. */
  model?: BaseChatModel;
  /** The LLM understander with `fallback` behind it, or `fallback` itself when there is no model. */
  understander: MessageUnderstander;
  /** Explanations and translations; undefined without a model (callers omit those texts). */
  writer?: TextWriter;
}

/** Wires the optional LLM path from the environment (see chatModelFromEnv). */
export function llmServicesFromEnv(env: Env, options: { fallback: MessageUnderstander; logger: Logger }): LlmServices {
  const model = chatModelFromEnv(env);
  if (!model) return { understander: options.fallback };
  const timeoutMs = env.JEMBATAN_LLM_TIMEOUT_MS;
  return {
    model,
    understander: new LlmUnderstander(model, options.fallback, { timeoutMs, logger: options.logger }),
    writer: new LlmWriter(model, { timeoutMs, logger: options.logger }),
  };
}
