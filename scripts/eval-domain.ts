/**
 * Reproduces docs/EVAL.md: ingests the NASA patents and software into a fresh embedded store, then runs the
 * domain evaluation set with every retrieval mode available (dense only with a provider), on the dev half,
 * the held-out test half (scripts/eval-split.ts, docs/eval/README.md) and the whole set, and prints markdown
 * tables per language.
 *
 *   npm run eval:domain                          # fresh store (≈1–2 min)
 *   npm run eval:domain -- --store /tmp/evalstore  # an embedded store that already holds the NASA offers
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv } from '../core/config/env.js';
import { encoderFromEnv } from '../core/embeddings/from-env.js';
import { describeProvider } from '../core/embeddings/provider.js';
import { readEvalQueries, runEval, type EvalQuery, type EvalReport } from '../core/eval/run-eval.js';
import { Glossary } from '../core/glossary/glossary.js';
import { Matcher, type MatchMode } from '../core/retrieval/match.js';
import { openDb } from '../core/store/db.js';
import { ListingStore } from '../core/store/listing-store.js';
import { ingest } from '../ingest/ingest.js';
import { PRESETS } from '../ingest/presets/index.js';

const args = process.argv.slice(2);
const storeIndex = args.indexOf('--store');
const existingStore = storeIndex >= 0 ? args[storeIndex + 1] : undefined;
const positional = args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--store');
const queriesFile = positional[0] ?? 'docs/eval/domain-needs.jsonl';
const nasa = '../shared/data/nasa-t2/nasa_t2_normalized.jsonl';

const env = readEnv();
const encoder = encoderFromEnv(env);
const dir = existingStore ?? mkdtempSync(join(tmpdir(), 'jembatan-eval-'));
const store = await ListingStore.open(await openDb({ kind: 'pglite', dataDir: dir }));
const glossary = Glossary.shared();
try {
  await store.assertModel(
    encoder ? { provider: encoder.provider, model: encoder.model, dimension: await encoder.dimension() } : { provider: 'none' },
  );
  let stored = await store.listingCount();
  if (!existingStore) {
    const summary = await ingest(nasa, store, glossary, encoder, { preset: PRESETS['nasa-t2']!, detectDuplicates: false });
    stored = summary.added + summary.unchanged;
  } else if ((await store.getMeta<string>('glossary_version')) !== glossary.version) {
    process.stderr.write('warning: the store was indexed with another glossary; run `jembatan reindex` on it first.\n');
  }
  const all = readEvalQueries(queriesFile);
  const base = queriesFile.replace(/\.jsonl$/, '');
  const halves: Array<[string, EvalQuery[]]> = [['all', all]];
  if (existsSync(`${base}.dev.jsonl`) && existsSync(`${base}.test.jsonl`)) {
    halves.unshift(['dev', readEvalQueries(`${base}.dev.jsonl`)], ['test', readEvalQueries(`${base}.test.jsonl`)]);
  }
  const matcher = new Matcher(store, glossary, encoder);
  const modes: MatchMode[] = encoder ? ['lexical', 'concept', 'dense', 'hybrid'] : ['lexical', 'concept', 'hybrid'];
  // One run per mode over the whole set; the halves are read off the per-query results.
  const reports = new Map<MatchMode, EvalReport>();
  for (const mode of modes) reports.set(mode, await runEval(all, matcher, store, { mode, k: 10 }));

  const f = (n: number) => n.toFixed(3);
  const languages = [...new Set(all.map((q) => q.lang))].sort();
  const metrics = ['recallAt10', 'mrrAt10', 'recallAt1', 'ndcgAt10'] as const;
  const out: string[] = [];
  out.push(`Store: ${stored} listings; glossary: ${glossary.size} concepts; ${all.length} queries.`);
  out.push(describeProvider(encoder), '');
  for (const [half, queries] of halves) {
    const qids = new Set(queries.map((q) => q.qid));
    for (const metric of half === 'all' ? metrics : metrics.slice(0, 2)) {
      out.push(`#### ${half}: ${metric.replace('At', '@')} (${queries.length} queries)`, '');
      out.push(`| mode | ${languages.join(' | ')} | all |`, `|---|${languages.map(() => '---').join('|')}|---|`);
      for (const mode of modes) {
        const rows = reports.get(mode)!.perQuery.filter((q) => qids.has(q.qid));
        const mean = (list: typeof rows) => list.reduce((sum, q) => sum + q.metrics[metric], 0) / Math.max(1, list.length);
        const cells = languages.map((language) => f(mean(rows.filter((q) => q.lang === language))));
        out.push(`| ${mode} | ${cells.join(' | ')} | **${f(mean(rows))}** |`);
      }
      out.push('');
    }
  }
  out.push('| mode | latency p50 (ms) | p95 (ms) |', '|---|---|---|');
  for (const [mode, report] of reports) out.push(`| ${mode} | ${report.latencyMs.p50.toFixed(1)} | ${report.latencyMs.p95.toFixed(1)} |`);
  const missing = reports.get(modes[0]!)!.missingIds;
  if (missing.length) out.push('', `Missing ids: ${missing.join(', ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  await store.close();
  if (!existingStore) rmSync(dir, { recursive: true, force: true });
}
