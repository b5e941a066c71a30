import { homedir } from 'node:os';
import { join } from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import type { DenseEncoder } from './provider.js';

export const DEFAULT_LOCAL_MODEL = 'Xenova/multilingual-e5-small';

export interface LocalEncoderOptions {
  /** Hub id (`Xenova/multilingual-e5-small`) or, with `modelDir`, a folder name inside it. */
  model: string;
  /** Read models only from this folder (fully offline); otherwise fetch from the hub into `cacheDir`. */
  modelDir?: string;
  cacheDir?: string;
  batchSize: number;
  /** Called with download progress (0..100) per file while fetching from the hub. */
  onProgress?: (file: string, percent: number) => void;
}

type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ dims: number[]; tolist(): number[][] }>;

const pipelines = new Map<string, Promise<FeatureExtractor>>();

/** Loads a transformers.js feature-extraction pipeline once per process and model. */
async function loadPipeline(options: LocalEncoderOptions): Promise<FeatureExtractor> {
  const key = `${options.modelDir ?? 'hub'}::${options.model}`;
  let loading = pipelines.get(key);
  if (!loading) {
    loading = (async () => {
      const transformers = await import('@huggingface/transformers');
      const { env, pipeline } = transformers;
      if (options.modelDir) {
        env.allowRemoteModels = false;
        env.allowLocalModels = true;
        env.localModelPath = options.modelDir.endsWith('/') ? options.modelDir : `${options.modelDir}/`;
      } else {
        env.allowRemoteModels = true;
        env.cacheDir = options.cacheDir ?? join(homedir(), '.cache', 'jembatan', 'models');
      }
      const extractor = await pipeline('feature-extraction', options.model, {
        dtype: 'q8',
        device: 'cpu',
        progress_callback: (event: { status: string; file?: string; progress?: number }) => {
          if (event.status === 'progress' && event.file && typeof event.progress === 'number') {
            options.onProgress?.(event.file, event.progress);
          }
        },
      });
      return extractor as unknown as FeatureExtractor;
    })();
    pipelines.set(key, loading);
    loading.catch(() => pipelines.delete(key));
  }
  return loading;
}

/** e5 models were trained with these prefixes; other sentence-transformers models take plain text. */
function prefixesFor(model: string): { query: string; passage: string } {
  return /(^|[/_-])(multilingual-)?e5/i.test(model) ? { query: 'query: ', passage: 'passage: ' } : { query: '', passage: '' };
}

/** LangChain `Embeddings` running an ONNX sentence-embedding model in-process with transformers.js. */
export class LocalEmbeddings extends Embeddings {
  private readonly prefixes: { query: string; passage: string };

  constructor(private readonly options: LocalEncoderOptions) {
    super({ maxConcurrency: 1 });
    this.prefixes = prefixesFor(options.model);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return this.embed(documents.map((text) => this.prefixes.passage + text));
  }

  async embedQuery(document: string): Promise<number[]> {
    const [vector] = await this.embed([this.prefixes.query + document]);
    return vector!;
  }

  private async embed(texts: string[]): Promise<number[][]> {
    const extractor = await loadPipeline(this.options);
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.options.batchSize) {
      const batch = texts.slice(start, start + this.options.batchSize);
      const output = await extractor(batch, { pooling: 'mean', normalize: true });
      vectors.push(...output.tolist());
    }
    return vectors;
  }
}

export function localEncoder(options: LocalEncoderOptions): DenseEncoder {
  const embeddings = new LocalEmbeddings(options);
  let dimension: number | undefined;
  return {
    provider: 'local',
    model: options.model,
    embeddings,
    async dimension() {
      dimension ??= (await embeddings.embedQuery('dimension probe')).length;
      return dimension;
    },
  };
}
