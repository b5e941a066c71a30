import { describe, expect, it } from 'vitest';
import { fuseRankings } from '../core/retrieval/fusion.js';
import { isStopword } from '../core/retrieval/stopwords.js';

const params = { k: 1, weights: { lexical: 1, concept: 1, dense: 1 } };

describe('reciprocal-rank fusion', () => {
  it('ranks a listing found by both signals above one found by a single signal', () => {
    const fused = fuseRankings({ lexical: [1, 2, 3], concept: [3, 4, 5] }, params);
    expect(fused[0]!.listingId).toBe(3);
    expect(fused[0]!.ranks).toEqual({ lexical: 3, concept: 1 });
    expect(fused[0]!.score).toBeGreaterThan(0);
    expect(fused[0]!.score).toBeLessThanOrEqual(1);
  });

  it('gives listings a signal scores equally the mean rank of their group', () => {
    // Concept scores are flat: 10, 11 and 12 share one concept. Lexical alone must decide their order.
    const rankings = { concept: [10, 11, 12], lexical: [12, 11, 10] };
    const flat = fuseRankings(rankings, params, { concept: [2, 2, 2], lexical: [9, 5, 1] });
    expect(flat.map((entry) => entry.listingId)).toEqual([12, 11, 10]);
    // Without scores the arbitrary concept order counts as evidence: 10 ties with 12.
    const arbitrary = fuseRankings(rankings, params);
    expect(arbitrary.slice(0, 2).map((entry) => entry.listingId).sort()).toEqual([10, 12]);
    expect(arbitrary[0]!.score).toBeCloseTo(arbitrary[1]!.score);
  });

  it('leaves out a signal of weight 0', () => {
    const fused = fuseRankings({ lexical: [1], concept: [2] }, { k: 1, weights: { lexical: 1, concept: 0, dense: 1 } });
    expect(fused.map((entry) => entry.listingId)).toEqual([1]);
  });
});

describe('lexical stop words', () => {
  it('drops function words of the query language and, in Latin-script languages, English ones', () => {
    expect(isStopword('the', 'en')).toBe(true);
    expect(isStopword('yang', 'id')).toBe(true);
    expect(isStopword('cua', 'vi')).toBe(true); // "của", folded
    expect(isStopword('can', 'vi')).toBe(true); // English "can" inside Vietnamese text meets English listings by accident
    expect(isStopword('sensor', 'en')).toBe(false);
    expect(isStopword('nuoc', 'vi')).toBe(false); // "nước", water
    expect(isStopword('tubig', 'fil')).toBe(false);
  });
});
