/**
 * Cross-lingual sentence retrieval from ../shared/data/sib200 (FLORES-200 sentences, CC BY-SA 4.0) and
 * ../shared/data/tatoeba (Tatoeba pairs, CC BY 2.0 FR): the English sentences become listings in a
 * throw-away embedded store, each translation is a query whose one relevant listing is its English twin.
 * Prints recall@1 and MRR@10 per language and mode, computed by `runEval` (the code behind `jembatan eval`).
 * Nothing is copied into the repository: the JSONL files are written to a temporary folder (or to
 * `--write DIR`, to run `jembatan ingest` and `jembatan eval` on them by hand).
 *
 *   npx tsx scripts/eval-sentences.ts [--set sib200|tatoeba|both] [--per-language 99] [--write DIR]
 *
 * Without a trained embedding model these figures are a floor: the glossary covers technology, not the
 * travel, sports or daily-life sentences of these sets.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv } from '../core/config/env.js';
import type { Language } from '../core/domain/languages.js';
import { encoderFromEnv } from '../core/embeddings/from-env.js';
import { describeProvider } from '../core/embeddings/provider.js';
import { readEvalQueries, runEval, type EvalReport } from '../core/eval/run-eval.js';
import { Glossary } from '../core/glossary/glossary.js';
import { Matcher, type MatchMode } from '../core/retrieval/match.js';
import { openDb } from '../core/store/db.js';
import { ListingStore } from '../core/store/listing-store.js';
import { ingest } from '../ingest/ingest.js';
import { PRESETS } from '../ingest/presets/index.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const which = option('--set') ?? 'both';
const perLanguage = Number(option('--per-language') ?? 99);
const writeDir = option('--write');
const shared = '../shared/data';

interface Pair {
  id: string;
  english: string;
  language: Language;
  text: string;
}
interface SentenceSet {
  name: string;
  /** English sentences: the listings. */
  pool: Array<{ id: string; text: string }>;
  queries: Pair[];
}

function readTsv(file: string): Array<{ id: string; text: string }> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim())
    .map((line) => {
      const [id, , ...text] = line.split('\t');
      return { id: id!, text: text.join('\t').trim() };
    });
}

function sib200(): SentenceSet {
  const codes: Record<string, Language> = {
    ind_Latn: 'id', zsm_Latn: 'ms', tha_Thai: 'th', vie_Latn: 'vi', tgl_Latn: 'fil',
    khm_Khmr: 'km', lao_Laoo: 'lo', mya_Mymr: 'my', zho_Hans: 'zh',
  };
  const english = [...readTsv(`${shared}/sib200/eng_Latn/train.tsv`), ...readTsv(`${shared}/sib200/eng_Latn/dev.tsv`)];
  const byId = new Map(english.map((row) => [row.id, row.text]));
  const queries: Pair[] = [];
  for (const [code, language] of Object.entries(codes)) {
    for (const row of readTsv(`${shared}/sib200/${code}/dev.tsv`).slice(0, perLanguage)) {
      queries.push({ id: `sib-${row.id}`, english: byId.get(row.id)!, language, text: row.text });
    }
  }
  return { name: 'sib200', pool: english.map((row) => ({ id: `sib-${row.id}`, text: row.text })), queries };
}

function tatoeba(): SentenceSet {
  const codes: Record<string, Language> = { ind: 'id', zsm: 'ms', tha: 'th', vie: 'vi', tgl: 'fil', khm: 'km', cmn: 'zh' };
  const pool: Array<{ id: string; text: string }> = [];
  const queries: Pair[] = [];
  for (const [code, language] of Object.entries(codes)) {
    const base = `${shared}/tatoeba/tatoeba.${code}-eng`;
    const english = readFileSync(`${base}.eng`, 'utf8').split('\n');
    const other = readFileSync(`${base}.${code}`, 'utf8').split('\n');
    english.forEach((text, line) => {
      if (text.trim().length < 3 || !other[line]?.trim()) return;
      const id = `tatoeba-${code}-${line + 1}`;
      pool.push({ id, text: text.trim() });
      if (queries.filter((q) => q.language === language).length < perLanguage) {
        queries.push({ id, english: text.trim(), language, text: other[line]!.trim() });
      }
    });
  }
  return { name: 'tatoeba', pool, queries };
}

