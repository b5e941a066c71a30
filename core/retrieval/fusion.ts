export type Signal = 'lexical' | 'concept' | 'dense';

/**
 * Weighted reciprocal-rank fusion parameters, tuned on the dev half of the domain set (docs/EVAL.md). A
 * small k lets each signal's first few listings count much more than its tail: with two signals this
 * different (lexical is strong for English words, the glossary for everything else) that wins over the
 * usual k = 60 on both halves of the set.
 */
export const FUSION = {
  k: 1,
  weights: { lexical: 1, concept: 1, dense: 1 } as Record<Signal, number>,
};

/**
 * Retrieval settings, tuned on the dev half of the domain set only (docs/EVAL.md logs every lever tried).
 * Mutable so that scripts/eval-tune.ts can measure one lever at a time; the product never changes them.
 */
export const RETRIEVAL = {
  /** How deep each signal's ranking goes before fusion. */
  depth: 60,
  /** Terms in more than this share of passages do not select lexical candidates (they still score). */
  commonTermShare: 0.08,
  /**
   * Weight of the glossary translation inside the concept signal: BM25 over the English labels of the
   * query's concepts, fused with the shared-concept ranking; 0 = shared concepts only.
   */
  translation: 1,
  /** Drop function words (the query's language and, for Latin-script languages, English) from the lexical query. */
  stopwords: true,
  /** Fusion gives listings that a signal scores equally the mean rank of their group. */
  tieAware: true,
};

export interface FusedEntry {
  listingId: number;
  /** Normalised to 0..1: 1 = first in every signal that ran. */
  score: number;
  ranks: Partial<Record<Signal, number>>;
}

/**
 * Reciprocal-rank fusion: score = Σ weight / (k + rank) over the signals that found a listing. When a
 * signal's scores are given (same order as its ranking), listings it scores equally share the mean rank of
 * their group: a flat ranking (e.g. 200 listings sharing one concept) adds the same to each of them and
 * does not reorder them by chance.
 */
export function fuseRankings(
  rankings: Partial<Record<Signal, number[]>>,
  parameters: { k: number; weights: Record<Signal, number> } = FUSION,
  scores: Partial<Record<Signal, number[]>> = {},
): FusedEntry[] {
  const entries = new Map<number, FusedEntry & { raw: number }>();
  let best = 0;
  for (const [signal, ranking] of Object.entries(rankings) as Array<[Signal, number[]]>) {
    const weight = parameters.weights[signal];
    if (weight <= 0 || ranking.length === 0) continue;
    best += weight / (parameters.k + 1);
    const ranks = tiedRanks(ranking.length, scores[signal]);
    ranking.forEach((listingId, index) => {
      const entry = entries.get(listingId) ?? { listingId, score: 0, raw: 0, ranks: {} };
      entry.raw += weight / (parameters.k + ranks[index]!);
      entry.ranks[signal] = index + 1;
      entries.set(listingId, entry);
    });
  }
  return [...entries.values()]
    .sort((a, b) => b.raw - a.raw || a.listingId - b.listingId)
    .map(({ raw, ...entry }) => ({ ...entry, score: best > 0 ? raw / best : 0 }));
}

/** 1-based ranks; runs of equal scores (relative difference < 1e-9) get the mean rank of the run. */
function tiedRanks(length: number, scores: number[] | undefined): number[] {
  const ranks = Array.from({ length }, (_, index) => index + 1);
  if (!scores || scores.length !== length) return ranks;
  let start = 0;
  for (let index = 1; index <= length; index++) {
    const same = index < length && Math.abs(scores[index]! - scores[start]!) <= 1e-9 * Math.max(1, Math.abs(scores[start]!));
    if (same) continue;
    const mean = (start + 1 + index) / 2;
    for (let j = start; j < index; j++) ranks[j] = mean;
    start = index;
  }
  return ranks;
}
