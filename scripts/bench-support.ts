/**
 * Shared by the benchmark scripts (scripts/bench.ts, scripts/bench-vector-index.ts): number formatting,
 * percentiles, environment knobs and seeded randomness, so runs are reproducible.
 */

import { loadavg } from 'node:os';

/** When the script started (for `note`). */
export const started = performance.now();

/** Progress on stderr, with elapsed seconds and the load average (the figures depend on it). */
export function note(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(0).padStart(5);
  process.stderr.write(`[${seconds} s, load ${loadavg()[0]!.toFixed(1)}] ${message}\n`);
}

/** A line of the report on stdout. */
export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const int = (value: number) => Math.round(value).toLocaleString('en-US');
export const mb = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 1024 / 1024).toFixed(1) : 'n/a');

/** Nearest-rank percentile (p in 0..100); NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** A whole-number environment variable, or the fallback when unset; anything else is an error. */
export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

/** Seeded 32-bit generator (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  private spare: number | undefined;
  constructor(private readonly next: () => number) {}
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** Standard normal (Box–Muller, the second value kept for the next call). */
  gaussian(): number {
    if (this.spare !== undefined) {
      const value = this.spare;
      this.spare = undefined;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** A unit vector written into `target`: `base` (if any) plus gaussian noise of total norm ≈ `noise` (or pure noise). */
export function randomUnitInto(target: Float32Array, random: Random, base: Float32Array | undefined, noise: number): void {
  const dimension = target.length;
  const sigma = base ? noise / Math.sqrt(dimension) : 1;
  let norm = 0;
  for (let i = 0; i < dimension; i++) {
    const x = (base ? base[i]! : 0) + sigma * random.gaussian();
    target[i] = x;
    norm += x * x;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < dimension; i++) target[i] = target[i]! / norm;
}
