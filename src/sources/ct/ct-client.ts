import { z } from "zod";
import { VigilError } from "../../errors.js";
import { type BackoffOptions, backoffDelay, sleep } from "./backoff.js";

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

export interface CtClientOptions {
  /** Defaults to the global `fetch`; tests pass one that reaches loopback only. */
  fetch?: typeof globalThis.fetch;
  /** Per request, including reading the body. */
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Tries per request, the first included, before a temporary failure is reported. */
  attempts?: number;
  backoff?: BackoffOptions;
  userAgent?: string;
}

/**
 * A request gets this long, body included. Logs answer in well under a second; a log
 * that takes longer is overloaded, and retrying later is kinder than waiting.
 */
export const DEFAULT_CT_TIMEOUT_MS = 30_000;
/**
 * Largest response read. 1,000 entries with their chains are ~8 MiB of JSON; this bounds
 * what a broken or hostile log can make us buffer.
 */
export const MAX_CT_RESPONSE_BYTES = 32 * 1024 * 1024;
/**
 * Largest base64 `leaf_input` decoded (1 MiB of DER, like `MAX_LEAF_BYTES`); a larger one
 * is reported as a bad entry, the others are read.
 */
const MAX_LEAF_BASE64_CHARS = Math.ceil((1024 * 1024 * 4) / 3) + 4;
const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const SthSchema = z.looseObject({
  tree_size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  timestamp: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  sha256_root_hash: z.string().max(100),
  tree_head_signature: z.string().max(10_000),
});
const EntriesSchema = z.looseObject({ entries: z.array(z.unknown()) });

/** The failure of one try, before retries are decided. */
class Attempt extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * An RFC 6962 §4 client for one log: `get-sth` and `get-entries` over HTTP(S) with a
 * timeout and a size limit on every response. Temporary failures (no answer, timeout,
 * 408, 429, 5xx) are retried with backoff, honouring `Retry-After`; then they throw
 * `VIGIL_ERR_CT_TEMPORARY`. A refusal (other 4xx) or an answer that is not RFC 6962
 * throws `VIGIL_ERR_CT_PERMANENT` at once. When the caller's signal aborts, its reason
 * is thrown.
 *
 * @example
 * const client = new CtClient("https://ct.googleapis.com/logs/us1/argon2025h2/");
 * const { treeSize } = await client.getSth();
 * const entries = await client.getEntries(treeSize - 10, treeSize - 1);
 */
export class CtClient {
  readonly logUrl: string;
  readonly #fetch: typeof globalThis.fetch;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #attempts: number;
  readonly #backoff: BackoffOptions;
  readonly #userAgent: string;

  /** @param logUrl the log's base URL, ending in `/` (see `normaliseLogUrl`). */
  constructor(logUrl: string, options: CtClientOptions = {}) {
    this.logUrl = logUrl.endsWith("/") ? logUrl : `${logUrl}/`;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_CT_TIMEOUT_MS;
    this.#maxBytes = options.maxResponseBytes ?? MAX_CT_RESPONSE_BYTES;
    this.#attempts = options.attempts ?? DEFAULT_ATTEMPTS;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#userAgent = options.userAgent ?? "vigil (certificate transparency monitor)";
    if (!Number.isInteger(this.#attempts) || this.#attempts < 1) {
      throw new RangeError("attempts must be a whole number of at least 1");
    }
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

  async #request<T>(path: string, signal: AbortSignal | undefined, parse: (json: unknown) => T) {
    const url = `${this.logUrl}${path}`;
    for (let attempt = 0; ; attempt++) {
      let failure: Attempt;
      try {
        const json = await this.#once(url, signal);
        try {
          return parse(json);
        } catch (err) {
          throw new Attempt(`not an RFC 6962 answer: ${describe(err)}`, false);
        }
      } catch (err) {
        if (signal?.aborted === true) throw signal.reason;
        if (!(err instanceof Attempt)) throw err;
        failure = err;
      }
      if (!failure.temporary) {
        throw new VigilError("VIGIL_ERR_CT_PERMANENT", `${url}: ${failure.message}`);
      }
      if (attempt + 1 >= this.#attempts) {
        throw new VigilError(
          "VIGIL_ERR_CT_TEMPORARY",
          `${url}: ${failure.message} (tried ${this.#attempts} times)`,
        );
      }
      const wait = Math.min(
        failure.retryAfterMs ?? backoffDelay(attempt, this.#backoff),
        this.#backoff.maxMs,
      );
      if (!(await sleep(wait, signal))) throw signal?.reason;
    }
  }

  /** One try: the parsed JSON body, or an `Attempt` saying whether to try again. */
  async #once(url: string, signal: AbortSignal | undefined): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    const timedOut = () => new Attempt(`no answer within ${this.#timeoutMs} ms`, true);
    let response: Response;
    try {
      response = await this.#fetch(url, {
        signal: combined,
        headers: { accept: "application/json", "user-agent": this.#userAgent },
      });
    } catch (err) {
      if (timeout.aborted) throw timedOut();
      throw new Attempt(`cannot connect: ${describe(err)}`, true);
    }
    const { status } = response;
    if (status === 408 || status === 429 || status >= 500) {
      await response.body?.cancel().catch(() => {});
      throw new Attempt(`HTTP ${status}`, true, retryAfterMs(response.headers.get("retry-after")));
    }
    if (status < 200 || status > 299) {
      await response.body?.cancel().catch(() => {});
      throw new Attempt(`HTTP ${status}`, false);
    }
    let bytes: Uint8Array;
    try {
      bytes = await readLimited(response, this.#maxBytes);
    } catch (err) {
      if (err instanceof Attempt) throw err;
      if (timeout.aborted) throw timedOut();
      throw new Attempt(`reading the answer failed: ${describe(err)}`, true);
    }
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (err) {
      throw new Attempt(`not JSON: ${describe(err)}`, false);
    }
  }
}

/** Whether an error from `CtClient` is worth trying again later. */
export function isTemporaryCtError(err: unknown): boolean {
  return err instanceof VigilError && err.code === "VIGIL_ERR_CT_TEMPORARY";
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

/** Reads a body, refusing one over `max` bytes (declared or actual) without buffering it. */
async function readLimited(response: Response, max: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => {});
    throw new Attempt(`answer of ${declared} bytes is over the limit of ${max}`, false);
  }
  if (response.body === null) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw new Attempt(`answer is over the limit of ${max} bytes`, false);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** `Retry-After` (RFC 9110 §10.2.3): seconds, or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function describe(err: unknown): string {
  if (err instanceof z.ZodError) {
    const issue = err.issues[0];
    return `${issue?.path.join(".") || "answer"}: ${issue?.message ?? "invalid"}`;
  }
  if (err instanceof Error) {
    // fetch puts the reason (ECONNREFUSED, a TLS error) in `cause`.
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : "";
    return `${err.message}${cause}`.slice(0, 300);
  }
  return String(err).slice(0, 300);
}
