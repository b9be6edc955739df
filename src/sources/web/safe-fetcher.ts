import { isIP } from "node:net";
import { TLSSocket } from "node:tls";
import { buildConnector, Client } from "undici";
import { VigilError } from "../../errors.js";
import { AddressPolicy } from "./address-policy.js";
import { decodeBody } from "./body-decoder.js";
import { type HostResolver, MAX_RESOLVED_ADDRESSES, systemResolver } from "./host-resolver.js";
import { hostOf, parseSafeUrl } from "./safe-url.js";
import { type TlsSummary, tlsSummary } from "./tls-summary.js";

/** The bounds of one fetch, redirects included. */
export interface WebLimits {
  /** Redirects followed before the fetch stops (each hop is checked again). */
  maxRedirects: number;
  /** Largest body read, as received and again after decompression. */
  maxBodyBytes: number;
  /** Largest response head (status line and headers). */
  maxHeaderBytes: number;
  /** The whole fetch, every hop and body included. */
  timeoutMs: number;
  /** Setting up one connection (TCP and TLS). */
  connectTimeoutMs: number;
}

/** Redirects followed: browsers allow ~20, a site that needs more than 5 is hiding something. */
export const MAX_REDIRECTS = 5;
/** A news page with inline assets is < 2 MiB; this bounds what a hostile server can make us hold. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Response head limit: Node's own default is 16 KiB; a little room for cookie-heavy sites. */
export const MAX_WEB_HEADER_BYTES = 64 * 1024;
/** A whole fetch, redirects included: a slow-drip server is cut off here. */
export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
/** TCP and TLS set-up of one connection. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export const DEFAULT_WEB_LIMITS: WebLimits = {
  maxRedirects: MAX_REDIRECTS,
  maxBodyBytes: MAX_BODY_BYTES,
  maxHeaderBytes: MAX_WEB_HEADER_BYTES,
  timeoutMs: DEFAULT_FETCH_TIMEOUT_MS,
  connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
};

export const DEFAULT_USER_AGENT = "vigil-capture/0.1 (+election security research)";

export interface SafeFetcherOptions {
  /** How host names are resolved; the system resolver by default. */
  resolver?: HostResolver;
  /**
   * TEST AND LAB USE ONLY: addresses or CIDR ranges fetched although the guard would
   * refuse them (`["127.0.0.1"]` for a test server). Empty by default.
   */
  allowPrivate?: readonly string[];
  limits?: Partial<WebLimits>;
  userAgent?: string;
  now?: () => Date;
}

/** One request and its answer, as the evidence keeps them. */
export interface HttpExchange {
  url: string;
  /** The address connected to: the one the guard checked. */
  address: string;
  port: number;
  startedAt: string;
  request: { method: "GET"; target: string; headers: Array<[string, string]> };
  status: number;
  statusText: string;
  /** Response headers as received (names lower case, repeated headers repeated). */
  headers: Array<[string, string]>;
  /** The body as received, content coding kept. */
  rawBody: Buffer;
  /** The body with its content coding undone. */
  body: Buffer;
  /** A content coding that was not undone (unknown to us). */
  undecoded?: string;
  tls?: TlsSummary;
}

/** A fetch's outcome: every hop, the last one final. */
export interface FetchResult {
  requestedUrl: string;
  finalUrl: string;
  exchanges: HttpExchange[];
  final: HttpExchange;
  /**
   * Set when a redirect was not followed (refused by the guard, one too many, not a
   * URL): `final` is then the redirect, kept as evidence.
   */
  stopped?: VigilError;
}

export interface GetOptions {
  signal?: AbortSignal;
  accept?: string;
  /** Tighter limits for this fetch (a favicon, robots.txt). */
  limits?: Partial<WebLimits>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches http(s) URLs with a guard against server-side request forgery: the host is
 * resolved first (with the resolver passed in), every address it resolves to is checked
 * by `AddressPolicy`, and the connection is made to the address that was checked (the
 * connector is pinned to it, so a second DNS answer cannot rebind the name to an inside
 * address). Each redirect is parsed and checked again like a new URL; redirects, body
 * size (before and after decompression), head size and total time are capped.
 * TLS certificates are not required to validate: a capture records what a site serves,
 * with the chain and whether it validated.
 *
 * @example
 * const fetcher = new SafeFetcher();
 * const { final } = await fetcher.get("https://news.example/");
 */
export class SafeFetcher {
  readonly #resolver: HostResolver;
  readonly #policy: AddressPolicy;
  readonly #limits: WebLimits;
  readonly #userAgent: string;
  readonly #now: () => Date;

  constructor(options: SafeFetcherOptions = {}) {
    this.#resolver = options.resolver ?? systemResolver();
    this.#policy = new AddressPolicy(options.allowPrivate ?? []);
    this.#limits = validLimits({ ...DEFAULT_WEB_LIMITS, ...options.limits });
    this.#userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.#now = options.now ?? (() => new Date());
  }

