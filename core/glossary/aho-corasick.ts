/**
 * Aho–Corasick multi-pattern matcher over Unicode code points: finds every occurrence of tens of thousands
 * of glossary labels in one pass over a text. No npm package for this is maintained, and the algorithm is
 * small and fully covered by tests (test/glossary.test.ts).
 */
interface Node {
  next: Map<string, number>;
  fail: number;
  /** Indexes of patterns ending at this node (including those reached through failure links). */
  outputs: number[];
  depth: number;
}

export interface PatternHit<T> {
  value: T;
  /** Code-point offsets in the searched text, end exclusive. */
  start: number;
  end: number;
}

export class AhoCorasick<T> {
  private readonly nodes: Node[] = [{ next: new Map(), fail: 0, outputs: [], depth: 0 }];
  private readonly values: T[] = [];
  private readonly lengths: number[] = [];
  private built = false;

  add(pattern: string, value: T): void {
    if (this.built) throw new Error('AhoCorasick: add() after build()');
    const chars = [...pattern];
    if (chars.length === 0) return;
    let state = 0;
    for (const char of chars) {
      const node = this.nodes[state]!;
      let child = node.next.get(char);
      if (child === undefined) {
        child = this.nodes.length;
        this.nodes.push({ next: new Map(), fail: 0, outputs: [], depth: node.depth + 1 });
        node.next.set(char, child);
      }
      state = child;
    }
    this.nodes[state]!.outputs.push(this.values.length);
    this.values.push(value);
    this.lengths.push(chars.length);
  }

  build(): this {
    const queue: number[] = [];
    for (const child of this.nodes[0]!.next.values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const node = this.nodes[state]!;
      for (const [char, child] of node.next) {
        let fail = node.fail;
        while (fail !== 0 && !this.nodes[fail]!.next.has(char)) fail = this.nodes[fail]!.fail;
        const target = this.nodes[fail]!.next.get(char);
        const childNode = this.nodes[child]!;
        childNode.fail = target !== undefined && target !== child ? target : 0;
        childNode.outputs.push(...this.nodes[childNode.fail]!.outputs);
        queue.push(child);
      }
    }
    this.built = true;
    return this;
  }

  /** Every occurrence of every pattern in `text`. */
  search(text: string): PatternHit<T>[] {
    if (!this.built) this.build();
    const chars = [...text];
    const hits: PatternHit<T>[] = [];
    let state = 0;
    for (let i = 0; i < chars.length; i++) {
      const char = chars[i]!;
      while (state !== 0 && !this.nodes[state]!.next.has(char)) state = this.nodes[state]!.fail;
      state = this.nodes[state]!.next.get(char) ?? 0;
      for (const output of this.nodes[state]!.outputs) {
        const length = this.lengths[output]!;
        hits.push({ value: this.values[output]!, start: i + 1 - length, end: i + 1 });
      }
    }
    return hits;
  }

  get size(): number {
    return this.values.length;
  }
}
