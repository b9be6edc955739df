import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VigilError } from "../../errors.js";
import {
  logFromUrl,
  MAX_LOG_LIST_BYTES,
  normaliseLogUrl,
  parseLogList,
  readLogList,
  selectLogs,
} from "./log-list.js";

/** A list in Google's v3 shape, with the fields real lists carry that we ignore. */
const LIST = {
  version: "55.12",
  log_list_timestamp: "2024-08-16T12:00:00Z",
  operators: [
    {
      name: "Google",
      email: ["google-ct-logs@googlegroups.com"],
      logs: [
        {
          description: "Google 'Argon2024' log",
          log_id: "7s3QZNXbGs7FXLedtM0TojKHRny87N7DUUhZRnEftZs=",
          key: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHblsqctplMVc5ramA7vSuNxUQxcomQwGAVAdnWTAWUYr3MgDHQW0LagJ95lB7QT75Ve6JgT2EVLOFGU7L3YrwA==",
          url: "https://ct.googleapis.com/logs/us1/argon2024/",
          mmd: 86400,
          state: { usable: { timestamp: "2022-11-01T18:54:00Z" } },
          temporal_interval: {
            start_inclusive: "2024-01-01T00:00:00Z",
            end_exclusive: "2025-01-01T00:00:00Z",
          },
        },
        {
          description: "Google 'Xenon2022' log",
          log_id: "RqVV63X6kSAwtaKJafTzfREsQXS+/Um4havy/HD+bUc=",
          key: "MFkw…",
          url: "https://ct.googleapis.com/logs/xenon2022",
          mmd: 86400,
          state: {
            readonly: {
              timestamp: "2023-01-01T00:00:00Z",
              final_tree_head: { sha256_root_hash: "x", tree_size: 1 },
            },
          },
        },
      ],
      tiled_logs: [],
    },
    {
      name: "Example CA",
      email: [],
      logs: [
        {
          description: "Example 'Retired' log",
          log_id: "AAAA",
          key: "BBBB",
          url: "https://ct.example.com/retired/",
          mmd: 86400,
          state: { retired: { timestamp: "2021-01-01T00:00:00Z" } },
        },
        {
          description: "Example 'Pending' log",
          log_id: "CCCC",
          key: "DDDD",
          url: "https://ct.example.com/pending/",
          mmd: 86400,
          state: { pending: { timestamp: "2024-01-01T00:00:00Z" } },
        },
      ],
    },
  ],
};

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(VigilError);
    return `${(err as VigilError).code}: ${(err as VigilError).message}`;
  }
  throw new Error("expected a VigilError");
}

describe("parseLogList and selectLogs", () => {
  const logs = parseLogList(JSON.stringify(LIST), "log_list.json");

  it("reads every log with its operator and state, URLs normalised", () => {
    expect(logs.map((l) => [l.url, l.operator, l.state])).toEqual([
      ["https://ct.googleapis.com/logs/us1/argon2024/", "Google", "usable"],
      ["https://ct.googleapis.com/logs/xenon2022/", "Google", "readonly"],
      ["https://ct.example.com/retired/", "Example CA", "retired"],
      ["https://ct.example.com/pending/", "Example CA", "pending"],
    ]);
    expect(logs[0]).toMatchObject({ mmd: 86400, logId: LIST.operators[0]?.logs[0]?.log_id });
  });

  it("follows usable, qualified and readonly logs by default, or the states asked for", () => {
    expect(selectLogs(logs).map((l) => l.state)).toEqual(["usable", "readonly"]);
    expect(selectLogs(logs, { states: ["retired", "pending"] }).map((l) => l.url)).toEqual([
      "https://ct.example.com/retired/",
      "https://ct.example.com/pending/",
    ]);
  });

  it("picks logs by URL whatever their state, and refuses one not in the list", () => {
    expect(
      selectLogs(logs, {
        urls: ["https://ct.example.com/retired", "https://ct.googleapis.com/logs/xenon2022/"],
      }).map((l) => l.description),
    ).toEqual(["Example 'Retired' log", "Google 'Xenon2022' log"]);
    expect(code(() => selectLogs(logs, { urls: ["https://elsewhere.example/log/"] }))).toMatch(
      /VIGIL_ERR_CT_LOG_LIST: https:\/\/elsewhere.example\/log\/ is not in the log list/,
    );
  });

  it("names the field that is wrong", () => {
    const broken = structuredClone(LIST) as {
      operators: Array<{ logs: Array<Record<string, unknown>> }>;
    };
    delete broken.operators[1]?.logs[0]?.url;
    expect(code(() => parseLogList(JSON.stringify(broken), "list.json"))).toMatch(
      /VIGIL_ERR_CT_LOG_LIST: list.json: not a v3 log list: operators\[1\].logs\[0\].url/,
    );
    expect(code(() => parseLogList("{", "list.json"))).toMatch(/list.json: not JSON/);
    expect(code(() => parseLogList('{"logs": []}', "v2.json"))).toMatch(/operators/);
    const ftp = structuredClone(LIST);
    (ftp.operators[0]?.logs[0] as { url: string }).url = "ftp://ct.example.com/";
    expect(code(() => parseLogList(JSON.stringify(ftp), "list.json"))).toMatch(
      /operators\[0\].logs\[0\].url: ftp: is not http/,
    );
  });
});

