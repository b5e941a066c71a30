import type { EmbeddingsInterface } from '@langchain/core/embeddings';

export type ProviderName = 'none' | 'local' | 'openai';

/** What a store records about the model its vectors came from. */
export interface EmbeddingModelId {
  provider: ProviderName;
  model: string;
  dimension: number;
}

/**
 * A dense text encoder behind LangChain's `Embeddings` interface, plus what Jembatan needs to know about
 * it. `embeddings.embedQuery` is for search text, `embedDocuments` for listing passages: providers apply
 * their model's conventions (e5's "query: " / "passage: " prefixes) inside.
 */
export interface DenseEncoder {
  readonly provider: Exclude<ProviderName, 'none'>;
  readonly model: string;
  readonly embeddings: EmbeddingsInterface;
  /** Vector dimension; resolved by loading the model or calling the endpoint once. */
  dimension(): Promise<number>;
}

/** What each provider means for matching quality, said plainly by the CLI. */
export function describeProvider(encoder: DenseEncoder | undefined): string {
  if (!encoder) {
    return (
      'Embeddings: none. Matching uses lexical search (every script segmented) and the multilingual ' +
      'technology glossary only; no neural model. Cross-language matches work through glossary concepts; ' +
      'paraphrases the glossary does not know are missed. Set JEMBATAN_EMBEDDINGS=local or openai for dense retrieval.'
    );
  }
  return `Embeddings: ${encoder.provider} model ${encoder.model}. Matching fuses dense vectors with lexical search and glossary concepts.`;
}
