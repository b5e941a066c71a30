import { createHash } from 'node:crypto';
import hnswlib from 'hnswlib-node';
import { terms } from '../core/text/segment.js';

const DIMENSION = 512;

/** A fingerprint of a listing's wording: hashed term frequencies (sublinear), L2-normalised. */
export function wordingVector(text: string, locale: string): number[] {
  const vector = new Array<number>(DIMENSION).fill(0);
  const counts = new Map<string, number>();
  for (const term of terms(text, locale)) counts.set(term, (counts.get(term) ?? 0) + 1);
  for (const [term, count] of counts) {
    const digest = createHash('md5').update(term).digest();
    const slot = digest.readUInt32LE(0) % DIMENSION;
    const sign = digest[4]! & 1 ? 1 : -1;
    vector[slot]! += sign * (1 + Math.log(count));
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

export interface DuplicateCandidate {
  id: number;
  label: string;
  vector: number[];
}

export interface DuplicatePair {
  listingId: number;
  duplicateOf: number;
  similarity: number;
  label: string;
  duplicateLabel: string;
}

/**
 * Near-duplicate detection with an in-memory HNSW index (hnswlib-node): each listing's nearest neighbours
 * by wording; pairs above the threshold are reported, later id first ("listing X duplicates earlier Y").
 */
export function findNearDuplicates(items: DuplicateCandidate[], threshold = 0.9, neighbours = 5): DuplicatePair[] {
  if (items.length < 2) return [];
  const index = new hnswlib.HierarchicalNSW('cosine', DIMENSION);
  index.initIndex({ maxElements: items.length, m: 16, efConstruction: 100, randomSeed: 7 });
  index.setEf(64);
  items.forEach((item, position) => index.addPoint(item.vector, position));
  const pairs = new Map<string, DuplicatePair>();
  items.forEach((item, position) => {
    const { neighbors, distances } = index.searchKnn(item.vector, Math.min(neighbours + 1, items.length));
    neighbors.forEach((other, k) => {
      if (other === position) return;
      const similarity = 1 - distances[k]!;
      if (similarity < threshold) return;
      const a = items[position]!;
      const b = items[other]!;
      if (a.id === b.id) return;
      const [later, earlier] = a.id > b.id ? [a, b] : [b, a];
      const key = `${later.id}:${earlier.id}`;
      if (!pairs.has(key)) {
        pairs.set(key, {
          listingId: later.id,
          duplicateOf: earlier.id,
          similarity: Math.round(similarity * 1000) / 1000,
          label: later.label,
          duplicateLabel: earlier.label,
        });
      }
    });
  });
  return [...pairs.values()].sort((x, y) => y.similarity - x.similarity || x.listingId - y.listingId);
}
