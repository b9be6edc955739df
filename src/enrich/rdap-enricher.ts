import { getDomain } from "tldts";
import { type ErrorCode, toVigilError, VigilError } from "../errors.js";
import { type GetOptions, parseIp, type SafeFetcher } from "../sources/index.js";
import { loadRdapBootstrap, type RdapBootstrap, rdapBaseFor } from "./rdap-bootstrap.js";
import {
  type RdapIpNetwork,
  type RdapRegistration,
  readRdapDomain,
  readRdapIpNetwork,
} from "./rdap-facts.js";
import {
  loadRdapIpBootstrap,
  type RdapIpBootstrap,
  rdapBaseForAddress,
} from "./rdap-ip-bootstrap.js";

/** How the RDAP enricher fetches: the SSRF-guarded `SafeFetcher` (its `get`). */
export type RdapFetcher = Pick<SafeFetcher, "get">;

/** Why RDAP gave no facts. */
export interface RdapFailure {
  /**
   * `not-found`: the registry has no such domain or network (404); `no-server`: no RDAP
   * server is known for its TLD or address; `failed`: the server could not be reached or
   * its answer read.
   */
  outcome: "not-found" | "no-server" | "failed";
  /** Worth trying again later (a timeout, 429, 5xx, a dropped connection). */
  temporary: boolean;
  /**
   * `VIGIL_ERR_RDAP_NOT_FOUND`, `_NO_SERVER`, `_UNAVAILABLE` (temporary), `_REFUSED`,
   * `_BAD_ANSWER`: what went wrong, told apart from a page's own fetch errors.
   */
  code: ErrorCode;
  /** The fetch's own error code behind it (`VIGIL_ERR_WEB_TIMEOUT`, `VIGIL_ERR_WEB_LIMIT` …). */
  cause?: ErrorCode;
  message: string;
}

/** What RDAP said about one registrable domain. */
export type RdapFacts = {
  domain: string;
  queriedAt: string;
  /** The URL asked, when there was a server to ask. */
  url?: string;
} & (({ outcome: "found" } & RdapRegistration) | RdapFailure);

/** What RDAP said about the IP network holding one address (where a site is hosted). */
export type RdapNetworkFacts = {
  address: string;
  queriedAt: string;
  /** The URL asked, when there was a server to ask. */
  url?: string;
} & (({ outcome: "found" } & RdapIpNetwork) | RdapFailure);

/** An RDAP answer is a few KiB; a larger one is refused unread. */
export const MAX_RDAP_BYTES = 1024 * 1024;
/** One RDAP query, redirects included. Registries answer in about a second. */
export const DEFAULT_RDAP_TIMEOUT_MS = 10_000;
/** Redirects followed: some registries send queries on to the registrar's server. */
export const MAX_RDAP_REDIRECTS = 3;
/** Domains whose answers are kept for a run. */
export const MAX_RDAP_CACHED_DOMAINS = 10_000;
/** Addresses whose network answers are kept for a run. */
export const MAX_RDAP_CACHED_ADDRESSES = 10_000;

export interface RdapEnricherOptions {
  fetcher: RdapFetcher;
  /** Where RDAP servers are found (the shipped `data/rdap/dns.json` by default). */
  bootstrap?: RdapBootstrap;
  /** Where RDAP servers for IP addresses are found (the shipped `data/rdap/ipv4.json`, `ipv6.json`). */
  ipBootstrap?: RdapIpBootstrap;
  /** One RDAP base URL for every domain and address, instead of the bootstraps (`--rdap URL`). */
  baseUrl?: string;
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * Looks up the registration of a host's registrable domain over RDAP (RFC 9082/9083):
 * registrar, abuse contact, created and expiry dates, statuses, privacy proxy. Queries go
 * through the fetcher passed in (the SSRF guard stays on), capped in size and time, and
 * are cached per domain for the run. The network of a hosting address is looked up the
 * same way (`lookupAddress`). Never throws for a bad server: the outcome says what
 * happened, and whether it is worth trying again.
 *
 * @example
 * const rdap = new RdapEnricher({ fetcher: new SafeFetcher() });
 * const facts = await rdap.lookup("www.news.example");
 * const network = await rdap.lookupAddress("203.0.113.7");
 */
export class RdapEnricher {
  readonly #fetcher: RdapFetcher;
  readonly #bootstrap: RdapBootstrap | undefined;
  readonly #baseUrl: string | undefined;
  readonly #timeoutMs: number;
  readonly #now: () => Date;
  readonly #cache = new Map<string, Promise<RdapFacts>>();
  readonly #addresses = new Map<string, Promise<RdapNetworkFacts>>();
  readonly #ipBootstrapOption: RdapIpBootstrap | undefined;
  /** Loaded at the first address look-up: a scan without one never reads the files. */
  #ipBootstrap: RdapIpBootstrap | undefined;

