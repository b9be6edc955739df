/**
 * A Static CT API log (c2sp.org/static-ct-api) for tests: node:http on 127.0.0.1 serving
 * `checkpoint` and the data tiles `tile/data/<N>[.p/<W>]` of the same entries the RFC
 * 6962 test log serves, optionally gzip-encoded. It records every request and can be
 * told to fail, stall, hold entries back or drop partial tiles once the full tile exists.
 */
import { createHash, sign } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { merkleTreeHash, TestLog, type TestLogEntry, uint16, uint64 } from "./ct-log-server.js";

/** Entries in a full tile. */
export const TILE = 256;

/** An answer forced on the next request(s) instead of the real one. */
export interface TiledFault {
  status: number;
  retryAfter?: string;
  body?: string | Buffer;
  /** Only for this endpoint; any when unset. */
  endpoint?: "checkpoint" | "tile";
  stallMs?: number;
}

export interface TiledRequest {
  endpoint: "checkpoint" | "tile" | "other";
  /** Data tile index, and width (256 for a full tile). */
  tile?: number;
  width?: number;
  status: number;
}

const sha256 = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest();

/**
 * The `TileLeaf` of an entry: its `TimestampedEntry` (the MerkleTreeLeaf without its two
 * leading bytes), the precertificate for a precert entry, and the SHA-256 fingerprints of
 * the chain, all taken from the entry's RFC 6962 `extra_data`. An entry of an unknown
 * type is its `TimestampedEntry` alone.
 */
export function tileLeafOf(entry: TestLogEntry): Buffer {
  const timestamped = entry.leafInput.subarray(2);
  const type = entry.leafInput.length >= 12 ? entry.leafInput.readUInt16BE(10) : -1;
  if (type !== 0 && type !== 1) return Buffer.from(timestamped);
  let at = 0;
  const extra = entry.extraData;
  const parts: Buffer[] = [timestamped];
  if (type === 1) {
    const length = extra.readUIntBE(0, 3);
    parts.push(extra.subarray(0, 3 + length)); // pre_certificate, length included
    at = 3 + length;
  }
  const chain: Buffer[] = [];
  if (extra.length > at) {
    const end = at + 3 + extra.readUIntBE(at, 3);
    for (at += 3; at < end; ) {
      const length = extra.readUIntBE(at, 3);
      chain.push(sha256(extra.subarray(at + 3, at + 3 + length)));
      at += 3 + length;
    }
  }
  parts.push(uint16(32 * chain.length), ...chain);
  return Buffer.concat(parts);
}

/** A tile index as 3-digit path elements, all but the last prefixed with `x`. */
export function encodeTileIndex(index: number): string {
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, "0"));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join("/");
}

export class TiledLogServer extends TestLog {
  readonly requests: TiledRequest[] = [];
  readonly faults: TiledFault[] = [];
  /** Answer 404 for a partial tile once its full tile exists (logs may drop them). */
  dropPartials = false;
  readonly #gzip: boolean;
  #origin = "";

  private constructor(entries: TestLogEntry[], gzip: boolean, path: string) {
    super(entries, path);
    this.#gzip = gzip;
  }

  /** Starts a log on 127.0.0.1 at a free port; its monitoring prefix ends in `path`. */
  static async start(
    entries: TestLogEntry[],
    options: { path?: string; gzip?: boolean } = {},
  ): Promise<TiledLogServer> {
    const log = new TiledLogServer([...entries], options.gzip ?? false, options.path ?? "/tiled/");
    const port = await log.listen();
    // static-ct-api: the origin is the submission prefix without scheme or trailing slash.
    log.#origin = `127.0.0.1:${port}${log.path.replace(/\/+$/, "")}`;
    return log;
  }

  get origin(): string {
    return this.#origin;
  }

  /** The data tiles asked for, as `index` or `index.p/width`, in order. */
  tilesAsked(): string[] {
    return this.requests
      .filter((r) => r.endpoint === "tile" && r.tile !== undefined)
      .map((r) => (r.width === TILE ? `${r.tile}` : `${r.tile}.p/${r.width}`));
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const rest = url.pathname.startsWith(this.path) ? url.pathname.slice(this.path.length) : "";
    const endpoint =
      rest === "checkpoint" ? "checkpoint" : rest.startsWith("tile/") ? "tile" : "other";
    if (this.delayMs > 0) await sleep(this.delayMs);
    const faultAt = this.faults.findIndex(
      (f) => f.endpoint === undefined || f.endpoint === endpoint,
    );
    if (faultAt >= 0) {
      const [fault] = this.faults.splice(faultAt, 1) as [TiledFault];
      if (fault.stallMs !== undefined) await sleep(fault.stallMs);
      this.requests.push({ endpoint, status: fault.status, ...tileOf(rest) });
      if (fault.retryAfter !== undefined) res.setHeader("retry-after", fault.retryAfter);
      res.statusCode = fault.status;
      res.end(fault.body ?? `injected ${fault.status}`);
      return;
    }
    if (req.method !== "GET") return this.#reply(res, endpoint, 405, "GET only");
    if (endpoint === "checkpoint") return this.#checkpoint(res);
    if (endpoint === "tile") return this.#tile(rest, res);
    return this.#reply(res, endpoint, 404, "not found");
  }

