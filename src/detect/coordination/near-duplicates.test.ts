import { describe, expect, it } from "vitest";
import { seededRandom } from "./coordination-features.js";
import { LSH_BANDS, writeBandKeys } from "./lsh.js";
import { jaccardAtLeast, jaccardSorted, MinHasher } from "./minhash.js";
import { findNearDuplicates, MAX_BUCKET_REPRESENTATIVES } from "./near-duplicates.js";
import type { CorpusColumns } from "./social-corpus.js";

const THRESHOLD = 0.5;

function randomSet(random: () => number, n: number): Uint32Array {
  const set = new Set<number>();
  while (set.size < n) set.add(Math.floor(random() * 2 ** 32));
  return Uint32Array.from(set).sort();
}

/** A copy of `base` keeping each element with probability `keep`, new ones for the rest. */
function variant(random: () => number, base: Uint32Array, keep: number): Uint32Array {
  const out = new Set<number>();
  for (const x of base) out.add(random() < keep ? x : Math.floor(random() * 2 ** 32));
  return Uint32Array.from(out).sort();
}

/** The columns the clustering reads, for shingle sets given directly. */
function columnsOf(sets: readonly Uint32Array[], keys?: Uint32Array): CorpusColumns {
  const n = sets.length;
  const shingleStart = new Int32Array(n + 1);
  sets.forEach((s, i) => {
    shingleStart[i + 1] = (shingleStart[i] as number) + s.length;
  });
  const shingles = new Uint32Array(shingleStart[n] as number);
  sets.forEach((s, i) => {
    shingles.set(s, shingleStart[i] as number);
  });
  let bandKeys = keys;
  if (bandKeys === undefined) {
    const hasher = new MinHasher(LSH_BANDS * 2, 3);
    const sig = new Uint32Array(hasher.size);
    bandKeys = new Uint32Array(n * LSH_BANDS);
    for (let i = 0; i < n; i++) {
      hasher.signature(sets[i] as Uint32Array, sig);
      writeBandKeys(sig, 0, bandKeys, i * LSH_BANDS);
    }
  }
  const none = new Int32Array(0);
  return {
    accounts: 0,
    posts: n,
    accountCreated: new Float64Array(0),
    postAccount: new Int32Array(n),
    postTime: Float64Array.from({ length: n }, (_, i) => i * 1000),
    repostOf: new Int32Array(n).fill(-1),
    urlStart: new Int32Array(n + 1),
    urlRefs: none,
    domainRefs: none,
    hashtagStart: new Int32Array(n + 1),
    hashtagRefs: none,
    shingleStart,
    shingles,
    bandKeys,
    comparable: new Uint8Array(n).fill(1),
  };
}

/** Families of near-duplicates (light and heavy edits of a base, edits of edits) and noise. */
function families(seed: number): Uint32Array[] {
  const random = seededRandom(seed);
  const sets: Uint32Array[] = [];
  for (let f = 0; f < 60; f++) {
    const base = randomSet(random, 12 + Math.floor(random() * 40));
    let last = base;
    sets.push(base);
    const size = 2 + Math.floor(random() * 25);
    for (let k = 0; k < size; k++) {
      // Drift: some copies edit the previous copy rather than the base, making chains.
      const from = random() < 0.3 ? last : base;
      last = variant(random, from, 0.6 + random() * 0.4);
      sets.push(last);
    }
  }
  for (let i = 0; i < 400; i++) sets.push(randomSet(random, 10 + Math.floor(random() * 40)));
  // Shuffle, so families are spread over the input like posts over time.
  for (let i = sets.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sets[i], sets[j]] = [sets[j] as Uint32Array, sets[i] as Uint32Array];
  }
  return sets;
}

const jaccard = (a: Uint32Array, b: Uint32Array) => jaccardSorted(a, 0, a.length, b, 0, b.length);

