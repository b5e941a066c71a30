import { OpenAIEmbeddings } from '@langchain/openai';
import type { DenseEncoder } from './provider.js';

export interface OpenAIEncoderOptions {
  model: string;
  baseURL?: string;
  apiKey?: string;
  batchSize: number;
}

/** Any OpenAI-compatible embeddings endpoint through @langchain/openai. */
export function openAIEncoder(options: OpenAIEncoderOptions): DenseEncoder {
  const embeddings = new OpenAIEmbeddings({
    model: options.model,
    apiKey: options.apiKey ?? 'not-needed',
    batchSize: options.batchSize,
    encodingFormat: 'float',
    maxRetries: 3,
    configuration: options.baseURL ? { baseURL: options.baseURL } : {},
  });
  let dimension: number | undefined;
  return {
    provider: 'openai',
    model: options.model,
    embeddings,
    async dimension() {
      dimension ??= (await embeddings.embedQuery('dimension probe')).length;
      return dimension;
    },
  };
}