  constructor(options: RdapEnricherOptions) {
    this.#fetcher = options.fetcher;
    this.#baseUrl = options.baseUrl === undefined ? undefined : rdapBaseUrl(options.baseUrl);
    this.#bootstrap =
      options.bootstrap ?? (this.#baseUrl === undefined ? loadRdapBootstrap() : undefined);
    this.#ipBootstrapOption = options.ipBootstrap;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_RDAP_TIMEOUT_MS;
    if (!Number.isInteger(this.#timeoutMs) || this.#timeoutMs < 1) {
      throw new VigilError(
        "VIGIL_ERR_CONFIG_INVALID",
        `RDAP timeout must be a whole number of ms, not ${this.#timeoutMs}`,
      );
    }
    this.#now = options.now ?? (() => new Date());
  }

  /** The registration facts of `host`'s registrable domain (cached for the run). */
  lookup(host: string): Promise<RdapFacts> {
    const name = host.toLowerCase().replace(/\.$/, "");
    const domain = getDomain(name) ?? name;
    return remember(this.#cache, domain, MAX_RDAP_CACHED_DOMAINS, () => this.#lookup(domain));
  }

  async #lookup(domain: string): Promise<RdapFacts> {
    const queriedAt = this.#now().toISOString();
    const base =
      this.#baseUrl ??
      (this.#bootstrap === undefined ? undefined : rdapBaseFor(this.#bootstrap, domain));
    if (base === undefined) {
      return {
        domain,
        queriedAt,
        outcome: "no-server",
        temporary: false,
        code: "VIGIL_ERR_RDAP_NO_SERVER",
        message: `no RDAP server known for ${domain} (give one with --rdap URL, or a fuller bootstrap file)`,
      };
    }
    const url = `${base}domain/${encodeURIComponent(domain)}`;
    const answer = await this.#query(url, "domain");
    return "doc" in answer
      ? { domain, queriedAt, url, outcome: "found", ...readRdapDomain(answer.doc) }
      : { domain, queriedAt, url, ...answer };
  }

  /**
   * The IP network holding `address` (RFC 9082 §3.1.1 `ip/<address>`), asked of the
   * regional registry the IANA IP bootstrap names (or the one `baseUrl`), cached per
   * address for the run: the hosting network's name, country, holder and abuse contact.
   */
  lookupAddress(address: string): Promise<RdapNetworkFacts> {
    const key = address.toLowerCase();
    return remember(this.#addresses, key, MAX_RDAP_CACHED_ADDRESSES, () =>
      this.#lookupAddress(key),
    );
  }

  async #lookupAddress(address: string): Promise<RdapNetworkFacts> {
    const queriedAt = this.#now().toISOString();
    if (parseIp(address) === undefined) {
      return {
        address,
        queriedAt,
        outcome: "failed",
        temporary: false,
        code: "VIGIL_ERR_WEB_URL",
        message: `"${address.slice(0, 100)}" is not an IP address`,
      };
    }
    if (this.#baseUrl === undefined && this.#ipBootstrap === undefined) {
      try {
        this.#ipBootstrap = this.#ipBootstrapOption ?? loadRdapIpBootstrap();
      } catch (err) {
        return {
          address,
          queriedAt,
          outcome: "no-server",
          temporary: false,
          code: "VIGIL_ERR_RDAP_NO_SERVER",
          cause: "VIGIL_ERR_CONFIG_INVALID",
          message: toVigilError(err).message,
        };
      }
    }
    const base =
      this.#baseUrl ??
      (this.#ipBootstrap === undefined
        ? undefined
        : rdapBaseForAddress(this.#ipBootstrap, address));
    if (base === undefined) {
      return {
        address,
        queriedAt,
        outcome: "no-server",
        temporary: false,
        code: "VIGIL_ERR_RDAP_NO_SERVER",
        message: `no RDAP server known for ${address} (a private or reserved address, or not in the IP bootstrap)`,
      };
    }
    const url = `${base}ip/${encodeURIComponent(address)}`;
    const answer = await this.#query(url, "address");
    return "doc" in answer
      ? { address, queriedAt, url, outcome: "found", ...readRdapIpNetwork(answer.doc) }
      : { address, queriedAt, url, ...answer };
  }

  /** One RDAP query: the answer's JSON object, or why there is none. */
  async #query(url: string, what: "domain" | "address"): Promise<{ doc: object } | RdapFailure> {
    const failed = (
      code: ErrorCode,
      message: string,
      temporary: boolean,
      cause?: ErrorCode,
    ): RdapFailure => ({
      outcome: "failed",
      temporary,
      code,
      ...(cause === undefined ? {} : { cause }),
      message: message.slice(0, 1000),
    });
    const options: GetOptions = {
      accept: "application/rdap+json, application/json;q=0.9",
      limits: {
        maxBodyBytes: MAX_RDAP_BYTES,
        timeoutMs: this.#timeoutMs,
        maxRedirects: MAX_RDAP_REDIRECTS,
      },
    };
    let status: number;
    let body: Buffer;
    try {
      const result = await this.#fetcher.get(url, options);
      if (result.stopped !== undefined) {
        const code = result.stopped.code;
        return failed(
          code === "VIGIL_ERR_WEB_REFUSED" ? "VIGIL_ERR_RDAP_REFUSED" : "VIGIL_ERR_RDAP_BAD_ANSWER",
          `RDAP ${url}: ${result.stopped.message}`,
          false,
          code,
        );
      }
      status = result.final.status;
      body = result.final.body;
    } catch (err) {
      const e = toVigilError(err, "VIGIL_ERR_WEB_CONNECT");
      const temporary =
        e.code === "VIGIL_ERR_WEB_TIMEOUT" ||
        e.code === "VIGIL_ERR_WEB_CONNECT" ||
        e.code === "VIGIL_ERR_WEB_DNS";
      const code: ErrorCode = temporary
        ? "VIGIL_ERR_RDAP_UNAVAILABLE"
        : e.code === "VIGIL_ERR_WEB_REFUSED" || e.code === "VIGIL_ERR_WEB_URL"
          ? "VIGIL_ERR_RDAP_REFUSED"
          : "VIGIL_ERR_RDAP_BAD_ANSWER";
      return failed(code, `RDAP ${e.message}`, temporary, e.code);
    }
    if (status === 404) {
      return {
        outcome: "not-found",
        temporary: false,
        code: "VIGIL_ERR_RDAP_NOT_FOUND",
        message: `RDAP ${url}: the registry has no such ${what === "domain" ? "domain" : "network"} (404)`,
      };
    }
    if (status !== 200) {
      // RFC 9083 §6: 429 is rate limiting; a 5xx is the server's trouble. Both pass.
      const temporary = status === 429 || status >= 500;
      return failed(
        temporary ? "VIGIL_ERR_RDAP_UNAVAILABLE" : "VIGIL_ERR_RDAP_BAD_ANSWER",
        `RDAP ${url}: answered ${status}`,
        temporary,
      );
    }
    let doc: unknown;
    try {
      doc = JSON.parse(body.toString("utf8"));
    } catch (err) {
      return failed(
        "VIGIL_ERR_RDAP_BAD_ANSWER",
        `RDAP ${url}: the answer is not JSON (${(err as Error).message.slice(0, 200)})`,
        false,
      );
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      return failed(
        "VIGIL_ERR_RDAP_BAD_ANSWER",
        `RDAP ${url}: the answer is not a JSON object`,
        false,
      );
    }
    return { doc };
  }
}

/** Checks an RDAP base URL (`--rdap`): http(s), ending in `/`. */
export function rdapBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new VigilError("VIGIL_ERR_CONFIG_INVALID", `RDAP server "${text}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new VigilError("VIGIL_ERR_CONFIG_INVALID", `RDAP server "${text}" is not http(s)`);
  }
  url.search = "";
  url.hash = "";
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

/**
 * The value cached under `key`, made and cached when missing; past `limit` entries the
 * oldest is dropped (a run looks up each name once, so insertion order is enough).
 */
function remember<V>(cache: Map<string, V>, key: string, limit: number, make: () => V): V {
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const value = make();
  if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}
