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
 */
export function forEachBucket(
  keys: Uint32Array,
  n: number,
  eligible: Uint8Array,
  visit: (members: readonly number[], band: number) => void,
  bands = LSH_BANDS,
  onBand?: (band: number) => void,
): void {
  let size = 1;
  while (size < n * 2) size <<= 1;
  const mask = size - 1;
  const head = new Int32Array(size);
  const next = new Int32Array(n);
  const pair = [0, 0];
  const members: number[] = [];
  const group: number[] = [];
  for (let b = 0; b < bands; b++) {
    head.fill(-1);
    // Insert from the last post, so each chain lists its posts in ascending order.
    for (let i = n - 1; i >= 0; i--) {
      if (eligible[i] === 0) continue;
      const slot = (keys[i * bands + b] as number) & mask;
      next[i] = head[slot] as number;
      head[slot] = i;
    }
    for (let slot = 0; slot < size; slot++) {
      let i = head[slot] as number;
      if (i < 0) continue;
      const second = next[i] as number;
      if (second < 0) continue;
      // Most shared slots hold two posts: settle those without building a list.
      if ((next[second] as number) < 0) {
        if (keys[i * bands + b] === keys[second * bands + b]) {
          pair[0] = i;
          pair[1] = second;
          visit(pair, b);
        }
        continue;
      }
      // One slot may hold several keys; group its posts by key, each group in post order.
      members.length = 0;
      for (; i >= 0; i = next[i] as number) members.push(i);
      members.sort(
        (x, y) => (keys[x * bands + b] as number) - (keys[y * bands + b] as number) || x - y,
      );
      let from = 0;
      while (from < members.length) {
        const key = keys[(members[from] as number) * bands + b];
        let to = from + 1;
        while (to < members.length && keys[(members[to] as number) * bands + b] === key) to++;
        if (to - from > 1) {
          group.length = 0;
          for (let m = from; m < to; m++) group.push(members[m] as number);
          visit(group, b);
        }
        from = to;
      }
    }
    onBand?.(b);
  }
}

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
