import { createHash } from "node:crypto";
import { hashImage } from "./avatar-hash.js";
import { murmur3x86_32 } from "./murmur3.js";

/** A favicon bigger than this is not hashed (real ones are < 100 KiB). */
export const MAX_FAVICON_BYTES = 1024 * 1024;
/** Images looked at inside one .ico file. */
export const MAX_ICO_IMAGES = 64;

/** The fingerprints of one favicon. */
export interface FaviconHashes {
  /** Shodan's `http.favicon.hash` (signed 32-bit), searchable there and in Censys. */
  mmh3: number;
  sha256: string;
  md5: string;
  /** Difference hash (64 bits, hex) of the picture, near for look-alike icons; absent when it cannot be decoded. */
  dhash?: string;
  bytes: number;
}

/**
 * Shodan's favicon hash: MurmurHash3 x86 32 of the base64 of the file, with a line
 * break after every 76 characters and at the end (Python's `base64.encodebytes`), as
 * a signed 32-bit integer.
 */
export function shodanFaviconHash(icon: Uint8Array): number {
  const b64 = Buffer.from(icon).toString("base64");
  let wrapped = "";
  for (let i = 0; i < b64.length; i += 76) wrapped += `${b64.slice(i, i + 76)}\n`;
  return murmur3x86_32(Buffer.from(wrapped, "latin1")) | 0;
}

/**
 * All the fingerprints of a favicon. The perceptual hash decodes PNG, JPEG, GIF, WebP
 * and SVG through sharp; sharp cannot read .ico, so of an .ico the largest PNG image
 * inside is used (modern icons hold one), and a BMP-only icon gets no perceptual hash.
 */
export async function hashFavicon(icon: Buffer): Promise<FaviconHashes> {
  const hashes: FaviconHashes = {
    mmh3: shodanFaviconHash(icon),
    sha256: createHash("sha256").update(icon).digest("hex"),
    md5: createHash("md5").update(icon).digest("hex"),
    bytes: icon.length,
  };
  const picture = isIco(icon) ? largestPngInIco(icon) : icon;
  if (picture !== undefined) {
    try {
      hashes.dhash = await hashImage(picture);
    } catch {
      // Not a picture sharp can read: the byte hashes still identify it.
    }
  }
  return hashes;
}

function isIco(data: Buffer): boolean {
  return data.length >= 6 && data.readUInt16LE(0) === 0 && data.readUInt16LE(2) === 1;
}

/** The largest PNG image in an ICO directory, if any. */
function largestPngInIco(data: Buffer): Buffer | undefined {
  const count = Math.min(data.readUInt16LE(4), MAX_ICO_IMAGES);
  let best: Buffer | undefined;
  for (let i = 0; i < count; i++) {
    const entry = 6 + i * 16;
    if (entry + 16 > data.length) break;
    const size = data.readUInt32LE(entry + 8);
    const offset = data.readUInt32LE(entry + 12);
    if (offset + size > data.length || size < 8) continue;
    const image = data.subarray(offset, offset + size);
    const png = image.readUInt32BE(0) === 0x89504e47;
    if (png && (best === undefined || image.length > best.length)) best = image;
  }
  return best;
}
