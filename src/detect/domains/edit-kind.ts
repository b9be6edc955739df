import { readAlike } from "./look-alike-letters.js";
import { B } from "./string-hash.js";

/**
 * Names the single edit that turns a brand into a candidate, in the terms defenders and
 * tools like dnstwist use, so a finding says "bitsquatting" rather than "1 edit".
 */
export type EditKind =
  | "omission"
  | "insertion"
  | "repetition"
  | "transposition"
  | "vowel-swap"
  | "bitsquatting"
  | "keyboard"
  | "homoglyph"
  | "replacement";

export const VOWELS = new Set("aeiouy");

/** Keys next to each other on a QWERTY keyboard (rows and diagonals). */
const KEYBOARD_ROWS = ["1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"];
/** QWERTY neighbours of each key. */
export const NEIGHBOURS = new Map<string, Set<string>>();
KEYBOARD_ROWS.forEach((row, r) => {
  for (let c = 0; c < row.length; c++) {
    const set = new Set<string>();
    for (const [dr, dc] of [
      [0, -1],
      [0, 1],
      [-1, 0],
      [-1, 1],
      [1, 0],
      [1, -1],
    ] as const) {
      const ch = KEYBOARD_ROWS[r + dr]?.[c + dc];
      if (ch) set.add(ch);
    }
    NEIGHBOURS.set(row[c] as string, set);
  }
});

/** Whether `a` and `b` differ in exactly one bit (a flipped bit in memory: bitsquatting). */
function oneBitApart(a: string, b: string): boolean {
  const x = a.charCodeAt(0) ^ b.charCodeAt(0);
  return x !== 0 && (x & (x - 1)) === 0;
}

/** Kind of a one-character replacement of `from` by `to`. */
export function replacementKind(from: string, to: string): EditKind {
  if (readAlike(from.charCodeAt(0), to.charCodeAt(0))) return "homoglyph";
  if (VOWELS.has(from) && VOWELS.has(to)) return "vowel-swap";
  if (NEIGHBOURS.get(from)?.has(to)) return "keyboard";
  if (oneBitApart(from, to)) return "bitsquatting";
  return "replacement";
}

/**
 * The kind of edit between `brand` and `candidate` when they are exactly one edit apart
 * (insertion, deletion, replacement or adjacent swap); undefined otherwise.
 */
export function classifyEdit(brand: string, candidate: string): EditKind | undefined {
  const n = brand.length;
  const m = candidate.length;
  let i = 0;
  while (i < n && i < m && brand[i] === candidate[i]) i++;
  if (m === n + 1) {
    // One character inserted at candidate[i].
    if (brand.slice(i) !== candidate.slice(i + 1)) return undefined;
    const inserted = candidate[i];
    return inserted === candidate[i - 1] || inserted === candidate[i + 1]
      ? "repetition"
      : "insertion";
  }
  if (m === n - 1) return brand.slice(i + 1) === candidate.slice(i) ? "omission" : undefined;
  if (m !== n || i === n) return undefined;
  if (brand.slice(i + 1) === candidate.slice(i + 1)) {
    return replacementKind(brand[i] as string, candidate[i] as string);
  }
  if (
    brand[i] === candidate[i + 1] &&
    brand[i + 1] === candidate[i] &&
    brand.slice(i + 2) === candidate.slice(i + 2)
  ) {
    return "transposition";
  }
  return undefined;
}

/**
 * A label as it reads at a glance: `rn` as `m`, `vv` as `w`, `cl` as `d`, `0` as `o`,
 * `1` and `i` as `l`. Two labels with the same skeleton look the same in a URL bar.
 *
 * One pass, left to right: the single characters are read first, so c1 and cl both end
 * up as d. (No two of rn, vv and cl overlap, so this equals replacing each in turn.)
 */
