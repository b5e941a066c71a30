import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LANGUAGES } from '../domain/languages.js';
import { LISTING_KINDS } from '../domain/listing.js';
import type { Matcher, MatchMode } from '../retrieval/match.js';
import type { ListingStore } from '../store/listing-store.js';
import { averageMetrics, queryMetrics, type QueryMetrics } from './metrics.js';

export const EvalQuerySchema = z.object({
  qid: z.string().min(1),
  lang: z.enum(LANGUAGES),
  query: z.string().min(1),
  relevant: z.record(z.string(), z.union([z.literal(1), z.literal(2)])),
  kinds: z.array(z.enum(LISTING_KINDS)).optional(),
});
export type EvalQuery = z.infer<typeof EvalQuerySchema>;

export class EvalInputError extends Error {
  override name = 'EvalInputError';
}

export function readEvalQueries(file: string): EvalQuery[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new EvalInputError(`Cannot read ${file}: give a JSONL file of {"qid","lang","query","relevant"} lines.`);
  }
  const queries: EvalQuery[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    try {
      const parsed = EvalQuerySchema.safeParse(JSON.parse(line));
      if (parsed.success) queries.push(parsed.data);
      else problems.push(`line ${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    } catch (error) {
      problems.push(`line ${index + 1}: invalid JSON (${(error as Error).message})`);
    }
  });
  if (problems.length > 0) throw new EvalInputError(`${file} has invalid lines:\n  ${problems.slice(0, 20).join('\n  ')}`);
  if (queries.length === 0) throw new EvalInputError(`${file} holds no queries.`);
  return queries;
}

export interface EvalReport {
  mode: MatchMode;
  k: number;
  overall: QueryMetrics & { queries: number };
  byLanguage: Record<string, QueryMetrics & { queries: number }>;
  /** Relevant external ids not found in the store (the evaluation cannot be fair without them). */
  missingIds: string[];
  latencyMs: { p50: number; p95: number };
  perQuery: Array<{ qid: string; lang: string; ranked: string[]; metrics: QueryMetrics }>;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs every query through the matcher and scores the ranking against the graded relevant ids. */
export async function runEval(
  queries: EvalQuery[],
  matcher: Matcher,
  store: ListingStore,
  options: { mode: MatchMode; k: number },
): Promise<EvalReport> {
  const allIds = [...new Set(queries.flatMap((q) => Object.keys(q.relevant)))];
  const known = await store.externalIdsPresent(allIds);
  const perQuery: EvalReport['perQuery'] = [];
  const latencies: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    const response = await matcher.match(query.query, {
      mode: options.mode,
      limit: options.k,
      language: query.lang,
      kinds: query.kinds ?? [...LISTING_KINDS],
    });
    latencies.push(performance.now() - started);
    const ranked = response.results.map((result) => result.listing.externalId);
    const metrics = queryMetrics({ ranked, relevant: new Map(Object.entries(query.relevant)) }, options.k);
    perQuery.push({ qid: query.qid, lang: query.lang, ranked, metrics });
  }
  const byLanguage: EvalReport['byLanguage'] = {};
  for (const language of [...new Set(queries.map((q) => q.lang))].sort()) {
    byLanguage[language] = averageMetrics(perQuery.filter((q) => q.lang === language).map((q) => q.metrics));
  }
  return {
    mode: options.mode,
    k: options.k,
    overall: averageMetrics(perQuery.map((q) => q.metrics)),
    byLanguage,
    missingIds: allIds.filter((id) => !known.has(id)),
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    perQuery,
  };
}
