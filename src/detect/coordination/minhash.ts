import { mix32 } from "./text-normalise.js";

/** Hash functions in a signature: 32 bands of 2 rows (see `LSH_BANDS`). */
export const DEFAULT_MINHASH_SIZE = 64;

/**
 * MinHash signatures of shingle sets: for each of `size` seeded hash functions, the
 * smallest hash of any shingle. Two signatures agree at one position with probability
 * equal to the Jaccard similarity of the two sets. Seeded, so the same seed gives the
 * same signatures on every machine.
 */
export class MinHasher {
  readonly size: number;
  private readonly seeds: Uint32Array;

  constructor(size = DEFAULT_MINHASH_SIZE, seed = 1) {
    if (!Number.isInteger(size) || size < 1 || size > 1024) {
      throw new RangeError(`MinHash size must be an integer from 1 to 1024, not ${size}`);
    }
    this.size = size;
    this.seeds = new Uint32Array(size);
    let s = seed >>> 0;
    for (let i = 0; i < size; i++) {
      s = (s + 0x9e3779b9) >>> 0;
      this.seeds[i] = mix32(s);
    }
  }

  /**
   * Writes the signature of `shingles` (32-bit hashes) into `out` from `offset`. An
   * empty set gets all 0xffffffff, which matches no other signature by chance.
   */
  signature(shingles: Uint32Array, out: Uint32Array, offset = 0): void {
    const { size, seeds } = this;
    for (let k = 0; k < size; k++) out[offset + k] = 0xffffffff;
    for (let i = 0; i < shingles.length; i++) {
      const x = shingles[i] as number;
      for (let k = 0; k < size; k++) {
        // XOR with a seed then mix: a different, well-spread hash per position.
        const h = mix32(x ^ (seeds[k] as number));
        if (h < (out[offset + k] as number)) out[offset + k] = h;
      }
    }
  }
}

/** Exact Jaccard similarity of two sorted arrays of distinct numbers. */
export function jaccardSorted(
  a: ArrayLike<number>,
  aFrom: number,
  aTo: number,
  b: ArrayLike<number>,
  bFrom: number,
  bTo: number,
): number {
  let i = aFrom;
  let j = bFrom;
  let common = 0;
  while (i < aTo && j < bTo) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  const union = aTo - aFrom + (bTo - bFrom) - common;
  return union === 0 ? 0 : common / union;
}

/**
 * Whether the Jaccard similarity of two sorted arrays of distinct numbers is at least
 * `threshold`, stopping as soon as the answer is known: sets of too different sizes are
 * rejected at once, and a merge stops when the elements left cannot reach the shared
 * count needed. Most LSH candidates are far below the threshold, so this reads a fraction
 * of what `jaccardSorted` reads.
 */
export function jaccardAtLeast(
  a: ArrayLike<number>,
  aFrom: number,
  aTo: number,
  b: ArrayLike<number>,
  bFrom: number,
  bTo: number,
  threshold: number,
): boolean {
  const na = aTo - aFrom;
  const nb = bTo - bFrom;
  if (na === 0 || nb === 0) return false;
  if (Math.min(na, nb) < threshold * Math.max(na, nb)) return false;
  // |A ∩ B| / (|A| + |B| − |A ∩ B|) ≥ t  ⇔  |A ∩ B| ≥ t (|A| + |B|) / (1 + t).
  const needed = Math.ceil((threshold * (na + nb)) / (1 + threshold) - 1e-9);
  let i = aFrom;
  let j = bFrom;
  let common = 0;
  while (i < aTo && j < bTo) {
    if (common + Math.min(aTo - i, bTo - j) < needed) return false;
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return common >= needed;
}
