/**
 * MurmurHash3 x86 32-bit of `data` (Austin Appleby's public-domain reference, read
 * little-endian byte by byte so the result does not depend on the machine), as an
 * unsigned integer.
 */
export function murmur3x86_32(data: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = data.length >>> 2;
  for (let i = 0; i < blocks; i++) {
    const o = i * 4;
    let k =
      (data[o] as number) |
      ((data[o + 1] as number) << 8) |
      ((data[o + 2] as number) << 16) |
      ((data[o + 3] as number) << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  // The 1-3 bytes left over (the reference's fall-through switch, written without one).
  const tail = blocks * 4;
  const left = data.length & 3;
  if (left > 0) {
    let k = 0;
    if (left === 3) k ^= (data[tail + 2] as number) << 16;
    if (left >= 2) k ^= (data[tail + 1] as number) << 8;
    k ^= data[tail] as number;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= data.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
