import { HashFilter } from "./hash-filter.js";
import { B, hashString } from "./string-hash.js";

export { hashString };

/**
 * A deletion-neighbourhood index (the SymSpell idea): every word is stored under each
 * string obtained by deleting up to `maxDeletes` characters. Two words within edit
 * distance d share such a key, so candidates are found by hashing, without comparing
 * against every word; callers verify them with a true distance.
 *
 * Our own code, because the query path is the detector's hot loop: keys are 32-bit
 * polynomial hashes, and a query computes the hash of each deletion from prefix hashes
 * in O(1) without building the deleted strings. A hash collision only adds a candidate,
 * which the caller's verification drops.
 */
export class DeletionIndex {
  /**
   * Open-addressing table of (key hash, reference) pairs side by side, so a probe reads
   * one cache line: the reference is the id of the one word under that key (≥ 0, the
   * common case), −1 for an empty slot, or −2 − b for bucket b of several words.
   */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Bucket b holds word ids bucketWords[bucketStart[b] .. bucketStart[b + 1]). */
  private readonly bucketStart: Int32Array;
  private readonly bucketWords: Int32Array;
  private readonly keys: number;
  private readonly wordList: string[];
  /** Query number that last reported each word, so a word is reported once a query. */
  private readonly reportedAt: Uint32Array;
  private query = 0;
  /**
   * Most probes of a query miss: a filter answers them from a bit array about an eighth
   * of the table's size. One filter per key length, because a query's probes of one
   * depth all have one length: they land in a few tens of kilobytes that stay in the
   * CPU cache, not anywhere in a megabyte.
   */
  private readonly filters: Array<HashFilter | undefined>;
  /** Per key length, the hashes of keys' first and last GATE characters. */
  private readonly starts: Array<HashFilter | undefined>;
  private readonly ends: Array<HashFilter | undefined>;
  /** Lengths of the shortest and longest word: queries far outside them cannot match. */
  private readonly minLength: number;
  private readonly maxLength: number;

  constructor(
    words: Iterable<string>,
    readonly maxDeletes: number,
  ) {
    // Deletion neighbourhoods grow as length^depth; past 2 the index is no longer small.
    if (!Number.isInteger(maxDeletes) || maxDeletes < 0 || maxDeletes > 2) {
      throw new RangeError("maxDeletes must be 0, 1 or 2");
    }
    this.wordList = [...new Set(words)];
    this.reportedAt = new Uint32Array(this.wordList.length);
    this.minLength = Math.min(...this.wordList.map((w) => w.length));
    this.maxLength = Math.max(0, ...this.wordList.map((w) => w.length));
    const byHash = new Map<number, number[]>();
    const byLength: number[][] = [];
    const startsByLength: Array<Set<number>> = [];
    const endsByLength: Array<Set<number>> = [];
    this.wordList.forEach((word, id) => {
      for (const key of deletions(word, this.maxDeletes)) {
        const h = hashString(key);
        slot(byLength, key.length, () => []).push(h);
        if (key.length >= GATE) {
          slot(startsByLength, key.length, () => new Set()).add(hashString(key.slice(0, GATE)));
          slot(endsByLength, key.length, () => new Set()).add(hashString(key.slice(-GATE)));
        }
        const bucket = byHash.get(h);
        if (!bucket) byHash.set(h, [id]);
        else if (bucket[bucket.length - 1] !== id) bucket.push(id);
      }
    });
    // A JavaScript Map with 32-bit number keys boxes them (~270 ns a look-up); a typed
    // array table at most half full answers in ~30 ns, which is what a query repeats
    // a hundred times.
    let capacity = 16;
    while (capacity < byHash.size * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity * 2);
    for (let k = 1; k < this.slots.length; k += 2) this.slots[k] = EMPTY;
    let buckets = 0;
    let total = 0;
    for (const bucket of byHash.values()) {
      if (bucket.length > 1) {
        buckets++;
        total += bucket.length;
      }
    }
    this.bucketStart = new Int32Array(buckets + 1);
    this.bucketWords = new Int32Array(total);
    let b = 0;
    let at = 0;
    for (const [h, bucket] of byHash) {
      let slot = mix(h) & this.mask;
      while (this.slots[2 * slot + 1] !== EMPTY) slot = (slot + 1) & this.mask;
      this.slots[2 * slot] = h;
      if (bucket.length === 1) {
        this.slots[2 * slot + 1] = bucket[0] as number;
        continue;
      }
      this.slots[2 * slot + 1] = -2 - b;
      this.bucketStart[b] = at;
      this.bucketWords.set(bucket, at);
      at += bucket.length;
      b++;
    }
    this.bucketStart[b] = at;
    this.keys = byHash.size;
    this.filters = Array.from(byLength, (hashes) =>
      hashes === undefined ? undefined : new HashFilter(hashes),
    );
    const filterOf = (hashes: Set<number> | undefined) =>
      hashes === undefined ? undefined : new HashFilter([...hashes]);
    this.starts = Array.from(startsByLength, filterOf);
    this.ends = Array.from(endsByLength, filterOf);
  }

