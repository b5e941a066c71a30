/**
 * Reproduces docs/EVAL.md: ingests the NASA patents and software into a fresh embedded store, then runs
 * the domain evaluation set with every retrieval mode available (dense only with a provider), and prints
 * a markdown report. Usage: npm run eval:domain [-- QUERIES.jsonl]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv } from '../core/config/env.js';
import { encoderFromEnv } from '../core/embeddings/from-env.js';
import { describeProvider } from '../core/embeddings/provider.js';
import { readEvalQueries, runEval, type EvalReport } from '../core/eval/run-eval.js';
import { Glossary } from '../core/glossary/glossary.js';
import { Matcher, type MatchMode } from '../core/retrieval/match.js';
import { openDb } from '../core/store/db.js';
import { ListingStore } from '../core/store/listing-store.js';
import { ingest } from '../ingest/ingest.js';
import { PRESETS } from '../ingest/presets/index.js';

const queriesFile = process.argv[2] ?? 'docs/eval/domain-needs.jsonl';
const nasa = '../shared/data/nasa-t2/nasa_t2_normalized.jsonl';

const env = readEnv();
const encoder = encoderFromEnv(env);
const dir = mkdtempSync(join(tmpdir(), 'jembatan-eval-'));
const store = await ListingStore.open(await openDb({ kind: 'pglite', dataDir: dir }));
const glossary = Glossary.shared();
try {
  await store.assertModel(
    encoder ? { provider: encoder.provider, model: encoder.model, dimension: await encoder.dimension() } : { provider: 'none' },
  );
  const summary = await ingest(nasa, store, glossary, encoder, { preset: PRESETS['nasa-t2']!, detectDuplicates: false });
  const queries = readEvalQueries(queriesFile);
  const matcher = new Matcher(store, glossary, encoder);
  const modes: MatchMode[] = encoder ? ['lexical', 'concept', 'dense', 'hybrid'] : ['lexical', 'concept', 'hybrid'];
  const reports: EvalReport[] = [];
  for (const mode of modes) reports.push(await runEval(queries, matcher, store, { mode, k: 10 }));

  const f = (n: number) => n.toFixed(3);
  const languages = Object.keys(reports[0]!.byLanguage);
  const out: string[] = [];
  out.push(`Store: ${summary.added + summary.unchanged} NASA offers; glossary: ${glossary.size} concepts; ${queries.length} queries.`);
  out.push(describeProvider(encoder), '');
  for (const metric of ['recallAt10', 'mrrAt10', 'recallAt1', 'ndcgAt10'] as const) {
    out.push(`#### ${metric.replace('At', '@')}`, '', `| mode | ${languages.join(' | ')} | all |`, `|---|${languages.map(() => '---').join('|')}|---|`);
    for (const report of reports) {
      out.push(`| ${report.mode} | ${languages.map((l) => f(report.byLanguage[l]![metric])).join(' | ')} | **${f(report.overall[metric])}** |`);
    }
    out.push('');
  }
  out.push('| mode | latency p50 (ms) | p95 (ms) |', '|---|---|---|');
  for (const report of reports) out.push(`| ${report.mode} | ${report.latencyMs.p50.toFixed(1)} | ${report.latencyMs.p95.toFixed(1)} |`);
  if (reports[0]!.missingIds.length) out.push('', `Missing ids: ${reports[0]!.missingIds.join(', ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
