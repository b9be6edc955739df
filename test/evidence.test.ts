/**
 * The evidence folder: captures written as WARC files with a hash-chained log, checked
 * by `vigil evidence verify`, which names the first entry that was tampered with.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EVIDENCE_LOG_FILE,
  type EvidenceVerification,
  openStore,
  readWarc,
  scanSites,
  staticResolver,
  verifyEvidence,
} from "../src/index.js";
import { jsonOf, runCli } from "./support/cli-process.js";
import { type SiteServer, startSiteServer } from "./support/site-server.js";

let server: SiteServer;
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vigil-evidence-"));
  server = await startSiteServer({
    "/a": { body: "<html><head><title>A</title></head><body><p>first</p></body></html>" },
    "/b": { status: 301, headers: { location: "/c" } },
    "/c": { body: "<html><head><title>C</title></head><body><p>third</p></body></html>" },
    "/d": { body: "<html><head><title>D</title></head></html>" },
  });
});
afterAll(async () => {
  await server?.close();
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

async function capture(evidenceDir: string): Promise<void> {
  const store = await openStore({ path: join(dir, `${evidenceDir}.db`) });
  try {
    const summary = await scanSites(
      ["/a", "/b", "/d"].map((p) => server.url(p, "outlet.test")),
      {
        store,
        evidenceDir: join(dir, evidenceDir),
        resolver: staticResolver({ "outlet.test": ["127.0.0.1"] }),
        allowPrivate: ["127.0.0.1"],
        hostIntervalMs: 0,
        robots: false,
        concurrency: 1,
      },
    );
    expect(summary.captured).toBe(3);
  } finally {
    await store.close();
  }
}

describe("evidence", () => {
  it("keeps request and response records with sha256 digests and a chained log", async () => {
    await capture("intact");
    const result = await verifyEvidence(join(dir, "intact"));
    expect(result).toMatchObject({ ok: true, entries: 3, warcsChecked: 3 });
    const lines = (await readFile(join(dir, "intact", EVIDENCE_LOG_FILE), "utf8"))
      .trim()
      .split("\n");
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(entries[1].hops.map((h: { status: number }) => h.status)).toEqual([301, 200]);
    expect(entries[1].address).toBe("127.0.0.1");
    const records = readWarc(await readFile(join(dir, "intact", entries[1].warc)));
    expect(records.map((r) => r.headers.get("warc-type"))).toEqual(
      expect.arrayContaining(["warcinfo", "request", "response"]),
    );
    const response = records.find((r) => r.headers.get("warc-type") === "response");
    expect(response?.headers.get("warc-payload-digest")).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(response?.headers.get("warc-block-digest")).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("names the entry whose WARC lost a byte", async () => {
    await capture("warc");
    const lines = (await readFile(join(dir, "warc", EVIDENCE_LOG_FILE), "utf8")).trim().split("\n");
    const second = JSON.parse(lines[1] as string);
    const path = join(dir, "warc", second.warc);
    const bytes = await readFile(path);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0x01;
    await writeFile(path, bytes);
    const run = await runCli(["evidence", "verify", join(dir, "warc"), "--json"], dir);
    expect(run.code).toBe(4);
    const result = jsonOf<EvidenceVerification>(run);
    expect(result.ok).toBe(false);
    expect(result.broken).toMatchObject({ seq: 1, line: 2 });
    expect(result.broken?.reason).toContain(second.warc);
  });

  it("names the log entry that was changed", async () => {
    await capture("log");
    const file = join(dir, "log", EVIDENCE_LOG_FILE);
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    const entry = JSON.parse(lines[2] as string);
    entry.address = "203.0.113.9";
    lines[2] = JSON.stringify(entry);
    await writeFile(file, `${lines.join("\n")}\n`);
    const run = await runCli(["evidence", "verify", join(dir, "log")], dir);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain("BROKEN at entry 2");
    expect(run.stdout).toContain("hash does not match");
  });

  it("names a removed entry by the broken link that follows it", async () => {
    await capture("removed");
    const file = join(dir, "removed", EVIDENCE_LOG_FILE);
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    await writeFile(file, `${[lines[0], lines[2]].join("\n")}\n`);
    const result = await verifyEvidence(join(dir, "removed"));
    expect(result.broken).toMatchObject({ line: 2, seq: 2 });
  });
});
