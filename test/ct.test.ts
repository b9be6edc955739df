/**
 * Certificate Transparency end to end, against a real RFC 6962 log served on 127.0.0.1
 * from real certificates: the client's retries and limits, names from x509 and precert
 * entries, lookalikes found and stored, a malformed entry reported, and resumption from
 * the stored cursor after a clean stop and after a crash (`vigil watch ct` killed).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import SqliteDatabase from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import {
  CtClient,
  ctCursorSource,
  type Finding,
  logFromUrl,
  openStore,
  readCtEntry,
  type Store,
  VigilError,
  type WatchCtOptions,
  watchCt,
} from "../src/index.js";
import { exited, stdoutJson as json, startCli } from "./support/cli-process.js";
import {
  BAD_NAME_INDEX,
  CLIENT,
  ENTRY_COUNT,
  LOG_ENTRIES,
  LOOKALIKE_SIGHTINGS,
  LOOKALIKES,
  MALFORMED_INDEX,
  NOW,
  T0,
  watchlist,
} from "./support/ct-fixture.js";
import { CtLogServer, logListFor, merkleTreeHash } from "./support/ct-log-server.js";
import { loopbackFetch } from "./support/loopback-fetch.js";
import { peekDatabase } from "./support/peek-database.js";
import { useTempStores } from "./support/temp-stores.js";

const servers: CtLogServer[] = [];
const temp = useTempStores("vigil-ct-");

async function startLog(options?: Parameters<typeof CtLogServer.start>[1]) {
  const server = await CtLogServer.start([...LOG_ENTRIES], options);
  servers.push(server);
  return server;
}

function watch(server: CtLogServer, store: Store, options: Partial<WatchCtOptions> = {}) {
  return watchCt({
    store,
    watchlist,
    logs: [logFromUrl(server.url)],
    client: CLIENT,
    pollMs: 20,
    now: NOW,
    ...options,
  });
}

/** A finding as a run stores it, without what depends on when it was stored. */
function comparable(findings: readonly Finding[]) {
  return findings
    .map((f) => ({
      id: f.id,
      subject: f.subject,
      target: f.target?.id,
      score: f.score,
      observedAt: f.observedAt,
      observationIds: f.observationIds,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe("CtClient against a local RFC 6962 log", () => {
  it("reads the tree head, with the root hash of the entries", async () => {
    const server = await startLog();
    const sth = await new CtClient(server.url, CLIENT).getSth();
    expect(sth.treeSize).toBe(ENTRY_COUNT);
    expect(sth.sha256RootHash).toBe(
      merkleTreeHash(LOG_ENTRIES.map((e) => e.leafInput)).toString("base64"),
    );
  });

  it("gets fewer entries than asked when the log caps its answers, and they decode", async () => {
    const server = await startLog({ maxBatch: 32 });
    const client = new CtClient(server.url, CLIENT);
    const first = await client.getEntries(0, 99);
    expect(first).toHaveLength(32);
    const next = await client.getEntries(32, 99);
    expect(next).toHaveLength(32);
    const names = (i: number, entries = first) => {
      const raw = entries[i];
      if (raw?.ok !== true) throw new Error(`entry ${i} not received`);
      const result = readCtEntry(raw.leafInput);
      if (!result.ok) throw new Error(result.message);
      return result.entry;
    };
    expect(names(5)).toMatchObject({
      entryType: "x509",
      timestamp: T0 + 5000,
      names: ["washingtonpost.pm", "*.washingtonpost.pm", "www.washingtonpost.pm"],
    });
    expect(names(17)).toMatchObject({
      entryType: "precert",
      names: ["fox-news.in", "www.fox-news.in"],
    });
    expect(names(29)).toMatchObject({ entryType: "precert", names: ["*.foxnews-live.com"] });
    const malformed = next[MALFORMED_INDEX - 32];
    expect(malformed?.ok === true && readCtEntry(malformed.leafInput).ok).toBe(false);
  });

  it("retries 503 and 429, honouring Retry-After, then succeeds", async () => {
    const server = await startLog();
    server.faults.push(
      { status: 503, endpoint: "get-sth" },
      { status: 429, endpoint: "get-sth", retryAfter: "0" },
    );
    const sth = await new CtClient(server.url, CLIENT).getSth();
    expect(sth.treeSize).toBe(ENTRY_COUNT);
    expect(server.requests.map((r) => r.status)).toEqual([503, 429, 200]);
  });

  it("reports a log that stays down as temporary after its attempts", async () => {
    const server = await startLog();
    for (let i = 0; i < 3; i++) server.faults.push({ status: 502 });
    const err = await new CtClient(server.url, CLIENT).getSth().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VigilError);
    expect(err).toMatchObject({ code: "VIGIL_ERR_CT_TEMPORARY" });
    expect((err as Error).message).toMatch(/get-sth: HTTP 502 \(tried 3 times\)/);
  });

  it("gives up at once on a refusal (4xx) or an answer that is not RFC 6962", async () => {
    const server = await startLog();
    const client = new CtClient(server.url, CLIENT);
    server.faults.push({ status: 404, endpoint: "get-sth" });
    await expect(client.getSth()).rejects.toMatchObject({
      code: "VIGIL_ERR_CT_PERMANENT",
      message: expect.stringContaining("HTTP 404"),
    });
    expect(server.requests).toHaveLength(1);
    server.faults.push({ status: 200, body: "<html>maintenance</html>" });
    await expect(client.getSth()).rejects.toMatchObject({
      code: "VIGIL_ERR_CT_PERMANENT",
      message: expect.stringContaining("not JSON"),
    });
    server.faults.push({ status: 200, body: '{"tree_size": -1}' });
    await expect(client.getSth()).rejects.toMatchObject({
      message: expect.stringContaining("not an RFC 6962 answer: tree_size"),
    });
    await expect(client.getEntries(ENTRY_COUNT + 5, ENTRY_COUNT + 10)).rejects.toMatchObject({
      message: expect.stringContaining("HTTP 400"),
    });
  });

  it("times out a stalled answer and retries it", async () => {
    const server = await startLog();
    server.faults.push({ status: 200, stallMs: 1000, endpoint: "get-sth" });
    const client = new CtClient(server.url, { ...CLIENT, timeoutMs: 150 });
    const started = Date.now();
    expect((await client.getSth()).treeSize).toBe(ENTRY_COUNT);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("refuses an answer over the size limit without retrying", async () => {
    const server = await startLog();
    const client = new CtClient(server.url, { ...CLIENT, maxResponseBytes: 10_000 });
    await expect(client.getEntries(0, 31)).rejects.toMatchObject({
      code: "VIGIL_ERR_CT_PERMANENT",
      message: expect.stringMatching(/over the limit of 10000/),
    });
    expect(server.requests).toHaveLength(1);
  });

  it("reports a bad leaf_input as that entry's problem, keeping the others", async () => {
    const server = await startLog();
    server.faults.push({
      status: 200,
      endpoint: "get-entries",
      body: JSON.stringify({
        entries: [
          { leaf_input: LOG_ENTRIES[0]?.leafInput.toString("base64"), extra_data: "" },
          { leaf_input: "not*base64!", extra_data: "" },
          { extra_data: "" },
        ],
      }),
    });
    const entries = await new CtClient(server.url, CLIENT).getEntries(0, 2);
    expect(entries.map((e) => (e.ok ? "ok" : e.message))).toEqual([
      "ok",
      "leaf_input is not base64",
      "entry 2 of the answer has no leaf_input string",
    ]);
  });

  it("stops when the caller aborts, with the caller's reason", async () => {
    const server = await startLog();
    server.faults.push({ status: 200, stallMs: 5000 });
    const controller = new AbortController();
    const pending = new CtClient(server.url, CLIENT).getSth(controller.signal);
    setTimeout(() => controller.abort(new Error("user stopped")), 50);
    await expect(pending).rejects.toThrow("user stopped");
  });

  it("uses the global fetch when none is given (users follow real logs)", async () => {
    const server = await startLog();
    const real = globalThis.fetch;
    const seen: string[] = [];
    globalThis.fetch = (input, init) => {
      seen.push(String(input));
      return real(input, init);
    };
    try {
      await new CtClient(server.url).getSth();
    } finally {
      globalThis.fetch = real;
    }
    expect(seen).toEqual([`${server.url}ct/v1/get-sth`]);
    // The tests' own fetch refuses anything but loopback.
    await expect(loopbackFetch("https://ct.googleapis.com/logs/")).rejects.toThrow(/loopback only/);
  });
});

describe("watchCt: a log through the pipeline into the store", () => {
  it("finds the lookalikes of both entry types, reports the malformed entry, reads the rest", async () => {
    const server = await startLog();
    const store = await temp.fresh();
    const { summary, logs } = await watch(server, store, { from: "start", untilCaughtUp: true });

    expect(summary.status).toBe("ok");
    const findings = await store.listFindings();
    expect(new Set(findings.map((f) => f.subject))).toEqual(new Set(Object.keys(LOOKALIKES)));
    for (const f of findings) {
      const { first } = LOOKALIKES[f.subject as keyof typeof LOOKALIKES];
      expect(f.observedAt).toBe(new Date(T0 + first * 1000).toISOString());
      expect(f.target?.id).toBe(f.subject.includes("fox") ? "fox-news" : "washington-post");
    }
    expect((await store.listCases()).map((c) => c.title).sort()).toEqual([
      "Lookalike domains of Fox News",
      "Lookalike domains of The Washington Post",
    ]);

    // The malformed entry and the bad name are reported with the log and the index.
    const problems = await store.listProblems(summary.runId);
    expect(problems.map((p) => [p.item, p.code])).toEqual([
      [`ct:${server.url}#${MALFORMED_INDEX}`, "VIGIL_ERR_CT_ENTRY"],
      [`ct:${server.url}#${BAD_NAME_INDEX}`, "VIGIL_ERR_INPUT_DOMAIN"],
    ]);
    expect(problems[0]?.message).toMatch(
      new RegExp(`^entry ${MALFORMED_INDEX} of ${server.url}: truncated leaf`),
    );
    expect(problems[1]?.message).toContain('"bad..name.example"');

    // Every entry was read once; the cursor says where the next run begins.
    expect(server.served).toEqual(new Array(ENTRY_COUNT).fill(1));
    expect(await store.getCursor(ctCursorSource(server.url))).toBe(String(ENTRY_COUNT));
    expect(logs).toEqual([
      { url: server.url, state: "done", start: 0, next: ENTRY_COUNT, treeSize: ENTRY_COUNT },
    ]);

    // Only the names behind findings are kept, each saying where it was logged.
    expect((await store.counts()).observations).toBe(LOOKALIKE_SIGHTINGS);
    expect(summary.observations).toBe(101); // distinct names per entry, over the 98 readable ones
    const db = new SqliteDatabase(store.location, { readonly: true });
    try {
      const rows = db
        .prepare("select value, source, data, observed_at from observations order by source, value")
        .all() as Array<{ value: string; source: string; data: string; observed_at: string }>;
      for (const row of rows) {
        const { first, type } = LOOKALIKES[row.value as keyof typeof LOOKALIKES];
        const index = Number(row.source.split("#")[1]);
        expect(index === first || index === 88).toBe(true);
        expect(row.source).toBe(`ct:${server.url}#${index}`);
        expect(JSON.parse(row.data)).toEqual({
          log: server.url,
          index,
          timestamp: T0 + index * 1000,
          entryType: type,
        });
        expect(row.observed_at).toBe(new Date(T0 + index * 1000).toISOString());
      }
    } finally {
      db.close();
    }
  });

  it("resumes from the stored cursor after --max-entries, ending as an uninterrupted run", async () => {
    const server = await startLog();
    const store = await temp.fresh();
    const first = await watch(server, store, {
      from: "start",
      maxEntries: 40,
      untilCaughtUp: true,
    });
    expect(first.logs[0]?.next).toBe(40);
    expect(await store.getCursor(ctCursorSource(server.url))).toBe("40");
    expect(server.served.filter((n) => n > 0)).toHaveLength(40);

    const second = await watch(server, store, { untilCaughtUp: true });
    expect(second.logs[0]).toMatchObject({ start: 40, next: ENTRY_COUNT });
    // No entry was fetched twice: the first run stored everything it read.
    expect(server.served).toEqual(new Array(ENTRY_COUNT).fill(1));

    // An uninterrupted run of the same log (same URL, so the same observation ids).
    const reference = await temp.fresh();
    await watch(server, reference, { from: "start", untilCaughtUp: true });
    expect(comparable(await store.listFindings())).toEqual(
      comparable(await reference.listFindings()),
    );
    expect((await store.counts()).problems).toBe((await reference.counts()).problems);
  });

  it("begins at the log's current size when nothing is stored, unless told otherwise", async () => {
    const server = await startLog();
    const store = await temp.fresh();
    const { summary, logs } = await watch(server, store, { untilCaughtUp: true });
    expect(summary.read).toBe(0);
    expect(logs[0]).toMatchObject({ start: ENTRY_COUNT, next: ENTRY_COUNT });
    expect(server.served).toEqual([]);
  });

  it("follows a growing log, polling when caught up, and stops cleanly when aborted", async () => {
    const server = await startLog();
    server.visible = 50;
    const store = await temp.fresh();
    const controller = new AbortController();
    const running = watch(server, store, {
      from: "start",
      signal: controller.signal,
      maxBatchWaitMs: 20,
    });
    const cursor = () => store.getCursor(ctCursorSource(server.url));
    const until = async (position: string) => {
      const deadline = Date.now() + 10_000;
      while ((await cursor()) !== position && Date.now() < deadline) await sleep(20);
      expect(await cursor()).toBe(position);
    };
    await until("50");
    server.visible = undefined; // the other 50 entries are logged now
    await until(String(ENTRY_COUNT));
    controller.abort();
    const { summary, logs } = await running;
    expect(summary.status).toBe("ok");
    expect(logs[0]?.next).toBe(ENTRY_COUNT);
    expect(server.served).toEqual(new Array(ENTRY_COUNT).fill(1));
    expect(server.requests.filter((r) => r.endpoint === "get-sth").length).toBeGreaterThan(2);
    expect((await store.listFindings()).length).toBe(Object.keys(LOOKALIKES).length);
  });

  it("follows two logs at once, each with its own cursor", async () => {
    const a = await startLog({ maxBatch: 16 });
    const b = await startLog({ maxBatch: 7, path: "/other/2025/" });
    const store = await temp.fresh();
    const { logs } = await watchCt({
      store,
      watchlist,
      logs: [logFromUrl(a.url), logFromUrl(b.url)],
      client: CLIENT,
      from: "start",
      untilCaughtUp: true,
    });
    expect(logs.map((l) => l.next)).toEqual([ENTRY_COUNT, ENTRY_COUNT]);
    expect(await store.getCursor(ctCursorSource(a.url))).toBe(String(ENTRY_COUNT));
    expect(await store.getCursor(ctCursorSource(b.url))).toBe(String(ENTRY_COUNT));
    expect(a.served).toEqual(new Array(ENTRY_COUNT).fill(1));
    expect(b.served).toEqual(new Array(ENTRY_COUNT).fill(1));
    // The same certificates in two logs are two sightings of the same findings.
    expect((await store.listFindings()).length).toBe(Object.keys(LOOKALIKES).length);
    expect((await store.counts()).observations).toBe(2 * LOOKALIKE_SIGHTINGS);
  });

  it("drops a log that refuses requests and reads the others", async () => {
    const good = await startLog();
    const refusing = await startLog();
    const store = await temp.fresh();
    const wrongPath = `${refusing.url}nothing-here/`;
    const { summary, logs } = await watchCt({
      store,
      watchlist,
      logs: [logFromUrl(wrongPath), logFromUrl(good.url)],
      client: CLIENT,
      from: "start",
      untilCaughtUp: true,
    });
    expect(logs.map((l) => l.state)).toEqual(["failed", "done"]);
    expect(summary.problems[0]).toMatchObject({
      item: ctCursorSource(wrongPath),
      code: "VIGIL_ERR_CT_PERMANENT",
      message: expect.stringMatching(/HTTP 404; this log is not read further in this run$/),
    });
    expect(good.served).toEqual(new Array(ENTRY_COUNT).fill(1));
  });

  it("rides out temporary failures in the middle of a run", async () => {
    const server = await startLog();
    server.faults.push(
      { status: 503, endpoint: "get-entries" },
      { status: 500, endpoint: "get-entries" },
    );
    const store = await temp.fresh();
    const { summary } = await watch(server, store, { from: "start", untilCaughtUp: true });
    expect(summary.status).toBe("ok");
    expect(server.served).toEqual(new Array(ENTRY_COUNT).fill(1));
    expect(summary.problems.map((p) => p.code)).toEqual([
      "VIGIL_ERR_CT_ENTRY",
      "VIGIL_ERR_INPUT_DOMAIN",
    ]);
  });
});

// --- the command, spawned as a user runs it --------------------------------------------

const CLI_TIMEOUT_MS = 40_000;

/** How `child` ended; one that hangs is killed after `CLI_TIMEOUT_MS`. */
const ended = (child: ChildProcess) => exited(child, CLI_TIMEOUT_MS);

const vigil = (args: readonly string[], cwd: string) => ended(startCli(args, cwd));

/** The cursor stored in a SQLite file, read without disturbing the writer. */
function storedCursor(path: string, source: string): string | undefined {
  return peekDatabase(
    path,
    (db) =>
      (
        db.prepare("select position from source_cursors where source = ?").get(source) as
          | { position: string }
          | undefined
      )?.position,
    undefined,
  );
}

interface CliSummary {
  status: string;
  read: number;
  findings: number;
  findingsAdded: number;
  problemCount: number;
  problems: Array<{ item: string; code: string }>;
  topFindings: Array<{ subject: string }>;
  logs: Array<{ url: string; state: string; start: number; next: number }>;
}

/** `vigil watch ct` of one log up to its size at the start, as JSON, no status line. */
function toTheEnd(server: CtLogServer): string[] {
  return ["watch", "ct", "--log", server.url, "--until-caught-up", "--json", "--no-progress"];
}

/** Polls `done` every `intervalMs` until it holds or 30 s have passed. */
async function waitUntil(done: () => boolean, intervalMs: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!done() && Date.now() < deadline) await sleep(intervalMs);
}

describe("vigil watch ct", () => {
  /** A working directory with the starter watchlist of `vigil init` and a log list. */
  async function workdir(server: CtLogServer): Promise<string> {
    const cwd = await mkdtemp(join(temp.dir, "cli-"));
    const init = await vigil(["init"], cwd);
    expect(init.code).toBe(0);
    await writeFile(join(cwd, "log_list.json"), logListFor([{ server }]));
    return cwd;
  }

  it("reads a log list's logs to the end, stores the lookalikes, and resumes on the next run", async () => {
    const server = await startLog();
    const cwd = await workdir(server);
    const args = ["watch", "ct", "--log-list", "log_list.json", "--until-caught-up", "--json"];
    const first = await vigil([...args, "--from-start"], cwd);
    expect(first.code).toBe(3); // done, with entries skipped
    const summary = json<CliSummary>(first);
    expect(summary.status).toBe("ok");
    expect(summary.problems.map((p) => p.item)).toEqual([
      `ct:${server.url}#${MALFORMED_INDEX}`,
      `ct:${server.url}#${BAD_NAME_INDEX}`,
    ]);
    expect(new Set(summary.topFindings.map((f) => f.subject))).toEqual(
      new Set(Object.keys(LOOKALIKES)),
    );
    expect(summary.logs).toEqual([
      expect.objectContaining({ url: server.url, state: "done", start: 0, next: ENTRY_COUNT }),
    ]);

    const findings = await vigil(["findings", "--json"], cwd);
    expect(findings.code).toBe(0);
    expect(
      json<Array<{ subject: string }>>(findings)
        .map((f) => f.subject)
        .sort(),
    ).toEqual(Object.keys(LOOKALIKES).sort());

    const again = await vigil(args, cwd);
    expect(again.code).toBe(0);
    expect(json<CliSummary>(again)).toMatchObject({ read: 0, logs: [{ start: ENTRY_COUNT }] });
    expect(server.served).toEqual(new Array(ENTRY_COUNT).fill(1));
  });

  it("stops after --max-entries and the next run goes on from there", async () => {
    const server = await startLog();
    const cwd = await workdir(server);
    const base = toTheEnd(server);
    const first = await vigil(
      [...base, "--from-start", "--max-entries", "30", "--batch-size", "10"],
      cwd,
    );
    expect(first.code).toBe(0);
    expect(json<CliSummary>(first).logs[0]).toMatchObject({ start: 0, next: 30 });
    expect(server.requests.filter((r) => r.endpoint === "get-entries").map((r) => r.start)).toEqual(
      [0, 10, 20],
    );
    const second = await vigil(base, cwd);
    expect(second.code).toBe(3);
    expect(json<CliSummary>(second).logs[0]).toMatchObject({ start: 30, next: ENTRY_COUNT });
    expect(server.served).toEqual(new Array(ENTRY_COUNT).fill(1));
  });

  it("after a crash (SIGKILL), re-reads only what was not stored and ends as a clean run would", async () => {
    // A slow log, so the run is killed after its first commit and well before its end.
    const server = await startLog({ maxBatch: 8 });
    server.delayMs = 300;
    const cwd = await workdir(server);
    const db = join(cwd, "vigil.db");
    const source = ctCursorSource(server.url);
    const args = toTheEnd(server);
    const child = startCli([...args, "--from-start", "--batch-size", "8"], cwd);
    const done = ended(child);
    await waitUntil(() => storedCursor(db, source) !== undefined, 25);
    child.kill("SIGKILL");
    const crash = await done;
    expect(crash.signal).toBe("SIGKILL");
    await sleep(server.delayMs + 200); // let an answer the dead client asked for be counted
    const position = Number(storedCursor(db, source));
    expect(position).toBeGreaterThan(0);
    expect(position).toBeLessThan(ENTRY_COUNT);
    const readBeforeCrash = server.served.length;

    server.delayMs = 0;
    const resumed = await vigil(args, cwd);
    expect(resumed.code).toBe(3);
    expect(json<CliSummary>(resumed).logs[0]).toMatchObject({ start: position, next: ENTRY_COUNT });
    // Every entry was read; the only ones read twice were fetched but not stored.
    expect(server.served.every((n) => n >= 1)).toBe(true);
    expect(server.served).toHaveLength(ENTRY_COUNT);
    for (const index of server.servedTwice()) {
      expect(index).toBeGreaterThanOrEqual(position);
      expect(index).toBeLessThan(readBeforeCrash);
    }

    // An uninterrupted run of the same log (same URL, so the same observation ids).
    const reference = await temp.fresh();
    await watch(server, reference, { from: "start", untilCaughtUp: true });
    const store = temp.closeAfterTest(await openStore({ path: db }));
    expect(comparable(await store.listFindings())).toEqual(
      comparable(await reference.listFindings()),
    );
  });

  it("finishes its batch and exits cleanly on Ctrl-C while following", async () => {
    const server = await startLog();
    const cwd = await workdir(server);
    const child = startCli(
      ["watch", "ct", "--log", server.url, "--from-start", "--poll-seconds", "1", "--json"],
      cwd,
    );
    const done = ended(child);
    const db = join(cwd, "vigil.db");
    await waitUntil(() => storedCursor(db, ctCursorSource(server.url)) === String(ENTRY_COUNT), 50);
    child.kill("SIGINT");
    const result = await done;
    expect(result.signal).toBeNull();
    expect(result.stderr).toContain("stopping after the current batch");
    expect(result.code).toBe(3); // the malformed entry was skipped
    const summary = json<CliSummary>(result);
    expect(summary.status).toBe("ok");
    expect(summary.logs[0]).toMatchObject({ next: ENTRY_COUNT });
    const runs = await vigil(["runs", "--json"], cwd);
    expect(json<Array<{ status: string }>>(runs).map((r) => r.status)).toEqual(["ok"]);
  });

  it("explains usage errors with exit code 2, and shows examples in --help", async () => {
    const server = await startLog();
    const cwd = await workdir(server);
    const none = await vigil(["watch", "ct"], cwd);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--log-list FILE");
    const both = await vigil(
      ["watch", "ct", "--log", server.url, "--from-start", "--from-now"],
      cwd,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--from-start.*cannot be used with.*--from-now/);
    const unlisted = await vigil(
      ["watch", "ct", "--log-list", "log_list.json", "--log", "https://ct.example/other/"],
      cwd,
    );
    expect(unlisted.code).toBe(2);
    expect(unlisted.stderr).toContain("https://ct.example/other/ is not in the log list");
    const batch = await vigil(["watch", "ct", "--log", server.url, "--batch-size", "0"], cwd);
    expect(batch.code).toBe(2);
    const help = await vigil(["watch", "ct", "--help"], cwd);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Examples:");
    expect(help.stdout).toMatch(/^\s+vigil watch ct --log-list \S+/m);
    expect(server.requests).toEqual([]);
  });
});
