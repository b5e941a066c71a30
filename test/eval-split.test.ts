import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEvalQueries } from '../core/eval/run-eval.js';

/** The dev / held-out test split of the domain set (scripts/eval-split.ts, docs/eval/README.md). */
const all = readEvalQueries('docs/eval/domain-needs.jsonl');
const dev = readEvalQueries('docs/eval/domain-needs.dev.jsonl');
const test = readEvalQueries('docs/eval/domain-needs.test.jsonl');
const target = (q: (typeof all)[number]) => Object.entries(q.relevant).find(([, grade]) => grade === 2)![0];

describe('domain set split', () => {
  it('cuts the 160 needs into two halves of 80, 8 + 8 per language, without overlap', () => {
    expect(all).toHaveLength(160);
    expect(dev).toHaveLength(80);
    expect(test).toHaveLength(80);
    const devIds = new Set(dev.map((q) => q.qid));
    expect(test.some((q) => devIds.has(q.qid))).toBe(false);
    expect(new Set([...dev, ...test].map((q) => q.qid))).toEqual(new Set(all.map((q) => q.qid)));
    for (const language of new Set(all.map((q) => q.lang))) {
      expect(dev.filter((q) => q.lang === language), language).toHaveLength(8);
      expect(test.filter((q) => q.lang === language), language).toHaveLength(8);
    }
  });

  it('keeps the lines unchanged and never scores a dev target again in test', () => {
    const lines = new Set(readFileSync('docs/eval/domain-needs.jsonl', 'utf8').split('\n').filter(Boolean));
    for (const half of ['dev', 'test']) {
      for (const line of readFileSync(`docs/eval/domain-needs.${half}.jsonl`, 'utf8').split('\n').filter(Boolean)) {
        expect(lines.has(line)).toBe(true);
      }
    }
    const devTargets = new Set(dev.map(target));
    expect(test.filter((q) => devTargets.has(target(q))).map((q) => q.qid)).toEqual([]);
  });

  it('starts from qid parity: odd numbers are dev unless a shared target or the balance moved them', () => {
    const moved = all.filter((q) => (Number(q.qid.split('-')[1]) % 2 === 1) !== dev.some((d) => d.qid === q.qid));
    // Only Khmer, Lao and Burmese needs move (they share most targets with other languages).
    expect(new Set(moved.map((q) => q.lang))).toEqual(new Set(['km', 'lo', 'my']));
    expect(moved.length).toBeLessThanOrEqual(16);
  });
});
