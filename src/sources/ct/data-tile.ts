import type { CtRawEntry } from "./ct-client.js";

/** Entries in a full tile (c2sp.org/tlog-tiles); the rightmost tile may hold fewer. */
export const TILE_WIDTH = 256;
/** RFC 6962 §3.2: `opaque Fingerprint[32]`, SHA-256 of an issuer certificate. */
const FINGERPRINT_BYTES = 32;
const ISSUER_KEY_HASH_BYTES = 32;

/**
 * A tile index as path elements (c2sp.org/tlog-tiles): three digits each, all but the
 * last prefixed with `x`.
 *
 * @example
 * tileIndexPath(1234067) // "x001/x234/067"
 * tileIndexPath(5)       // "005"
 */
export function tileIndexPath(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`bad tile index ${index}`);
  const digits = String(index);
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, "0");
  const groups = padded.match(/\d{3}/g) as string[];
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join("/");
}

/**
 * The path of a data tile below the monitoring prefix: `tile/data/<N>`, or
 * `tile/data/<N>.p/<W>` for a partial tile of `width` (1 to 255) entries.
 */
export function dataTilePath(index: number, width = TILE_WIDTH): string {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new RangeError(`bad tile width ${width}`);
  }
  const base = `tile/data/${tileIndexPath(index)}`;
  return width === TILE_WIDTH ? base : `${base}.p/${width}`;
}

/** Where a tile's framing broke: the lengths after it are unknown. */
class FramingError extends Error {}

/**
 * Reads the first `count` entries of a data tile (c2sp.org/static-ct-api), each a
 * `TileLeaf`, as RFC 6962 `MerkleTreeLeaf`s that `readCtEntry` decodes unchanged (the
 * `TimestampedEntry` prefixed with v1 and timestamped_entry). Bytes after `count` entries
 * are ignored, as `CtClient` ignores surplus entries.
 *
 * ```
 * TileLeaf { TimestampedEntry timestamped_entry;
 *   precert_entry only: ASN.1Cert pre_certificate<1..2^24-1>;
 *   Fingerprint certificate_chain<0..2^16-1>; }      (Fingerprint: opaque[32])
 * ```
 *
 * Never throws on bad input. A leaf whose lengths run past the tile, or whose entry type
 * is unknown, is reported as `ok: false`; since the next leaf's start is then unknown,
 * every entry after it in the tile is reported as unreadable too, saying why. Entries a
 * short tile lacks are reported likewise.
 *
 * @param firstIndex the log index of the tile's first entry, for messages.
 */
export function readDataTile(tile: Uint8Array, count: number, firstIndex = 0): CtRawEntry[] {
  if (!Number.isInteger(count) || count < 0 || count > TILE_WIDTH) {
    throw new RangeError(`bad entry count ${count}`);
  }
  const entries: CtRawEntry[] = [];
  const fill = (message: string) => {
    while (entries.length < count) entries.push({ ok: false, message });
  };
  let at = 0;
  while (entries.length < count && at < tile.length) {
    try {
      const leaf = frameLeaf(tile, at);
      entries.push({ ok: true, leafInput: leaf.leafInput });
      at = leaf.end;
    } catch (err) {
      if (!(err instanceof FramingError)) throw err;
      const bad = firstIndex + entries.length;
      entries.push({ ok: false, message: `malformed tile leaf: ${err.message}` });
      fill(
        `unreadable: entry ${bad} before it in the same data tile is malformed, so where this entry starts is unknown`,
      );
    }
  }
  fill(`missing: the data tile holds ${entries.length} entries, not ${count}`);
  return entries;
}

/** The TileLeaf at `start`: its MerkleTreeLeaf, and where the next leaf begins. */
function frameLeaf(tile: Uint8Array, start: number): { leafInput: Uint8Array; end: number } {
  const view = new DataView(tile.buffer, tile.byteOffset, tile.byteLength);
  let at = start;
  const need = (n: number, what: string) => {
    if (tile.length - at < n) {
      throw new FramingError(
        `${what} needs ${n} bytes at offset ${at - start} of the leaf, ${tile.length - at} remain in the tile`,
      );
    }
  };
  const uint24 = () => (view.getUint8(at) << 16) | view.getUint16(at + 1);
  need(10, "timestamp and entry type");
  const type = view.getUint16(at + 8);
  at += 10;
  if (type === 1) {
    need(ISSUER_KEY_HASH_BYTES, "issuer_key_hash");
    at += ISSUER_KEY_HASH_BYTES;
  } else if (type !== 0) {
    throw new FramingError(`unknown entry type ${type}`);
  }
  const what = type === 0 ? "certificate" : "TBSCertificate";
  need(3, `${what} length`);
  const length = uint24();
  at += 3;
  need(length, what);
  at += length;
  need(2, "extensions length");
  const extensions = view.getUint16(at);
  at += 2;
  need(extensions, "extensions");
  at += extensions;
  const timestampedEnd = at;
  if (type === 1) {
    // The precertificate itself is not read: the TBSCertificate holds its names.
    need(3, "pre_certificate length");
    const pre = uint24();
    at += 3;
    need(pre, "pre_certificate");
    at += pre;
  }
  need(2, "certificate_chain length");
  const chain = view.getUint16(at);
  at += 2;
  if (chain % FINGERPRINT_BYTES !== 0) {
    throw new FramingError(
      `certificate_chain of ${chain} bytes is not a list of ${FINGERPRINT_BYTES}-byte fingerprints`,
    );
  }
  need(chain, "certificate_chain");
  at += chain;
  // A MerkleTreeLeaf is the TimestampedEntry after v1 (0) and timestamped_entry (0).
  const leafInput = new Uint8Array(2 + timestampedEnd - start);
  leafInput.set(tile.subarray(start, timestampedEnd), 2);
  return { leafInput, end: at };
}
