/**
 * Single characters that read alike in most fonts (multi-character look-alikes such as
 * rn for m are in `asciiSkeleton`). One list for both uses: a swap between them costs
 * little in the visual distance, and a one-letter edit between them is named
 * `homoglyph`.
 */
export const LOOK_ALIKE_LETTERS: ReadonlyArray<readonly [string, string]> = [
  ["i", "l"],
  ["l", "1"],
  ["i", "1"],
  ["i", "j"],
  ["o", "0"],
  ["u", "v"],
  ["g", "q"],
  ["e", "c"],
  ["e", "3"],
  ["n", "h"],
  ["m", "n"],
  ["n", "r"],
  ["s", "5"],
  ["b", "6"],
  ["z", "2"],
  ["g", "9"],
];

/** lookAlike[a × 128 + b] = 1 when the ASCII characters a and b read alike. */
const lookAlike = new Uint8Array(128 * 128);
for (const [x, y] of LOOK_ALIKE_LETTERS) {
  lookAlike[x.charCodeAt(0) * 128 + y.charCodeAt(0)] = 1;
  lookAlike[y.charCodeAt(0) * 128 + x.charCodeAt(0)] = 1;
}

/** Whether the characters with codes `a` and `b` read alike (both ASCII, different). */
export function readAlike(a: number, b: number): boolean {
  return a < 128 && b < 128 && lookAlike[a * 128 + b] === 1;
}
