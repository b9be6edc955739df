/**
 * `vigil scan site` end to end against loopback servers: pages captured and stored with
 * their features, favicon hashes, evidence kept; a bad URL reported while the rest go on.
 * Page extraction and the favicon hash on fixtures.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  extractPage,
  murmur3x86_32,
  type PageSnapshot,
  type SiteScanSummary,
  shodanFaviconHash,
} from "../src/index.js";
import { jsonOf, runCli } from "./support/cli-process.js";
import { peekDatabase } from "./support/peek-database.js";
import { type SiteServer, startSiteServer } from "./support/site-server.js";

const PAGE = `<!doctype html><html lang="en"><head>
<meta charset="utf-8"><title>Savannah Times — Local news</title>
<meta name="description" content="News you can trust">
<meta name="keywords" content="politics, election">
<meta name="generator" content="WordPress 6.4.2">
<meta name="author" content="Jane Roe">
<meta property="og:title" content="Election officials warn">
<meta property="og:site_name" content="Savannah Times">
<meta property="article:published_time" content="2024-08-01T10:00:00Z">
<meta name="google-site-verification" content="abcDEF123_-xyz">
<meta name="yandex-verification" content="0123456789abcdef">
<link rel="canonical" href="/election-officials-warn">
<link rel="icon" href="/icon.png">
<link rel="stylesheet" href="/wp-content/themes/newsup/style.css">
<script async src="https://www.googletagmanager.com/gtag/js?id=G-4B7QZ2X9PL"></script>
<script>gtag('config', 'UA-12345678-1'); fbq('init', '123456789012345');
ym(87654321, "init", {}); (adsbygoogle = window.adsbygoogle || []).push({google_ad_client: "ca-pub-1234567890123456"});</script>
<script src="/wp-content/plugins/jetpack/x.js"></script>
</head><body class="home blog">
<div class="site-header"><nav class="menu"><a href="/">Home</a> <a href="https://twitter.com/x">X</a> <a href="https://www.washingtonpost.com/a">WaPo</a></nav></div>
<article class="post"><h1>Election officials warn of misinformation</h1>
${"<p>Officials in several counties said on Monday that voters should check polling information with their county office. The warnings came after a wave of misleading messages spread on social media about polling hours and locations across the state. </p>".repeat(8)}
<p>Donate: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq or 0x52908400098527886E0F7030069857D2E4169EE7 (not 1BoatSLRHtKNngkdXEeobR76b53LETtpyX)</p>
</article></body></html>`;

describe("extractPage", () => {
  it("reads meta, Open Graph, article, links, scripts, identifiers and markers", () => {
    const f = extractPage(Buffer.from(PAGE), "https://savannahtime.test/election");
    expect(f.title).toBe("Savannah Times — Local news");
    expect(f.description).toBe("News you can trust");
    expect(f.keywords).toEqual(["politics", "election"]);
    expect(f.generator).toBe("WordPress 6.4.2");
    expect(f.canonical).toBe("https://savannahtime.test/election-officials-warn");
    expect(f.openGraph["og:site_name"]).toBe("Savannah Times");
    expect(f.author).toBe("Jane Roe");
    expect(f.publishedAt).toBe("2024-08-01T10:00:00Z");
    expect(f.article?.text).toContain("Officials in several counties");
    expect(f.links.hosts).toEqual(["twitter.com", "www.washingtonpost.com"]);
    expect(f.links.internal).toBe(1);
    expect(f.scripts.src).toContain("https://savannahtime.test/wp-content/plugins/jetpack/x.js");
    expect(f.scripts.inlineSha256).toHaveLength(1);
    expect(f.faviconUrl).toBe("https://savannahtime.test/icon.png");
    expect(f.tracking).toMatchObject({
      googleAnalytics: ["G-4B7QZ2X9PL", "UA-12345678-1"],
      adsense: ["pub-1234567890123456"],
      facebookPixel: ["123456789012345"],
      yandexMetrica: ["87654321"],
      siteVerification: ["google:abcDEF123_-xyz", "yandex:0123456789abcdef"],
      bitcoin: ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
      ethereum: ["0x52908400098527886e0f7030069857d2e4169ee7"],
    });
    expect(f.markers).toEqual({ cms: ["wordpress"], themes: ["newsup"], plugins: ["jetpack"] });
    expect(f.cssClasses.vocabulary).toEqual(["blog", "home", "menu", "post", "site-header"]);
    expect(f.structure.minhash).toHaveLength(64);
  });

  it("gives pages of one template the same structure hash, whatever their text", () => {
    const a = extractPage(Buffer.from(PAGE), "https://a.test/");
    const b = extractPage(Buffer.from(PAGE.replaceAll("Officials", "Voters")), "https://b.test/");
    expect(b.structure.hash).toBe(a.structure.hash);
    expect(b.cssClasses.hash).toBe(a.cssClasses.hash);
  });

  it("survives 10,000-level nesting, a wrong charset and binary bytes", () => {
    const deep = Buffer.from(
      `<html><body>${"<div>".repeat(10_000)}x${"</div>".repeat(10_000)}</body></html>`,
    );
    const f = extractPage(deep, "https://deep.test/");
    expect(f.limits).toContain("depth-readability-skipped");
    expect(f.structure.maxDepth).toBeGreaterThan(1000);
    const cp1251 = Buffer.concat([
      Buffer.from("<html><head><title>"),
      Buffer.from([0xcf, 0xf0, 0xe8]),
      Buffer.from("</title></head><body></body></html>"),
    ]);
    expect(extractPage(cp1251, "https://x.test/", "text/html; charset=windows-1251").title).toBe(
      "При",
    );
    expect(extractPage(cp1251, "https://x.test/", "text/html; charset=no-such").charset).toBe(
      "utf-8",
    );
  });
});

describe("favicon hash", () => {
  it("is MurmurHash3 x86 32 (reference vectors)", () => {
    expect(murmur3x86_32(Buffer.from(""))).toBe(0);
    expect(murmur3x86_32(Buffer.from("hello"))).toBe(0x248bfa47);
    expect(murmur3x86_32(Buffer.from("The quick brown fox jumps over the lazy dog"))).toBe(
      0x2e4ff723,
    );
  });
  it("hashes the base64 with a line break every 76 characters and at the end, signed", () => {
    const icon = Buffer.alloc(100, 7);
    const b64 = icon.toString("base64");
    const wrapped = `${b64.slice(0, 76)}\n${b64.slice(76)}\n`;
    expect(shodanFaviconHash(icon)).toBe(murmur3x86_32(Buffer.from(wrapped)) | 0);
  });
});

describe("vigil scan site", () => {
  let server: SiteServer;
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-site-"));
    const icon = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#c00" } })
      .png()
      .toBuffer();
    server = await startSiteServer({
      "/": { body: PAGE },
      "/icon.png": { headers: { "content-type": "image/png" }, body: icon },
      "/binary": {
        headers: { "content-type": "text/html" },
        body: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]),
      },
      "/robots.txt": {
        headers: { "content-type": "text/plain" },
        body: "User-agent: *\nDisallow: /hidden\n",
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("captures pages, stores their features, keeps evidence, and reports each bad URL", async () => {
    const args = [
      "--db",
      join(dir, "v.db"),
      "scan",
      "site",
      server.url("/", "savannahtime.test"),
      server.url("/binary", "savannahtime.test"),
      server.url("/hidden", "savannahtime.test"),
      "http://0x7f.0.0.2/",
      "--resolve",
      "savannahtime.test=127.0.0.1",
      "--allow-private-address",
      "127.0.0.1",
      "--host-interval",
      "0",
      "--evidence-dir",
      join(dir, "evidence"),
      "--json",
    ];
    const run = await runCli(args, dir);
    expect(run.code, run.stderr).toBe(3);
    const summary = jsonOf<SiteScanSummary>(run);
    const [page, binary, hidden, decimal] = summary.reports;
    expect(page).toMatchObject({
      outcome: "captured",
      status: 200,
      address: "127.0.0.1",
      title: "Savannah Times — Local news",
    });
    expect(binary?.outcome).toBe("captured");
    expect(binary?.problem?.code).toBe("VIGIL_ERR_WEB_CONTENT");
    expect(hidden?.problem?.code).toBe("VIGIL_ERR_WEB_ROBOTS");
    expect(decimal?.problem?.code).toBe("VIGIL_ERR_WEB_REFUSED");
    expect(summary.captured).toBe(2);

    const rows = peekDatabase(
      join(dir, "v.db"),
      (db) =>
        db.prepare("SELECT data FROM observations WHERE kind = 'page'").all() as Array<{
          data: string;
        }>,
      [],
    );
    expect(rows).toHaveLength(2);
    const snapshots = rows.map((r) => JSON.parse(r.data) as PageSnapshot);
    const home = snapshots.find((s) => s.page?.title !== undefined);
    expect(home?.page?.tracking.googleAnalytics).toEqual(["G-4B7QZ2X9PL", "UA-12345678-1"]);
    expect(home?.favicon?.dhash).toMatch(/^[0-9a-f]{16}$/);
    expect(typeof home?.favicon?.mmh3).toBe("number");
    expect(home?.evidence.warc).toMatch(/^warc\/.+\.warc\.gz$/);
    expect(home?.server.headers["content-type"]).toContain("text/html");

    const verify = await runCli(["evidence", "verify", join(dir, "evidence")], dir);
    expect(verify.stdout).toContain("evidence intact: 2 entries");
    expect(verify.code).toBe(0);
  });
});