  /** The user agent sent, so robots.txt groups can be matched to it. */
  get userAgent(): string {
    return this.#userAgent;
  }

  /**
   * GETs `input`, following redirects. Throws a `VigilError` (`VIGIL_ERR_WEB_*`) when the
   * first request cannot be made or answered; a redirect that is not followed ends the
   * fetch with `stopped` set instead, keeping the hops made.
   */
  async get(input: string | URL, options: GetOptions = {}): Promise<FetchResult> {
    const limits = validLimits({ ...this.#limits, ...options.limits });
    const deadline = AbortSignal.timeout(limits.timeoutMs);
    const signal =
      options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]);
    const requestedUrl = String(input);
    let url = parseSafeUrl(requestedUrl);
    const exchanges: HttpExchange[] = [];
    for (let hop = 0; ; hop++) {
      const exchange = await this.#once(url, signal, deadline, limits, options.accept);
      exchanges.push(exchange);
      const location = exchange.headers.find(([name]) => name === "location")?.[1];
      const result = { requestedUrl, finalUrl: url.href, exchanges, final: exchange };
      if (!REDIRECT_STATUSES.has(exchange.status) || location === undefined) return result;
      if (hop >= limits.maxRedirects) {
        return {
          ...result,
          stopped: new VigilError(
            "VIGIL_ERR_WEB_LIMIT",
            `more than ${limits.maxRedirects} redirects`,
          ),
        };
      }
      try {
        url = parseSafeUrl(location, url);
      } catch (err) {
        return { ...result, stopped: redirectError(err, location) };
      }
      // The next hop's address is checked in `#once`; a refusal there ends the chain here.
      const refusal = await this.#refusalOf(url, signal, deadline, limits);
      if (refusal !== undefined) return { ...result, stopped: redirectError(refusal, location) };
    }
  }

  /** Resolves and checks a redirect target, without fetching it. */
  async #refusalOf(
    url: URL,
    signal: AbortSignal,
    deadline: AbortSignal,
    limits: WebLimits,
  ): Promise<VigilError | undefined> {
    try {
      await this.#checkedAddress(url, signal, deadline, limits);
      return undefined;
    } catch (err) {
      if (err instanceof VigilError && err.code === "VIGIL_ERR_WEB_REFUSED") return err;
      return undefined; // DNS trouble surfaces again, as itself, when the hop is fetched
    }
  }

  /** Resolves the URL's host and returns the address to connect to, every answer checked. */
  async #checkedAddress(
    url: URL,
    signal: AbortSignal,
    deadline: AbortSignal,
    limits: WebLimits,
  ): Promise<string> {
    const host = hostOf(url);
    let addresses: string[];
    if (isIP(host) !== 0) {
      addresses = [host];
    } else {
      try {
        addresses = (await this.#resolver(host, signal)).slice(0, MAX_RESOLVED_ADDRESSES);
      } catch (err) {
        throw failure(err, deadline, limits, `${host}: cannot resolve`);
      }
      if (addresses.length === 0) {
        throw new VigilError("VIGIL_ERR_WEB_DNS", `${host}: no addresses`);
      }
    }
    // All answers are checked, not only the one used: a name that points both outside
    // and inside is an attack, whichever address a connection would pick.
    for (const address of addresses) {
      const why = this.#policy.refusal(address);
      if (why !== undefined) {
        throw new VigilError(
          "VIGIL_ERR_WEB_REFUSED",
          host === address
            ? `${address} is refused: ${why}`
            : `${host} resolves to ${address}, refused: ${why}`,
        );
      }
    }
    return addresses.find((a) => isIP(a) === 4) ?? (addresses[0] as string);
  }

  async #once(
    url: URL,
    signal: AbortSignal,
    deadline: AbortSignal,
    limits: WebLimits,
    accept = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
  ): Promise<HttpExchange> {
    const address = await this.#checkedAddress(url, signal, deadline, limits);
    const host = hostOf(url);
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    let tls: TlsSummary | undefined;
    let connectedTo: string | undefined;
    const base = buildConnector({
      rejectUnauthorized: false,
      timeout: limits.connectTimeoutMs,
      allowH2: false,
    });
    const sni = isIP(host) === 0 ? host : undefined;
    // Pinned: whatever host undici was asked for, the socket goes to the checked address.
    const connect: buildConnector.connector = (opts, callback) => {
      base(
        { ...opts, hostname: address, ...(sni === undefined ? {} : { servername: sni }) },
        (...args) => {
          const [err, socket] = args;
          if (err === null) {
            connectedTo = socket.remoteAddress;
            if (socket instanceof TLSSocket) tls = tlsSummary(socket);
          }
          callback(...args);
        },
      );
    };
    const client = new Client(url.origin, {
      connect,
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.timeoutMs,
      bodyTimeout: limits.timeoutMs,
    });
    const target = `${url.pathname}${url.search}`;
    const requestHeaders: Array<[string, string]> = [
      ["host", url.host],
      ["user-agent", this.#userAgent],
      ["accept", accept],
      ["accept-encoding", "gzip, deflate, br"],
      ["accept-language", "en;q=0.9, *;q=0.5"],
    ];
    const startedAt = this.#now().toISOString();
    try {
      const response = await client.request({
        path: target,
        method: "GET",
        headers: Object.fromEntries(requestHeaders),
        signal,
      });
      const headers = headerPairs(response.headers);
      const rawBody = await readCapped(response.body, limits.maxBodyBytes, headers);
      const encoding = headers.find(([name]) => name === "content-encoding")?.[1];
      const decoded = decodeBody(rawBody, encoding, limits.maxBodyBytes);
      if (connectedTo !== undefined && connectedTo !== address) {
        throw new VigilError(
          "VIGIL_ERR_WEB_REFUSED",
          `connected to ${connectedTo}, not the checked ${address}`,
        );
      }
      return {
        url: url.href,
        address,
        port,
        startedAt,
        request: { method: "GET", target, headers: requestHeaders },
        status: response.statusCode,
        statusText: response.statusText ?? "",
        headers,
        rawBody,
        body: decoded.body,
        ...(decoded.undecoded === undefined ? {} : { undecoded: decoded.undecoded }),
        ...(tls === undefined ? {} : { tls }),
      };
    } catch (err) {
      throw failure(err, deadline, limits, url.href);
    } finally {
      await client.destroy().catch(() => undefined);
    }
  }
}

