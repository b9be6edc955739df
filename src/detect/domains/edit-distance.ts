/**
 * Edit distances on short strings (domain labels, ≤ 63 characters). Our own code: the
 * visual weights are where lookalike scoring differs from a spelling checker.
 */

/** Optimal-string-alignment distance (Damerau–Levenshtein without repeated edits). */
export function osaDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  return weightedOsa(a, b, unitCosts, max);
}

/** Characters that read alike in most fonts; swapping one for another costs little. */
const CONFUSABLE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ["i", "l"],
  ["l", "1"],
  ["i", "1"],
  ["i", "j"],
  ["o", "0"],
  ["u", "v"],
  ["g", "q"],
  ["e", "c"],
  ["n", "h"],
  ["m", "n"],
  ["n", "r"],
  ["s", "5"],
  ["b", "6"],
  ["z", "2"],
  ["g", "9"],
];
const confusable = new Set(CONFUSABLE_PAIRS.flatMap(([x, y]) => [x + y, y + x]));

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
   * The brand's first or last letter dropped: readers anchor on a word's ends, so
   * mountain is not read as mountainx, nor utah as 4utah.
   */
  edgeDeletion: 1.5,
} as const;

interface Costs {
  sub(a: string, b: string): number;
  /** Cost of deleting `s[i]` from the first string, given its neighbours. */
  del(s: string, i: number): number;
  /** Cost of inserting `s[i]` of the second string, given its neighbours. */
  ins(s: string, i: number): number;
  transposition: number;
}

const unitCosts: Costs = {
  sub: (a, b) => (a === b ? 0 : 1),
  del: () => 1,
  ins: () => 1,
  transposition: 1,
};

function softIndel(s: string, i: number): number | undefined {
  const c = s[i];
  if (c === "-") return VISUAL_COSTS.hyphen;
  if (s[i - 1] === c || s[i + 1] === c) return VISUAL_COSTS.doubled;
  return undefined;
}

const visualCosts: Costs = {
  sub: (a, b) => (a === b ? 0 : confusable.has(a + b) ? VISUAL_COSTS.confusable : 1),
  del: (s, i) => softIndel(s, i) ?? (i === 0 || i === s.length - 1 ? VISUAL_COSTS.edgeDeletion : 1),
  ins: (s, i) => softIndel(s, i) ?? 1,
  transposition: VISUAL_COSTS.transposition,
};

/**
 * How far `candidate` looks from `brand`: an OSA distance where confusable characters,
 * hyphens and doubled letters cost less than other edits.
 */
export function visualDistance(brand: string, candidate: string): number {
  return weightedOsa(brand, candidate, visualCosts, Number.POSITIVE_INFINITY);
}

function weightedOsa(a: string, b: string, costs: Costs, max: number): number {
  const n = a.length;
  const m = b.length;
  // Three rolling rows: OSA's transposition looks two rows back.
  let prev2 = new Float64Array(m + 1);
  let prev = new Float64Array(m + 1);
  let cur = new Float64Array(m + 1);
  for (let j = 1; j <= m; j++) prev[j] = (prev[j - 1] ?? 0) + costs.ins(b, j - 1);
  for (let i = 1; i <= n; i++) {
    const ca = a[i - 1] as string;
    cur[0] = (prev[0] ?? 0) + costs.del(a, i - 1);
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cb = b[j - 1] as string;
      let best = Math.min(
        (prev[j] ?? 0) + costs.del(a, i - 1),
        (cur[j - 1] ?? 0) + costs.ins(b, j - 1),
        (prev[j - 1] ?? 0) + costs.sub(ca, cb),
      );
      if (i > 1 && j > 1 && ca === b[j - 2] && a[i - 2] === cb && ca !== cb) {
        best = Math.min(best, (prev2[j - 2] ?? 0) + costs.transposition);
      }
      cur[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] ?? 0;
}
