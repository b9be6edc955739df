import type { SeededRandom } from "./seeded-random.js";

/**
 * Draws indexes with probability proportional to their weights in constant time
 * (Vose's alias method): a million draws over fifty thousand accounts stay fast.
 */
export class AliasSampler {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  /** `weights` must be non-negative with a positive sum. */
  constructor(weights: readonly number[]) {
    const n = weights.length;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const sum = weights.reduce((s, w) => s + w, 0);
    const scaled = weights.map((w) => (w * n) / sum);
    const small: number[] = [];
    const large: number[] = [];
    for (const [i, p] of scaled.entries()) (p < 1 ? small : large).push(i);
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.prob[s] = scaled[s] as number;
      this.alias[s] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      ((scaled[l] as number) < 1 ? small : large).push(l);
    }
    // What is left has a share of 1 up to rounding.
    for (const i of [...small, ...large]) this.prob[i] = 1;
  }

  /** An index, drawn with `random`. */
  sample(random: SeededRandom): number {
    const i = random.int(this.prob.length);
    return random.next() < (this.prob[i] as number) ? i : (this.alias[i] as number);
  }
}
