import type { MatchResponse, MatchResult } from './match.js';

/**
 * The share of the query's glossary concepts that a result shares with it (0..1); 0 when the query has
 * none. Unlike the fused score, which is rank-based (the only candidate of a weak search still ranks
 * first), it is absolute: used to tell a real match from the best of nothing (unmet needs, alerts).
 */
export function conceptCoverage(response: MatchResponse, result: MatchResult): number {
  const wanted = new Set(response.queryConcepts.map((concept) => concept.id));
  if (wanted.size === 0) return 0;
  const shared = new Set(result.reasons.sharedConcepts.map((concept) => concept.id).filter((id) => wanted.has(id)));
  return shared.size / wanted.size;
}
