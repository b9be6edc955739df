import { z } from "zod";
import { type CtClientOptions, CtFetcher, describeError } from "./ct-fetcher.js";

/** A log's signed tree head (RFC 6962 §4.3), as the log sent it (the signature is not checked). */
export interface SignedTreeHead {
  treeSize: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** Base64. */
  sha256RootHash: string;
  /** Base64 TLS `DigitallySigned`. */
  treeHeadSignature: string;
}

/** One entry of `get-entries`: its decoded `leaf_input`, or why it could not be taken. */
export type CtRawEntry = { ok: true; leafInput: Uint8Array } | { ok: false; message: string };

/**
 * Largest base64 `leaf_input` decoded (1 MiB of DER, like `MAX_LEAF_BYTES`); a larger one
 * is reported as a bad entry, the others are read.
 */
const MAX_LEAF_BASE64_CHARS = Math.ceil((1024 * 1024 * 4) / 3) + 4;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const SthSchema = z.looseObject({
  tree_size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  timestamp: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  sha256_root_hash: z.string().max(100),
  tree_head_signature: z.string().max(10_000),
});
const EntriesSchema = z.looseObject({ entries: z.array(z.unknown()) });

/**
 * What the CT source needs of a log, whichever API it speaks: its size, and entries by
 * index (possibly fewer than asked).
 */
export interface CtLogClient {
  /** The log's latest tree head; only `treeSize` is relied on. */
  getSth(signal?: AbortSignal): Promise<{ treeSize: number }>;
  /** Entries `start..end` (inclusive), or a prefix of them; never more. */
  getEntries(start: number, end: number, signal?: AbortSignal): Promise<CtRawEntry[]>;
}

/**
 * An RFC 6962 §4 client for one log: `get-sth` and `get-entries` over HTTP(S) with a
 * timeout and a size limit on every response (see `CtFetcher`). Temporary failures (no
 * answer, timeout, 408, 429, 5xx) are retried with backoff, honouring `Retry-After`; then
 * they throw
 * `VIGIL_ERR_CT_TEMPORARY`. A refusal (other 4xx) or an answer that is not RFC 6962
 * throws `VIGIL_ERR_CT_PERMANENT` at once. When the caller's signal aborts, its reason
 * is thrown.
 *
 * @example
 * const client = new CtClient("https://ct.googleapis.com/logs/us1/argon2025h2/");
 * const { treeSize } = await client.getSth();
 * const entries = await client.getEntries(treeSize - 10, treeSize - 1);
 */
export class CtClient implements CtLogClient {
  readonly logUrl: string;
  readonly #http: CtFetcher;

  /** @param logUrl the log's base URL, ending in `/` (see `normaliseLogUrl`). */
  constructor(logUrl: string, options: CtClientOptions = {}) {
    this.logUrl = logUrl.endsWith("/") ? logUrl : `${logUrl}/`;
    this.#http = new CtFetcher(options);
  }

  /** `GET ct/v1/get-sth`: the log's latest tree size. */
  async getSth(signal?: AbortSignal): Promise<SignedTreeHead> {
    return this.#request("ct/v1/get-sth", signal, (json) => {
      const sth = SthSchema.parse(json);
      return {
        treeSize: sth.tree_size,
        timestamp: sth.timestamp,
        sha256RootHash: sth.sha256_root_hash,
        treeHeadSignature: sth.tree_head_signature,
      };
    });
  }

  /**
   * `GET ct/v1/get-entries?start=&end=` (both inclusive). Logs may return fewer entries
   * than asked (they cap the batch): the caller goes on from `start + result.length`.
   * A log that returns more has the surplus ignored. Each entry is decoded on its own,
   * so one bad entry does not spoil the others.
   */
  async getEntries(start: number, end: number, signal?: AbortSignal): Promise<CtRawEntry[]> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new RangeError(`bad entry range ${start}..${end}`);
    }
    return this.#request(`ct/v1/get-entries?start=${start}&end=${end}`, signal, (json) => {
      const { entries } = EntriesSchema.parse(json);
      return entries.slice(0, end - start + 1).map(rawEntry);
    });
  }

  #request<T>(path: string, signal: AbortSignal | undefined, read: (json: unknown) => T) {
    return this.#http.get(`${this.logUrl}${path}`, {
      accept: "application/json",
      signal,
      parse: (body) => {
        let json: unknown;
        try {
          json = JSON.parse(new TextDecoder().decode(body));
        } catch (err) {
          throw new Error(`not JSON: ${describeError(err)}`);
        }
        try {
          return read(json);
        } catch (err) {
          throw new Error(`not an RFC 6962 answer: ${describeError(err)}`);
        }
      },
    });
  }
}

function rawEntry(entry: unknown, offset: number): CtRawEntry {
  const leaf = (entry as { leaf_input?: unknown } | null)?.leaf_input;
  if (typeof leaf !== "string") {
    return { ok: false, message: `entry ${offset} of the answer has no leaf_input string` };
  }
  if (leaf.length > MAX_LEAF_BASE64_CHARS) {
    return { ok: false, message: `leaf_input of ${leaf.length} characters is over the limit` };
  }
  if (leaf.length % 4 !== 0 || !BASE64.test(leaf)) {
    return { ok: false, message: "leaf_input is not base64" };
  }
  return { ok: true, leafInput: Buffer.from(leaf, "base64") };
}
