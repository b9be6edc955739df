import { VigilError } from "../../errors.js";
import { HostRateLimiter, type Sleep } from "./host-rate-limiter.js";
import { MAX_ROBOTS_BYTES, RobotsPolicy } from "./robots-policy.js";
import type { FetchResult, GetOptions, SafeFetcher } from "./safe-fetcher.js";
import { hostOf, parseSafeUrl } from "./safe-url.js";

/** Pause between two requests to one host unless told otherwise: one a second. */
export const DEFAULT_HOST_INTERVAL_MS = 1000;
/** Sites whose robots.txt is remembered in one crawl. */
export const MAX_ROBOTS_CACHED = 10_000;

export interface PoliteFetcherOptions {
  /** Pause between two requests to one host (robots.txt Crawl-delay may raise it). */
  intervalMs?: number;
  /** Honour robots.txt (default true). */
  robots?: boolean;
  /** Clock in milliseconds and sleep, for tests. */
  now?: () => number;
  sleep?: Sleep;
}

/**
 * A crawler's manners around `SafeFetcher`: robots.txt is fetched once per site (through
 * the same guard) and honoured (RFC 9309), and requests to one host are spaced out.
 *
 * @throws VigilError `VIGIL_ERR_WEB_ROBOTS` for a page robots.txt disallows, besides
 *   the fetcher's own errors.
 */
export class PoliteFetcher {
  readonly #fetcher: SafeFetcher;
  readonly #limiter: HostRateLimiter;
  readonly #robots: boolean;
  readonly #policies = new Map<string, Promise<RobotsPolicy>>();

  constructor(fetcher: SafeFetcher, options: PoliteFetcherOptions = {}) {
    this.#fetcher = fetcher;
    this.#robots = options.robots ?? true;
    this.#limiter = new HostRateLimiter({
      intervalMs: options.intervalMs ?? DEFAULT_HOST_INTERVAL_MS,
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    });
  }

  /** GETs `input` if robots.txt allows, in the host's turn. */
  async get(input: string | URL, options: GetOptions = {}): Promise<FetchResult> {
    const url = parseSafeUrl(String(input));
    const host = hostOf(url);
    let delayMs = 0;
    if (this.#robots) {
      const policy = await this.#policyFor(url, options.signal);
      if (!policy.allows(`${url.pathname}${url.search}`)) {
        throw new VigilError(
          "VIGIL_ERR_WEB_ROBOTS",
          `${url.href}: disallowed by ${url.origin}/robots.txt`,
        );
      }
      delayMs = (policy.crawlDelaySeconds ?? 0) * 1000;
    }
    await this.#limiter.wait(host, delayMs, options.signal);
    return this.#fetcher.get(url, options);
  }

  #policyFor(url: URL, signal?: AbortSignal): Promise<RobotsPolicy> {
    const key = url.origin;
    let policy = this.#policies.get(key);
    if (policy === undefined) {
      policy = this.#fetchPolicy(url, signal);
      if (this.#policies.size >= MAX_ROBOTS_CACHED) this.#policies.clear();
      this.#policies.set(key, policy);
    }
    return policy;
  }

  async #fetchPolicy(url: URL, signal?: AbortSignal): Promise<RobotsPolicy> {
    const robotsUrl = `${url.origin}/robots.txt`;
    await this.#limiter.wait(hostOf(url), 0, signal);
    let result: FetchResult;
    try {
      result = await this.#fetcher.get(robotsUrl, {
        accept: "text/plain,*/*;q=0.5",
        // A robots.txt over the limit is an error, not a reason to read more.
        limits: { maxBodyBytes: MAX_ROBOTS_BYTES * 2 },
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (err) {
      if (!(err instanceof VigilError)) throw err;
      // RFC 9309 §2.3.1.4: unreachable robots.txt means complete disallow; the page is
      // then not fetched, and the reason is the robots.txt fetch's own.
      throw new VigilError(
        err.code,
        `${robotsUrl}: ${err.message} (the site is not crawled without it)`,
        { cause: err },
      );
    }
    const { status } = result.final;
    if (result.stopped !== undefined) return RobotsPolicy.disallowAll();
    if (status >= 200 && status <= 299) {
      return RobotsPolicy.parse(result.final.body.toString("utf8"), this.#fetcher.userAgent);
    }
    if (status >= 400 && status <= 499) return RobotsPolicy.allowAll();
    return RobotsPolicy.disallowAll();
  }
}
