import { forEachBucket, LSH_BANDS, MAX_BUCKET_PAIRS_SIZE } from "./lsh.js";
import { jaccardAtLeast, jaccardSorted } from "./minhash.js";
import type { CorpusColumns } from "./social-corpus.js";
import { mix32 } from "./text-normalise.js";

/**
 * Representatives an oversized bucket keeps: each later post of the bucket is compared
 * with these rather than with every other post, so a bucket of n posts costs at most
 * n × this many Jaccard checks instead of n²/2.
 */
export const MAX_BUCKET_REPRESENTATIVES = 3;
/**
 * Slots of the table of recent cluster leaders per LSH bucket (a lossy cache: a newer
 * leader takes an older one's slot). It bounds the memory of text clustering to 32 MB
 * whatever the corpus size; a post whose leader was evicted starts a new cluster, which
 * splits a text's copies posted far apart in time but never joins unrelated texts.
 */
export const MAX_LEADER_SLOTS = 1 << 22;

/**
 * Slots of the table of pairs checked and found below the threshold (16 MB). It only
 * saves repeated checks: a pair evicted from it is checked again, never lost.
 */
export const MAX_FAILED_PAIR_SLOTS = 1 << 22;

/**
 * Leaders a post is checked against when it is clustered: the ones agreeing with it in
 * most LSH bands. Bounds the exact checks of the clustering pass to this many per post.
 */
export const MAX_LEADER_CHECKS = 2;

/** Near-duplicate texts of a corpus, as two groupings of its posts. */
export interface NearDuplicates {
  /**
   * Connected components of verified near-duplicate pairs (union-find): the root post of
   * each post's component, the post itself when it has no near-duplicate. Chains of
   * similar texts join here, so a component can be huge; it is what the LSH quality
   * measure checks (every pair at or above the threshold should share a component).
   */
  componentOf: Int32Array;
  components: number;
  /**
   * Leader clusters, the keys of text co-posting and the seeds of narratives: each post
   * joins the cluster of a recent earlier post (its leader) that it is itself similar
   * to, or leads a new one. Every member is within the threshold of its leader, so
   * clusters do not chain: a campaign's paraphrases form their own clusters however many
   * ordinary posts resemble each other. −1 for a post in no cluster of two or more.
   */
  clusterOf: Int32Array;
  clusters: number;
  /** Exact Jaccard checks made. */
  candidatePairs: number;
  /** Checks at or above the threshold. */
  nearDuplicatePairs: number;
}

/**
 * Finds near-duplicate texts (exact Jaccard of shingle sets ≥ `threshold`) among the
 * comparable posts of a corpus, from their LSH band keys, in time near-linear in the
 * posts: buckets of up to `MAX_BUCKET_PAIRS_SIZE` posts are checked all with all, bigger
 * ones through `MAX_BUCKET_REPRESENTATIVES` representatives of the components formed so
 * far; then each post, in `order` (time order), is clustered with its buckets' leaders.
 *
 * @example
 * const { clusterOf } = findNearDuplicates(corpus.columns(), 0.5);
 */