const env = readEnv();
const encoder = encoderFromEnv(env);
const glossary = Glossary.shared();
const modes: MatchMode[] = encoder ? ['lexical', 'concept', 'dense', 'hybrid'] : ['lexical', 'concept', 'hybrid'];
const out: string[] = [describeProvider(encoder), ''];
const sets = [which === 'sib200' || which === 'both' ? sib200 : undefined, which === 'tatoeba' || which === 'both' ? tatoeba : undefined];

for (const build of sets) {
  if (!build) continue;
  if (!existsSync(`${shared}/${build === sib200 ? 'sib200' : 'tatoeba'}`)) throw new Error(`${shared} is missing: see ../shared/data/README.md`);
  const set = build();
  const folder = writeDir ? join(writeDir, set.name) : mkdtempSync(join(tmpdir(), `jembatan-${set.name}-`));
  mkdirSync(folder, { recursive: true });
  const listings = join(folder, 'listings.jsonl');
  const queriesFile = join(folder, 'queries.jsonl');
  writeFileSync(
    listings,
    set.pool
      .map((row) =>
        JSON.stringify({
          external_id: row.id,
          source: set.name,
          kind: 'offer',
          title: row.text.slice(0, 300),
          // The summary must have 10 characters; the same prefix on every listing changes no ranking.
          summary: `English sentence: ${row.text}`,
          language: 'en',
          country: 'US',
          status: 'published',
        }),
      )
      .join('\n') + '\n',
  );
  writeFileSync(
    queriesFile,
    set.queries.map((q) => JSON.stringify({ qid: `${q.language}-${q.id}`, lang: q.language, query: q.text, relevant: { [q.id]: 2 } })).join('\n') + '\n',
  );
  const storeDir = join(folder, 'store');
  const store = await ListingStore.open(await openDb({ kind: 'pglite', dataDir: storeDir }));
  try {
    await store.assertModel(encoder ? { provider: encoder.provider, model: encoder.model, dimension: await encoder.dimension() } : { provider: 'none' });
    const summary = await ingest(listings, store, glossary, encoder, { preset: PRESETS.generic!, detectDuplicates: false });
    const queries = readEvalQueries(queriesFile);
    const matcher = new Matcher(store, glossary, encoder);
    const reports: EvalReport[] = [];
    for (const mode of modes) reports.push(await runEval(queries, matcher, store, { mode, k: 10 }));
    const languages = Object.keys(reports[0]!.byLanguage);
    out.push(`### ${set.name}: ${summary.added + summary.unchanged} English sentences as listings, ${queries.length} queries`, '');
    for (const metric of ['recallAt1', 'mrrAt10'] as const) {
      out.push(`#### ${metric.replace('At', '@')}`, '', `| mode | ${languages.join(' | ')} | all |`, `|---|${languages.map(() => '---').join('|')}|---|`);
      for (const report of reports) {
        out.push(`| ${report.mode} | ${languages.map((l) => report.byLanguage[l]![metric].toFixed(3)).join(' | ')} | **${report.overall[metric].toFixed(3)}** |`);
      }
      out.push('');
    }
    if (writeDir) {
      out.push('By hand:', '', '```sh', `JEMBATAN_DATA_DIR=${storeDir} npx jembatan eval ${queriesFile} --mode hybrid`, '```', '');
    }
  } finally {
    await store.close();
    if (!writeDir) rmSync(folder, { recursive: true, force: true });
  }
}
process.stdout.write(`${out.join('\n')}\n`);
