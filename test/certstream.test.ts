/**
 * A certstream-style feed against a real WebSocket server on 127.0.0.1: updates become
 * observations, heartbeats are skipped, bad and oversized messages are reported, and a
 * dropped connection is re-opened.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { followCertstream, openStore, type SourceItem, watchCertstream } from "../src/index.js";
import { watchlist } from "./support/ct-fixture.js";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const LOG = "https://ct.example/logs/2024/";
const FAST = { baseMs: 10, maxMs: 50 };

function update(index: number, domains: string[], type = "X509LogEntry") {
  return JSON.stringify({
    message_type: "certificate_update",
    data: {
      update_type: type,
      leaf_cert: { all_domains: domains, subject: { CN: domains[0] } },
      cert_index: index,
      seen: 1723809600.5 + index,
      source: { url: LOG, name: "Example log" },
    },
  });
}
const HEARTBEAT = JSON.stringify({ message_type: "heartbeat", timestamp: 1723809600 });

/** A feed on 127.0.0.1: connection n is sent `scripts[n]`, then closed if `close` is set. */
async function startFeed(scripts: Array<{ messages: string[]; close?: boolean }>) {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  let connections = 0;
  wss.on("connection", (socket: WebSocket) => {
    const script = scripts[Math.min(connections, scripts.length - 1)];
    connections++;
    for (const message of script?.messages ?? []) socket.send(message);
    if (script?.close === true) socket.close(1001, "going away");
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

async function collect(source: AsyncIterable<SourceItem>) {
  const items: SourceItem[] = [];
  for await (const item of source) items.push(item);
  return {
    values: items.flatMap((i) => ("observation" in i ? [i.observation.value] : [])),
    observations: items.flatMap((i) => ("observation" in i ? [i.observation] : [])),
    problems: items.flatMap((i) => ("problem" in i ? [i.problem] : [])),
  };
}

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vigil-certstream-"));
});
afterAll(async () => {
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

describe("followCertstream", () => {
  it("reads updates, skips heartbeats, reports bad and oversized messages, and reconnects", async () => {
    const feed = await startFeed([
      {
        messages: [
          HEARTBEAT,
          update(7, ["washingtonpost.pm", "*.washingtonpost.pm", "www.washingtonpost.pm"]),
          "{not json",
          JSON.stringify({ message_type: "certificate_update", data: { cert_index: -1 } }),
          update(8, ["shop.example.com", "bad..name"], "PrecertLogEntry"),
          // Over the 4 KiB limit below: the client closes the connection (1009).
          update(
            9,
            Array.from({ length: 400 }, (_, i) => `host-${i}.example.com`),
          ),
          update(10, ["never-read.example.com"]),
        ],
      },
      { messages: [HEARTBEAT, update(11, ["fox-news.in"])] },
    ]);
    try {
      const { values, observations, problems } = await collect(
        followCertstream({ url: feed.url, maxEntries: 3, maxMessageBytes: 4096, reconnect: FAST }),
      );
      expect(values).toEqual([
        "washingtonpost.pm",
        "www.washingtonpost.pm",
        "shop.example.com",
        "fox-news.in",
      ]);
      expect(observations[0]).toMatchObject({
        kind: "domain",
        source: `certstream:${LOG}#7`,
        data: { log: LOG, index: 7, entryType: "x509" },
        observedAt: new Date((1723809600.5 + 7) * 1000).toISOString(),
      });
      expect(observations[2]?.data).toEqual({ log: LOG, index: 8, entryType: "precert" });
      expect(problems.map((p) => [p.item, p.code])).toEqual([
        [`certstream ${feed.url} message 3`, "VIGIL_ERR_FEED_MESSAGE"],
        [`certstream ${feed.url} message 4`, "VIGIL_ERR_FEED_MESSAGE"],
        [`certstream:${LOG}#8`, "VIGIL_ERR_INPUT_DOMAIN"],
        [`certstream ${feed.url}`, "VIGIL_ERR_FEED_MESSAGE"],
      ]);
      expect(problems[0]?.message).toMatch(/not JSON/);
      expect(problems[1]?.message).toMatch(/not a certificate update: data/);
      expect(problems[3]?.message).toMatch(/over the limit of 4096 bytes.*reconnecting/);
      expect(feed.connections()).toBe(2);
    } finally {
      await feed.close();
    }
  });

  it("gives up after the reconnections allowed when nothing answers", async () => {
    const feed = await startFeed([]);
    const url = feed.url;
    await feed.close(); // nothing listens there now
    const { values, problems } = await collect(
      followCertstream({ url, maxReconnects: 2, reconnect: FAST }),
    );
    expect(values).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual([
      "VIGIL_ERR_FEED_CONNECT",
      "VIGIL_ERR_FEED_CONNECT",
    ]);
    expect(problems[0]?.message).toMatch(/ECONNREFUSED.*reconnecting/);
    expect(problems[1]?.message).toMatch(/gave up after 3 tries/);
  });

  it("does not retry a feed that refuses the connection (HTTP 4xx)", async () => {
    const server: Server = createServer((_req, res) => res.end());
    server.on("upgrade", (_req, socket) => {
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const { problems } = await collect(
        followCertstream({ url: `ws://127.0.0.1:${port}/feed`, reconnect: FAST }),
      );
      expect(problems).toEqual([
        expect.objectContaining({
          code: "VIGIL_ERR_FEED_CONNECT",
          message: expect.stringMatching(/404; not retried/),
        }),
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("stops when its signal aborts, even while the feed is silent", async () => {
    const feed = await startFeed([{ messages: [update(1, ["fox-news.in"])] }]);
    try {
      const controller = new AbortController();
      const seen: string[] = [];
      const started = Date.now();
      setTimeout(() => controller.abort(), 200);
      for await (const item of followCertstream({ url: feed.url, signal: controller.signal })) {
        if ("observation" in item) seen.push(item.observation.value);
      }
      expect(seen).toEqual(["fox-news.in"]);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await feed.close();
    }
  });

  it("refuses a URL that is not ws:// or wss://", async () => {
    await expect(collect(followCertstream({ url: "https://example.com/" }))).rejects.toMatchObject({
      code: "VIGIL_ERR_CONFIG_INVALID",
    });
  });
});

describe("watchCertstream and vigil watch certstream", () => {
  it("stores the lookalikes of a feed", async () => {
    const feed = await startFeed([
      { messages: [update(1, ["fox-news.in", "www.fox-news.in"]), update(2, ["example.org"])] },
    ]);
    const store = await openStore({ path: join(dir, "api.db") });
    try {
      const summary = await watchCertstream({ store, watchlist, url: feed.url, maxEntries: 2 });
      expect(summary.status).toBe("ok");
      expect((await store.listFindings()).map((f) => f.subject).sort()).toEqual([
        "fox-news.in",
        "www.fox-news.in",
      ]);
      expect((await store.counts()).observations).toBe(2);
    } finally {
      await store.close();
      await feed.close();
    }
  });

  it("runs from the command line with a watchlist from vigil init", async () => {
    const feed = await startFeed([{ messages: [HEARTBEAT, update(3, ["washingtonpost.pm"])] }]);
    const cwd = await mkdtemp(join(dir, "cli-"));
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const env = { ...process.env };
        delete env.VIGIL_DATABASE_URL;
        delete env.VIGIL_CONFIG;
        const child = spawn(process.execPath, [CLI, ...args], { cwd, env });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
        child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        child.on("error", reject);
        child.on("close", (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      });
    try {
      expect((await run(["init"])).code).toBe(0);
      const result = await run(["watch", "certstream", feed.url, "--max-entries", "1", "--json"]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout) as { topFindings: Array<{ subject: string }> };
      expect(summary.topFindings.map((f) => f.subject)).toEqual(["washingtonpost.pm"]);
      const bad = await run(["watch", "certstream", "http://127.0.0.1:1/"]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("ws:// or wss://");
    } finally {
      await feed.close();
    }
  });
});