function validLimits(limits: WebLimits): WebLimits {
  for (const [name, value] of Object.entries(limits)) {
    const min = name === "maxRedirects" ? 0 : 1;
    if (!Number.isInteger(value) || value < min) {
      throw new VigilError(
        "VIGIL_ERR_CONFIG_INVALID",
        `web limit ${name} must be a whole number of at least ${min}, not ${value}`,
      );
    }
  }
  return limits;
}

function redirectError(err: unknown, location: string): VigilError {
  const e = err instanceof VigilError ? err : new VigilError("VIGIL_ERR_WEB_URL", String(err));
  return new VigilError(
    e.code,
    `redirect to ${location.slice(0, 500)} not followed: ${e.message}`,
    { cause: e },
  );
}

/** Response headers as name/value pairs; repeated headers (set-cookie) stay repeated. */
function headerPairs(
  headers: Record<string, string | string[] | undefined>,
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name.toLowerCase(), v]);
  }
  return pairs;
}

/** Reads a body as received, refusing one over `max` bytes without buffering the rest. */
async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown },
  max: number,
  headers: Array<[string, string]>,
): Promise<Buffer> {
  const declared = Number(headers.find(([name]) => name === "content-length")?.[1] ?? "");
  if (Number.isFinite(declared) && declared > max) {
    body.destroy();
    throw new VigilError(
      "VIGIL_ERR_WEB_LIMIT",
      `body of ${declared} bytes is over the limit of ${max}`,
    );
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > max) {
      body.destroy();
      throw new VigilError("VIGIL_ERR_WEB_LIMIT", `body is over the limit of ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** Sorts what went wrong with a request into the web error codes. */
function failure(err: unknown, deadline: AbortSignal, limits: WebLimits, what: string): unknown {
  if (err instanceof VigilError) return err;
  if (deadline.aborted) {
    return new VigilError(
      "VIGIL_ERR_WEB_TIMEOUT",
      `${what}: not done within ${limits.timeoutMs} ms`,
      { cause: err },
    );
  }
  const code = (err as { code?: string }).code ?? "";
  const message = (err as Error).message ?? String(err);
  if (code === "UND_ERR_HEADERS_OVERFLOW") {
    return new VigilError(
      "VIGIL_ERR_WEB_LIMIT",
      `${what}: response head over ${limits.maxHeaderBytes} bytes`,
      { cause: err },
    );
  }
  if (
    code === "UND_ERR_CONNECT_TIMEOUT" ||
    code === "UND_ERR_HEADERS_TIMEOUT" ||
    code === "UND_ERR_BODY_TIMEOUT"
  ) {
    return new VigilError("VIGIL_ERR_WEB_TIMEOUT", `${what}: ${message}`, { cause: err });
  }
  if (code === "UND_ERR_ABORTED" || (err as Error).name === "AbortError") return err; // the caller's own abort
  return new VigilError(
    "VIGIL_ERR_WEB_CONNECT",
    `${what}: ${message}${code === "" ? "" : ` (${code})`}`,
    { cause: err },
  );
}
