import type { Queryable } from './db.js';

/**
 * The passages.embedding column has no fixed dimension (models differ); pgvector indexes it through an
 * expression index for one dimension, as its documentation recommends for mixed dimensions. Queries use
 * the same expression (`embedding::vector(N)`) so the planner picks the index.
 */
export async function ensureVectorIndex(db: Queryable, dimension: number): Promise<void> {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 2000) {
    throw new Error(`Embedding dimension ${dimension} is not indexable with HNSW (1..2000).`);
  }
  await db.query(
    `CREATE INDEX IF NOT EXISTS passages_embedding_hnsw_${dimension} ON passages
     USING hnsw ((embedding::vector(${dimension})) vector_cosine_ops) WITH (m = 16, ef_construction = 64)`,
  );
}

export async function dropVectorIndexes(db: Queryable): Promise<void> {
  const { rows } = await db.query<{ indexname: string }>(
    "SELECT indexname FROM pg_indexes WHERE tablename = 'passages' AND indexname LIKE 'passages_embedding_hnsw_%'",
  );
  for (const row of rows) await db.query(`DROP INDEX IF EXISTS ${row.indexname.replace(/[^a-z0-9_]/g, '')}`);
}

export function vectorLiteral(vector: number[]): string {
  return `[${vector.map((value) => (Number.isFinite(value) ? value : 0)).join(',')}]`;
}
