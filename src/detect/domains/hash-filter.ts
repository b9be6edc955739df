/** Bits of filter per key: at 16, about one absent key in seventeen passes. */
export const FILTER_BITS_PER_KEY = 16;
/** Fibonacci hashing: the top bits of h × 2^32/φ pick the bit. */
const MULTIPLIER = 0x9e3779b1;

/**
 * A one-hash Bloom filter over 32-bit hashes: "certainly absent" or "maybe present".
 * Most look-ups of a candidate miss every index; answering them from a small bit array
 * that stays in the CPU cache avoids a cache miss into a large hash table each time.
 *
 * @example
 * const filter = new HashFilter(keys.map(hashString));
 * if (filter.has(hashString(label))) tokens = map.get(label); // else certainly absent
 */
export class HashFilter {
  private readonly bits: Int32Array;
  private readonly shift: number;

  constructor(hashes: readonly number[], bitsPerKey = FILTER_BITS_PER_KEY) {
    let size = 1024;
    while (size < hashes.length * bitsPerKey) size *= 2;
    this.bits = new Int32Array(size / 32);
    this.shift = 32 - Math.log2(size);
    for (const h of hashes) {
      const bit = Math.imul(h, MULTIPLIER) >>> this.shift;
      this.bits[bit >>> 5] = (this.bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
  }

  /** False when `h` was certainly not added; true when it may have been. */
  has(h: number): boolean {
    const bit = Math.imul(h, MULTIPLIER) >>> this.shift;
    return ((this.bits[bit >>> 5] as number) & (1 << (bit & 31))) !== 0;
  }

  /** Size of the bit array in bytes. */
  get bytes(): number {
    return this.bits.byteLength;
  }
}
