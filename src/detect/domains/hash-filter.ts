/** Bits of filter per key: with two bits a key, about one absent key in fifty passes. */
export const FILTER_BITS_PER_KEY = 16;
/** Fibonacci hashing: the top bits of h × 2^32/φ pick the 32-bit word. */
const WORD_MULTIPLIER = 0x9e3779b1;
/** A second odd multiplier whose top ten bits pick the two bits inside that word. */
const BIT_MULTIPLIER = 0x85ebca6b;

/**
 * A blocked Bloom filter over 32-bit hashes: "certainly absent" or "maybe present".
 * Most look-ups of a candidate miss every index; answering them from a small bit array
 * that stays in the CPU cache avoids a cache miss into a large hash table each time.
 * Each key sets two bits of one 32-bit word, so a query reads one word (one cache line)
 * and an absent key passes about a third as often as with one bit per key.
 *
 * @example
 * const filter = new HashFilter(keys.map(hashString));
 * if (filter.has(hashString(label))) tokens = map.get(label); // else certainly absent
 */
export class HashFilter {
  private readonly words: Int32Array;
  private readonly shift: number;

  constructor(hashes: readonly number[], bitsPerKey = FILTER_BITS_PER_KEY) {
    let size = 1024;
    while (size < hashes.length * bitsPerKey) size *= 2;
    this.words = new Int32Array(size / 32);
    this.shift = 32 - Math.log2(size / 32);
    for (const h of hashes) {
      const w = Math.imul(h, WORD_MULTIPLIER) >>> this.shift;
      this.words[w] = (this.words[w] as number) | mask(h);
    }
  }

  /** False when `h` was certainly not added; true when it may have been. */
  has(h: number): boolean {
    const m = mask(h);
    return ((this.words[Math.imul(h, WORD_MULTIPLIER) >>> this.shift] as number) & m) === m;
  }

  /** Size of the bit array in bytes. */
  get bytes(): number {
    return this.words.byteLength;
  }
}

/** The two bits (possibly one, when both picks agree) a hash sets in its word. */
function mask(h: number): number {
  const r = Math.imul(h, BIT_MULTIPLIER);
  return (1 << (r >>> 27)) | (1 << ((r >>> 22) & 31));
}
