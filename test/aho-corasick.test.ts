import { describe, expect, it } from 'vitest';
import { AhoCorasick } from '../core/glossary/aho-corasick.js';

function naive(patterns: string[], text: string): string[] {
  const chars = [...text];
  const hits: string[] = [];
  for (let end = 1; end <= chars.length; end++) {
    for (const pattern of patterns) {
      const p = [...pattern];
      if (p.length <= end && chars.slice(end - p.length, end).join('') === pattern) hits.push(`${pattern}@${end - p.length}`);
    }
  }
  return hits.sort();
}

describe('AhoCorasick', () => {
  it('finds overlapping and nested patterns with code-point offsets', () => {
    const matcher = new AhoCorasick<string>();
    for (const p of ['he', 'she', 'his', 'hers', 'น้ำ', 'กรองน้ำ']) matcher.add(p, p);
    const hits = matcher.search('ushers กรองน้ำ').map((h) => `${h.value}@${h.start}`);
    expect(hits.sort()).toEqual(['he@2', 'hers@2', 'she@1', 'กรองน้ำ@7', 'น้ำ@11'].sort());
  });

  it('agrees with a naive search on random texts', () => {
    const alphabet = ['a', 'b', 'c', 'ក', 'ខ'];
    let seed = 1;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let round = 0; round < 50; round++) {
      const patterns = [...new Set(Array.from({ length: 8 }, () => word(1 + Math.floor(random() * 4))))];
      const matcher = new AhoCorasick<string>();
      for (const p of patterns) matcher.add(p, p);
      const text = word(60);
      expect(matcher.search(text).map((h) => `${h.value}@${h.start}`).sort()).toEqual(naive(patterns, text));
    }
  });

  it('reports every value registered for the same pattern', () => {
    const matcher = new AhoCorasick<number>();
    matcher.add('solar', 1);
    matcher.add('solar', 2);
    expect(matcher.search('solar').map((h) => h.value).sort()).toEqual([1, 2]);
  });
});
