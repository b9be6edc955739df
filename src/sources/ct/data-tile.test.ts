import { describe, expect, it } from "vitest";
import {
  issueCertificate,
  issuePrecertificate,
  makeCa,
} from "../../../test/support/certificates.js";
import {
  precertEntry,
  type TestLogEntry,
  uint16,
  x509Entry,
} from "../../../test/support/ct-log-server.js";
import { prng } from "../../../test/support/random.js";
import { tileLeafOf } from "../../../test/support/tiled-log-server.js";
import { readCtEntry } from "./ct-entry.js";
import { dataTilePath, readDataTile, TILE_WIDTH, tileIndexPath } from "./data-tile.js";

const ca = makeCa();
const T = Date.UTC(2024, 7, 16, 12, 0, 0);

const x509 = x509Entry(
  ca,
  issueCertificate(ca, { dnsNames: ["washingtonpost.pm", "*.washingtonpost.pm"] }),
  T,
);
const precert = precertEntry(
  ca,
  issuePrecertificate(ca, { dnsNames: ["fox-news.in", "www.fox-news.in"] }),
  T + 1,
);
const tileOf = (...entries: TestLogEntry[]) => Buffer.concat(entries.map(tileLeafOf));

function names(entry: ReturnType<typeof readDataTile>[number] | undefined) {
  if (entry?.ok !== true) throw new Error(`not read: ${JSON.stringify(entry)}`);
  const result = readCtEntry(entry.leafInput);
  if (!result.ok) throw new Error(result.message);
  return result.entry;
}

describe("tile paths (c2sp.org/tlog-tiles)", () => {
  it.each([
    [0, "000"],
    [5, "005"],
    [999, "999"],
    [1000, "x001/000"],
    [1234067, "x001/x234/067"],
    [Number.MAX_SAFE_INTEGER, "x009/x007/x199/x254/x740/991"],
  ])("encodes index %d as %s", (index, path) => {
    expect(tileIndexPath(index)).toBe(path);
  });

  it("names full and partial data tiles, and refuses what cannot be a tile", () => {
    expect(dataTilePath(1234067)).toBe("tile/data/x001/x234/067");
    expect(dataTilePath(3, 88)).toBe("tile/data/003.p/88");
    expect(dataTilePath(0, 1)).toBe("tile/data/000.p/1");
    expect(() => dataTilePath(-1)).toThrow(RangeError);
    expect(() => dataTilePath(1.5)).toThrow(RangeError);
    expect(() => dataTilePath(0, 0)).toThrow(RangeError);
    expect(() => dataTilePath(0, 257)).toThrow(RangeError);
  });
});

describe("readDataTile", () => {
  it("reads x509 and precert TileLeafs as MerkleTreeLeafs readCtEntry decodes", () => {
    const entries = readDataTile(tileOf(x509, precert, x509), 3);
    expect(entries).toHaveLength(3);
    // The TimestampedEntry with [v1, timestamped_entry] before it is the RFC 6962 leaf.
    expect(entries[0]).toEqual({ ok: true, leafInput: new Uint8Array(x509.leafInput) });
    expect(entries[1]).toEqual({ ok: true, leafInput: new Uint8Array(precert.leafInput) });
    expect(names(entries[0])).toMatchObject({
      entryType: "x509",
      timestamp: T,
      names: ["washingtonpost.pm", "*.washingtonpost.pm"],
    });
    expect(names(entries[1])).toMatchObject({
      entryType: "precert",
      timestamp: T + 1,
      names: ["fox-news.in", "www.fox-news.in"],
    });
  });

  it("reports a malformed leaf, and the rest of its tile as unreadable, keeping those before", () => {
    const unknown = Buffer.from(tileLeafOf(x509));
    unknown.writeUInt16BE(9, 8); // entry_type 9
    const entries = readDataTile(
      Buffer.concat([tileOf(x509, precert), unknown, tileOf(x509)]),
      4,
      512,
    );
    expect(entries.map((e) => e.ok)).toEqual([true, true, false, false]);
    expect(entries[2]).toEqual({ ok: false, message: "malformed tile leaf: unknown entry type 9" });
    expect(entries[3]).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^unreadable: entry 514 before it in the same data tile/),
    });
  });

  it("reports lengths that run past the tile and chains that are not fingerprints", () => {
    const whole = tileOf(x509, precert);
    const cut = readDataTile(whole.subarray(0, whole.length - 10), 2);
    expect(cut[0]?.ok).toBe(true);
    expect(cut[1]).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^malformed tile leaf: certificate_chain needs 32 bytes/),
    });
    const leaf = tileLeafOf(x509);
    const oddChain = Buffer.concat([
      leaf.subarray(0, leaf.length - 34),
      uint16(31),
      Buffer.alloc(31),
    ]);
    expect(readDataTile(oddChain, 1)[0]).toMatchObject({
      ok: false,
      message: expect.stringContaining("certificate_chain of 31 bytes is not a list"),
    });
  });

  it("reports entries a short tile lacks, and ignores bytes after the entries asked for", () => {
    const short = readDataTile(tileOf(x509), 3);
    expect(short.map((e) => (e.ok ? "ok" : e.message))).toEqual([
      "ok",
      "missing: the data tile holds 1 entries, not 3",
      "missing: the data tile holds 1 entries, not 3",
    ]);
    expect(readDataTile(tileOf(x509, precert, x509), 2).map((e) => e.ok)).toEqual([true, true]);
    expect(readDataTile(new Uint8Array(), 0)).toEqual([]);
    expect(() => readDataTile(new Uint8Array(), TILE_WIDTH + 1)).toThrow(RangeError);
  });

  it("never throws on mutated tiles, and always answers the count asked (seeded fuzz)", () => {
    const random = prng(6962);
    const tile = tileOf(x509, precert, x509, precert);
    for (let round = 0; round < 500; round++) {
      const bytes = Buffer.from(tile);
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++) {
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      }
      const length = random() < 0.3 ? Math.floor(random() * bytes.length) : bytes.length;
      const entries = readDataTile(bytes.subarray(0, length), 4);
      expect(entries).toHaveLength(4);
      for (const entry of entries) if (entry.ok) readCtEntry(entry.leafInput);
    }
  });
});
