/**
 * SafeFetcher and PoliteFetcher against real loopback servers: the test-only allow
 * option lets 127.0.0.1 through, and everything else the guard must still stop
 * (redirects to other loopback addresses or metadata, rebinding, bombs, slow drips).
 */
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostRateLimiter, PoliteFetcher, SafeFetcher, staticResolver } from "../src/index.js";
import { type SiteServer, selfSignedTls, startSiteServer } from "./support/site-server.js";

let plain: SiteServer;
let secure: SiteServer;
const timers: NodeJS.Timeout[] = [];

beforeAll(async () => {
  plain = await startSiteServer(
    {
      "/": { body: "<html><title>Home</title></html>" },
      "/gzip": {
        headers: { "content-type": "text/html", "content-encoding": "gzip" },
        body: gzipSync("<p>compressed page</p>"),
      },
      // 64 MiB of zeros gzip to ~64 KiB: a decompression bomb.
      "/bomb": {
        headers: { "content-type": "text/html", "content-encoding": "gzip" },
        body: gzipSync(Buffer.alloc(64 * 1024 * 1024)),
      },
      "/huge": (_req, res) => {
        res.writeHead(200, { "content-type": "text/html", "content-length": 200 * 1024 * 1024 });
        res.write("<html>");
      },
      "/endless": (_req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = () => {
          while (res.write(chunk)) {}
        };
        res.on("drain", pump);
        pump();
      },
      "/slow": (_req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        const timer = setInterval(() => res.write("."), 100);
        timers.push(timer);
        res.on("close", () => clearInterval(timer));
      },
      "/big-head": (_req, res) => {
        res.writeHead(200, { "x-filler": "a".repeat(100 * 1024) });
        res.end("x");
      },
      "/to-loopback": { status: 302, headers: { location: "http://127.0.0.2/" } },
      "/to-metadata": {
        status: 302,
        headers: { location: "http://169.254.169.254/latest/meta-data/" },
      },
      "/to-mapped": { status: 301, headers: { location: "http://[::ffff:127.0.0.1]/" } },
      "/to-decimal": { status: 302, headers: { location: "http://2130706434/" } },
      "/to-ftp": { status: 302, headers: { location: "ftp://outlet.test/" } },
      "/to-self": { status: 302, headers: { location: "/" } },
      "/loop": (req, res) => {
        const n = Number(new URL(req.url ?? "/", "http://x").searchParams.get("n") ?? "0");
        res.writeHead(302, { location: `/loop?n=${n + 1}` }).end();
      },
      "/robots.txt": {
        headers: { "content-type": "text/plain" },
        body: "User-agent: *\nDisallow: /private\n",
      },
      "/private": { body: "secret" },
    },
    { maxHeaderSize: 256 * 1024 },
  );
  secure = await startSiteServer(
    { "/": { body: "<html><title>Secure</title></html>" } },
    { tls: selfSignedTls("outlet.test") },
  );
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  await plain?.close();
  await secure?.close();
});

const resolver = staticResolver({ "outlet.test": ["127.0.0.1"] });
const fetcher = (limits = {}) =>
  new SafeFetcher({
    resolver,
    allowPrivate: ["127.0.0.1"],
    limits: { timeoutMs: 5000, ...limits },
  });
const at = (path: string) => plain.url(path, "outlet.test");

