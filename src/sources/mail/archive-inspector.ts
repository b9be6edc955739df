import { Inflate } from "fflate";
import {
  type ArchiveEntry,
  type ArchiveSummary,
  MAX_ARCHIVE_ENTRIES_LISTED,
} from "../../model/index.js";

/** Entries read from one archive's directory (nested ones included): a bomb of names. */
export const MAX_ARCHIVE_ENTRIES = 10_000;
/** Declared uncompressed bytes of an archive: past this it is a bomb, never expanded. */
export const MAX_ARCHIVE_DECLARED_BYTES = 512 * 1024 * 1024;
/** Declared size over compressed size of one entry (of 1 MiB or more): deflate rarely passes 20 on real files. */
export const MAX_ARCHIVE_RATIO = 100;
/** Archives inside archives opened: depth 3 covers zip-in-zip lures, not recursive bombs. */
export const MAX_ARCHIVE_DEPTH = 3;
/** Bytes a nested archive is inflated to, at most, to read its directory. */
export const MAX_NESTED_ARCHIVE_BYTES = 10 * 1024 * 1024;
/** Compressed bytes handed to the inflater at a time, so a bomb overshoots the cap by ≤ ~1 MiB. */
const INFLATE_SLICE = 1024;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

interface Walk {
  entries: ArchiveEntry[];
  count: number;
  declared: number;
  ratio: number;
  encrypted: boolean;
  bomb: Set<string>;
  error?: string;
}

/**
 * Reads a zip archive's central directory — names, sizes, encryption — without
 * extracting anything, and opens zips inside it (to `MAX_ARCHIVE_DEPTH`) by inflating
 * them under a byte cap. A zip bomb is told from what it declares (total size, ratio,
 * entry count, entries sharing their data) and reported, not expanded. A damaged
 * archive yields what could be read and an `error`.
 */
export function inspectZip(bytes: Uint8Array): ArchiveSummary {
  const walk: Walk = {
    entries: [],
    count: 0,
    declared: 0,
    ratio: 0,
    encrypted: false,
    bomb: new Set(),
  };
  readDirectory(bytes, 1, walk);
  return {
    format: "zip",
    entries: walk.entries,
    entryCount: walk.count,
    declaredSize: walk.declared,
    ratio: Math.round(walk.ratio * 10) / 10,
    encrypted: walk.encrypted,
    bomb: [...walk.bomb],
    ...(walk.error === undefined ? {} : { error: walk.error }),
  };
}

function readDirectory(bytes: Uint8Array, depth: number, walk: Walk): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEocd(view);
  if (eocd < 0) {
    walk.error ??= `no zip directory found at depth ${depth}`;
    return;
  }
  const total = view.getUint16(eocd + 10, true);
  const start = view.getUint32(eocd + 16, true);
  let at = start;
  const offsets = new Set<number>();
  for (let n = 0; n < total; n++) {
    if (walk.count >= MAX_ARCHIVE_ENTRIES) {
      walk.bomb.add("archive-entries");
      return;
    }
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) {
      walk.error ??= `damaged zip directory at entry ${n + 1} (depth ${depth})`;
      return;
    }
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    let compressed = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let local = view.getUint32(at + 42, true);
    const nameEnd = at + 46 + nameLength;
    if (nameEnd + extraLength > bytes.length) {
      walk.error ??= `damaged zip directory at entry ${n + 1} (depth ${depth})`;
      return;
    }
    const name = new TextDecoder("utf-8", { fatal: false }).decode(
      bytes.subarray(at + 46, nameEnd),
    );
    // Zip64 sizes live in extra field 0x0001, in the order of the fields set to 0xFFFFFFFF.
    if (size === 0xffffffff || compressed === 0xffffffff || local === 0xffffffff) {
      const z64 = zip64Extra(view, nameEnd, extraLength);
      let i = 0;
      if (size === 0xffffffff) size = z64[i++] ?? size;
      if (compressed === 0xffffffff) compressed = z64[i++] ?? compressed;
      if (local === 0xffffffff) local = z64[i++] ?? local;
    }
    walk.count++;
    const encrypted = (flags & 1) === 1;
    walk.encrypted ||= encrypted;
    walk.declared += size;
    const ratio = size / Math.max(1, compressed);
    if (size >= 1024 * 1024) walk.ratio = Math.max(walk.ratio, ratio);
    if (size >= 1024 * 1024 && ratio > MAX_ARCHIVE_RATIO) walk.bomb.add("archive-ratio");
    if (walk.declared > MAX_ARCHIVE_DECLARED_BYTES) walk.bomb.add("archive-size");
    // Entries sharing one local header overlap: the trick of the non-recursive zip bombs.
    if (offsets.has(local)) walk.bomb.add("archive-overlap");
    offsets.add(local);
    if (walk.entries.length < MAX_ARCHIVE_ENTRIES_LISTED) {
      walk.entries.push({
        name: name.slice(0, 1000),
        size,
        compressedSize: compressed,
        encrypted,
        depth,
      });
    }
    if (
      /\.zip$/i.test(name) &&
      depth < MAX_ARCHIVE_DEPTH &&
      !encrypted &&
      walk.bomb.size === 0 &&
      size <= MAX_NESTED_ARCHIVE_BYTES
    ) {
      const inner = entryData(bytes, view, local, method, compressed, size, walk);
      if (inner !== undefined) readDirectory(inner, depth + 1, walk);
    } else if (/\.zip$/i.test(name) && depth >= MAX_ARCHIVE_DEPTH) {
      walk.bomb.add("archive-depth");
    }
    at = nameEnd + extraLength + commentLength;
  }
}

/** The End Of Central Directory record: within the last 64 KiB + 22 bytes (the comment). */
function findEocd(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let i = view.byteLength - 22; i >= lowest; i--) {
    if (view.getUint32(i, true) === EOCD) return i;
  }
  return -1;
}

function zip64Extra(view: DataView, from: number, length: number): number[] {
  let at = from;
  const end = from + length;
  while (at + 4 <= end) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 1) {
      const out: number[] = [];
      for (let i = at + 4; i + 8 <= Math.min(end, at + 4 + size); i += 8) {
        out.push(Number(view.getBigUint64(i, true)));
      }
      return out;
    }
    at += 4 + size;
  }
  return [];
}

/** An entry's bytes (stored or deflated), inflated under the nested-archive cap. */
function entryData(
  bytes: Uint8Array,
  view: DataView,
  local: number,
  method: number,
  compressed: number,
  size: number,
  walk: Walk,
): Uint8Array | undefined {
  if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) return undefined;
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  const data = bytes.subarray(start, Math.min(bytes.length, start + compressed));
  if (method === 0) return data;
  if (method !== 8) return undefined;
  const chunks: Uint8Array[] = [];
  let out = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    out += chunk.length;
    if (out > MAX_NESTED_ARCHIVE_BYTES || out > size) over = true;
    else chunks.push(chunk);
  });
  try {
    for (let i = 0; i < data.length && !over; i += INFLATE_SLICE) {
      inflater.push(data.subarray(i, i + INFLATE_SLICE), i + INFLATE_SLICE >= data.length);
    }
  } catch {
    return undefined;
  }
  if (over) {
    // It inflates past what its directory declares, or past the cap: a lie or a bomb.
    walk.bomb.add("archive-size");
    return undefined;
  }
  const result = new Uint8Array(out);
  let at = 0;
  for (const chunk of chunks) {
    result.set(chunk, at);
    at += chunk.length;
  }
  return result;
}
