/**
 * Perceptual hashes of pictures, compared by the personas detector. Pure: reading and
 * decoding pictures happens before detection (`hashAvatarFiles` in enrich), which hands
 * the detector the 64-bit hashes as 16 hex digits.
 */

const HEX64 = /^[0-9a-f]{16}$/;

/** Width and height of the grey thumbnail a difference hash is computed from. */
export const DHASH_WIDTH = 9;
export const DHASH_HEIGHT = 8;

/** Whether `hash` is a 64-bit perceptual hash as 16 lower-case hex digits. */
export function isPerceptualHash(hash: unknown): hash is string {
  return typeof hash === "string" && HEX64.test(hash);
}

/** Bits in which two 64-bit hashes (16 hex digits each) differ. */
export function hammingDistance(a: string, b: string): number {
  let bits = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x !== 0) {
      x &= x - 1;
      bits++;
    }
  }
  return bits;
}

/**
 * The difference hash (dHash) of a 9 × 8 grey thumbnail, one byte a pixel, row by row:
 * each bit says whether a pixel is brighter than its right neighbour. Re-encoding,
 * resizing and small colour changes move a few bits; another picture about half.
 */
export function differenceHash(grey: Uint8Array): string {
  if (grey.length !== DHASH_WIDTH * DHASH_HEIGHT) {
    throw new RangeError(`a difference hash needs ${DHASH_WIDTH * DHASH_HEIGHT} grey pixels`);
  }
  let hex = "";
  for (let row = 0; row < DHASH_HEIGHT; row++) {
    let byte = 0;
    for (let col = 0; col < DHASH_WIDTH - 1; col++) {
      const left = grey[row * DHASH_WIDTH + col] as number;
      const right = grey[row * DHASH_WIDTH + col + 1] as number;
      byte = (byte << 1) | (left > right ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, "0");
  }
  return hex;
}
