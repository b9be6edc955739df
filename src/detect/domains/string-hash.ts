/** Multiplier of the polynomial hash (an odd constant with well-mixed bits). */
export const B = 0x01000193;

/**
 * Polynomial hash of a string over its UTF-16 code units, mod 2^32. Polynomial so that
 * hashes of strings derived from a label (a deletion, a skeleton) can be computed in a
 * loop over the label without building those strings.
 */
export function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, B) + s.charCodeAt(i)) >>> 0;
  return h;
}

/** A 32-bit hash cut to 30 bits, so a Map keyed by it holds small integers, not boxed numbers. */
export function smallHash(h: number): number {
  return h & 0x3fffffff;
}
