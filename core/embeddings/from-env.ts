import type { Env } from '../config/env.js';
import { DEFAULT_LOCAL_MODEL, localEncoder } from './local.js';
import { openAIEncoder } from './openai.js';
import type { DenseEncoder } from './provider.js';

/** The dense encoder the environment asks for, or undefined for provider `none`. */
export function encoderFromEnv(env: Env, onProgress?: (file: string, percent: number) => void): DenseEncoder | undefined {
  switch (env.JEMBATAN_EMBEDDINGS) {
    case 'none':
      return undefined;
    case 'local':
      return localEncoder({
        model: env.JEMBATAN_MODEL ?? DEFAULT_LOCAL_MODEL,
        modelDir: env.JEMBATAN_MODEL_DIR,
        cacheDir: env.JEMBATAN_MODEL_CACHE,
        batchSize: env.JEMBATAN_EMBEDDING_BATCH,
        onProgress,
      });
    case 'openai':
      return openAIEncoder({
        model: env.JEMBATAN_OPENAI_EMBEDDING_MODEL,
        baseURL: env.OPENAI_BASE_URL,
        apiKey: env.OPENAI_API_KEY,
        batchSize: env.JEMBATAN_EMBEDDING_BATCH,
      });
  }
}
