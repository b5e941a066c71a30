/**
 * Splits the domain set into a dev half (tune on it) and a held-out test half (report only), written next
 * to it as `<name>.dev.jsonl` and `<name>.test.jsonl`. Deterministic; the rule is documented in
 * docs/eval/README.md:
 *   1. start from qid parity: odd numbers (xx-01, xx-03, …) are dev, even numbers test;
 *   2. a grade-2 target used by two queries puts both queries in the same half (the half of the one that
 *      comes first in the file), so no target is tuned on in dev and then scored again in test;
 *   3. each language is brought back to 8 + 8 by moving its unpaired queries with the highest numbers.
 * Usage: npx tsx scripts/eval-split.ts [docs/eval/domain-needs.jsonl]
 */
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2] ?? 'docs/eval/domain-needs.jsonl';
const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim());
const queries = lines.map((line) => ({ line, ...(JSON.parse(line) as { qid: string; lang: string; relevant: Record<string, number> }) }));

const number = (qid: string) => Number(qid.split('-').pop());
const target = (q: (typeof queries)[number]) => Object.entries(q.relevant).find(([, grade]) => grade === 2)![0];

const half = new Map<string, 'dev' | 'test'>(queries.map((q) => [q.qid, number(q.qid) % 2 === 1 ? 'dev' : 'test']));
const byTarget = new Map<string, string[]>();
for (const q of queries) byTarget.set(target(q), [...(byTarget.get(target(q)) ?? []), q.qid]);
const paired = new Set<string>();
for (const qids of byTarget.values()) {
  if (qids.length < 2) continue;
  for (const qid of qids) {
    paired.add(qid);
    half.set(qid, half.get(qids[0]!)!);
  }
}
for (const language of [...new Set(queries.map((q) => q.lang))]) {
  const own = queries.filter((q) => q.lang === language);
  const want = own.length / 2;
  const free = own.filter((q) => !paired.has(q.qid)).sort((a, b) => number(b.qid) - number(a.qid));
  let dev = own.filter((q) => half.get(q.qid) === 'dev').length;
  for (const q of free) {
    if (dev > want && half.get(q.qid) === 'dev') {
      half.set(q.qid, 'test');
      dev--;
    } else if (dev < want && half.get(q.qid) === 'test') {
      half.set(q.qid, 'dev');
      dev++;
    }
  }
  if (dev !== want) throw new Error(`cannot balance ${language}: ${dev} dev queries`);
}

const base = file.replace(/\.jsonl$/, '');
for (const name of ['dev', 'test'] as const) {
  const chosen = queries.filter((q) => half.get(q.qid) === name);
  writeFileSync(`${base}.${name}.jsonl`, `${chosen.map((q) => q.line).join('\n')}\n`);
  process.stdout.write(`${base}.${name}.jsonl: ${chosen.length} queries: ${chosen.map((q) => q.qid).join(' ')}\n`);
}
const moved = queries.filter((q) => half.get(q.qid) !== (number(q.qid) % 2 === 1 ? 'dev' : 'test')).map((q) => q.qid);
process.stdout.write(`moved from parity: ${moved.join(' ')}\n`);
