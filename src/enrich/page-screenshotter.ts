import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Route } from "playwright-core";
import { VigilError } from "../errors.js";

/** A captured answer the browser may be served: the page itself, its favicon. */
export interface CapturedResource {
  url: string;
  status: number;
  contentType?: string;
  body: Buffer;
}

/** What is rendered: the page as captured, and the other captured answers it may load. */
export interface ScreenshotInput {
  /** The page's final URL (relative links resolve against it). */
  url: string;
  status: number;
  contentType?: string;
  body: Buffer;
  resources?: readonly CapturedResource[];
}

/** Renders a captured page to a PNG. Passed in, so tests and `--no-screenshot` can do without. */
export interface PageScreenshotter {
  capture(input: ScreenshotInput): Promise<Buffer>;
  close(): Promise<void>;
}

/** Debian's chromium, the one browser this project can use (no browser download). */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";
/** One page's rendering and screenshot; a page that takes longer is left without one. */
export const DEFAULT_SCREENSHOT_TIMEOUT_MS = 20_000;
/** Size of the rendered viewport: a desktop browser's first screen. */
export const SCREENSHOT_VIEWPORT = { width: 1280, height: 1024 } as const;

/**
 * Launch flags. Beyond the usual headless set: the browser gets no network of its own.
 * Every request it makes is answered by a route handler from the capture or aborted; in
 * case something escapes the handler (a preconnect, a DNS prefetch), host names resolve
 * to nothing and connections go to a proxy on a loopback port that is closed.
 */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--dns-prefetch-disable",
  "--host-resolver-rules=MAP * ~NOTFOUND",
  "--proxy-server=http://127.0.0.1:9",
  "--proxy-bypass-list=<-loopback>",
] as const;

export interface ChromiumScreenshotterOptions {
  executablePath?: string;
  timeoutMs?: number;
}

/**
 * Screenshots captured pages with Debian's chromium through playwright-core, without
 * letting the browser reach any network: the page is loaded at its own URL (so relative
 * links and the base resolve as they did), but a route handler serves only the bytes the
 * capture fetched through the SSRF guard (the page, its favicon) and aborts every other
 * request. Scripts are off: the evidence is what the server sent, and a hostile page's
 * code must not run. One browser per scan, started at the first page, in a new empty
 * profile folder removed at `close`.
 *
 * @throws VigilError `VIGIL_ERR_CONFIG_INVALID` at construction when chromium is missing.
 */
export class ChromiumScreenshotter implements PageScreenshotter {
  readonly #executablePath: string;
  readonly #timeoutMs: number;
  #context: Promise<{ context: BrowserContext; profile: string }> | undefined;

  constructor(options: ChromiumScreenshotterOptions = {}) {
    this.#executablePath = options.executablePath ?? DEFAULT_CHROMIUM_PATH;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_SCREENSHOT_TIMEOUT_MS;
    if (!existsSync(this.#executablePath)) {
      throw new VigilError(
        "VIGIL_ERR_CONFIG_INVALID",
        `chromium is not installed at ${this.#executablePath}: install Debian's chromium (apt-get install chromium) or capture with --no-screenshot`,
      );
    }
  }

  /**
   * @throws VigilError `VIGIL_ERR_SCREENSHOT_BROWSER` when chromium does not start or
   *   crashes, `VIGIL_ERR_SCREENSHOT_TIMEOUT` when the page is not rendered in time,
   *   `VIGIL_ERR_SCREENSHOT_PAGE` when it cannot be rendered for another reason.
   */
  async capture(input: ScreenshotInput): Promise<Buffer> {
    const { context } = await this.#start();
    const served = new Map<string, CapturedResource>();
    for (const r of input.resources ?? []) served.set(withoutHash(r.url), r);
    served.set(withoutHash(input.url), {
      url: input.url,
      status: input.status,
      ...(input.contentType === undefined ? {} : { contentType: input.contentType }),
      body: input.body,
    });
    let page: Awaited<ReturnType<BrowserContext["newPage"]>>;
    try {
      page = await context.newPage();
    } catch (err) {
      throw screenshotError(input.url, err);
    }
    try {
      page.setDefaultTimeout(this.#timeoutMs);
      await page.route("**/*", (route: Route) => {
        const found = served.get(withoutHash(route.request().url()));
        if (found === undefined) return route.abort("blockedbyclient");
        return route.fulfill({
          status: found.status,
          headers: { "content-type": found.contentType ?? "application/octet-stream" },
          body: found.body,
        });
      });
      await page.goto(input.url, { waitUntil: "load", timeout: this.#timeoutMs });
      return await page.screenshot({
        type: "png",
        timeout: this.#timeoutMs,
        animations: "disabled",
      });
    } catch (err) {
      throw screenshotError(input.url, err);
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const started = this.#context;
    this.#context = undefined;
    if (started === undefined) return;
    const { context, profile } = await started.catch(() => ({ context: undefined, profile: "" }));
    await context?.close().catch(() => undefined);
    if (profile !== "") await rm(profile, { recursive: true, force: true });
  }

  #start(): Promise<{ context: BrowserContext; profile: string }> {
    this.#context ??= (async () => {
      const { chromium } = await import("playwright-core");
      const profile = await mkdtemp(join(tmpdir(), "vigil-chromium-"));
      try {
        const context = await chromium.launchPersistentContext(profile, {
          executablePath: this.#executablePath,
          headless: true,
          args: [...CHROMIUM_FLAGS],
          javaScriptEnabled: false,
          serviceWorkers: "block",
          acceptDownloads: false,
          viewport: { ...SCREENSHOT_VIEWPORT },
          timeout: this.#timeoutMs,
        });
        // Anything not made by a page (a worker, a prefetch) is refused at the context too.
        await context.route("**/*", (route) => route.abort("blockedbyclient"));
        return { context, profile };
      } catch (err) {
        await rm(profile, { recursive: true, force: true });
        throw new VigilError(
          "VIGIL_ERR_SCREENSHOT_BROWSER",
          `chromium at ${this.#executablePath} did not start: ${(err as Error).message.split("\n")[0]}`,
          { cause: err },
        );
      }
    })();
    return this.#context;
  }
}

/** Browser gone: playwright's words when chromium crashed or was closed under a page. */
const BROWSER_GONE =
  /target (?:page, context or browser )?(?:has been )?closed|browser has (?:been )?(?:closed|disconnected)|crash/i;

/** A rendering failure with the code that says whose it is: the browser's, time's, or the page's. */
function screenshotError(url: string, err: unknown): VigilError {
  const message = (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
  const code =
    err instanceof Error && err.name === "TimeoutError"
      ? "VIGIL_ERR_SCREENSHOT_TIMEOUT"
      : BROWSER_GONE.test(message)
        ? "VIGIL_ERR_SCREENSHOT_BROWSER"
        : "VIGIL_ERR_SCREENSHOT_PAGE";
  return new VigilError(code, `${url}: no screenshot: ${message}`, { cause: err });
}

function withoutHash(url: string): string {
  const at = url.indexOf("#");
  return at === -1 ? url : url.slice(0, at);
}
