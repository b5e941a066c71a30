export type Signal = 'lexical' | 'concept' | 'dense';

/** Weighted reciprocal-rank fusion parameters (tuned with `jembatan eval`, see docs/EVAL.md). */
export const FUSION = {
  k: 60,
  weights: { lexical: 1, concept: 1, dense: 1 } as Record<Signal, number>,
};

export interface FusedEntry {
  listingId: number;
  /** Normalised to 0..1: 1 = first in every signal that ran. */
  score: number;
  ranks: Partial<Record<Signal, number>>;
}

/** Reciprocal-rank fusion: score = Σ weight / (k + rank) over the signals that found a listing. */
export function fuseRankings(
  rankings: Partial<Record<Signal, number[]>>,
  parameters: { k: number; weights: Record<Signal, number> } = FUSION,
): FusedEntry[] {
  const entries = new Map<number, FusedEntry & { raw: number }>();
  let best = 0;
  for (const [signal, ranking] of Object.entries(rankings) as Array<[Signal, number[]]>) {
    const weight = parameters.weights[signal];
    best += weight / (parameters.k + 1);
    ranking.forEach((listingId, index) => {
      const entry = entries.get(listingId) ?? { listingId, score: 0, raw: 0, ranks: {} };
      entry.raw += weight / (parameters.k + index + 1);
      entry.ranks[signal] = index + 1;
      entries.set(listingId, entry);
    });
  }
  return [...entries.values()]
    .sort((a, b) => b.raw - a.raw || a.listingId - b.listingId)
    .map(({ raw, ...entry }) => ({ ...entry, score: best > 0 ? raw / best : 0 }));
}
