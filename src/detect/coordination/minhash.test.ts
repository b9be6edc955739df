import { describe, expect, it } from "vitest";
import { seededRandom } from "./coordination-features.js";
import { forEachCandidatePair, LSH_BANDS, writeBandKeys } from "./lsh.js";
import { jaccardSorted, MinHasher } from "./minhash.js";

/** A random sorted set of `n` distinct values below 2³². */
function randomSet(random: () => number, n: number): Uint32Array {
  const set = new Set<number>();
  while (set.size < n) set.add(Math.floor(random() * 2 ** 32));
  return Uint32Array.from(set).sort();
}

/** A copy of `base` with a share `keep` of it and new values for the rest. */
function variant(random: () => number, base: Uint32Array, keep: number): Uint32Array {
  const out = new Set<number>();
  for (const x of base) out.add(random() < keep ? x : Math.floor(random() * 2 ** 32));
  return Uint32Array.from(out).sort();
}

describe("MinHash", () => {
  it("estimates Jaccard similarity without bias (seeded sets)", () => {
    const random = seededRandom(42);
    const hasher = new MinHasher(256, 7);
    let error = 0;
    for (let trial = 0; trial < 50; trial++) {
      const a = randomSet(random, 40);
      const b = variant(random, a, random());
      const exact = jaccardSorted(a, 0, a.length, b, 0, b.length);
      const sa = new Uint32Array(256);
      const sb = new Uint32Array(256);
      hasher.signature(a, sa);
      hasher.signature(b, sb);
      let agree = 0;
      for (let k = 0; k < 256; k++) if (sa[k] === sb[k]) agree++;
      error += agree / 256 - exact;
    }
    expect(Math.abs(error / 50)).toBeLessThan(0.03);
  });

  it("is deterministic for a seed", () => {
    const set = Uint32Array.from([1, 5, 9]);
    const x = new Uint32Array(64);
    const y = new Uint32Array(64);
    new MinHasher(64, 3).signature(set, x);
    new MinHasher(64, 3).signature(set, y);
    expect([...x]).toEqual([...y]);
  });
});

describe("LSH banding", () => {
  it("finds almost every pair above the threshold and is exact-checked by the caller", () => {
    const random = seededRandom(9);
    const hasher = new MinHasher(LSH_BANDS * 2, 1);
    const sets: Uint32Array[] = [];
    for (let g = 0; g < 100; g++) {
      const base = randomSet(random, 30);
      sets.push(base, variant(random, base, 0.8));
    }
    for (let i = 0; i < 300; i++) sets.push(randomSet(random, 30));
    const n = sets.length;
    const keys = new Uint32Array(n * LSH_BANDS);
    const sig = new Uint32Array(hasher.size);
    sets.forEach((s, i) => {
      hasher.signature(s, sig);
      writeBandKeys(sig, 0, keys, i * LSH_BANDS);
    });
    const found = new Set<string>();
    forEachCandidatePair(keys, n, new Uint8Array(n).fill(1), (i, j) => found.add(`${i},${j}`));
    let wanted = 0;
    let hit = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const a = sets[i] as Uint32Array;
        const b = sets[j] as Uint32Array;
        if (jaccardSorted(a, 0, a.length, b, 0, b.length) >= 0.5) {
          wanted++;
          if (found.has(`${i},${j}`)) hit++;
        }
      }
    expect(wanted).toBeGreaterThanOrEqual(95);
    expect(hit / wanted).toBeGreaterThanOrEqual(0.99);
    // Random pairs share a band rarely: far fewer candidates than all pairs.
    expect(found.size).toBeLessThan((n * (n - 1)) / 2 / 50);
  });

  it("pairs a huge bucket of identical posts as a chain, not all with all", () => {
    const n = 5_000;
    const keys = new Uint32Array(n * LSH_BANDS).fill(12345);
    let pairs = 0;
    forEachCandidatePair(keys, n, new Uint8Array(n).fill(1), () => pairs++);
    expect(pairs).toBe((n - 1) * LSH_BANDS);
  });
});