describe("tiled logs (tiled_logs of the v3 list)", () => {
  const withTiled = structuredClone(LIST) as typeof LIST & {
    operators: Array<{ tiled_logs?: unknown[] }>;
  };
  (withTiled.operators[0] as { tiled_logs: unknown[] }).tiled_logs = [
    {
      description: "Let's Encrypt 'Sycamore2026h1' log",
      log_id: "pcl4kl1XRheChw3YiWYLXFVki30AQPLsB2hR0YhpGfc=",
      key: "MFkw…",
      monitoring_url: "https://mon.sycamore.example/2026h1",
      submission_url: "https://log.sycamore.example/2026h1/",
      mmd: 60,
      state: { usable: { timestamp: "2025-06-01T00:00:00Z" } },
      log_type: "prod",
    },
  ];
  const logs = parseLogList(JSON.stringify(withTiled), "log_list.json");
  const tiled = "https://mon.sycamore.example/2026h1/";

  it("reads them after the RFC 6962 logs, named by their monitoring prefix", () => {
    expect(logs.map((l) => [l.url, l.api])).toEqual([
      ["https://ct.googleapis.com/logs/us1/argon2024/", "rfc6962"],
      ["https://ct.googleapis.com/logs/xenon2022/", "rfc6962"],
      ["https://ct.example.com/retired/", "rfc6962"],
      ["https://ct.example.com/pending/", "rfc6962"],
      [tiled, "static-ct"],
    ]);
    expect(logs[4]).toMatchObject({
      submissionUrl: "https://log.sycamore.example/2026h1/",
      operator: "Google",
      state: "usable",
      mmd: 60,
    });
    expect(selectLogs(logs).map((l) => l.url)).toContain(tiled);
  });

  it("are picked by tiledUrls, and a URL asked for with the other API is refused", () => {
    expect(selectLogs(logs, { tiledUrls: [tiled.slice(0, -1)] }).map((l) => l.api)).toEqual([
      "static-ct",
    ]);
    expect(code(() => selectLogs(logs, { urls: [tiled] }))).toMatch(
      /is a tiled \(Static CT API\) log in the log list, not an RFC 6962 log/,
    );
    expect(
      code(() => selectLogs(logs, { tiledUrls: ["https://ct.example.com/retired/"] })),
    ).toMatch(/is an RFC 6962 log in the log list, not a tiled \(Static CT API\) log/);
  });

  it("names a tiled log's field that is wrong", () => {
    const broken = structuredClone(withTiled) as {
      operators: Array<{ tiled_logs?: Array<Record<string, unknown>> }>;
    };
    delete broken.operators[0]?.tiled_logs?.[0]?.monitoring_url;
    expect(code(() => parseLogList(JSON.stringify(broken), "list.json"))).toMatch(
      /operators\[0\].tiled_logs\[0\].monitoring_url/,
    );
  });

  it("are made from a URL alone with logFromUrl", () => {
    expect(logFromUrl("https://mon.example/log", "static-ct")).toMatchObject({
      url: "https://mon.example/log/",
      api: "static-ct",
    });
    expect(logFromUrl("https://ct.example/log").api).toBe("rfc6962");
  });
});

describe("normaliseLogUrl", () => {
  it.each([
    ["https://ct.example.com/2024", "https://ct.example.com/2024/"],
    [" https://CT.Example.com/2024/ ", "https://ct.example.com/2024/"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080/"],
  ])("writes %j as %j", (raw, url) => {
    expect(normaliseLogUrl(raw, "log")).toBe(url);
    expect(logFromUrl(raw).url).toBe(url);
  });

  it.each([
    "ct.example.com/2024",
    "file:///etc/passwd",
    "https://ct.example.com/2024/?x=1",
    "https://user:pw@ct.example.com/",
  ])("refuses %j", (raw) => {
    expect(code(() => normaliseLogUrl(raw, "--log"))).toMatch(/VIGIL_ERR_CT_LOG_LIST: --log:/);
  });
});

describe("readLogList", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-loglist-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a file, and refuses one over the size limit without reading it", async () => {
    const path = join(dir, "log_list.json");
    await writeFile(path, JSON.stringify(LIST));
    expect(await readLogList(path)).toHaveLength(4);
    const big = join(dir, "big.json");
    await writeFile(big, Buffer.alloc(MAX_LOG_LIST_BYTES + 1, 0x20));
    await expect(readLogList(big)).rejects.toMatchObject({ code: "VIGIL_ERR_CT_LOG_LIST" });
    await expect(readLogList(join(dir, "missing.json"))).rejects.toMatchObject({
      code: "VIGIL_ERR_INPUT_UNREADABLE",
    });
  });
});