describe("SafeFetcher on loopback", () => {
  it("refuses loopback by default, even for a name the resolver maps there", async () => {
    const guarded = new SafeFetcher({ resolver, limits: { timeoutMs: 2000 } });
    await expect(guarded.get(at("/"))).rejects.toMatchObject({ code: "VIGIL_ERR_WEB_REFUSED" });
    await expect(guarded.get(plain.url("/"))).rejects.toMatchObject({
      code: "VIGIL_ERR_WEB_REFUSED",
    });
  });

  it("fetches an allowed test server, sending the host name and undoing gzip", async () => {
    const result = await fetcher().get(at("/gzip"));
    expect(result.final.status).toBe(200);
    expect(result.final.address).toBe("127.0.0.1");
    expect(result.final.body.toString()).toBe("<p>compressed page</p>");
    expect(result.final.rawBody.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(plain.requests).toContain(`GET /gzip outlet.test:${plain.port}`);
  });

  it.each(["/to-loopback", "/to-metadata", "/to-mapped", "/to-decimal", "/to-ftp"])(
    "does not follow %s from an allowed host",
    async (path) => {
      const result = await fetcher().get(at(path));
      expect(result.stopped?.code).toBe("VIGIL_ERR_WEB_REFUSED");
      expect(result.final.status).toBeGreaterThanOrEqual(301);
      expect(result.exchanges).toHaveLength(1);
    },
  );

  it("connects to the address it checked: a rebinding resolver cannot move it", async () => {
    // First answer: the allowed 127.0.0.1; every later answer: 127.0.0.2, refused (and
    // nothing listens there). The system resolver knows no outlet.test, so the page
    // arriving at all shows the socket went to the checked address, not to a second
    // look-up; the redirect's hop is resolved and checked again, and refused.
    let calls = 0;
    const rebinding = new SafeFetcher({
      resolver: async () => (calls++ === 0 ? ["127.0.0.1"] : ["127.0.0.2"]),
      allowPrivate: ["127.0.0.1"],
      limits: { timeoutMs: 5000 },
    });
    const result = await rebinding.get(at("/to-self"));
    expect(result.exchanges).toHaveLength(1);
    expect(result.final.status).toBe(302);
    expect(result.final.address).toBe("127.0.0.1");
    expect(result.stopped?.code).toBe("VIGIL_ERR_WEB_REFUSED");
    expect(result.stopped?.message).toContain("127.0.0.2");
    expect(calls).toBe(2);
    await expect(rebinding.get(at("/"))).rejects.toMatchObject({ code: "VIGIL_ERR_WEB_REFUSED" });
  });

  it("refuses a name that resolves to a public and a private address", async () => {
    const mixed = new SafeFetcher({
      resolver: async () => ["127.0.0.1", "10.0.0.5"],
      allowPrivate: ["127.0.0.1"],
    });
    await expect(mixed.get(at("/"))).rejects.toMatchObject({ code: "VIGIL_ERR_WEB_REFUSED" });
  });

  it("stops endless redirects after the cap", async () => {
    const result = await fetcher().get(at("/loop"));
    expect(result.stopped?.code).toBe("VIGIL_ERR_WEB_LIMIT");
    expect(result.exchanges).toHaveLength(6);
  });

  it("cuts a decompression bomb at the limit, counting decoded bytes", async () => {
    await expect(fetcher({ maxBodyBytes: 1024 * 1024 }).get(at("/bomb"))).rejects.toMatchObject({
      code: "VIGIL_ERR_WEB_LIMIT",
      message: expect.stringContaining("decodes"),
    });
  });

  it("refuses a declared 200 MB body and cuts an endless one", async () => {
    await expect(fetcher().get(at("/huge"))).rejects.toMatchObject({ code: "VIGIL_ERR_WEB_LIMIT" });
    await expect(fetcher({ maxBodyBytes: 1024 * 1024 }).get(at("/endless"))).rejects.toMatchObject({
      code: "VIGIL_ERR_WEB_LIMIT",
    });
  });

  it("times out a slow-drip server", async () => {
    const started = Date.now();
    await expect(fetcher({ timeoutMs: 800 }).get(at("/slow"))).rejects.toMatchObject({
      code: "VIGIL_ERR_WEB_TIMEOUT",
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("refuses an oversized response head", async () => {
    await expect(fetcher({ maxHeaderBytes: 16 * 1024 }).get(at("/big-head"))).rejects.toMatchObject(
      {
        code: "VIGIL_ERR_WEB_LIMIT",
      },
    );
  });

  it("captures over HTTPS with a self-signed certificate, recording the chain", async () => {
    const result = await fetcher().get(secure.url("/", "outlet.test"));
    expect(result.final.body.toString()).toContain("Secure");
    expect(result.final.tls?.authorized).toBe(false);
    expect(result.final.tls?.chain[0]?.subject).toContain("CN=outlet.test");
    expect(result.final.tls?.chain[0]?.fingerprint256).toMatch(/^[0-9A-F:]{95}$/);
  });
});

describe("PoliteFetcher", () => {
  it("honours robots.txt and spaces requests to one host", async () => {
    const waits: number[] = [];
    const polite = new PoliteFetcher(fetcher(), {
      intervalMs: 1000,
      now: () => 0,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await expect(polite.get(at("/private"))).rejects.toMatchObject({
      code: "VIGIL_ERR_WEB_ROBOTS",
    });
    const page = await polite.get(at("/"));
    expect(page.final.status).toBe(200);
    // robots.txt at 0, then the page one interval later (the refused page made no request).
    expect(waits).toEqual([1000]);
  });

  it("limits per host, not across hosts", async () => {
    const waits: number[] = [];
    const limiter = new HostRateLimiter({
      intervalMs: 500,
      now: () => 0,
      sleep: async (ms) => void waits.push(ms),
    });
    await limiter.wait("a.test");
    await limiter.wait("b.test");
    await limiter.wait("a.test");
    await limiter.wait("a.test", 2000);
    expect(waits).toEqual([500, 1000]);
  });
});