  /** Number of keys held (for sizing). */
  get size(): number {
    return this.keys;
  }

  /** Number of distinct words indexed. */
  get words(): number {
    return this.wordList.length;
  }

  /** Words that may be within `maxDeletes` edits of `text` (a superset; verify them). */
  candidates(text: string): Set<string> {
    const found = new Set<string>();
    this.forEachCandidate(text, (word) => found.add(word));
    return found;
  }

  /**
   * Calls `visit` once with each word that may be within `maxDeletes` edits of `text`
   * (a superset; verify them). The detector's hot loop: no string is built and no
   * collection allocated.
   */
  forEachCandidate(text: string, visit: (word: string) => void): void {
    const n = text.length;
    const depth = this.maxDeletes;
    // Two strings within d edits differ in length by at most d.
    if (n > this.maxLength + depth || n < this.minLength - depth) return;
    this.query = (this.query + 1) >>> 0;
    if (this.query === 0) {
      this.reportedAt.fill(0);
      this.query = 1;
    }
    if (n > MAX_QUERY) {
      for (const key of deletions(text, depth)) this.report(hashString(key), key.length, visit);
      return;
    }
    prefix[0] = 0;
    for (let i = 0; i < n; i++) {
      prefix[i + 1] = (Math.imul(prefix[i] as number, B) + text.charCodeAt(i)) >>> 0;
    }
    this.report(prefix[n] as number, n, visit);
    if (depth < 1) return;
    const one = this.filters[n - 1];
    if (one !== undefined) {
      // Deleting one character right of the first GATE keeps them as the key's start, left
      // of the last GATE keeps those as its end: skipped when no key of that length does.
      const gated = n - 1 >= GATE;
      const startOk = !gated || (this.starts[n - 1]?.has(prefix[GATE] as number) ?? false);
      const endOk = !gated || (this.ends[n - 1]?.has(range(n - GATE, n)) ?? false);
      for (let i = 0; i < n; i++) {
        if ((i >= GATE && !startOk) || (i < n - GATE && !endOk)) continue;
        const h =
          (Math.imul(prefix[i] as number, power[n - 1 - i] as number) + range(i + 1, n)) >>> 0;
        if (one.has(h)) this.lookUp(h, visit);
      }
    }
    const two = depth < 2 ? undefined : this.filters[n - 2];
    if (two === undefined) return;
    // A key made by deleting positions i < j starts with the first GATE characters of the
    // text without i once j > GATE, and ends with the text's last GATE once j < n − GATE.
    // When no key of this length starts (ends) so, only the few deletions that change
    // those characters are computed. Checked per i, the start gate drops most probes.
    const gated = n - 2 >= GATE;
    const starts = gated ? this.starts[n - 2] : undefined;
    const endOk = !gated || (this.ends[n - 2]?.has(range(n - GATE, n)) ?? false);
    const jFloor = endOk ? 0 : n - GATE;
    const startOkLate = !gated || (starts?.has(prefix[GATE] as number) ?? false);
    for (let i = 0; i < n - 1; i++) {
      let jEnd = n;
      if (gated) {
        const startOk =
          i >= GATE
            ? startOkLate
            : (starts?.has(
                (Math.imul(prefix[i] as number, power[GATE - i] as number) +
                  range(i + 1, GATE + 1)) >>>
                  0,
              ) ?? false);
        if (!startOk) {
          if (i >= GATE) break; // every later i keeps the same start
          jEnd = GATE + 1;
        }
      }
      const headShifted = Math.imul(prefix[i] as number, power[n - 2 - i] as number);
      const base = prefix[i + 1] as number;
      for (let j = Math.max(i + 1, jFloor); j < jEnd; j++) {
        const mid = ((prefix[j] as number) - Math.imul(base, power[j - i - 1] as number)) >>> 0;
        const h =
          (headShifted + Math.imul(mid, power[n - 1 - j] as number) + range(j + 1, n)) >>> 0;
        if (two.has(h)) this.lookUp(h, visit);
      }
    }
  }

