import { z } from "zod";
import { VigilError } from "../../errors.js";
import { type BackoffOptions, backoffDelay, sleep } from "./backoff.js";

/** How a CT client reaches its log; the same for RFC 6962 and Static CT API logs. */
export interface CtClientOptions {
  /** Defaults to the global `fetch`; tests pass one that reaches loopback only. */
  fetch?: typeof globalThis.fetch;
  /** Per request, including reading the body. */
  timeoutMs?: number;
  /** Largest body read, counted after any `Content-Encoding` is decoded. */
  maxResponseBytes?: number;
  /** Tries per request, the first included, before a temporary failure is reported. */
  attempts?: number;
  backoff?: BackoffOptions;
  userAgent?: string;
}

/** One GET: what to accept, and how to read the body. */
export interface CtGet<T> {
  /** The `Accept` header. */
  accept: string;
  /** Extra request headers (`Accept-Encoding` for data tiles). */
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /**
   * Reads the body; a throw makes the answer a permanent failure whose message is the
   * error's, so say what is wrong ("not JSON: …").
   */
  parse: (body: Uint8Array) => T;
  /** When set, a 404 is answered with this instead of a permanent failure. */
  onNotFound?: () => T | Promise<T>;
}

/**
 * A request gets this long, body included. Logs answer in well under a second; a log
 * that takes longer is overloaded, and retrying later is kinder than waiting.
 */
export const DEFAULT_CT_TIMEOUT_MS = 30_000;
/**
 * Largest response read. 1,000 entries with their chains are ~8 MiB of JSON, a full data
 * tile ~1 MiB; this bounds what a broken or hostile log can make us buffer (after gzip is
 * undone, so a small compressed answer cannot expand past it).
 */
export const MAX_CT_RESPONSE_BYTES = 32 * 1024 * 1024;
const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };

/** The failure of one try, before retries are decided. */
class Attempt extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * The HTTP side of a CT client: GET with a timeout and a size limit on every response.
 * Temporary failures (no answer, timeout, 408, 429, 5xx) are retried with backoff,
 * honouring `Retry-After`; then they throw `VIGIL_ERR_CT_TEMPORARY`. A refusal (other
 * 4xx) or a body that `parse` rejects throws `VIGIL_ERR_CT_PERMANENT` at once. When the
 * caller's signal aborts, its reason is thrown.
 */
export class CtFetcher {
  readonly #fetch: typeof globalThis.fetch;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #attempts: number;
  readonly #backoff: BackoffOptions;
  readonly #userAgent: string;

  constructor(options: CtClientOptions = {}) {
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

  /** GETs `url` and reads its body with `request.parse`, retrying what is worth retrying. */
  async get<T>(url: string, request: CtGet<T>): Promise<T> {
    const { signal } = request;
    for (let attempt = 0; ; attempt++) {
      let failure: Attempt;
      try {
        const body = await this.#once(url, request);
        try {
          return request.parse(body);
        } catch (err) {
          throw new Attempt(describeError(err), false);
        }
      } catch (err) {
        if (signal?.aborted === true) throw signal.reason;
        if (!(err instanceof Attempt)) throw err;
        failure = err;
      }
      if (failure.status === 404 && request.onNotFound !== undefined) {
        return request.onNotFound();
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

  /** One try: the body, or an `Attempt` saying whether to try again. */
  async #once(url: string, request: CtGet<unknown>): Promise<Uint8Array> {
    const { signal } = request;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    const timedOut = () => new Attempt(`no answer within ${this.#timeoutMs} ms`, true);
    let response: Response;
    try {
      response = await this.#fetch(url, {
        signal: combined,
        headers: { ...request.headers, accept: request.accept, "user-agent": this.#userAgent },
      });
    } catch (err) {
      if (timeout.aborted) throw timedOut();
      throw new Attempt(`cannot connect: ${describeError(err)}`, true);
    }
    const { status } = response;
    if (status === 408 || status === 429 || status >= 500) {
      await response.body?.cancel().catch(() => {});
      throw new Attempt(`HTTP ${status}`, true, retryAfterMs(response.headers.get("retry-after")));
    }
    if (status < 200 || status > 299) {
      await response.body?.cancel().catch(() => {});
      throw new Attempt(`HTTP ${status}`, false, undefined, status);
    }
    try {
      return await readLimited(response, this.#maxBytes);
    } catch (err) {
      if (err instanceof Attempt) throw err;
      if (timeout.aborted) throw timedOut();
      throw new Attempt(`reading the answer failed: ${describeError(err)}`, true);
    }
  }
}

/** Whether an error from a CT client is worth trying again later. */
export function isTemporaryCtError(err: unknown): boolean {
  return err instanceof VigilError && err.code === "VIGIL_ERR_CT_TEMPORARY";
}

/**
 * Reads a body, refusing one over `max` bytes without buffering it. `fetch` undoes
 * `Content-Encoding` as it streams, so the count is of decoded bytes; the declared
 * `Content-Length` is of the encoded ones, and only refuses at once when nothing is encoded.
 */
async function readLimited(response: Response, max: number): Promise<Uint8Array> {
  const encoding = (response.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  const declared = Number(response.headers.get("content-length") ?? "");
  if (encoding === "identity" && Number.isFinite(declared) && declared > max) {
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

/** A short, one-line account of `err` for messages (a zod error as its first issue). */
export function describeError(err: unknown): string {
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
