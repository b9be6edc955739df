import type { PairFilter, PairTable } from "./pair-table.js";
import type { CorpusColumns } from "./social-corpus.js";

/** What accounts can do together: each is tested on its own against the null model. */
export const BEHAVIOURS = ["text", "repost", "url", "domain", "hashtag"] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

/**
 * Earlier events of the same key one event is paired with: a viral post reposted by
 * thousands within minutes would otherwise make its reposters' pairs quadratic. 16 is
 * enough for a campaign's members to meet across its waves, and bounds the pair tables
 * (observed and each null replicate, per behaviour) to 16 entries per event: at a
 * million posts, 64 made the null-model stage twice as slow for the same accounts found.
 */
export const MAX_PARTNERS = 16;
/** Shortest and longest time window a behaviour may get from the data. */
export const MIN_WINDOW_SECONDS = 60;
export const MAX_WINDOW_SECONDS = 12 * 3600;
/**
 * The window is this many times the gap scale at which a behaviour's bursts stand out:
 * the gap is between consecutive events, and a burst's accounts should be paired with
 * more than their immediate neighbours.
 */
export const WINDOW_GAPS = 8;
/** Co-actions a pair needs at least: one shared moment is chance, two are a pattern. */
export const MIN_CO_ACTIONS = 2;
/** Log₂-second bins of the gap histograms (1 s … 2²⁴ s ≈ 194 days). */
const GAP_BINS = 25;

/** Events of one behaviour grouped by key, each key's posts in time order. */
export interface KeyGroups {
  /** `start[k]..start[k+1]` are the positions of key k in `posts`. */
  start: Int32Array;
  posts: Int32Array;
  /** Weight of one co-action on key k: lower for keys many accounts use. */
  keyWeight: Float64Array;
  keyAccounts: Int32Array;
}

/**
 * The keys of each post for a behaviour: its near-duplicate cluster, the post it
 * reposts, its URLs, their domains, its hashtags. Calls `emit(key)` for each.
 */
export function forEachKey(
  columns: CorpusColumns,
  behaviour: Behaviour,
  clusterOf: Int32Array,
  post: number,
  emit: (key: number) => void,
): void {
  switch (behaviour) {
    case "text": {
      const c = clusterOf[post] as number;
      if (c >= 0) emit(c);
      return;
    }
    case "repost": {
      const r = columns.repostOf[post] as number;
      if (r >= 0) emit(r);
      return;
    }
    case "url":
    case "domain": {
      const refs = behaviour === "url" ? columns.urlRefs : columns.domainRefs;
      const end = columns.urlStart[post + 1] as number;
      for (let j = columns.urlStart[post] as number; j < end; j++) emit(refs[j] as number);
      return;
    }
    case "hashtag": {
      const end = columns.hashtagStart[post + 1] as number;
      for (let j = columns.hashtagStart[post] as number; j < end; j++)
        emit(columns.hashtagRefs[j] as number);
      return;
    }
  }
}

/**
 * Groups a behaviour's events by key with a counting sort, keeping the order of `order`
 * (posts sorted by time) within each key.
 */
