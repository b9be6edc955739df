/**
 * A real RFC 6962 log for tests: node:http on 127.0.0.1 (port 0) serving `get-sth` and
 * `get-entries` over entries the test builds (leaves of real certificates), with a
 * Merkle tree root and an ECDSA-signed tree head. It caps each answer at `maxBatch`
 * entries as real logs do, records every request, and can be told to fail, stall or
 * lag so the client's retries and the source's resumption can be tested.
 */
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { TestCa } from "./certificates.js";

/** One log entry as the log stores it: the MerkleTreeLeaf and the chain data. */
export interface TestLogEntry {
  leafInput: Buffer;
  extraData: Buffer;
}

/** An answer forced on the next request(s) instead of the real one. */
export interface Fault {
  status: number;
  retryAfter?: string;
  body?: string;
  /** Only for this endpoint; both when unset. */
  endpoint?: "get-sth" | "get-entries";
  /** Hold the answer this long (to trip a client timeout). */
  stallMs?: number;
}

export interface LoggedRequest {
  endpoint: string;
  start?: number;
  end?: number;
  status: number;
  /** Entries sent back. */
  returned: number;
}

/** TLS (RFC 8446 §3) big-endian integer. */
export function uint24(n: number): Buffer {
  const b = Buffer.alloc(3);
  b.writeUIntBE(n, 0, 3);
  return b;
}

/** TLS (RFC 8446 §3) big-endian integer. */
export function uint16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

/** TLS (RFC 8446 §3) big-endian integer. */
export function uint64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** RFC 6962 §3.4 MerkleTreeLeaf of an x509_entry. */
export function x509Leaf(timestamp: number, certificate: Buffer, extensions = Buffer.alloc(0)) {
  return Buffer.concat([
    Buffer.from([0, 0]), // v1, timestamped_entry
    uint64(timestamp),
    uint16(0), // x509_entry
    uint24(certificate.length),
    certificate,
    uint16(extensions.length),
    extensions,
  ]);
}

/** RFC 6962 §3.4 MerkleTreeLeaf of a precert_entry. */
export function precertLeaf(timestamp: number, issuerKeyHash: Buffer, tbs: Buffer) {
  return Buffer.concat([
    Buffer.from([0, 0]),
    uint64(timestamp),
    uint16(1), // precert_entry
    issuerKeyHash,
    uint24(tbs.length),
    tbs,
    uint16(0),
  ]);
}

/** RFC 6962 §4.6 extra_data of an x509 entry: `ASN.1Cert certificate_chain<0..2^24-1>`. */
export function x509ExtraData(chain: readonly Buffer[]): Buffer {
  const body = Buffer.concat(chain.flatMap((c) => [uint24(c.length), c]));
  return Buffer.concat([uint24(body.length), body]);
}

/** RFC 6962 §4.6 extra_data of a precert entry: `PrecertChainEntry`. */
export function precertExtraData(precertificate: Buffer, chain: readonly Buffer[]): Buffer {
  return Buffer.concat([uint24(precertificate.length), precertificate, x509ExtraData(chain)]);
}

/** x509 entry of `certificate` issued by `ca`. */
export function x509Entry(ca: TestCa, certificate: Buffer, timestamp: number): TestLogEntry {
  return {
    leafInput: x509Leaf(timestamp, certificate),
    extraData: x509ExtraData([ca.certificate]),
  };
}

/** precert entry of a precertificate issued by `ca`. */
export function precertEntry(
  ca: TestCa,
  issued: { precertificate: Buffer; leafTbs: Buffer },
  timestamp: number,
): TestLogEntry {
  return {
    leafInput: precertLeaf(timestamp, ca.keyHash, issued.leafTbs),
    extraData: precertExtraData(issued.precertificate, [ca.certificate]),
  };
}

const sha256 = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest();

/**
 * What both test logs share: their entries and signing key, and a node:http server on
 * 127.0.0.1 whose requests go to `handle`.
 */
export abstract class TestLog {
  /** Delay before every answer (to give a test time to act mid-run). */
  delayMs = 0;
  /** Entries the log announces; defaults to all. Lower it to hold entries back. */
  visible: number | undefined;
  /** How many times each entry index was sent. */
  readonly served: number[] = [];
  protected readonly keyPair = generateKeyPairSync("ec", { namedCurve: "P-256" });
  protected readonly entries: TestLogEntry[];
  readonly #server: Server;
  #url = "";

