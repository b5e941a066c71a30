import type { EvalReport } from '../../core/eval/run-eval.js';

const f = (n: number) => n.toFixed(3);

export function formatEvalReport(report: EvalReport): string {
  const header = 'lang   queries  R@1    R@5    R@10   MRR@10 nDCG@10';
  const row = (name: string, m: EvalReport['overall']) =>
    `${name.padEnd(6)} ${String(m.queries).padStart(7)}  ${f(m.recallAt1)}  ${f(m.recallAt5)}  ${f(m.recallAt10)}  ${f(m.mrrAt10)}  ${f(m.ndcgAt10)}`;
  const lines = [`mode: ${report.mode} · k=${report.k} · latency p50 ${report.latencyMs.p50.toFixed(1)} ms, p95 ${report.latencyMs.p95.toFixed(1)} ms`, header];
  for (const [language, metrics] of Object.entries(report.byLanguage)) lines.push(row(language, metrics));
  lines.push(row('all', report.overall));
  lines.push('R@k: share of grade-2 targets in the top k; MRR@10: reciprocal rank of the first grade-2 target; nDCG@10: all grades, gain 2^g-1.');
  if (report.missingIds.length > 0) {
    lines.push(`Warning: ${report.missingIds.length} relevant ids are not in the store (ingest them first): ${report.missingIds.slice(0, 10).join(', ')}`);
  }
  return lines.join('\n');
}
