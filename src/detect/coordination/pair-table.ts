/** Accounts an analysis can number: a pair key `a · 2²⁶ + b` must stay an exact double. */
export const MAX_PAIR_ACCOUNTS = 1 << 26;

/**
 * Sums per account pair in an open-addressing hash table over typed arrays: a weight and
 * a count of co-actions for each pair. Millions of pairs take tens of megabytes, where a
 * `Map` of objects would take gigabytes and most of the run time.
 */
export class PairTable {
  private keys: Float64Array;
  private weights: Float64Array;
  private counts: Int32Array;
  private mask: number;
  /** Pairs stored. */
  size = 0;

  constructor(capacity = 1 << 16) {
    let n = 16;
    while (n < capacity * 2) n <<= 1;
    this.keys = new Float64Array(n).fill(-1);
    this.weights = new Float64Array(n);
    this.counts = new Int32Array(n);
    this.mask = n - 1;
  }

  /** Adds `weight` and one co-action to the pair of accounts `a` and `b` (in any order). */
  add(a: number, b: number, weight: number): void {
    const key = a < b ? a * MAX_PAIR_ACCOUNTS + b : b * MAX_PAIR_ACCOUNTS + a;
    let slot = this.slotOf(key);
    for (;;) {
      const k = this.keys[slot] as number;
      if (k === key) break;
      if (k === -1) {
        this.keys[slot] = key;
        this.size++;
        if (this.size * 2 > this.keys.length) {
          this.grow();
          slot = this.slotOf(key);
          while (this.keys[slot] !== key) slot = (slot + 1) & this.mask;
        }
        break;
      }
      slot = (slot + 1) & this.mask;
    }
    this.weights[slot] = (this.weights[slot] as number) + weight;
    this.counts[slot] = (this.counts[slot] as number) + 1;
  }

  /** Calls `visit` for each pair (a < b) with its summed weight and co-action count. */
  forEach(visit: (a: number, b: number, weight: number, count: number) => void): void {
    for (let s = 0; s < this.keys.length; s++) {
      const key = this.keys[s] as number;
      if (key < 0) continue;
      const a = Math.floor(key / MAX_PAIR_ACCOUNTS);
      visit(a, key - a * MAX_PAIR_ACCOUNTS, this.weights[s] as number, this.counts[s] as number);
    }
  }

  /** The summed weight of a pair, 0 when absent. */
  weight(a: number, b: number): number {
    const key = a < b ? a * MAX_PAIR_ACCOUNTS + b : b * MAX_PAIR_ACCOUNTS + a;
    for (let slot = this.slotOf(key); ; slot = (slot + 1) & this.mask) {
      const k = this.keys[slot] as number;
      if (k === key) return this.weights[slot] as number;
      if (k === -1) return 0;
    }
  }

  private slotOf(key: number): number {
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 13;
    return h & this.mask;
  }

  private grow(): void {
    const { keys, weights, counts } = this;
    const n = keys.length * 2;
    this.keys = new Float64Array(n).fill(-1);
    this.weights = new Float64Array(n);
    this.counts = new Int32Array(n);
    this.mask = n - 1;
    for (let s = 0; s < keys.length; s++) {
      const key = keys[s] as number;
      if (key < 0) continue;
      let slot = this.slotOf(key);
      while (this.keys[slot] !== -1) slot = (slot + 1) & this.mask;
      this.keys[slot] = key;
      this.weights[slot] = weights[s] as number;
      this.counts[slot] = counts[s] as number;
    }
  }
}