  constructor(
    entries: TestLogEntry[],
    readonly path: string,
  ) {
    this.entries = entries;
    this.#server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** Listens on 127.0.0.1 at a free port, which it returns; the URL ends in `path`. */
  protected async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${port}${this.path}`;
    return port;
  }

  get url(): string {
    return this.#url;
  }

  get treeSize(): number {
    return Math.min(this.visible ?? this.entries.length, this.entries.length);
  }

  /** The log's key as a log list gives it: base64 DER SubjectPublicKeyInfo. */
  get key(): string {
    return this.keyPair.publicKey.export({ type: "spki", format: "der" }).toString("base64");
  }

  get logId(): string {
    return createHash("sha256").update(Buffer.from(this.key, "base64")).digest("base64");
  }

  append(...entries: TestLogEntry[]): void {
    this.entries.push(...entries);
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** RFC 6962 §2.1 Merkle Tree Hash of `leaves`. */
export function merkleTreeHash(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return sha256(Buffer.from([0]), leaves[0] as Buffer);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(
    Buffer.from([1]),
    merkleTreeHash(leaves.slice(0, k)),
    merkleTreeHash(leaves.slice(k)),
  );
}

export class CtLogServer extends TestLog {
  readonly requests: LoggedRequest[] = [];
  readonly faults: Fault[] = [];
  readonly #maxBatch: number;

  private constructor(entries: TestLogEntry[], maxBatch: number, path: string) {
    super(entries, path);
    this.#maxBatch = maxBatch;
  }

  /** Starts a log on 127.0.0.1 at a free port; its URL ends in `path`. */
  static async start(
    entries: TestLogEntry[],
    options: { maxBatch?: number; path?: string } = {},
  ): Promise<CtLogServer> {
    const log = new CtLogServer(
      [...entries],
      options.maxBatch ?? 32,
      options.path ?? "/logs/test/",
    );
    await log.listen();
    return log;
  }

  /** Entries sent more than once. */
  servedTwice(): number[] {
    return this.served.flatMap((n, i) => (n > 1 ? [i] : []));
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const endpoint = url.pathname.startsWith(this.path)
      ? url.pathname.slice(this.path.length)
      : url.pathname;
    const short = endpoint.replace(/^ct\/v1\//, "");
    if (this.delayMs > 0) await sleep(this.delayMs);
    const faultAt = this.faults.findIndex((f) => f.endpoint === undefined || f.endpoint === short);
    if (faultAt >= 0) {
      const [fault] = this.faults.splice(faultAt, 1) as [Fault];
      if (fault.stallMs !== undefined) await sleep(fault.stallMs);
      this.requests.push({ endpoint: short, status: fault.status, returned: 0 });
      if (fault.retryAfter !== undefined) res.setHeader("retry-after", fault.retryAfter);
      res.statusCode = fault.status;
      res.end(fault.body ?? `{"error":"injected ${fault.status}"}`);
      return;
    }
    if (req.method !== "GET") return this.#reply(res, short, 405, { error: "GET only" });
    if (endpoint === "ct/v1/get-sth") return this.#sth(res);
    if (endpoint === "ct/v1/get-entries") return this.#getEntries(url, res);
    return this.#reply(res, short, 404, { error: "no such endpoint" });
  }

  #sth(res: ServerResponse): void {
    const size = this.treeSize;
    const timestamp = Date.UTC(2024, 7, 16, 12, 0, 0) + size;
    const root = merkleTreeHash(this.entries.slice(0, size).map((e) => e.leafInput));
    // RFC 6962 §3.5 TreeHeadSignature, sent as a TLS DigitallySigned (sha256, ecdsa).
    const signed = Buffer.concat([Buffer.from([0, 1]), uint64(timestamp), uint64(size), root]);
    const signature = sign("sha256", signed, this.keyPair.privateKey);
    const digitallySigned = Buffer.concat([
      Buffer.from([4, 3]),
      uint16(signature.length),
      signature,
    ]);
    this.#reply(res, "get-sth", 200, {
      tree_size: size,
      timestamp,
      sha256_root_hash: root.toString("base64"),
      tree_head_signature: digitallySigned.toString("base64"),
    });
  }

  #getEntries(url: URL, res: ServerResponse): void {
    const start = Number(url.searchParams.get("start"));
    const end = Number(url.searchParams.get("end"));
    const size = this.treeSize;
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(end) ||
      start < 0 ||
      end < start ||
      start >= size ||
      url.searchParams.get("start") === null ||
      url.searchParams.get("end") === null
    ) {
      this.requests.push({ endpoint: "get-entries", start, end, status: 400, returned: 0 });
      res.statusCode = 400;
      res.end(JSON.stringify({ error: `bad range ${start}..${end} of ${size}` }));
      return;
    }
    const last = Math.min(end, size - 1, start + this.#maxBatch - 1);
    const entries = this.entries.slice(start, last + 1);
    for (let i = start; i <= last; i++) this.served[i] = (this.served[i] ?? 0) + 1;
    this.requests.push({
      endpoint: "get-entries",
      start,
      end,
      status: 200,
      returned: entries.length,
    });
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        entries: entries.map((e) => ({
          leaf_input: e.leafInput.toString("base64"),
          extra_data: e.extraData.toString("base64"),
        })),
      }),
    );
  }

  #reply(res: ServerResponse, endpoint: string, status: number, body: unknown): void {
    this.requests.push({ endpoint, status, returned: 0 });
    res.statusCode = status;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(body));
  }
}

/** A v3 log list (Google's format) naming `logs`, all usable unless a state is given. */
export function logListFor(
  logs: ReadonlyArray<{ server: CtLogServer; state?: string; description?: string }>,
): string {
  return JSON.stringify(
    {
      version: "1.0",
      log_list_timestamp: "2024-08-16T12:00:00Z",
      operators: [
        {
          name: "Vigil Tests",
          email: ["ct@vigil.example"],
          logs: logs.map(({ server, state, description }, i) => ({
            description: description ?? `Vigil test log ${i + 1}`,
            log_id: server.logId,
            key: server.key,
            url: server.url,
            mmd: 86400,
            state: { [state ?? "usable"]: { timestamp: "2024-01-01T00:00:00Z" } },
          })),
        },
      ],
    },
    null,
    2,
  );
}