export function groupByKey(
  columns: CorpusColumns,
  behaviour: Behaviour,
  keyCount: number,
  clusterOf: Int32Array,
  order: Int32Array,
  known?: Pick<KeyGroups, "keyWeight" | "keyAccounts">,
): KeyGroups {
  const start = new Int32Array(keyCount + 1);
  for (let i = 0; i < columns.posts; i++)
    forEachKey(columns, behaviour, clusterOf, i, (k) => {
      start[k + 1] = (start[k + 1] as number) + 1;
    });
  for (let k = 0; k < keyCount; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  const fill = start.slice(0, keyCount);
  const posts = new Int32Array(start[keyCount] as number);
  for (let o = 0; o < order.length; o++) {
    const i = order[o] as number;
    forEachKey(columns, behaviour, clusterOf, i, (k) => {
      posts[fill[k] as number] = i;
      fill[k] = (fill[k] as number) + 1;
    });
  }
  if (known !== undefined)
    return { start, posts, keyWeight: known.keyWeight, keyAccounts: known.keyAccounts };
  const keyAccounts = new Int32Array(keyCount);
  const stamp = new Int32Array(columns.accounts).fill(-1);
  for (let k = 0; k < keyCount; k++) {
    let n = 0;
    for (let p = start[k] as number; p < (start[k + 1] as number); p++) {
      const a = columns.postAccount[posts[p] as number] as number;
      if (stamp[a] !== k) {
        stamp[a] = k;
        n++;
      }
    }
    keyAccounts[k] = n;
  }
  // A co-action on a key few accounts use says more than one on a key everyone uses (a
  // viral post, a big news site): weight 1 / log₂(1 + accounts), like IDF.
  const keyWeight = new Float64Array(keyCount);
  for (let k = 0; k < keyCount; k++) keyWeight[k] = 1 / Math.log2(1 + (keyAccounts[k] as number));
  return { start, posts, keyWeight, keyAccounts };
}

/**
 * Histogram of the gaps between consecutive events of one key by different accounts,
 * in log₂-second bins: the shape tells how tightly a behaviour's events cluster in time.
 */
export function gapHistogram(
  groups: KeyGroups,
  columns: CorpusColumns,
  time: Float64Array,
): Float64Array {
  const hist = new Float64Array(GAP_BINS);
  const keys = groups.keyWeight.length;
  for (let k = 0; k < keys; k++) {
    if ((groups.keyAccounts[k] as number) < 2) continue;
    const w = groups.keyWeight[k] as number;
    const end = groups.start[k + 1] as number;
    for (let p = (groups.start[k] as number) + 1; p < end; p++) {
      const x = groups.posts[p] as number;
      const y = groups.posts[p - 1] as number;
      if (columns.postAccount[x] === columns.postAccount[y]) continue;
      const gap = Math.max(1, ((time[x] as number) - (time[y] as number)) / 1000);
      const bin = Math.min(GAP_BINS - 1, Math.floor(Math.log2(gap)));
      // Weighted like the co-actions, so one huge key (a boilerplate text, a big news
      // site) does not drown the bursts of the keys few accounts share.
      hist[bin] = (hist[bin] as number) + w;
    }
  }
  return hist;
}

/**
 * The time window of a behaviour, from the data: the gap (a power of two seconds) up to
 * which the observed gaps stand out most from the null model's, as the excess over the
 * null in units of the null's Poisson noise, (observed − null) / √(null + 1), times
 * `WINDOW_GAPS`. Widening it further lets in more chance co-occurrence than coordination.
 */
export function chooseWindow(observed: Float64Array, nulls: Float64Array): number {
  let best = 0;
  let bestBin = Math.ceil(Math.log2(MIN_WINDOW_SECONDS)) - 1;
  let obs = 0;
  let nul = 0;
  for (let j = 0; j < observed.length; j++) {
    obs += observed[j] as number;
    nul += nulls[j] as number;
    const z = (obs - nul) / Math.sqrt(nul + 1);
    if (z > best) {
      best = z;
      bestBin = j;
    }
  }
  return Math.min(
    MAX_WINDOW_SECONDS,
    Math.max(MIN_WINDOW_SECONDS, WINDOW_GAPS * 2 ** (bestBin + 1)),
  );
}

/**
 * Adds each pair of accounts acting on the same key within `windowMs` to `table`: each
 * event is paired with up to `MAX_PARTNERS` earlier events of other accounts, each other
 * account once, with the key's weight. With `only`, pairs the filter refuses are left out
 * (their partners still count towards the cap, so the pairs kept get the same sums).
 */
export function addCoActions(
  groups: KeyGroups,
  columns: CorpusColumns,
  time: Float64Array,
  windowMs: number,
  table: PairTable,
  only?: PairFilter,
): void {
  const seen = new Int32Array(columns.accounts).fill(-1);
  let stamp = 0;
  const keys = groups.keyWeight.length;
  for (let k = 0; k < keys; k++) {
    if ((groups.keyAccounts[k] as number) < 2) continue;
    const w = groups.keyWeight[k] as number;
    const from = groups.start[k] as number;
    const end = groups.start[k + 1] as number;
    for (let p = from + 1; p < end; p++) {
      const x = groups.posts[p] as number;
      const a = columns.postAccount[x] as number;
      const t = time[x] as number;
      stamp++;
      seen[a] = stamp;
      let partners = 0;
      for (let q = p - 1; q >= from && partners < MAX_PARTNERS; q--) {
        const y = groups.posts[q] as number;
        if (t - (time[y] as number) > windowMs) break;
        const b = columns.postAccount[y] as number;
        if (seen[b] === stamp) continue;
        seen[b] = stamp;
        if (only === undefined || only.has(a, b)) table.add(a, b, w);
        partners++;
      }
    }
  }
}

/**
 * The null model's times: each account's own post times shuffled among its posts
 * (seeded). Each account keeps its volume and its daily rhythm; only the alignment of
 * its actions with other accounts' is broken, which is what coordination is.
 */
export function shuffledTimes(columns: CorpusColumns, seed: number): Float64Array {
  const byAccount = new Int32Array(columns.accounts + 1);
  for (let i = 0; i < columns.posts; i++) {
    const a = columns.postAccount[i] as number;
    byAccount[a + 1] = (byAccount[a + 1] as number) + 1;
  }
  for (let a = 0; a < columns.accounts; a++)
    byAccount[a + 1] = (byAccount[a + 1] as number) + (byAccount[a] as number);
  const fill = byAccount.slice(0, columns.accounts);
  const posts = new Int32Array(columns.posts);
  for (let i = 0; i < columns.posts; i++) {
    const a = columns.postAccount[i] as number;
    posts[fill[a] as number] = i;
    fill[a] = (fill[a] as number) + 1;
  }
  const random = seededRandom(seed);
  const time = new Float64Array(columns.posts);
  for (let a = 0; a < columns.accounts; a++) {
    const from = byAccount[a] as number;
    const to = byAccount[a + 1] as number;
    const times: number[] = [];
    for (let p = from; p < to; p++) times.push(columns.postTime[posts[p] as number] as number);
    for (let j = times.length - 1; j > 0; j--) {
      const r = Math.floor(random() * (j + 1));
      [times[j], times[r]] = [times[r] as number, times[j] as number];
    }
    for (let p = from; p < to; p++) time[posts[p] as number] = times[p - from] as number;
  }
  return time;
}

/**
 * Post numbers sorted by time (ties in input order): a numeric sort of packed doubles,
 * whole seconds above the post number, so no comparator runs a million times.
 */
export function timeOrder(time: Float64Array): Int32Array {
  const n = time.length;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) min = Math.min(min, time[i] as number);
  const shift = 2 ** 25;
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++)
    packed[i] = Math.floor(((time[i] as number) - min) / 1000) * shift + i;
  packed.sort();
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = (packed[i] as number) % shift;
  return order;
}

/**
 * The smallest pair weight at which the null model's pairs are at most `alpha` of the
 * observed pairs at that weight or above (an empirical false-discovery rate), and at
 * which pairs have `MIN_CO_ACTIONS`. `Infinity` when no weight qualifies.
 */
export function fdrThreshold(
  observed: Float64Array,
  nulls: Float64Array,
  nullReplicates: number,
  alpha: number,
): number {
  const obs = Float64Array.from(observed).sort().reverse();
  const nul = Float64Array.from(nulls).sort().reverse();
  let threshold = Number.POSITIVE_INFINITY;
  let j = 0;
  for (let i = 0; i < obs.length; i++) {
    const v = obs[i] as number;
    if (i + 1 < obs.length && obs[i + 1] === v) continue;
    while (j < nul.length && (nul[j] as number) >= v) j++;
    if (j / nullReplicates <= alpha * (i + 1)) threshold = v;
  }
  return threshold;
}

/** A small seeded generator (splitmix32): the same seed, the same null model everywhere. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}
