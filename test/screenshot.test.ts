/**
 * Screenshots with Debian's chromium (playwright-core): rendered from the captured bytes
 * only — the browser makes no connection of its own, not even to loopback — kept beside
 * the WARC with the SHA-256 in the evidence log, checked by `vigil evidence verify`.
 * Chromium is required: without it these tests fail with the install command, never skip.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ChromiumScreenshotter,
  DEFAULT_CHROMIUM_PATH,
  type EvidenceEntry,
  type SiteScanSummary,
} from "../src/index.js";
import { jsonOf, runCli } from "./support/cli-process.js";
import { type SiteServer, startSiteServer } from "./support/site-server.js";

const CHROMIUM_MISSING = `${DEFAULT_CHROMIUM_PATH} is missing: install Debian's chromium (apt-get update && apt-get install -y chromium; .ci/run does this)`;

/** A TCP server that only counts connections: any connection is a leak. */
async function startTrap(): Promise<{
  port: number;
  connections: () => number;
  close(): Promise<void>;
}> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("chromium screenshots", () => {
  it("has Debian's chromium", () => {
    expect(existsSync(DEFAULT_CHROMIUM_PATH), CHROMIUM_MISSING).toBe(true);
  });

  it("renders the captured HTML and lets the browser reach no network", async () => {
    const trap = await startTrap();
    const shooter = new ChromiumScreenshotter();
    try {
      const t = `127.0.0.1:${trap.port}`;
      const html = `<!doctype html><html><head>
<link rel="preconnect" href="http://${t}/"><link rel="dns-prefetch" href="//tracker.test">
<link rel="stylesheet" href="http://${t}/style.css"><script src="http://${t}/x.js"></script>
<link rel="icon" href="/icon.png"></head>
<body style="margin:0;background:#d00000">
<img src="http://${t}/pixel.png"><img src="http://tracker.test:${trap.port}/p.png">
<iframe src="http://${t}/frame"></iframe><form action="http://${t}/post"></form>
<h1 style="color:white">Breaking news</h1></body></html>`;
      const png = await shooter.capture({
        url: "https://daily-ledger.test/",
        status: 200,
        contentType: "text/html; charset=utf-8",
        body: Buffer.from(html),
      });
      const meta = await sharp(png).metadata();
      expect(meta).toMatchObject({ format: "png", width: 1280, height: 1024 });
      const { data } = await sharp(png)
        .extract({ left: 1200, top: 1000, width: 1, height: 1 })
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect([...data.subarray(0, 3)]).toEqual([0xd0, 0, 0]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(trap.connections()).toBe(0);
    } finally {
      await shooter.close();
      await trap.close();
    }
  });

  it("fails with the install command when chromium is missing", () => {
    expect(() => new ChromiumScreenshotter({ executablePath: "/nonexistent/chromium" })).toThrow(
      /apt-get install chromium/,
    );
  });
});

describe("vigil scan site screenshots as evidence", () => {
  let site: SiteServer;
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-shot-"));
    site = await startSiteServer({
      "/": {
        body: '<!doctype html><title>Daily Ledger</title><body style="background:#0000c0"><h1>Daily Ledger</h1>',
      },
    });
  });
  afterAll(async () => {
    await site?.close();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("keeps a PNG beside the WARC, logs its SHA-256, and verify catches a changed PNG", async () => {
    const evidence = join(dir, "evidence");
    const run = await runCli(
      [
        "--db",
        join(dir, "v.db"),
        "scan",
        "site",
        site.url("/", "daily-ledger.test"),
        "--resolve",
        "daily-ledger.test=127.0.0.1",
        "--allow-private-address",
        "127.0.0.1",
        "--no-robots",
        "--no-rdap",
        "--host-interval",
        "0",
        "--evidence-dir",
        evidence,
        "--json",
      ],
      dir,
    );
    expect(run.code, run.stderr).toBe(0);
    const [report] = jsonOf<SiteScanSummary>(run).reports;
    expect(report?.evidence?.screenshot).toMatch(/^screenshots\/.+\.png$/);
    const [line] = (await readFile(join(evidence, "evidence-log.jsonl"), "utf8")).split("\n");
    const entry = JSON.parse(line as string) as EvidenceEntry;
    expect(entry.screenshot?.file).toBe(report?.evidence?.screenshot);
    const png = await readFile(join(evidence, entry.screenshot?.file as string));
    expect((await sharp(png).metadata()).format).toBe("png");

    const ok = await runCli(["evidence", "verify", evidence], dir);
    expect(ok.stdout).toContain("1 WARC files and 1 screenshots checked");
    expect(ok.code).toBe(0);

    await writeFile(
      join(evidence, entry.screenshot?.file as string),
      Buffer.concat([png, Buffer.from([0])]),
    );
    const broken = await runCli(["evidence", "verify", evidence], dir);
    expect(broken.code).toBe(4);
    expect(broken.stdout).toMatch(/screenshot .+: SHA-256 .+ is not the .+ logged/);
  });
});
