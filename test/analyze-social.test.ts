/**
 * `vigil analyze social`: the coordination analysis over everything stored, across scans.
 * A synthetic corpus is scanned in two halves without analysis, then analysed from the
 * store; and the store's observation paging is checked on SQLite and PostgreSQL.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyzeSocial,
  makeObservation,
  openStore,
  type SocialTruth,
  SocialTruthSchema,
  type Store,
} from "../src/index.js";
import { runCli } from "./support/cli-process.js";

const CLI_TIMEOUT_MS = 240_000;

interface SummaryJson {
  accounts: number;
  posts: number;
  findingsAdded: number;
  coordination: {
    communities: Array<{ flagged: boolean; accounts: Array<{ account: string }> }>;
  };
}

describe("vigil analyze social", () => {
  let dir: string;
  let truth: SocialTruth;
  const vigil = (args: string[]) => runCli(args, dir);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-analyze-"));
    const synth = await vigil([
      "synth",
      "social",
      "--accounts",
      "800",
      "--posts",
      "16000",
      "--campaigns",
      "2",
      "--seed",
      "5",
      "--out",
      "synth",
    ]);
    expect(synth.code, synth.stderr).toBe(0);
    truth = SocialTruthSchema.parse(
      JSON.parse(await readFile(join(dir, "synth", "truth.json"), "utf8")),
    );
    // Two weekly exports: the first and second half of the posts.
    const lines = (await readFile(join(dir, "synth", "posts.jsonl"), "utf8")).trimEnd().split("\n");
    const half = Math.floor(lines.length / 2);
    await writeFile(join(dir, "week1.jsonl"), `${lines.slice(0, half).join("\n")}\n`);
    await writeFile(join(dir, "week2.jsonl"), `${lines.slice(half).join("\n")}\n`);
  }, CLI_TIMEOUT_MS);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(
    "finds the planted campaigns across exports scanned apart, as one run",
    async () => {
      for (const input of [["synth/accounts.jsonl", "week1.jsonl"], ["week2.jsonl"]]) {
        const scan = await vigil(["--db", "v.db", "scan", "social", ...input, "--no-coordination"]);
        expect(scan.code, scan.stderr).toBe(0);
      }
      const result = await vigil(["--db", "v.db", "analyze", "social", "--json"]);
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout) as SummaryJson;
      expect(summary.posts).toBe(truth.counts.posts);
      expect(summary.accounts).toBe(truth.counts.accounts);
      const planted = new Set(
        truth.campaigns.flatMap((c) => c.accounts.map((a) => `${truth.platform}:${a}`)),
      );
      const linked = new Set(
        truth.impersonators.filter((i) => i.campaign).map((i) => `${truth.platform}:${i.account}`),
      );
      const flagged = new Set(
        summary.coordination.communities
          .filter((c) => c.flagged)
          .flatMap((c) => c.accounts.map((a) => a.account)),
      );
      const tp = [...flagged].filter((a) => planted.has(a)).length;
      const fp = [...flagged].filter((a) => !planted.has(a) && !linked.has(a)).length;
      expect(tp).toBe(planted.size);
      expect(fp).toBe(0);
      expect(summary.findingsAdded).toBeGreaterThan(0);
      // Analysed again, the same findings: nothing new is stored.
      const again = JSON.parse(
        (await vigil(["--db", "v.db", "analyze", "social", "--json"])).stdout,
      ) as SummaryJson;
      expect(again.findingsAdded).toBe(0);
      // Nothing observed after the scans: nothing to analyse.
      const later = await vigil([
        "--db",
        "v.db",
        "analyze",
        "social",
        "--since",
        "2999-01-01T00:00:00Z",
        "--json",
      ]);
      expect(later.code, later.stderr).toBe(0);
      expect((JSON.parse(later.stdout) as SummaryJson).posts).toBe(0);
    },
    CLI_TIMEOUT_MS,
  );

  it("refuses a --since that is not an instant", async () => {
    const result = await vigil(["--db", "v.db", "analyze", "social", "--since", "last week"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--since");
  });
});

describe("stored records that cannot be read", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-unreadable-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("are named by id, and the rest of the page is read and analysed", async () => {
    const path = join(dir, "damaged.db");
    const posts = Array.from({ length: 12 }, (_, i) =>
      makeObservation({
        kind: "post",
        value: `x:post:${i}`,
        data: {
          platform: "x",
          id: String(i),
          account: `a${i % 3}`,
          created: "2024-05-01T00:00:00.000Z",
          text: `post number ${i}`,
          urls: [],
          hashtags: [],
          mentions: [],
        },
        source: `test:${i}`,
        observedAt: "2024-05-01T00:00:00.000Z",
      }),
    );
    const store = await openStore({ path });
    const runId = await store.startRun("test", "2024-05-01T00:00:00.000Z");
    await store.persistBatch({ runId, observations: posts, findings: [], cases: [], problems: [] });
    await store.close();
    const damaged = [...posts].sort((a, b) => a.id.localeCompare(b.id))[4] as (typeof posts)[0];
    const raw = new Database(path);
    raw.prepare("update observations set data = ? where id = ?").run('{"text": "cut', damaged.id);
    raw.close();

    const reopened = await openStore({ path });
    try {
      const ids: string[] = [];
      const unreadable: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await reopened.readObservations({
          kind: "post",
          limit: 5,
          ...(after === undefined ? {} : { after }),
        });
        ids.push(...page.observations.map((o) => o.id));
        unreadable.push(...page.unreadable.map((u) => u.id));
        for (const u of page.unreadable) expect(u.message).toMatch(/stored data cannot be read/);
        if (page.rows < 5) break;
        after = page.last;
      }
      expect(unreadable).toEqual([damaged.id]);
      expect(ids).toHaveLength(11);
      expect(ids).not.toContain(damaged.id);

      const summary = await analyzeSocial({ store: reopened, analysisThread: false });
      expect(summary.posts).toBe(11);
      expect(summary.problems).toEqual([
        expect.objectContaining({
          item: `stored post ${damaged.id}`,
          code: "VIGIL_ERR_STORE_READ",
        }),
      ]);
    } finally {
      await reopened.close();
    }
  });
});

const PG_URL = process.env.VIGIL_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

describe("Store.readObservations pages by id", () => {
  const schema = `vigil_pages_${Math.random().toString(36).slice(2, 10)}`;
  let dir: string;
  const admin = new pg.Client({ connectionString: PG_URL });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-pages-"));
    await admin.connect();
    await admin.query(`create schema ${schema}`);
  });

  afterAll(async () => {
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => {});
    await admin.end().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  const engines: Array<[string, () => Promise<Store>]> = [
    ["sqlite", () => openStore({ path: join(dir, "pages.db") })],
    [
      "postgres",
      () =>
        openStore({
          url: `${PG_URL}${PG_URL.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
        }),
    ],
  ];

  it.each(engines)("on %s: every observation of a kind once, in pages", async (_engine, open) => {
    const store = await open();
    try {
      const runId = await store.startRun("test", "2024-05-01T00:00:00.000Z");
      const make = (kind: "post" | "domain", i: number, observedAt: string) =>
        makeObservation({
          kind,
          value: kind === "post" ? `x:post:${i}` : `site${i}.example`,
          data:
            kind === "post" ? { platform: "x", id: String(i), account: "a", text: `t${i}` } : {},
          source: `test:${i}`,
          observedAt,
        });
      const observations = [
        ...Array.from({ length: 23 }, (_, i) => make("post", i, "2024-05-01T00:00:00.000Z")),
        ...Array.from({ length: 7 }, (_, i) => make("post", 100 + i, "2024-06-01T00:00:00.000Z")),
        ...Array.from({ length: 5 }, (_, i) => make("domain", i, "2024-06-01T00:00:00.000Z")),
      ];
      await store.persistBatch({ runId, observations, findings: [], cases: [], problems: [] });
      const read = async (since?: string) => {
        const ids: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.readObservations({
            kind: "post",
            limit: 4,
            ...(after === undefined ? {} : { after }),
            ...(since === undefined ? {} : { since }),
          });
          ids.push(...page.observations.map((o) => o.id));
          expect(page.unreadable).toEqual([]);
          if (page.rows < 4) return ids;
          after = page.last;
        }
      };
      const all = await read();
      expect(all).toHaveLength(30);
      expect(new Set(all).size).toBe(30);
      const posts = observations.filter((o) => o.kind === "post");
      expect(new Set(all)).toEqual(new Set(posts.map((o) => o.id)));
      expect(await read("2024-05-15T00:00:00.000Z")).toHaveLength(7);
      const first = (await store.readObservations({ kind: "post", limit: 1 })).observations;
      expect(first[0]?.data).toEqual(posts.find((o) => o.id === first[0]?.id)?.data);
      await expect(store.readObservations({ kind: "post", limit: 0 })).rejects.toThrow(/limit/);
    } finally {
      await store.close();
    }
  });
});
