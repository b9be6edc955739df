/** Sleeps `ms`, or less when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", done);
      clearTimeout(timer);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

/** Hosts remembered: a crawl of millions of hosts must not grow this without end. */
export const MAX_RATE_LIMITED_HOSTS = 100_000;

/**
 * Spaces requests to one host at least `intervalMs` apart (politeness: a capture must
 * not look or act like an attack on the site). Requests to different hosts do not wait
 * for each other. Clock and sleep are passed in for tests.
 */
export class HostRateLimiter {
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  /** Per host, the earliest time the next request may start. */
  readonly #next = new Map<string, number>();

  constructor(options: { intervalMs: number; now?: () => number; sleep?: Sleep }) {
    if (!Number.isFinite(options.intervalMs) || options.intervalMs < 0) {
      throw new RangeError("intervalMs must be a number of at least 0");
    }
    this.#intervalMs = options.intervalMs;
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? realSleep;
  }

  /** Waits for `host`'s turn; `minIntervalMs` raises the spacing (a robots Crawl-delay). */
  async wait(host: string, minIntervalMs = 0, signal?: AbortSignal): Promise<void> {
    const interval = Math.max(this.#intervalMs, minIntervalMs);
    const now = this.#now();
    const at = Math.max(now, this.#next.get(host) ?? 0);
    // Reserve the slot before sleeping, so concurrent callers queue behind each other.
    this.#next.delete(host);
    this.#next.set(host, at + interval);
    if (this.#next.size > MAX_RATE_LIMITED_HOSTS) {
      const oldest = this.#next.keys().next().value;
      if (oldest !== undefined) this.#next.delete(oldest);
    }
    if (at > now) await this.#sleep(at - now, signal);
  }
}
