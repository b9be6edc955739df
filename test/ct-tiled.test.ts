/**
 * Tiled Certificate Transparency logs (c2sp.org/static-ct-api) end to end, against a log
 * served on 127.0.0.1 as a checkpoint and data tiles of real certificates: the client's
 * tiles (full, partial, gzip, dropped partials), a malformed leaf, the source's partial
 * tile policy on a growing log, resumption from the stored cursor, and `vigil watch ct
 * --tiled-log` storing lookalike findings.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CtRawEntry,
  ctCursorSource,
  DEFAULT_PARTIAL_TILE_WAIT_MS,
  type Finding,
  logFromUrl,
  readCtEntry,
  type Store,
  TiledCtClient,
  type WatchCtOptions,
  watchCt,
} from "../src/index.js";
import { exited, stdoutJson as json, startCli } from "./support/cli-process.js";
import { CLIENT, ENTRY_COUNT, LOG_ENTRIES, NOW } from "./support/ct-fixture.js";
import { CtLogServer, logListFor, merkleTreeHash } from "./support/ct-log-server.js";
import { useTempStores } from "./support/temp-stores.js";
import {
  LOOKALIKES,
  PARTIAL_TILE_LOOKALIKE_INDEX,
  T0,
  TILED_ENTRIES,
  TILED_ENTRY_COUNT,
  TILED_LOOKALIKE_SIGHTINGS,
  TILED_MALFORMED_INDEX,
  TILED_MALFORMED_TILE_END,
  TILED_PROBLEMS,
  watchlist,
} from "./support/tiled-fixture.js";
import { TILE, TiledLogServer, tiledLogListFor, tileLeafOf } from "./support/tiled-log-server.js";

const servers: Array<{ close(): Promise<void> }> = [];
const temp = useTempStores("vigil-ct-tiled-");

async function startTiled(options?: Parameters<typeof TiledLogServer.start>[1]) {
  const server = await TiledLogServer.start([...TILED_ENTRIES], options);
  servers.push(server);
  return server;
}

function watch(server: TiledLogServer, store: Store, options: Partial<WatchCtOptions> = {}) {
  return watchCt({
    store,
    watchlist,
    logs: [logFromUrl(server.url, "static-ct")],
    client: CLIENT,
    pollMs: 20,
    now: NOW,
    ...options,
  });
}

function names(entry: CtRawEntry | undefined) {
  if (entry?.ok !== true) throw new Error(`entry not read: ${JSON.stringify(entry)}`);
  const result = readCtEntry(entry.leafInput);
  if (!result.ok) throw new Error(result.message);
  return result.entry;
}

function comparable(findings: readonly Finding[]) {
  return findings
    .map((f) => ({ id: f.id, subject: f.subject, score: f.score, observedAt: f.observedAt }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe("TiledCtClient against a local Static CT API log", () => {
  it("reads the checkpoint: size, root hash of the entries, origin and signature", async () => {
    const server = await startTiled();
    const checkpoint = await new TiledCtClient(server.url, CLIENT).getSth();
    expect(checkpoint).toMatchObject({
      origin: server.origin,
      treeSize: TILED_ENTRY_COUNT,
      rootHash: merkleTreeHash(TILED_ENTRIES.map((e) => e.leafInput)).toString("base64"),
      extensions: [],
    });
    expect(checkpoint.signatures.map((s) => s.keyName)).toEqual([server.origin]);
  });

  it("reads full tiles, then the partial one, a tile per call, and the entries decode", async () => {
    const server = await startTiled();
    const client = new TiledCtClient(server.url, CLIENT);
    await client.getSth();
    const first = await client.getEntries(0, 399);
    expect(first).toHaveLength(TILE);
    expect(names(first[5])).toMatchObject({
      entryType: "x509",
      timestamp: T0 + 5000,
      names: ["washingtonpost.pm", "*.washingtonpost.pm", "www.washingtonpost.pm"],
    });
    expect(names(first[17])).toMatchObject({
      entryType: "precert",
      names: ["fox-news.in", "www.fox-news.in"],
    });
    // From the middle of a tile: the rest of that tile only.
    expect(await client.getEntries(300, 599)).toHaveLength(512 - 300);
    const last = await client.getEntries(512, 599);
    expect(last).toHaveLength(TILED_ENTRY_COUNT - 512);
    expect(names(last[PARTIAL_TILE_LOOKALIKE_INDEX - 512])).toMatchObject({
      entryType: "precert",
      timestamp: T0 + PARTIAL_TILE_LOOKALIKE_INDEX * 1000,
    });
    expect(server.tilesAsked()).toEqual(["0", "1", "2.p/88"]);
    expect(server.requests.find((r) => r.endpoint === "tile" && r.status !== 200)).toBeUndefined();
  });

  it("answers batches smaller than a tile from the tile already fetched", async () => {
    const server = await startTiled();
    const client = new TiledCtClient(server.url, CLIENT);
    await client.getSth();
    expect(await client.getEntries(0, 9)).toHaveLength(10);
    expect(await client.getEntries(10, 19)).toHaveLength(10);
    expect(server.tilesAsked()).toEqual(["0"]);
  });

  it("reports the malformed leaf and the rest of its tile, and reads the next tile", async () => {
    const server = await startTiled();
    const client = new TiledCtClient(server.url, CLIENT);
    await client.getSth();
    const tile = await client.getEntries(256, 511);
    const bad = tile.flatMap((e, i) => (e.ok ? [] : [256 + i]));
    expect(bad[0]).toBe(TILED_MALFORMED_INDEX);
    expect(bad.at(-1)).toBe(TILED_MALFORMED_TILE_END);
    expect(bad).toHaveLength(TILED_MALFORMED_TILE_END - TILED_MALFORMED_INDEX + 1);
    expect(tile[TILED_MALFORMED_INDEX - 256]).toEqual({
      ok: false,
      message: "malformed tile leaf: unknown entry type 7",
    });
    expect(tile[TILED_MALFORMED_INDEX + 1 - 256]).toMatchObject({
      message: expect.stringContaining(`entry ${TILED_MALFORMED_INDEX} before it`),
    });
    expect((await client.getEntries(512, 599)).every((e) => e.ok)).toBe(true);
  });

  it("reads gzip-encoded tiles, holding the size limit to the decoded bytes", async () => {
    const server = await startTiled({ gzip: true });
    const client = new TiledCtClient(server.url, CLIENT);
    await client.getSth();
    const entries = await client.getEntries(0, TILE - 1);
    expect(entries.map((e) => (e.ok ? Buffer.from(e.leafInput) : e))).toEqual(
      TILED_ENTRIES.slice(0, TILE).map((e) => e.leafInput),
    );
    const decoded = Buffer.concat(TILED_ENTRIES.slice(0, TILE).map(tileLeafOf));
    const limit = gzipSync(decoded).length + 1000;
    expect(limit).toBeLessThan(decoded.length);
    const small = new TiledCtClient(server.url, { ...CLIENT, maxResponseBytes: limit });
    await small.getSth();
    await expect(small.getEntries(0, 9)).rejects.toMatchObject({
      code: "VIGIL_ERR_CT_PERMANENT",
      message: expect.stringContaining(`over the limit of ${limit} bytes`),
    });
  });

  it("falls back to the full tile when the log has grown and dropped the partial one", async () => {
    const server = await startTiled();
    server.visible = 300;
    const client = new TiledCtClient(server.url, CLIENT);
    await client.getSth();
    server.visible = undefined;
    server.dropPartials = true;
    const entries = await client.getEntries(256, 299);
    expect(entries).toHaveLength(44);
    expect(server.tilesAsked()).toEqual(["1.p/44", "1"]);
  });

  it("retries a log that is busy, and gives up on one that refuses or is not tiled", async () => {
    const server = await startTiled();
    server.faults.push(
      { status: 503, endpoint: "checkpoint" },
      { status: 429, endpoint: "checkpoint", retryAfter: "0" },
    );
    const client = new TiledCtClient(server.url, CLIENT);
    expect((await client.getSth()).treeSize).toBe(TILED_ENTRY_COUNT);
    server.faults.push({ status: 404, endpoint: "checkpoint" });
    await expect(client.getSth()).rejects.toMatchObject({
      code: "VIGIL_ERR_CT_PERMANENT",
      message: expect.stringMatching(/checkpoint: HTTP 404$/),
    });
    server.faults.push({ status: 200, endpoint: "checkpoint", body: "<html>hello</html>\n" });
    await expect(client.getSth()).rejects.toMatchObject({
      code: "VIGIL_ERR_CT_PERMANENT",
      message: expect.stringContaining("not a checkpoint: no empty line before the signatures"),
    });
    server.faults.push({ status: 502, endpoint: "tile" }, { status: 502 }, { status: 502 });
    await expect(client.getEntries(0, 9)).rejects.toMatchObject({
      code: "VIGIL_ERR_CT_TEMPORARY",
      message: expect.stringMatching(/tile\/data\/000: HTTP 502 \(tried 3 times\)$/),
    });
  });

  it("will not address entries beyond the latest checkpoint", async () => {
    const server = await startTiled();
    const client = new TiledCtClient(server.url, CLIENT);
    await expect(client.getEntries(0, 9)).rejects.toThrow(RangeError);
    await client.getSth();
    await expect(client.getEntries(590, TILED_ENTRY_COUNT)).rejects.toThrow(/beyond the latest/);
    expect(server.tilesAsked()).toEqual([]);
  });
});

describe("watchCt: a tiled log through the pipeline into the store", () => {
  it("finds the lookalikes, reports the malformed leaf and the rest of its tile, reads on", async () => {
    const server = await startTiled({ gzip: true });
    const store = await temp.fresh();
    const { summary, logs } = await watch(server, store, { from: "start", untilCaughtUp: true });
    expect(summary.status).toBe("ok");
    const findings = await store.listFindings();
    expect(new Set(findings.map((f) => f.subject))).toEqual(new Set(Object.keys(LOOKALIKES)));
    const problems = await store.listProblems(summary.runId);
    expect(problems.map((p) => [p.item, p.code])).toEqual(
      TILED_PROBLEMS.map(([index, code]) => [`${ctCursorSource(server.url)}#${index}`, code]),
    );
    expect(problems[1]?.message).toBe(
      `entry ${TILED_MALFORMED_INDEX} of ${server.url}: malformed tile leaf: unknown entry type 7`,
    );
    // Until caught up, the partial tile is read at once; every tile once.
    expect(server.tilesAsked()).toEqual(["0", "1", "2.p/88"]);
    expect(await store.getCursor(ctCursorSource(server.url))).toBe(String(TILED_ENTRY_COUNT));
    expect(logs).toEqual([
      {
        url: server.url,
        state: "done",
        start: 0,
        next: TILED_ENTRY_COUNT,
        treeSize: TILED_ENTRY_COUNT,
      },
    ]);
    expect((await store.counts()).observations).toBe(TILED_LOOKALIKE_SIGHTINGS);
  });

  it("follows a growing log: full tiles at once, the partial one only after a while", async () => {
    const server = await startTiled();
    server.visible = 300;
    const store = await temp.fresh();
    const controller = new AbortController();
    let clock = 0;
    const running = watch(server, store, {
      from: "start",
      signal: controller.signal,
      maxBatchWaitMs: 20,
      clock: () => clock,
    });
    const cursor = () => store.getCursor(ctCursorSource(server.url));
    const until = async (position: string) => {
      const deadline = Date.now() + 10_000;
      while ((await cursor()) !== position && Date.now() < deadline) await sleep(20);
      expect(await cursor()).toBe(position);
    };
    await until("256");
    const polls = () => server.requests.filter((r) => r.endpoint === "checkpoint").length;
    const seen = polls();
    while (polls() < seen + 5) await sleep(20);
    // The 44 entries of the partial tile wait for more.
    expect(await cursor()).toBe("256");
    server.visible = undefined; // 600: tile 1 is full now, tile 2 partial
    await until("512");
    while (polls() < seen + 15) await sleep(20);
    expect(await cursor()).toBe("512");
    expect(server.tilesAsked()).toEqual(["0", "1"]);
    clock += DEFAULT_PARTIAL_TILE_WAIT_MS; // the partial tile has waited long enough
    await until(String(TILED_ENTRY_COUNT));
    controller.abort();
    const { summary, logs } = await running;
    expect(summary.status).toBe("ok");
    expect(logs[0]?.next).toBe(TILED_ENTRY_COUNT);
    expect(server.tilesAsked()).toEqual(["0", "1", "2.p/88"]);
    expect(server.served).toEqual(new Array(TILED_ENTRY_COUNT).fill(1));
    expect((await store.listFindings()).length).toBe(Object.keys(LOOKALIKES).length);
    expect((await store.counts()).observations).toBe(TILED_LOOKALIKE_SIGHTINGS);
  });

  it("resumes from the stored cursor after a restart, ending as an uninterrupted run", async () => {
    const server = await startTiled();
    const store = await temp.fresh();
    const first = await watch(server, store, {
      from: "start",
      maxEntries: 300,
      untilCaughtUp: true,
    });
    expect(first.logs[0]?.next).toBe(300);
    expect(await store.getCursor(ctCursorSource(server.url))).toBe("300");
    expect(server.tilesAsked()).toEqual(["0", "1"]);

    const second = await watch(server, store, { untilCaughtUp: true });
    expect(second.logs[0]).toMatchObject({ start: 300, next: TILED_ENTRY_COUNT });
    // The second run fetches the tile it stopped in again, and only that and the last.
    expect(server.tilesAsked()).toEqual(["0", "1", "1", "2.p/88"]);

    const reference = await temp.fresh();
    await watch(server, reference, { from: "start", untilCaughtUp: true });
    expect(comparable(await store.listFindings())).toEqual(
      comparable(await reference.listFindings()),
    );
    expect((await store.counts()).problems).toBe((await reference.counts()).problems);
    expect((await store.counts()).observations).toBe(TILED_LOOKALIKE_SIGHTINGS);
  });

  it("follows an RFC 6962 log and a tiled log at once, each with its own cursor", async () => {
    const rfc = await CtLogServer.start([...LOG_ENTRIES]);
    servers.push(rfc);
    const tiled = await startTiled();
    const store = await temp.fresh();
    const { logs } = await watchCt({
      store,
      watchlist,
      logs: [logFromUrl(rfc.url), logFromUrl(tiled.url, "static-ct")],
      client: CLIENT,
      from: "start",
      untilCaughtUp: true,
    });
    expect(logs.map((l) => [l.url, l.next])).toEqual([
      [rfc.url, ENTRY_COUNT],
      [tiled.url, TILED_ENTRY_COUNT],
    ]);
    expect(await store.getCursor(ctCursorSource(rfc.url))).toBe(String(ENTRY_COUNT));
    expect(await store.getCursor(ctCursorSource(tiled.url))).toBe(String(TILED_ENTRY_COUNT));
    expect((await store.listFindings()).length).toBe(Object.keys(LOOKALIKES).length);
  });
});

// --- the command, spawned as a user runs it --------------------------------------------

const CLI_TIMEOUT_MS = 40_000;
const vigil = (args: readonly string[], cwd: string) => exited(startCli(args, cwd), CLI_TIMEOUT_MS);

interface CliSummary {
  status: string;
  read: number;
  problems: Array<{ item: string; code: string }>;
  topFindings: Array<{ subject: string }>;
  logs: Array<{ url: string; state: string; start: number; next: number }>;
}

describe("vigil watch ct --tiled-log", () => {
  async function workdir(): Promise<string> {
    const cwd = await mkdtemp(join(temp.dir, "cli-"));
    expect((await vigil(["init"], cwd)).code).toBe(0);
    return cwd;
  }

  it("reads a tiled log to the end, stores the lookalikes, and resumes on the next run", async () => {
    const server = await startTiled({ gzip: true });
    const cwd = await workdir();
    const args = ["watch", "ct", "--tiled-log", server.url, "--until-caught-up", "--json"];
    const first = await vigil([...args, "--from-start"], cwd);
    expect(first.code).toBe(3); // done, with entries skipped
    const summary = json<CliSummary>(first);
    expect(summary.status).toBe("ok");
    expect(summary.problems.map((p) => [p.item, p.code])).toEqual(
      TILED_PROBLEMS.map(([index, code]) => [`${ctCursorSource(server.url)}#${index}`, code]),
    );
    expect(new Set(summary.topFindings.map((f) => f.subject))).toEqual(
      new Set(Object.keys(LOOKALIKES)),
    );
    expect(summary.logs).toEqual([
      expect.objectContaining({ url: server.url, state: "done", start: 0, next: 600 }),
    ]);
    const findings = await vigil(["findings", "--json"], cwd);
    expect(
      json<Array<{ subject: string }>>(findings)
        .map((f) => f.subject)
        .sort(),
    ).toEqual(Object.keys(LOOKALIKES).sort());

    const again = await vigil(args, cwd);
    expect(again.code).toBe(0);
    expect(json<CliSummary>(again)).toMatchObject({ read: 0, logs: [{ start: 600, next: 600 }] });
    expect(server.tilesAsked()).toEqual(["0", "1", "2.p/88"]);
  });

  it("follows the tiled logs of a log list beside its RFC 6962 logs", async () => {
    const rfc = await CtLogServer.start([...LOG_ENTRIES]);
    servers.push(rfc);
    const tiled = await startTiled();
    const cwd = await workdir();
    await writeFile(
      join(cwd, "log_list.json"),
      tiledLogListFor([{ server: tiled }], logListFor([{ server: rfc }])),
    );
    const run = await vigil(
      ["watch", "ct", "--log-list", "log_list.json", "--from-start", "--until-caught-up", "--json"],
      cwd,
    );
    expect(run.code).toBe(3);
    expect(json<CliSummary>(run).logs.map((l) => [l.url, l.state, l.next])).toEqual([
      [rfc.url, "done", ENTRY_COUNT],
      [tiled.url, "done", TILED_ENTRY_COUNT],
    ]);
    // Named from the list: as a tiled log it is found, as an RFC 6962 log it is refused.
    const wrong = await vigil(
      ["watch", "ct", "--log-list", "log_list.json", "--log", tiled.url],
      cwd,
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("is a tiled (Static CT API) log in the log list");
  });

  it("explains usage errors with exit code 2, and documents --tiled-log in --help", async () => {
    const server = await startTiled();
    const cwd = await workdir();
    const both = await vigil(["watch", "ct", "--log", server.url, "--tiled-log", server.url], cwd);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("named by both --log and --tiled-log");
    const bad = await vigil(["watch", "ct", "--tiled-log", "ftp://mon.example/"], cwd);
    expect(bad.code).toBe(2);
    const help = await vigil(["watch", "ct", "--help"], cwd);
    expect(help.stdout).toContain("--tiled-log <url>");
    expect(help.stdout).toMatch(/^\s+vigil watch ct --tiled-log \S+/m);
    expect(server.requests).toEqual([]);
  });
});