describe("findNearDuplicates", () => {
  it.each([1, 2, 3, 4, 5])(
    "puts every exact pair with Jaccard ≥ 0.5 in one component (seed %i)",
    (seed) => {
      const sets = families(seed);
      const near = findNearDuplicates(columnsOf(sets), THRESHOLD);
      let pairs = 0;
      for (let i = 0; i < sets.length; i++)
        for (let j = i + 1; j < sets.length; j++) {
          if (jaccard(sets[i] as Uint32Array, sets[j] as Uint32Array) < THRESHOLD) continue;
          pairs++;
          expect(near.componentOf[i], `pair ${i}, ${j}`).toBe(near.componentOf[j]);
        }
      expect(pairs).toBeGreaterThan(500);
    },
  );

  it.each([1, 2, 3])(
    "joins only near-duplicates, and leader clusters do not chain (seed %i)",
    (seed) => {
      const sets = families(seed);
      const near = findNearDuplicates(columnsOf(sets), THRESHOLD);
      const byComponent = new Map<number, number[]>();
      const byCluster = new Map<number, number[]>();
      sets.forEach((_, i) => {
        const r = near.componentOf[i] as number;
        byComponent.set(r, [...(byComponent.get(r) ?? []), i]);
        const k = near.clusterOf[i] as number;
        if (k >= 0) byCluster.set(k, [...(byCluster.get(k) ?? []), i]);
      });
      // Each member of a component has a near-duplicate in it: no post is joined by chance.
      for (const members of byComponent.values()) {
        if (members.length < 2) continue;
        for (const i of members)
          expect(
            members.some(
              (j) =>
                j !== i && jaccard(sets[i] as Uint32Array, sets[j] as Uint32Array) >= THRESHOLD,
            ),
          ).toBe(true);
      }
      // Each cluster has a leader that every other member is a near-duplicate of.
      expect(byCluster.size).toBe(near.clusters);
      for (const members of byCluster.values()) {
        const leader = members.find((l) =>
          members.every(
            (m) => m === l || jaccard(sets[l] as Uint32Array, sets[m] as Uint32Array) >= THRESHOLD,
          ),
        );
        expect(leader).toBeDefined();
        // A cluster lies inside one component.
        expect(new Set(members.map((m) => near.componentOf[m])).size).toBe(1);
      }
    },
  );

  it("joins thousands of copies of one text although all their buckets are oversized", () => {
    const random = seededRandom(9);
    const text = randomSet(random, 30);
    const n = 20_000;
    const sets = Array.from({ length: n }, () => text);
    const near = findNearDuplicates(columnsOf(sets), THRESHOLD);
    expect(near.components).toBe(1);
    expect(near.clusters).toBe(1);
    expect(new Set(near.componentOf).size).toBe(1);
    // Linear: each copy is checked against a representative once, not against each copy.
    expect(near.candidatePairs).toBeLessThanOrEqual(n);
  });

  it("stays linear in a huge bucket of unrelated posts", () => {
    const random = seededRandom(10);
    const counts = [5_000, 10_000].map((n) => {
      const sets = Array.from({ length: n }, () => randomSet(random, 30));
      // Every post in the same bucket of every band: the worst case for an LSH index.
      const near = findNearDuplicates(
        columnsOf(sets, new Uint32Array(n * LSH_BANDS).fill(7)),
        THRESHOLD,
      );
      expect(near.components).toBe(0);
      expect(near.candidatePairs).toBeLessThanOrEqual(n * LSH_BANDS * MAX_BUCKET_REPRESENTATIVES);
      return near.candidatePairs;
    });
    // Twice the posts, about twice the checks (a quadratic pass would make it four times).
    expect((counts[1] as number) / (counts[0] as number)).toBeLessThan(2.5);
  });
});

describe("jaccardAtLeast", () => {
  it("agrees with the exact Jaccard similarity on random sets (seeded)", () => {
    const random = seededRandom(21);
    for (let trial = 0; trial < 2_000; trial++) {
      const a = randomSet(random, 1 + Math.floor(random() * 40));
      const b =
        random() < 0.2
          ? randomSet(random, 1 + Math.floor(random() * 40))
          : variant(random, a, random());
      const t = [0.3, 0.5, 0.8][trial % 3] as number;
      expect(jaccardAtLeast(a, 0, a.length, b, 0, b.length, t)).toBe(jaccard(a, b) >= t);
    }
  });
});
