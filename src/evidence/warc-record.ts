import { createHash, randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";

/** What a WARC record holds before it is written. */
export interface WarcRecordInput {
  type: "warcinfo" | "request" | "response" | "metadata" | "resource";
  date: string;
  targetUri?: string;
  ipAddress?: string;
  contentType: string;
  /** The record block: for request and response, the HTTP message as sent or received. */
  block: Buffer;
  /** Other WARC headers (WARC-Concurrent-To, WARC-Warcinfo-ID). */
  headers?: Array<[string, string]>;
  /** Record id; a new `urn:uuid:` when not given. */
  id?: string;
}

/** The digest form written in WARC-Block-Digest and WARC-Payload-Digest: `sha256:<hex>`. */
export function warcDigest(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** A new WARC record id. */
export function warcRecordId(): string {
  return `<urn:uuid:${randomUUID()}>`;
}

/**
 * One WARC/1.1 record (ISO 28500:2017), gzipped on its own so a reader can seek to it
 * and a damaged record spoils only itself. Request and response records also carry the
 * digest of their payload (the HTTP body, content coding kept).
 */
export function warcRecord(input: WarcRecordInput): { id: string; bytes: Buffer } {
  const id = input.id ?? warcRecordId();
  const headers: Array<[string, string]> = [
    ["WARC-Type", input.type],
    ["WARC-Record-ID", id],
    ["WARC-Date", input.date],
  ];
  if (input.targetUri !== undefined) headers.push(["WARC-Target-URI", input.targetUri]);
  if (input.ipAddress !== undefined) headers.push(["WARC-IP-Address", input.ipAddress]);
  headers.push(...(input.headers ?? []));
  headers.push(["WARC-Block-Digest", warcDigest(input.block)]);
  if (input.type === "request" || input.type === "response") {
    headers.push(["WARC-Payload-Digest", warcDigest(httpPayload(input.block))]);
  }
  headers.push(["Content-Type", input.contentType], ["Content-Length", String(input.block.length)]);
  const head = `WARC/1.1\r\n${headers.map(([k, v]) => `${k}: ${clean(v)}\r\n`).join("")}\r\n`;
  const record = Buffer.concat([Buffer.from(head, "utf8"), input.block, Buffer.from("\r\n\r\n")]);
  return { id, bytes: gzipSync(record) };
}

/** The body of an HTTP message block: what follows the first empty line. */
export function httpPayload(block: Buffer): Buffer {
  const end = block.indexOf("\r\n\r\n");
  return end === -1 ? Buffer.alloc(0) : block.subarray(end + 4);
}

/** Header values on one line: a CR or LF in a URL must not start a header of its own. */
function clean(value: string): string {
  return value.replace(/[\r\n]+/g, " ");
}