  private report(h: number, length: number, visit: (word: string) => void): void {
    if (this.filters[length]?.has(h)) this.lookUp(h, visit);
  }

  private lookUp(h: number, visit: (word: string) => void): void {
    const slots = this.slots;
    const key = h | 0;
    for (let slot = mix(h) & this.mask; ; slot = (slot + 1) & this.mask) {
      const ref = slots[2 * slot + 1] as number;
      if (ref === EMPTY) return;
      if (slots[2 * slot] !== key) continue;
      if (ref >= 0) {
        this.reportOnce(ref, visit);
        return;
      }
      const b = -2 - ref;
      const end = this.bucketStart[b + 1] as number;
      for (let k = this.bucketStart[b] as number; k < end; k++) {
        this.reportOnce(this.bucketWords[k] as number, visit);
      }
      return;
    }
  }

  private reportOnce(id: number, visit: (word: string) => void): void {
    if (this.reportedAt[id] === this.query) return;
    this.reportedAt[id] = this.query;
    visit(this.wordList[id] as string);
  }
}

/** Reference of an empty slot. */
const EMPTY = -1;

/** The entry of a sparse list at `at`, made when missing. */
function slot<T>(list: T[], at: number, make: () => T): T {
  let entry = list[at];
  if (entry === undefined) {
    entry = make();
    list[at] = entry;
  }
  return entry;
}

/** Characters at each end of a key that the two-deletion query checks before enumerating. */
const GATE = 4;

/** Spreads a hash's high bits into the low bits used as the table slot. */
function mix(h: number): number {
  return (h ^ (h >>> 15) ^ (h >>> 27)) >>> 0;
}

/** Scratch arrays reused across queries: labels are at most 63 characters. */
const MAX_QUERY = 256;
const prefix = new Uint32Array(MAX_QUERY + 1);
const power = new Uint32Array(MAX_QUERY + 1);
power[0] = 1;
for (let i = 1; i <= MAX_QUERY; i++) power[i] = Math.imul(power[i - 1] as number, B) >>> 0;

/** Hash of `word[a, b)` from the prefix hashes last written to `prefix`. */
function range(a: number, b: number): number {
  return ((prefix[b] as number) - Math.imul(prefix[a] as number, power[b - a] as number)) >>> 0;
}

/**
 * Calls `visit` with the hash of `word` and of each string made by deleting up to
 * `depth` (≤ 2) of its characters, equal to `hashString` of that string. A hash may be
 * visited twice when the word repeats a letter.
 */
export function forEachDeletionHash(
  word: string,
  depth: number,
  visit: (hash: number) => void,
): void {
  const n = word.length;
  if (n > MAX_QUERY) {
    for (const key of deletions(word, depth)) visit(hashString(key));
    return;
  }
  prefix[0] = 0;
  for (let i = 0; i < n; i++)
    prefix[i + 1] = (Math.imul(prefix[i] as number, B) + word.charCodeAt(i)) >>> 0;
  visit(prefix[n] as number);
  if (depth < 1) return;
  for (let i = 0; i < n; i++) {
    // word without position i
    const head = prefix[i] as number;
    visit((Math.imul(head, power[n - 1 - i] as number) + range(i + 1, n)) >>> 0);
    if (depth < 2) continue;
    for (let j = i + 1; j < n; j++) {
      // word without positions i and j: head · B^(n-2-i) + mid · B^(n-1-j) + tail
      const h =
        Math.imul(head, power[n - 2 - i] as number) +
        Math.imul(range(i + 1, j), power[n - 1 - j] as number) +
        range(j + 1, n);
      visit(h >>> 0);
    }
  }
}

/** `word` and every string made by deleting up to `depth` of its characters. */
export function deletions(word: string, depth: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i++) {
        const shorter = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(shorter)) {
          out.add(shorter);
          next.push(shorter);
        }
      }
    }
    frontier = next;
  }
  return out;
}