export function asciiSkeleton(label: string): string {
  let out = "";
  let copied = 0;
  const n = label.length;
  for (let i = 0; i < n; i++) {
    const c = label.charCodeAt(i);
    let read = "";
    let width = 1;
    if (c === 0x30 /* 0 */) read = "o";
    else if (c === 0x31 /* 1 */ || c === 0x69 /* i */) read = "l";
    else if (i + 1 < n) {
      const d = label.charCodeAt(i + 1);
      if (c === 0x72 /* r */ && d === 0x6e /* n */) read = "m";
      else if (c === 0x76 /* v */ && d === 0x76 /* v */) read = "w";
      else if (c === 0x63 /* c */ && (d === 0x6c || d === 0x31 || d === 0x69) /* l 1 i */) {
        read = "d";
      }
      if (read !== "") width = 2;
    }
    if (read === "") continue;
    out += label.slice(copied, i) + read;
    copied = i + width;
    i += width - 1;
  }
  return copied === 0 ? label : out + label.slice(copied);
}

/** Letters folded together for the coarse look-up only (verified afterwards). */
const COARSE: Readonly<Record<string, string>> = {
  n: "m",
  r: "m",
  e: "c",
  v: "u",
  q: "g",
  "9": "g",
  "5": "s",
  "6": "b",
  "2": "z",
  j: "l",
};

/**
 * A coarser reading than `asciiSkeleton`, where several look-alike letters may change
 * at once (nytincs for nytimes, vvashimgtompost for washingtonpost). Too coarse to
 * decide on: labels sharing it are candidates, judged by `visualDistance`.
 */
export function coarseSkeleton(label: string): string {
  return coarsen(asciiSkeleton(label));
}

/** `coarseSkeleton` of a label whose `asciiSkeleton` is `glance`. */
export function coarsen(glance: string): string {
  let out = "";
  for (let i = 0; i < glance.length; i++) {
    const ch = glance[i] as string;
    out += COARSE[ch] ?? ch;
  }
  return out;
}

/** COARSE_CODE[c]: the coarse reading of ASCII code c. */
const COARSE_CODE = new Uint16Array(128).map((_, c) => c);
for (const [from, to] of Object.entries(COARSE)) COARSE_CODE[from.charCodeAt(0)] = to.charCodeAt(0);

/** What `skeletonHashes` computes; one object, reused, so the hot path allocates nothing. */
export interface SkeletonHashes {
  /** `hashString(asciiSkeleton(label))`. */
  glance: number;
  /** `hashString(coarseSkeleton(label))`. */
  coarse: number;
}

const hashes: SkeletonHashes = { glance: 0, coarse: 0 };

/**
 * The hashes of a label's two skeletons, read in one pass without building either
 * string: the detector looks both up for every candidate, and nearly all miss.
 * The returned object is reused by the next call.
 */
export function skeletonHashes(label: string): Readonly<SkeletonHashes> {
  let glance = 0;
  let coarse = 0;
  const n = label.length;
  for (let i = 0; i < n; i++) {
    let c = label.charCodeAt(i);
    if (c === 0x30 /* 0 */) c = 0x6f /* o */;
    else if (c === 0x31 /* 1 */ || c === 0x69 /* i */) c = 0x6c /* l */;
    else if (i + 1 < n) {
      const d = label.charCodeAt(i + 1);
      let read = 0;
      if (c === 0x72 /* r */ && d === 0x6e /* n */) read = 0x6d /* m */;
      else if (c === 0x76 /* v */ && d === 0x76 /* v */) read = 0x77 /* w */;
      else if (c === 0x63 /* c */ && (d === 0x6c || d === 0x31 || d === 0x69) /* l 1 i */) {
        read = 0x64 /* d */;
      }
      if (read !== 0) {
        c = read;
        i++;
      }
    }
    glance = (Math.imul(glance, B) + c) >>> 0;
    coarse = (Math.imul(coarse, B) + (c < 128 ? (COARSE_CODE[c] as number) : c)) >>> 0;
  }
  hashes.glance = glance;
  hashes.coarse = coarse;
  return hashes;
}
