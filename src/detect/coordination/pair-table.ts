import { HashFilter } from "../domains/hash-filter.js";

/** Accounts an analysis can number: a pair key `a · 2²⁶ + b` must stay an exact double. */
export const MAX_PAIR_ACCOUNTS = 1 << 26;

/** Doubles per slot: the pair's key (−1 when empty), its summed weight, its count. */
const STRIDE = 3;

/**
 * Sums per account pair in an open-addressing hash table over typed arrays: a weight and
 * a count of co-actions for each pair. Millions of pairs take tens of megabytes, where a
 * `Map` of objects would take gigabytes and most of the run time. A slot's key, weight
 * and count sit side by side, so an update touches one cache line, not three: past a few
 * million pairs the table is far bigger than the CPU cache and every update is a miss.
 * `clear` keeps the capacity, so one table serves several passes without growing again
 * (each growth is a large allocation, and large allocations make V8 collect garbage).
 */
export class PairTable {
  private slots: Float64Array;
  private mask: number;
  /** Pairs stored. */
  size = 0;

  constructor(capacity = 1 << 16) {
    let n = 16;
    while (n < capacity * 2) n <<= 1;
    this.slots = emptySlots(n);
    this.mask = n - 1;
  }

  /** Adds `weight` and one co-action to the pair of accounts `a` and `b` (in any order). */
  add(a: number, b: number, weight: number): void {
    const key = a < b ? a * MAX_PAIR_ACCOUNTS + b : b * MAX_PAIR_ACCOUNTS + a;
    const slots = this.slots;
    let at = this.slotOf(key) * STRIDE;
    for (;;) {
      const k = slots[at] as number;
      if (k === key) break;
      if (k === -1) {
        slots[at] = key;
        this.size++;
        if (this.size * 2 > this.mask + 1) {
          // The new table holds the key (weight 0): the call finds it and adds to it.
          this.grow();
          this.add(a, b, weight);
          return;
        }
        break;
      }
      at = at + STRIDE > this.mask * STRIDE ? 0 : at + STRIDE;
    }
    slots[at + 1] = (slots[at + 1] as number) + weight;
    slots[at + 2] = (slots[at + 2] as number) + 1;
  }

  /** Calls `visit` for each pair (a < b) with its summed weight and co-action count. */
  forEach(visit: (a: number, b: number, weight: number, count: number) => void): void {
    const slots = this.slots;
    for (let at = 0; at < slots.length; at += STRIDE) {
      const key = slots[at] as number;
      if (key < 0) continue;
      const a = Math.floor(key / MAX_PAIR_ACCOUNTS);
      visit(a, key - a * MAX_PAIR_ACCOUNTS, slots[at + 1] as number, slots[at + 2] as number);
    }
  }

  /** The summed weight of a pair, 0 when absent. */
  weight(a: number, b: number): number {
    const key = a < b ? a * MAX_PAIR_ACCOUNTS + b : b * MAX_PAIR_ACCOUNTS + a;
    const slots = this.slots;
    for (let at = this.slotOf(key) * STRIDE; ; ) {
      const k = slots[at] as number;
      if (k === key) return slots[at + 1] as number;
      if (k === -1) return 0;
      at = at + STRIDE > this.mask * STRIDE ? 0 : at + STRIDE;
    }
  }

  /** Removes every pair, keeping the table's capacity for the next pass. */
  clear(): void {
    if (this.size === 0) return;
    for (let at = 0; at < this.slots.length; at += STRIDE) {
      this.slots[at] = -1;
      this.slots[at + 1] = 0;
      this.slots[at + 2] = 0;
    }
    this.size = 0;
  }

  private slotOf(key: number): number {
    return pairHash(key) & this.mask;
  }

  private grow(): void {
    const old = this.slots;
    const n = (this.mask + 1) * 2;
    this.slots = emptySlots(n);
    this.mask = n - 1;
    for (let from = 0; from < old.length; from += STRIDE) {
      const key = old[from] as number;
      if (key < 0) continue;
      let at = this.slotOf(key) * STRIDE;
      while (this.slots[at] !== -1) at = at + STRIDE > this.mask * STRIDE ? 0 : at + STRIDE;
      this.slots[at] = key;
      this.slots[at + 1] = old[from + 1] as number;
      this.slots[at + 2] = old[from + 2] as number;
    }
  }
}

/** `n` empty slots: keys −1, weights and counts 0. */
function emptySlots(n: number): Float64Array {
  const slots = new Float64Array(n * STRIDE);
  for (let at = 0; at < slots.length; at += STRIDE) slots[at] = -1;
  return slots;
}

/** A 32-bit hash of a pair key `a · 2²⁶ + b`. */
function pairHash(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * The pairs of some tables with at least `minCount` co-actions, as a filter that stays in
 * the CPU cache: "certainly not one of them" or "maybe" (a few percent of other pairs
 * pass). A null replicate that only serves as the reference for those pairs adds just
 * the co-actions the filter passes, and still gets every co-action of every such pair.
 */
export class PairFilter {
  private readonly filter: HashFilter;

  constructor(tables: readonly PairTable[], minCount: number) {
    const hashes: number[] = [];
    for (const table of tables) {
      table.forEach((a, b, _w, n) => {
        if (n >= minCount) hashes.push(pairHash(a * MAX_PAIR_ACCOUNTS + b));
      });
    }
    this.filter = new HashFilter(hashes);
  }

  /** False when the pair of `a` and `b` (in any order) is certainly not held. */
  has(a: number, b: number): boolean {
    return this.filter.has(pairHash(a < b ? a * MAX_PAIR_ACCOUNTS + b : b * MAX_PAIR_ACCOUNTS + a));
  }
}
