/**
 * A 600-entry log for the tiled CT tests: two full data tiles and a partial one of 88.
 * Entries 0–99 are those of the RFC 6962 test log (its lookalikes and bad name), except
 * that its cut-short entry 37 is a harmless certificate here; then harmless certificates
 * and precertificates, one leaf of an unknown entry type in the second tile (so the
 * rest of that tile cannot be read), and a renewal of a lookalike in the partial tile.
 */
import { issueCertificate, issuePrecertificate } from "./certificates.js";
import {
  BAD_NAME_INDEX,
  ca,
  LOG_ENTRIES,
  LOOKALIKE_SIGHTINGS,
  MALFORMED_INDEX,
  T0,
} from "./ct-fixture.js";
import { precertEntry, type TestLogEntry, x509Entry, x509Leaf } from "./ct-log-server.js";

export { BAD_NAME_INDEX, LOOKALIKES, T0, watchlist } from "./ct-fixture.js";

export const TILED_ENTRY_COUNT = 600;
/** The leaf of unknown entry type 7: entries after it in its tile (up to 511) are unreadable. */
export const TILED_MALFORMED_INDEX = 500;
/** The last entry of the tile that holds the malformed leaf. */
export const TILED_MALFORMED_TILE_END = 511;
/** A precertificate for fox-news.in and www.fox-news.in, in the partial tile. */
export const PARTIAL_TILE_LOOKALIKE_INDEX = 560;
/** Observations behind findings when the whole log is read. */
export const TILED_LOOKALIKE_SIGHTINGS = LOOKALIKE_SIGHTINGS + 2;

function harmless(i: number): TestLogEntry {
  const at = T0 + i * 1000;
  const spec = { serial: i + 100, notBefore: new Date(at) };
  return i % 2 === 0
    ? x509Entry(
        ca,
        issueCertificate(ca, {
          ...spec,
          commonName: `shop-${i}.example.com`,
          dnsNames: [`shop-${i}.example.com`],
        }),
        at,
      )
    : precertEntry(
        ca,
        issuePrecertificate(ca, { ...spec, dnsNames: [`news-${i}.example.org`] }),
        at,
      );
}

function build(): TestLogEntry[] {
  const entries: TestLogEntry[] = [];
  for (let i = 0; i < TILED_ENTRY_COUNT; i++) {
    const at = T0 + i * 1000;
    if (i < LOG_ENTRIES.length && i !== MALFORMED_INDEX) {
      entries.push(LOG_ENTRIES[i] as TestLogEntry);
    } else if (i === TILED_MALFORMED_INDEX) {
      const leaf = x509Leaf(at, issueCertificate(ca, { dnsNames: ["unknown-type.example"] }));
      leaf.writeUInt16BE(7, 10); // entry_type: neither x509 (0) nor precert (1)
      entries.push({ leafInput: leaf, extraData: Buffer.alloc(0) });
    } else if (i === PARTIAL_TILE_LOOKALIKE_INDEX) {
      entries.push(
        precertEntry(
          ca,
          issuePrecertificate(ca, {
            serial: i + 100,
            notBefore: new Date(at),
            dnsNames: ["fox-news.in", "www.fox-news.in"],
          }),
          at,
        ),
      );
    } else {
      entries.push(harmless(i));
    }
  }
  return entries;
}

/** The tiled log's entries (built once; buffers are never changed). */
export const TILED_ENTRIES: readonly TestLogEntry[] = build();

/** Problems a full read reports, as `[index, code]` in log order. */
export const TILED_PROBLEMS: ReadonlyArray<[number, string]> = [
  [BAD_NAME_INDEX, "VIGIL_ERR_INPUT_DOMAIN"],
  ...Array.from(
    { length: TILED_MALFORMED_TILE_END - TILED_MALFORMED_INDEX + 1 },
    (_, k): [number, string] => [TILED_MALFORMED_INDEX + k, "VIGIL_ERR_CT_ENTRY"],
  ),
];
