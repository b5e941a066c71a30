/**
 * Tuning loop for the domain set on an already ingested store (fast: no ingest). Runs lexical, concept and
 * hybrid on the dev and test halves (scripts/eval-split.ts), prints recall@10 and MRR@10 per language for
 * each half, and with `--failures dev|test` every query whose target is not in the hybrid top 10, with the
 * concepts found in the query, the target's concepts and the target's rank in each signal.
 *
 *   JEMBATAN_DATA_DIR=/tmp/evalstore npx tsx scripts/eval-tune.ts [--failures dev] [--json out.json]
 *     [--set k=1,translation=0,...] [--modes lexical,concept,hybrid] [--glossary DIR]
 *
 * Only the dev half may be looked at query by query; the test half is for reporting.
 */
import { writeFileSync } from 'node:fs';
import { dataDir, readEnv } from '../core/config/env.js';
import { readEvalQueries, runEval, type EvalQuery, type EvalReport } from '../core/eval/run-eval.js';
import { Glossary } from '../core/glossary/glossary.js';
import { Matcher, type MatchMode } from '../core/retrieval/match.js';
import { FUSION, RETRIEVAL } from '../core/retrieval/fusion.js';
import { openDb } from '../core/store/db.js';
import { ListingStore } from '../core/store/listing-store.js';
import { LISTING_KINDS } from '../core/domain/listing.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const failuresOf = option('--failures');
const jsonOut = option('--json');
const modes = (option('--modes') ?? 'lexical,concept,hybrid').split(',') as MatchMode[];
const base = option('--queries') ?? 'docs/eval/domain-needs';

// --set key=value[,key=value]: override retrieval settings (RETRIEVAL keys, k, lexical, concept weights).
for (const pair of (option('--set') ?? '').split(',').filter(Boolean)) {
  const [key, raw] = pair.split('=') as [string, string];
  const value = raw === 'true' ? true : raw === 'false' ? false : Number.isNaN(Number(raw)) ? raw : Number(raw);
  if (key === 'k') FUSION.k = value as number;
  else if (key === 'lexical' || key === 'concept') FUSION.weights[key] = value as number;
  else if (key in RETRIEVAL) (RETRIEVAL as Record<string, unknown>)[key] = value;
  else throw new Error(`unknown setting ${key}`);
}

const env = readEnv();
const store = await ListingStore.open(await openDb({ kind: 'pglite', dataDir: dataDir(env) }));
// --glossary DIR: another glossary folder (the store must have been indexed with it).
const glossary = option('--glossary') ? Glossary.load(option('--glossary')) : Glossary.shared();
const stored = await store.getMeta<string>('glossary_version');
if (stored !== glossary.version) process.stderr.write(`warning: store indexed with glossary ${stored}, current ${glossary.version}: reindex\n`);
const matcher = new Matcher(store, glossary, undefined);
const halves: Record<'dev' | 'test', EvalQuery[]> = {
  dev: readEvalQueries(`${base}.dev.jsonl`),
  test: readEvalQueries(`${base}.test.jsonl`),
};
const devTargets = new Set(halves.dev.flatMap((q) => Object.keys(q.relevant).filter((k) => q.relevant[k] === 2)));
const shared = halves.test.filter((q) => Object.entries(q.relevant).some(([k, g]) => g === 2 && devTargets.has(k)));
if (shared.length) process.stderr.write(`warning: test queries sharing a dev target: ${shared.map((q) => q.qid).join(' ')}\n`);

const f = (n: number) => n.toFixed(3);
const reports: Record<string, Record<string, EvalReport>> = { dev: {}, test: {} };
const out: string[] = [];
for (const half of ['dev', 'test'] as const) {
  for (const mode of modes) reports[half]![mode] = await runEval(halves[half], matcher, store, { mode, k: 10 });
  const languages = Object.keys(reports[half]![modes[0]!]!.byLanguage);
  for (const metric of ['recallAt10', 'mrrAt10'] as const) {
    out.push(`${half} ${metric}`.padEnd(16) + languages.map((l) => l.padStart(7)).join('') + '    all');
    for (const mode of modes) {
      const r = reports[half]![mode]!;
      out.push(`  ${mode}`.padEnd(16) + languages.map((l) => f(r.byLanguage[l]![metric]).padStart(7)).join('') + `  ${f(r.overall[metric])}`);
    }
  }
}
process.stdout.write(`glossary ${glossary.size} concepts\n${out.join('\n')}\n`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(reports, null, 1));

if (failuresOf === 'dev' || failuresOf === 'test') {
  const queries = halves[failuresOf];
  const hybrid = reports[failuresOf]!.hybrid!;
  const targetOf = (q: EvalQuery) => Object.entries(q.relevant).find(([, g]) => g === 2)![0];
  const { rows } = await store.db.query<{ external_id: string; title: string; concepts: string[]; sectors: string[] }>(
    'SELECT external_id, title, concepts, sectors FROM listings WHERE external_id = ANY($1::text[])',
    [queries.map(targetOf)],
  );
  const info = new Map(rows.map((row) => [row.external_id, row]));
  for (const q of queries) {
    const result = hybrid.perQuery.find((p) => p.qid === q.qid)!;
    if (result.metrics.recallAt10 >= 1) continue;
    const target = targetOf(q);
    const response = await matcher.match(q.query, { mode: 'hybrid', limit: 100, language: q.lang, kinds: [...LISTING_KINDS] });
    const index = response.results.findIndex((r) => r.listing.externalId === target);
    const hit = response.results[index];
    const t = info.get(target);
    process.stdout.write(
      [
        ``,
        `## ${q.qid} → ${target} "${t?.title}" [${t?.sectors.join(',')}]`,
        `  query: ${q.query}`,
        `  query concepts: ${response.queryConcepts.map((c) => c.id).join(', ') || '—'}`,
        `  target concepts: ${t?.concepts.join(', ')}`,
        `  target: hybrid rank ${index >= 0 ? index + 1 : '>100'}; ranks ${JSON.stringify(hit?.ranks ?? {})}; shared ${hit?.reasons.sharedConcepts.map((c) => c.id).join(',')}; terms ${hit?.reasons.sharedTerms.join(',')}`,
        ...response.results.slice(0, 3).map(
          (r, i) =>
            `  top${i + 1}: ${r.listing.externalId} "${r.listing.title.slice(0, 70)}" ${JSON.stringify(r.ranks)} concepts ${r.reasons.sharedConcepts.map((c) => c.id).join(',')} terms ${r.reasons.sharedTerms.join(',')}`,
        ),
      ].join('\n') + '\n',
    );
  }
}
await store.close();