  #checkpoint(res: ServerResponse): void {
    const size = this.treeSize;
    const timestamp = Date.UTC(2024, 7, 16, 12, 0, 0) + size;
    const root = merkleTreeHash(this.entries.slice(0, size).map((e) => e.leafInput));
    // RFC 6962 §3.5 TreeHeadSignature as a DigitallySigned (sha256, ecdsa) …
    const signed = Buffer.concat([Buffer.from([0, 1]), uint64(timestamp), uint64(size), root]);
    const signature = sign("sha256", signed, this.keyPair.privateKey);
    const digitallySigned = Buffer.concat([
      Buffer.from([4, 3]),
      uint16(signature.length),
      signature,
    ]);
    // … in a note signature (static-ct-api): key ID, then RFC6962NoteSignature.
    const keyId = sha256(
      Buffer.from(`${this.#origin}\n`),
      Buffer.from([0x05]),
      Buffer.from(this.logId, "base64"),
    ).subarray(0, 4);
    const note = Buffer.concat([keyId, uint64(timestamp), digitallySigned]).toString("base64");
    const body = `${this.#origin}\n${size}\n${root.toString("base64")}\n\n— ${this.#origin} ${note}\n`;
    this.requests.push({ endpoint: "checkpoint", status: 200 });
    res.setHeader("content-type", "text/plain; charset=utf-8");
    res.end(body);
  }

  #tile(rest: string, res: ServerResponse): void {
    const asked = tileOf(rest);
    const { tile, width } = asked;
    const size = this.treeSize;
    const first = (tile ?? 0) * TILE;
    const fullExists = first + TILE <= size;
    const servable =
      tile !== undefined &&
      width !== undefined &&
      (width === TILE ? fullExists : first + width <= size && !(this.dropPartials && fullExists));
    if (!servable) {
      this.requests.push({ endpoint: "tile", status: 404, ...asked });
      res.statusCode = 404;
      res.end("no such tile");
      return;
    }
    const entries = this.entries.slice(first, first + width);
    for (let i = first; i < first + width; i++) this.served[i] = (this.served[i] ?? 0) + 1;
    this.requests.push({ endpoint: "tile", status: 200, ...asked });
    const body = Buffer.concat(entries.map(tileLeafOf));
    res.setHeader("content-type", "application/octet-stream");
    if (this.#gzip) {
      res.setHeader("content-encoding", "gzip");
      res.end(gzipSync(body));
    } else {
      res.end(body);
    }
  }

  #reply(res: ServerResponse, endpoint: TiledRequest["endpoint"], status: number, body: string) {
    this.requests.push({ endpoint, status });
    res.statusCode = status;
    res.end(body);
  }
}

/** The tile a path names, if it is a data tile path in canonical form. */
function tileOf(rest: string): { tile?: number; width?: number } {
  const match = /^tile\/data\/((?:x\d{3}\/)*\d{3})(?:\.p\/([1-9]\d{0,2}))?$/.exec(rest);
  if (match === null) return {};
  const tile = Number((match[1] as string).replace(/[x/]/g, ""));
  const width = match[2] === undefined ? TILE : Number(match[2]);
  if (encodeTileIndex(tile) !== match[1] || (match[2] !== undefined && width >= TILE)) return {};
  return { tile, width };
}

/**
 * A v3 log list naming `tiled` as the `tiled_logs` of its operator, all usable unless a
 * state is given; added to `base` (a list from `logListFor`) when given, else alone.
 */
export function tiledLogListFor(
  tiled: ReadonlyArray<{ server: TiledLogServer; state?: string; description?: string }>,
  base?: string,
): string {
  const list = (
    base === undefined
      ? {
          version: "1.0",
          log_list_timestamp: "2024-08-16T12:00:00Z",
          operators: [{ name: "Vigil Tests", email: ["ct@vigil.example"], logs: [] }],
        }
      : JSON.parse(base)
  ) as { operators: Array<Record<string, unknown>> };
  (list.operators[0] as Record<string, unknown>).tiled_logs = tiled.map(
    ({ server, state, description }, i) => ({
      description: description ?? `Vigil tiled test log ${i + 1}`,
      log_id: server.logId,
      key: server.key,
      monitoring_url: server.url,
      submission_url: server.url,
      mmd: 60,
      state: { [state ?? "usable"]: { timestamp: "2024-01-01T00:00:00Z" } },
    }),
  );
  return JSON.stringify(list, null, 2);
}
