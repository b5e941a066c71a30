import { dataDir, readEnv, type Env } from '../../core/config/env.js';
import { encoderFromEnv } from '../../core/embeddings/from-env.js';
import type { DenseEncoder } from '../../core/embeddings/provider.js';
import { Glossary } from '../../core/glossary/glossary.js';
import { log } from '../../core/log.js';
import { Matcher } from '../../core/retrieval/match.js';
import { openDb, type DbTarget } from '../../core/store/db.js';
import { ListingStore } from '../../core/store/listing-store.js';
import { downloadProgress } from './progress.js';

export interface CliContext {
  env: Env;
  store: ListingStore;
  glossary: Glossary;
  encoder: DenseEncoder | undefined;
  matcher: Matcher;
  target: DbTarget;
  close(): Promise<void>;
}

export function dbTarget(env: Env): DbTarget {
  return env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: dataDir(env) };
}

/**
 * Opens the store named by the environment and checks that its embedding model is the active one
 * (`checkModel: false` for `reindex`, which is how a mismatch is repaired).
 */
export async function openContext(options: { checkModel?: boolean } = {}): Promise<CliContext> {
  const env = readEnv();
  const target = dbTarget(env);
  const db = await openDb(target);
  const store = await ListingStore.open(db);
  const glossary = Glossary.shared();
  const encoder = encoderFromEnv(env, downloadProgress());
  if (options.checkModel !== false) {
    const active = encoder
      ? { provider: encoder.provider, model: encoder.model, dimension: await encoder.dimension() }
      : ({ provider: 'none' } as const);
    await store.assertModel(active);
    const glossaryVersion = await store.getMeta<string>('glossary_version');
    if (glossaryVersion && glossaryVersion !== glossary.version) {
      log.warn(
        { stored: glossaryVersion, current: glossary.version },
        'the glossary changed since listings were indexed: run `jembatan reindex` to refresh concepts',
      );
    }
  }
  return {
    env,
    store,
    glossary,
    encoder,
    matcher: new Matcher(store, glossary, encoder),
    target,
    close: () => store.close(),
  };
}
