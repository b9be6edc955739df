import { readAlike } from "./look-alike-letters.js";

/**
 * Edit distances on short strings (domain labels, ≤ 63 characters). Our own code: the
 * visual weights are where lookalike scoring differs from a spelling checker.
 */

/** Optimal-string-alignment distance (Damerau–Levenshtein without repeated edits). */
export function osaDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  let [prev2, prev, cur] = rows(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    const ca = a.charCodeAt(i - 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      let best = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (ca === cb ? 0 : 1),
      );
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb && ca !== cb) {
        best = Math.min(best, (prev2[j - 2] as number) + 1);
      }
      cur[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > max) return max + 1;
    const spare = prev2;
    prev2 = prev;
    prev = cur;
    cur = spare;
  }
  return prev[m] as number;
}

/**
 * Three rows of scratch for the dynamic programmes, reused across calls (the detector
 * runs them for every candidate near a brand; allocating them each time showed up as
 * garbage collection).
 */
let scratch: [Float64Array, Float64Array, Float64Array] = [
  new Float64Array(64),
  new Float64Array(64),
  new Float64Array(64),
];

function rows(length: number): [Float64Array, Float64Array, Float64Array] {
  if (scratch[0].length < length) {
    scratch = [new Float64Array(length), new Float64Array(length), new Float64Array(length)];
  }
  return scratch;
}

/** Costs of the visual distance; a plain edit costs 1. */
export const VISUAL_COSTS = {
  /** i↔l, o↔0, …: the reader sees the same word. */
  confusable: 0.25,
  /** A hyphen added or dropped (fox-news, tonline). */
  hyphen: 0.3,
  /** A letter doubled or undoubled (weltt, spiegell). */
  doubled: 0.5,
  /** Two neighbouring letters swapped. */
  transposition: 0.6,
  /**
   * The brand's last letter dropped: readers anchor on a word's ends, so mountain is
   * not read as mountai.
   */
  lastLetterDeletion: 1.5,
  /**
   * A plain change of the first letter (replaced, dropped, or a letter put in front):
   * readers identify a word by its first letter above all, more than by its last, so
   * nbc56 is not read as abc56, nor krcrtv as rcrtv. Short of two changes: one such
   * change still flags a brand of seven letters or more (goxnews for foxnews).
   */
  firstLetter: 1.75,
} as const;

function substitution(a: number, b: number): number {
  if (a === b) return 0;
  return readAlike(a, b) ? VISUAL_COSTS.confusable : 1;
}

/** A plain substitution of the first letter by another first letter costs `firstLetter`. */
function firstAware(cost: number, i: number, j: number): number {
  return cost === 1 && i === 1 && j === 1 ? VISUAL_COSTS.firstLetter : cost;
}

/** Cost of adding or dropping `s[i]` when it is a hyphen or a doubled letter, else -1. */
function softIndel(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 0x2d /* - */) return VISUAL_COSTS.hyphen;
  if ((i > 0 && s.charCodeAt(i - 1) === c) || (i + 1 < s.length && s.charCodeAt(i + 1) === c)) {
    return VISUAL_COSTS.doubled;
  }
  return -1;
}

/** Per-character costs of deleting from the brand and inserting from the candidate. */
let deleteCost = new Float64Array(64);
let insertCost = new Float64Array(64);

/**
 * How far `candidate` looks from `brand`: an OSA distance where confusable characters,
 * hyphens and doubled letters cost less than other edits.
 */
export function visualDistance(brand: string, candidate: string): number {
  const a = brand;
  const b = candidate;
  const n = a.length;
  const m = b.length;
  if (deleteCost.length < n) deleteCost = new Float64Array(n);
  if (insertCost.length < m) insertCost = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const soft = softIndel(a, i);
    deleteCost[i] =
      soft >= 0
        ? soft
        : i === 0
          ? VISUAL_COSTS.firstLetter
          : i === n - 1
            ? VISUAL_COSTS.lastLetterDeletion
            : 1;
  }
  for (let j = 0; j < m; j++) {
    const soft = softIndel(b, j);
    insertCost[j] = soft >= 0 ? soft : j === 0 ? VISUAL_COSTS.firstLetter : 1;
  }
  // Three rolling rows: OSA's transposition looks two rows back.
  let [prev2, prev, cur] = rows(m + 1);
  prev[0] = 0;
  for (let j = 1; j <= m; j++) prev[j] = (prev[j - 1] as number) + (insertCost[j - 1] as number);
  for (let i = 1; i <= n; i++) {
    const ca = a.charCodeAt(i - 1);
    const del = deleteCost[i - 1] as number;
    cur[0] = (prev[0] as number) + del;
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      let best = Math.min(
        (prev[j] as number) + del,
        (cur[j - 1] as number) + (insertCost[j - 1] as number),
        (prev[j - 1] as number) + firstAware(substitution(ca, cb), i, j),
      );
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb && ca !== cb) {
        best = Math.min(best, (prev2[j - 2] as number) + VISUAL_COSTS.transposition);
      }
      cur[j] = best;
    }
    const spare = prev2;
    prev2 = prev;
    prev = cur;
    cur = spare;
  }
  return prev[m] as number;
}