export function findNearDuplicates(
  c: CorpusColumns,
  threshold: number,
  order?: Int32Array,
  onBand?: (band: number) => void,
): NearDuplicates {
  const n = c.posts;
  const start = c.shingleStart;
  const jaccard = (i: number, j: number) =>
    jaccardSorted(
      c.shingles,
      start[i] as number,
      start[i + 1] as number,
      c.shingles,
      start[j] as number,
      start[j + 1] as number,
    );
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    let x = i;
    while (parent[x] !== x) {
      const up = parent[parent[x] as number] as number;
      parent[x] = up;
      x = up;
    }
    return x;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra < rb) parent[rb] = ra;
    else if (rb < ra) parent[ra] = rb;
  };
  let candidatePairs = 0;
  let nearDuplicatePairs = 0;
  // Pairs already checked and found apart. A pair of moderately similar texts shares
  // several bands and would be checked once per band; a lossy table of failed pairs
  // (a 32-bit tag per slot, the newest wins) skips the repeats in bounded memory.
  const failedTag = new Uint32Array(MAX_FAILED_PAIR_SLOTS);
  const failedMask = MAX_FAILED_PAIR_SLOTS - 1;
  const check = (i: number, j: number): boolean => {
    const h = mix32((Math.imul(i, 0x9e3779b1) ^ mix32(j + 0x7f4a7c15)) >>> 0);
    const tag = (h | 1) >>> 0;
    const slot = mix32(h ^ 0x85ebca6b) & failedMask;
    if (failedTag[slot] === tag) return false;
    candidatePairs++;
    if (
      !jaccardAtLeast(
        c.shingles,
        start[i] as number,
        start[i + 1] as number,
        c.shingles,
        start[j] as number,
        start[j + 1] as number,
        threshold,
      )
    ) {
      failedTag[slot] = tag;
      return false;
    }
    nearDuplicatePairs++;
    union(i, j);
    return true;
  };
  const reps = new Int32Array(MAX_BUCKET_REPRESENTATIVES);
  const rootMark = new Float64Array(n);
  let mark = 0;
  forEachBucket(
    c.bandKeys,
    n,
    c.comparable,
    (group) => {
      if (group.length <= MAX_BUCKET_PAIRS_SIZE) {
        for (let x = 0; x < group.length; x++) {
          const i = group[x] as number;
          for (let y = x + 1; y < group.length; y++) {
            const j = group[y] as number;
            if (find(i) !== find(j)) check(i, j);
          }
        }
        return;
      }
      // An oversized bucket: each post is checked against one representative of each
      // component seen in the bucket so far (not yet its own), joining all it matches;
      // a post that matches none becomes a representative while there is room. Pairs of
      // the bucket then share a component whenever each was close to a representative
      // of it, which is what a chain (each post with the next) missed.
      let count = 0;
      for (const i of group) {
        // Stamps of component roots for this post: `mark` is the post's own component,
        // `mark + 1` a component that already has a representative before this one.
        mark += 2;
        let own = find(i);
        rootMark[own] = mark;
        let joined = false;
        let r = 0;
        while (r < count) {
          const rep = reps[r] as number;
          const root = find(rep);
          if (rootMark[root] === mark + 1) {
            // Merged with an earlier representative's component by a join: keep one.
            reps[r] = reps[--count] as number;
            continue;
          }
          if (rootMark[root] === mark || check(i, rep)) {
            joined = true;
            own = find(i);
            rootMark[own] = mark + 1;
          } else rootMark[root] = mark + 1;
          r++;
        }
        if (!joined && count < MAX_BUCKET_REPRESENTATIVES) reps[count++] = i;
      }
    },
    LSH_BANDS,
    onBand,
  );
  const componentOf = new Int32Array(n);
  const componentSize = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = find(i);
    componentOf[i] = r;
    componentSize[r] = (componentSize[r] as number) + 1;
  }
  let components = 0;
  for (let i = 0; i < n; i++)
    if (componentOf[i] === i && (componentSize[i] as number) > 1) components++;

  // Leader clusters, in time order. A post's candidates are the latest leaders of its
  // buckets; it joins the most similar one at or above the threshold.
  const slotTag = new Uint32Array(MAX_LEADER_SLOTS);
  const slotLeader = new Int32Array(MAX_LEADER_SLOTS).fill(-1);
  const mask = MAX_LEADER_SLOTS - 1;
  const leaderOf = new Int32Array(n).fill(-1);
  const slots = new Int32Array(LSH_BANDS);
  const tags = new Uint32Array(LSH_BANDS);
  const candidates = new Int32Array(LSH_BANDS);
  const agreeing = new Int32Array(LSH_BANDS);
  for (let o = 0; o < n; o++) {
    const i = order === undefined ? o : (order[o] as number);
    if (c.comparable[i] === 0) continue;
    let count = 0;
    for (let b = 0; b < LSH_BANDS; b++) {
      const tag = mix32(
        ((c.bandKeys[i * LSH_BANDS + b] as number) ^ Math.imul(b + 1, 0x9e3779b1)) >>> 0,
      );
      const slot = tag & mask;
      tags[b] = tag;
      slots[b] = slot;
      if (slotTag[slot] !== tag) continue;
      const leader = slotLeader[slot] as number;
      // Only a post's own component can hold a near-duplicate of it.
      if (leader < 0 || componentOf[leader] !== componentOf[i]) continue;
      let k = 0;
      while (k < count && candidates[k] !== leader) k++;
      if (k === count) {
        candidates[count] = leader;
        agreeing[count++] = 0;
      }
      agreeing[k] = (agreeing[k] as number) + 1;
    }
    // The leaders agreeing in most bands are the likeliest near-duplicates (each band
    // agrees with probability s²): only those are checked exactly.
    let best = -1;
    let bestJ = threshold;
    for (let checked = 0; checked < MAX_LEADER_CHECKS && count > 0; checked++) {
      let top = 0;
      for (let k = 1; k < count; k++)
        if ((agreeing[k] as number) > (agreeing[top] as number)) top = k;
      const leader = candidates[top] as number;
      candidates[top] = candidates[--count] as number;
      agreeing[top] = agreeing[count] as number;
      const s = jaccard(i, leader);
      if (s >= bestJ) {
        bestJ = s;
        best = leader;
      }
    }
    if (best >= 0) {
      leaderOf[i] = best;
      continue;
    }
    leaderOf[i] = i;
    if ((componentSize[componentOf[i] as number] as number) < 2) continue;
    for (let b = 0; b < LSH_BANDS; b++) {
      slotTag[slots[b] as number] = tags[b] as number;
      slotLeader[slots[b] as number] = i;
    }
  }
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const l = leaderOf[i] as number;
    if (l >= 0) members[l] = (members[l] as number) + 1;
  }
  const clusterOf = new Int32Array(n).fill(-1);
  const clusterId = new Int32Array(n).fill(-1);
  let clusters = 0;
  for (let i = 0; i < n; i++) {
    const l = leaderOf[i] as number;
    if (l < 0 || (members[l] as number) < 2) continue;
    if (clusterId[l] === -1) clusterId[l] = clusters++;
    clusterOf[i] = clusterId[l] as number;
  }
  return {
    componentOf,
    components,
    clusterOf,
    clusters,
    candidatePairs,
    nearDuplicatePairs,
  };
}
