/** Ranking metrics for `jembatan eval`; definitions are printed with the results and in docs/EVAL.md. */
export interface QueryJudgement {
  /** Ranked listing keys returned by the system. */
  ranked: string[];
  /** Graded relevance: 2 = the target, 1 = also good. */
  relevant: Map<string, number>;
}

export interface QueryMetrics {
  recallAt1: number;
  recallAt5: number;
  recallAt10: number;
  mrrAt10: number;
  ndcgAt10: number;
}

/** Share of the grade-2 targets found in the top k. */
export function recallAt(judgement: QueryJudgement, k: number): number {
  const targets = [...judgement.relevant].filter(([, grade]) => grade >= 2).map(([key]) => key);
  if (targets.length === 0) return 0;
  const top = new Set(judgement.ranked.slice(0, k));
  return targets.filter((key) => top.has(key)).length / targets.length;
}

/** Reciprocal rank of the first grade-2 target within the top k (0 if absent). */
export function mrrAt(judgement: QueryJudgement, k: number): number {
  const index = judgement.ranked.slice(0, k).findIndex((key) => (judgement.relevant.get(key) ?? 0) >= 2);
  return index < 0 ? 0 : 1 / (index + 1);
}

/** nDCG over all grades, gain 2^grade − 1. */
export function ndcgAt(judgement: QueryJudgement, k: number): number {
  const gain = (grade: number) => 2 ** grade - 1;
  const dcg = judgement.ranked
    .slice(0, k)
    .reduce((sum, key, index) => sum + gain(judgement.relevant.get(key) ?? 0) / Math.log2(index + 2), 0);
  const ideal = [...judgement.relevant.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, index) => sum + gain(grade) / Math.log2(index + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

export function queryMetrics(judgement: QueryJudgement, k = 10): QueryMetrics {
  return {
    recallAt1: recallAt(judgement, 1),
    recallAt5: recallAt(judgement, 5),
    recallAt10: recallAt(judgement, Math.max(k, 10)),
    mrrAt10: mrrAt(judgement, k),
    ndcgAt10: ndcgAt(judgement, k),
  };
}

export function averageMetrics(list: QueryMetrics[]): QueryMetrics & { queries: number } {
  const n = list.length || 1;
  const sum = (pick: (m: QueryMetrics) => number) => list.reduce((total, m) => total + pick(m), 0) / n;
  return {
    queries: list.length,
    recallAt1: sum((m) => m.recallAt1),
    recallAt5: sum((m) => m.recallAt5),
    recallAt10: sum((m) => m.recallAt10),
    mrrAt10: sum((m) => m.mrrAt10),
    ndcgAt10: sum((m) => m.ndcgAt10),
  };
}
