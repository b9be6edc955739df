import { gunzipSync } from "node:zlib";
import { VigilError } from "../errors.js";
import { httpPayload, warcDigest } from "./warc-record.js";

/** Largest WARC file verified: a capture is one page and its favicon, well below this. */
export const MAX_WARC_BYTES = 256 * 1024 * 1024;
/** Records read from one file. */
export const MAX_WARC_RECORDS = 10_000;

/** A record read back: its headers and block. */
export interface WarcRecordRead {
  headers: Map<string, string>;
  block: Buffer;
}

/**
 * Reads the records of a WARC file (gzipped per record, or not at all).
 *
 * @throws VigilError `VIGIL_ERR_EVIDENCE_BROKEN` for a file that is not a well-formed WARC.
 */
export function readWarc(file: Buffer): WarcRecordRead[] {
  let data: Buffer;
  try {
    data =
      file[0] === 0x1f && file[1] === 0x8b
        ? gunzipSync(file, { maxOutputLength: MAX_WARC_BYTES })
        : file;
  } catch (err) {
    throw new VigilError(
      "VIGIL_ERR_EVIDENCE_BROKEN",
      `not a readable gzip stream: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const records: WarcRecordRead[] = [];
  let at = 0;
  while (at < data.length) {
    if (records.length >= MAX_WARC_RECORDS) {
      throw new VigilError("VIGIL_ERR_EVIDENCE_BROKEN", `more than ${MAX_WARC_RECORDS} records`);
    }
    const headEnd = data.indexOf("\r\n\r\n", at);
    if (headEnd === -1)
      throw new VigilError(
        "VIGIL_ERR_EVIDENCE_BROKEN",
        `record ${records.length + 1}: no end of headers`,
      );
    const lines = data.subarray(at, headEnd).toString("utf8").split("\r\n");
    if (lines[0] !== "WARC/1.1" && lines[0] !== "WARC/1.0") {
      throw new VigilError(
        "VIGIL_ERR_EVIDENCE_BROKEN",
        `record ${records.length + 1}: does not start with WARC/1.1`,
      );
    }
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0)
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const length = Number(headers.get("content-length"));
    if (!Number.isInteger(length) || length < 0 || headEnd + 4 + length > data.length) {
      throw new VigilError(
        "VIGIL_ERR_EVIDENCE_BROKEN",
        `record ${records.length + 1}: bad Content-Length`,
      );
    }
    const block = data.subarray(headEnd + 4, headEnd + 4 + length);
    records.push({ headers, block });
    at = headEnd + 4 + length;
    if (data.subarray(at, at + 4).toString("latin1") !== "\r\n\r\n") {
      throw new VigilError(
        "VIGIL_ERR_EVIDENCE_BROKEN",
        `record ${records.length}: no blank lines after the block`,
      );
    }
    at += 4;
  }
  return records;
}

/**
 * Checks every record's WARC-Block-Digest and WARC-Payload-Digest; returns what is
 * wrong with the first record that fails, or undefined when all hold.
 */
export function checkWarcDigests(records: readonly WarcRecordRead[]): string | undefined {
  for (const [i, record] of records.entries()) {
    const what =
      `record ${i + 1} (${record.headers.get("warc-type") ?? "?"} ${record.headers.get("warc-target-uri") ?? ""})`.trimEnd();
    const block = record.headers.get("warc-block-digest");
    if (block === undefined) return `${what}: no WARC-Block-Digest`;
    if (block !== warcDigest(record.block)) return `${what}: block digest does not match`;
    const payload = record.headers.get("warc-payload-digest");
    if (payload !== undefined && payload !== warcDigest(httpPayload(record.block))) {
      return `${what}: payload digest does not match`;
    }
  }
  return undefined;
}
