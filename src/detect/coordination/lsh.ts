import { mix32 } from "./text-normalise.js";

/**
 * Bands and rows of the LSH index over 64-hash MinHash signatures. A pair of Jaccard
 * similarity s shares at least one band with probability 1 − (1 − s²)³²: 0.9999 at
 * s = 0.5, 0.95 at 0.3, 0.27 at 0.1 — so pairs at the near-duplicate threshold are
 * almost never missed, and the candidates below it are checked exactly and dropped.
 */
export const LSH_BANDS = 32;
export const LSH_ROWS = 2;
/**
 * Posts in one bucket that are compared all with all. A bigger bucket (one text posted
 * ten thousand times by a spam network, a boilerplate line, a common phrase of ordinary
 * posts) is compared through representatives instead (see `findNearDuplicates`), which
 * keeps the work linear in the bucket's size rather than quadratic.
 */
export const MAX_BUCKET_PAIRS_SIZE = 32;

/**
 * The band keys of one signature, written to `keys` from `at` (one key per band). Keys
 * are hashes of the band's rows, so equal bands give equal keys.
 */
export function writeBandKeys(
  signature: Uint32Array,
  offset: number,
  keys: Uint32Array,
  at: number,
  bands = LSH_BANDS,
  rows = LSH_ROWS,
): void {
  for (let b = 0; b < bands; b++) {
    let h = 0x27d4eb2f ^ b;
    for (let r = 0; r < rows; r++) {
      h = mix32((h ^ (signature[offset + b * rows + r] as number)) + 0x165667b1);
    }
    keys[at + b] = h;
  }
}

/**
 * Calls `visit(members, band)` for each LSH bucket of two posts or more: posts whose
 * keys agree in band `band`, in ascending order. `keys[i * bands + b]` is band b of post
 * i (as `writeBandKeys` lays them out); `eligible[i] === 0` leaves post i out (too short
 * to compare). `members` is reused between calls: copy it to keep it. Time is linear in
 * posts × bands.
 *
 * Each band's (key, post) pairs are sorted by key with a two-pass radix sort (16 bits a
 * pass, stable, so each bucket keeps its posts in ascending order) and the buckets read
 * off as runs. A hash table of heads would do the same in one pass, but past a million
 * posts it is far bigger than the CPU cache and every insert is a miss; the radix passes
 * read and write in sequence and count in a table that fits the cache, so the cost per
 * post stays the same as the corpus grows.
 */
export function forEachBucket(
  keys: Uint32Array,
  n: number,
  eligible: Uint8Array,
  visit: (members: readonly number[], band: number) => void,
  bands = LSH_BANDS,
  onBand?: (band: number) => void,
): void {
  let m = 0;
  for (let i = 0; i < n; i++) if (eligible[i] !== 0) m++;
  /** The eligible posts in ascending order: every band's sort starts from it. */
  const order = new Int32Array(m);
  for (let i = 0, x = 0; i < n; i++) if (eligible[i] !== 0) order[x++] = i;
  let keyA = new Uint32Array(m);
  let postA = new Int32Array(m);
  let keyB = new Uint32Array(m);
  let postB = new Int32Array(m);
  const counts = new Int32Array(RADIX + 1);
  const pair = [0, 0];
  const group: number[] = [];
  for (let b = 0; b < bands; b++) {
    for (let x = 0; x < m; x++) {
      postA[x] = order[x] as number;
      keyA[x] = keys[(order[x] as number) * bands + b] as number;
    }
    for (let shift = 0; shift < 32; shift += 16) {
      counts.fill(0);
      for (let x = 0; x < m; x++) {
        const digit = ((keyA[x] as number) >>> shift) & (RADIX - 1);
        counts[digit + 1] = (counts[digit + 1] as number) + 1;
      }
      for (let d = 0; d < RADIX; d++)
        counts[d + 1] = (counts[d + 1] as number) + (counts[d] as number);
      for (let x = 0; x < m; x++) {
        const key = keyA[x] as number;
        const digit = (key >>> shift) & (RADIX - 1);
        const to = counts[digit] as number;
        counts[digit] = to + 1;
        keyB[to] = key;
        postB[to] = postA[x] as number;
      }
      [keyA, keyB] = [keyB, keyA];
      [postA, postB] = [postB, postA];
    }
    let from = 0;
    while (from < m) {
      const key = keyA[from] as number;
      let to = from + 1;
      while (to < m && keyA[to] === key) to++;
      if (to - from === 2) {
        // Most buckets hold two posts: settle those without building a list.
        pair[0] = postA[from] as number;
        pair[1] = postA[from + 1] as number;
        visit(pair, b);
      } else if (to - from > 2) {
        group.length = 0;
        for (let x = from; x < to; x++) group.push(postA[x] as number);
        visit(group, b);
      }
      from = to;
    }
    onBand?.(b);
  }
}

/** Values of one radix digit (16 bits): the counts table stays in the CPU cache. */
const RADIX = 1 << 16;

/**
 * Calls `visit(i, j)` (i < j) for each pair of posts that share a bucket of at most
 * `MAX_BUCKET_PAIRS_SIZE` posts, and for consecutive posts of bigger buckets. A pair
 * that agrees in several bands is visited once per band. Kept for callers that want raw
 * candidates; `findNearDuplicates` handles big buckets with representatives instead.
 */
export function forEachCandidatePair(
  keys: Uint32Array,
  n: number,
  eligible: Uint8Array,
  visit: (i: number, j: number) => void,
  bands = LSH_BANDS,
  onBand?: (band: number) => void,
): void {
  forEachBucket(
    keys,
    n,
    eligible,
    (group) => {
      if (group.length <= MAX_BUCKET_PAIRS_SIZE) {
        for (let x = 0; x < group.length; x++)
          for (let y = x + 1; y < group.length; y++) visit(group[x] as number, group[y] as number);
        return;
      }
      for (let x = 0; x + 1 < group.length; x++) visit(group[x] as number, group[x + 1] as number);
    },
    bands,
    onBand,
  );
}
