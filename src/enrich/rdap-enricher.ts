import { getDomain } from "tldts";
import { type ErrorCode, toVigilError, VigilError } from "../errors.js";
import type { GetOptions, SafeFetcher } from "../sources/index.js";
import { loadRdapBootstrap, type RdapBootstrap, rdapBaseFor } from "./rdap-bootstrap.js";
import { type RdapRegistration, readRdapDomain } from "./rdap-facts.js";

/** How the RDAP enricher fetches: the SSRF-guarded `SafeFetcher` (its `get`). */
export type RdapFetcher = Pick<SafeFetcher, "get">;

/** What RDAP said about one registrable domain. */
export type RdapFacts = {
  domain: string;
  queriedAt: string;
  /** The URL asked, when there was a server to ask. */
  url?: string;
} & (
  | ({ outcome: "found" } & RdapRegistration)
  | {
      /**
       * `not-found`: the registry has no such domain (404); `no-server`: no RDAP server is
       * known for its TLD; `failed`: the server could not be reached or its answer read.
       */
      outcome: "not-found" | "no-server" | "failed";
      /** Worth trying again later (a timeout, 429, 5xx, a dropped connection). */
      temporary: boolean;
      code: ErrorCode;
      message: string;
    }
);

/** An RDAP answer is a few KiB; a larger one is refused unread. */
export const MAX_RDAP_BYTES = 1024 * 1024;
/** One RDAP query, redirects included. Registries answer in about a second. */
export const DEFAULT_RDAP_TIMEOUT_MS = 10_000;
/** Redirects followed: some registries send queries on to the registrar's server. */
export const MAX_RDAP_REDIRECTS = 3;
/** Domains whose answers are kept for a run. */
export const MAX_RDAP_CACHED_DOMAINS = 10_000;

export interface RdapEnricherOptions {
  fetcher: RdapFetcher;
  /** Where RDAP servers are found (the shipped `data/rdap/dns.json` by default). */
  bootstrap?: RdapBootstrap;
  /** One RDAP base URL for every domain, instead of the bootstrap (`--rdap URL`). */
  baseUrl?: string;
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * Looks up the registration of a host's registrable domain over RDAP (RFC 9082/9083):
 * registrar, abuse contact, created and expiry dates, statuses, privacy proxy. Queries go
 * through the fetcher passed in (the SSRF guard stays on), capped in size and time, and
 * are cached per domain for the run. Never throws for a bad server: the outcome says
 * what happened, and whether it is worth trying again.
 *
 * @example
 * const rdap = new RdapEnricher({ fetcher: new SafeFetcher() });
 * const facts = await rdap.lookup("www.news.example");
 */
export class RdapEnricher {
  readonly #fetcher: RdapFetcher;
  readonly #bootstrap: RdapBootstrap | undefined;
  readonly #baseUrl: string | undefined;
  readonly #timeoutMs: number;
  readonly #now: () => Date;
  readonly #cache = new Map<string, Promise<RdapFacts>>();

  constructor(options: RdapEnricherOptions) {
    this.#fetcher = options.fetcher;
    this.#baseUrl = options.baseUrl === undefined ? undefined : rdapBaseUrl(options.baseUrl);
    this.#bootstrap =
      options.bootstrap ?? (this.#baseUrl === undefined ? loadRdapBootstrap() : undefined);
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
    const cached = this.#cache.get(domain);
    if (cached !== undefined) return cached;
    const facts = this.#lookup(domain);
    if (this.#cache.size >= MAX_RDAP_CACHED_DOMAINS) {
      this.#cache.delete(this.#cache.keys().next().value as string);
    }
    this.#cache.set(domain, facts);
    return facts;
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
        code: "VIGIL_ERR_CONFIG_INVALID",
        message: `no RDAP server known for ${domain} (give one with --rdap URL, or a fuller bootstrap file)`,
      };
    }
    const url = `${base}domain/${encodeURIComponent(domain)}`;
    const failed = (code: ErrorCode, message: string, temporary: boolean): RdapFacts => ({
      domain,
      queriedAt,
      url,
      outcome: "failed",
      temporary,
      code,
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
        return failed(result.stopped.code, `RDAP ${url}: ${result.stopped.message}`, false);
      }
      status = result.final.status;
      body = result.final.body;
    } catch (err) {
      const e = toVigilError(err, "VIGIL_ERR_WEB_CONNECT");
      const temporary =
        e.code === "VIGIL_ERR_WEB_TIMEOUT" ||
        e.code === "VIGIL_ERR_WEB_CONNECT" ||
        e.code === "VIGIL_ERR_WEB_DNS";
      return failed(e.code, `RDAP ${e.message}`, temporary);
    }
    if (status === 404) {
      return {
        domain,
        queriedAt,
        url,
        outcome: "not-found",
        temporary: false,
        code: "VIGIL_ERR_WEB_CONTENT",
        message: `RDAP ${url}: the registry has no such domain (404)`,
      };
    }
    if (status !== 200) {
      // RFC 9083 §6: 429 is rate limiting; a 5xx is the server's trouble. Both pass.
      const temporary = status === 429 || status >= 500;
      return failed("VIGIL_ERR_WEB_CONTENT", `RDAP ${url}: answered ${status}`, temporary);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(body.toString("utf8"));
    } catch (err) {
      return failed(
        "VIGIL_ERR_WEB_CONTENT",
        `RDAP ${url}: the answer is not JSON (${(err as Error).message.slice(0, 200)})`,
        false,
      );
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      return failed("VIGIL_ERR_WEB_CONTENT", `RDAP ${url}: the answer is not a JSON object`, false);
    }
    return { domain, queriedAt, url, outcome: "found", ...readRdapDomain(doc) };
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
