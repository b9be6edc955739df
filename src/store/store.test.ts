import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { VigilError } from "../errors.js";
import {
  type Case,
  caseId,
  type Evidence,
  type Finding,
  FindingSchema,
  findingId,
  makeObservation,
  type Observation,
  severityFor,
  type Target,
  type Watchlist,
  WatchlistSchema,
} from "../model/index.js";
import {
  type CorrespondenceRecord,
  MAX_CORRESPONDENT_DOMAINS,
  openStore,
  type PersistBatch,
  type Store,
  type StoreEngine,
  type StoreOptions,
  storeOptionsFromEnv,
} from "./index.js";

/** One database engine under test: each `reset` hands out an empty database. */
interface Harness {
  engine: StoreEngine;
  setup(): Promise<void>;
  reset(): Promise<StoreOptions>;
  /** Runs raw SQL in the database of the last `reset`, bypassing the store. */
  exec(statement: string): Promise<void>;
  teardown(): Promise<void>;
}

function sqliteHarness(): Harness {
  let dir = "";
  let path = "";
  let n = 0;
  return {
    engine: "sqlite",
    async setup() {
      dir = mkdtempSync(join(tmpdir(), "vigil-store-"));
    },
    async reset() {
      n += 1;
      // A nested path checks that missing parent folders are created.
      path = join(dir, `db-${n}`, "vigil.db");
      return { path };
    },
    async exec(statement) {
      mkdirSync(dirname(path), { recursive: true });
      const db = new SqliteDatabase(path);
      try {
        db.exec(statement);
      } finally {
        db.close();
      }
    },
    async teardown() {
      if (dir !== "") rmSync(dir, { recursive: true, force: true });
    },
  };
}

const PG_URL = process.env.VIGIL_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function postgresHarness(): Harness {
  const schema = `vigil_test_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  const separator = PG_URL.includes("?") ? "&" : "?";
  const url = `${PG_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    engine: "postgres",
    async setup() {
      try {
        await admin.connect();
      } catch (err) {
        // Fail, never skip: a silently skipped engine would hide PostgreSQL regressions.
        throw new Error(
          `PostgreSQL is unreachable at ${PG_URL} (${(err as Error).message}); start it or set VIGIL_TEST_PG_URL`,
          { cause: err },
        );
      }
    },
    async reset() {
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.query(`create schema ${schema}`);
      return { url };
    },
    async exec(statement) {
      await admin.query(`set search_path to ${schema}`);
      try {
        await admin.query(statement);
      } finally {
        await admin.query("reset search_path");
      }
    },
    async teardown() {
      await admin.query(`drop schema if exists ${schema} cascade`).catch(() => {});
      await admin.end().catch(() => {});
    },
  };
}

const T0 = "2024-05-01T10:00:00.000Z";
const T1 = "2024-05-02T10:00:00.000Z";
const T2 = "2024-05-03T10:00:00.000Z";

const EXAMPLE_NEWS: Target = { type: "outlet", id: "example-news", name: "Example News" };
const DAILY_POST: Target = { type: "outlet", id: "daily-post", name: "The Daily Post" };

function observation(domain: string, observedAt = T0): Observation {
  return makeObservation({
    kind: "domain",
    value: domain,
    data: { registrar: "Example Registrar", nameservers: ["ns1.example.net"] },
    source: `file:domains.txt:${domain.length}`,
    observedAt,
  });
}

function finding(
  subject: string,
  options: { score: number; observedAt?: string; target?: Target; observations?: Observation[] },
): Finding {
  const evidence: Evidence[] = [
    { type: "candidate-domain", value: subject },
    { type: "protected-domain", value: "example-news.com", note: "owned by the outlet" },
  ];
  const result: Finding = {
    id: findingId("domains", subject, evidence),
    kind: "domain-lookalike",
    subject,
    score: options.score,
    severity: severityFor(options.score),
    reasons: [
      {
        rule: "tld-swap",
        feature: `label "example-news" under suffix "${subject.split(".").pop()}"`,
        weight: 0.6,
        explanation: "The name is the outlet's own with a different top-level domain.",
      },
      { rule: "new-registration", feature: "registered 2 days ago", weight: 0.2, explanation: "" },
    ],
    techniques: [
      { framework: "DISARM", id: "T0099", name: "Impersonate existing entity" },
      { framework: "ATT&CK", id: "T1583.001", name: "Acquire Infrastructure: Domains" },
    ],
    evidence,
    detector: "domains",
    detectorVersion: "1.0.0",
    observedAt: options.observedAt ?? T0,
    observationIds: (options.observations ?? []).map((o) => o.id),
  };
  if (options.target !== undefined) result.target = options.target;
  return result;
}

function lookalikeCase(key: string, title: string, findings: Finding[]): Case {
  return {
    id: caseId("same-target-outlet", key),
    title,
    grouping: "same-target-outlet",
    key,
    findingIds: findings.map((f) => f.id),
    actor: "Storm-1516",
    confidence: "moderate",
    rationale: "Same registrar and name servers as earlier clones.",
    createdAt: T0,
  };
}

function batch(runId: string, parts: Partial<Omit<PersistBatch, "runId">>): PersistBatch {
  return { runId, observations: [], findings: [], cases: [], problems: [], ...parts };
}

/** A realistic first batch: three lookalikes of two outlets, one without a target. */
function firstBatch(runId: string) {
  const o1 = observation("example-news.co", T0);
  const o2 = observation("examp1e-news.com", T1);
  const o3 = observation("dailypost-news.net", T2);
  const f1 = finding("example-news.co", {
    score: 0.8734567891234567,
    observedAt: T0,
    target: EXAMPLE_NEWS,
    observations: [o1],
  });
  const f2 = finding("examp1e-news.com", {
    score: 0.95,
    observedAt: T1,
    target: EXAMPLE_NEWS,
    observations: [o2],
  });
  const f3 = finding("dailypost-news.net", { score: 0.45, observedAt: T2, observations: [o3] });
  const c1 = lookalikeCase("example-news", "Lookalikes of Example News", [f1, f2]);
  return {
    observations: [o1, o2, o3],
    findings: [f1, f2, f3],
    cases: [c1],
    batch: batch(runId, {
      observations: [o1, o2, o3],
      findings: [f1, f2, f3],
      cases: [c1],
      problems: [
        {
          item: "line 4 of domains.txt",
          code: "VIGIL_ERR_INPUT_DOMAIN",
          message: "empty label",
          at: T0,
        },
      ],
    }),
  };
}

function watchlist(input: Parameters<typeof WatchlistSchema.parse>[0]): Watchlist {
  return WatchlistSchema.parse(input);
}

async function rejection(promise: Promise<unknown>): Promise<VigilError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VigilError);
  return err as VigilError;
}

describe.each([sqliteHarness(), postgresHarness()])("store on $engine", (harness) => {
  let options: StoreOptions;
  const opened: Store[] = [];

  async function open(): Promise<Store> {
    const store = await openStore(options);
    opened.push(store);
    return store;
  }

  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(async () => {
    options = await harness.reset();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it("migrates a fresh database and re-opens it without re-running migrations", async () => {
    const store = await open();
    expect(store.engine).toBe(harness.engine);
    expect(await store.counts()).toEqual({
      observations: 0,
      findings: 0,
      cases: 0,
      problems: 0,
      watchlistEntities: 0,
    });
    const { batch: b, findings } = firstBatch("run_a");
    await store.persistBatch(b);
    await store.close();
    await store.close(); // closing twice is harmless

    const again = await open();
    expect(again.location).toBe(store.location);
    expect((await again.counts()).findings).toBe(3);
    expect(await again.listFindings()).toHaveLength(findings.length);
  });

  it("names the failed migration", async () => {
    // A table left by something else makes the initial migration collide with it.
    await harness.exec("create table findings (id integer)");
    const err = await rejection(openStore(options));
    expect(err.code).toBe("VIGIL_ERR_STORE_MIGRATE");
    expect(err.message).toContain("0001_initial");
    expect(err.cause).toBeDefined();
  });

  it("counts what a batch added, and adds nothing when the same batch comes again", async () => {
    const store = await open();
    const { batch: b } = firstBatch("run_a");
    expect(await store.persistBatch(b)).toEqual({
      observationsAdded: 3,
      findingsAdded: 3,
      casesAdded: 1,
    });
    const before = await store.counts();
    expect(before).toEqual({
      observations: 3,
      findings: 3,
      cases: 1,
      problems: 1,
      watchlistEntities: 0,
    });

    expect(await store.persistBatch({ ...b, problems: [] })).toEqual({
      observationsAdded: 0,
      findingsAdded: 0,
      casesAdded: 0,
    });
    expect(await store.counts()).toEqual(before);
  });

  it("counts only the new rows of a batch that mixes old and new", async () => {
    const store = await open();
    const { batch: b, observations, findings } = firstBatch("run_a");
    await store.persistBatch(b);
    const o4 = observation("example-newz.com");
    const f4 = finding("example-newz.com", {
      score: 0.7,
      target: EXAMPLE_NEWS,
      observations: [o4],
    });
    const result = await store.persistBatch(
      batch("run_b", { observations: [...observations, o4], findings: [...findings, f4] }),
    );
    expect(result).toEqual({ observationsAdded: 1, findingsAdded: 1, casesAdded: 0 });
  });

  it("stores large batches across several statements", async () => {
    const store = await open();
    const observations = Array.from({ length: 1001 }, (_, i) => observation(`lookalike-${i}.com`));
    const findings = observations
      .slice(0, 450)
      .map((o) => finding(o.value, { score: 0.5, target: EXAMPLE_NEWS, observations: [o] }));
    const big = lookalikeCase("example-news", "Lookalikes of Example News", findings);
    expect(
      await store.persistBatch(batch("run_a", { observations, findings, cases: [big] })),
    ).toEqual({ observationsAdded: 1001, findingsAdded: 450, casesAdded: 1 });
    expect((await store.listCases())[0]?.findingIds).toHaveLength(450);
    expect(await store.listFindings({ limit: 100_000 })).toHaveLength(450);
  });

  it("stores more rows than one statement holds, counting only the new ones", async () => {
    const store = await open();
    const observations = Array.from({ length: 12_001 }, (_, i) => observation(`bulk-${i}.com`));
    const first = await store.persistBatch(
      batch("run_a", { observations: observations.slice(0, 7000) }),
    );
    expect(first.observationsAdded).toBe(7000);
    // Old and new mixed, with one observation twice in the batch: each is stored once.
    const again = await store.persistBatch(
      batch("run_b", { observations: [...observations, observations[1] as Observation] }),
    );
    expect(again.observationsAdded).toBe(5001);
    expect((await store.counts()).observations).toBe(12_001);
    const repeat = await store.persistBatch(batch("run_c", { observations }));
    expect(repeat.observationsAdded).toBe(0);
  });

  it("stores awkward text and missing values exactly", async () => {
    const store = await open();
    // Quotes, backslashes, braces and commas are what array and statement encodings trip
    // on; "NULL" must stay a word, and an empty string must not become null.
    const awkward = 'a "quoted" \\ back\\slash, {braces} NULL \u2028 ünï 😀 \n\t';
    const target: Target = { type: "person", id: "NULL", name: awkward };
    const withTarget = { ...finding("awkward-1.example", { score: 0.5, target }) };
    withTarget.reasons = [{ rule: "r", feature: awkward, weight: 0.5, explanation: "" }];
    const withoutTarget = finding("awkward-2.example", { score: 1 / 3 });
    const o = makeObservation({
      kind: "domain",
      value: awkward,
      data: { text: awkward, empty: "" },
      source: "",
      observedAt: T0,
    });
    const problems = ["line 10", "line 9", awkward, "line 2"].map((item) => ({
      item,
      code: "VIGIL_ERR_INPUT_DOMAIN",
      message: awkward,
      at: T0,
    }));
    const runId = await store.startRun("scan", T0);
    expect(
      await store.persistBatch(
        batch(runId, { observations: [o], findings: [withTarget, withoutTarget], problems }),
      ),
    ).toEqual({ observationsAdded: 1, findingsAdded: 2, casesAdded: 0 });
    const stored = await store.listFindings();
    expect(stored.find((f) => f.id === withTarget.id)).toEqual(FindingSchema.parse(withTarget));
    expect(stored.find((f) => f.id === withoutTarget.id)).toEqual(withoutTarget);
    // Problems keep the order they were given in, whatever their text.
    expect((await store.listProblems(runId)).map((p) => p.item)).toEqual(
      problems.map((p) => p.item),
    );
  });

  it("keeps none of a batch that fails after its first rows were written", async () => {
    const store = await open();
    const { batch: b } = firstBatch("run_a");
    // Observations and findings go in first; the case's link to a finding that is not
    // stored breaks a foreign key only at the end, so the rows before it must be undone.
    const fresh = observation("rolled-back.example");
    const dangling = lookalikeCase("nobody", "Dangling", [
      finding("never-stored.example", { score: 0.5 }),
    ]);
    const err = await rejection(
      store.persistBatch({
        ...b,
        observations: [...b.observations, fresh],
        cases: [...b.cases, dangling],
        cursors: [{ source: "feed:x", position: "9" }],
      }),
    );
    expect(err.code).toBe("VIGIL_ERR_STORE_WRITE");
    expect(await store.counts()).toEqual({
      observations: 0,
      findings: 0,
      cases: 0,
      problems: 0,
      watchlistEntities: 0,
    });
    expect(await store.getCursor("feed:x")).toBeUndefined();
    // The store is still usable, and the same rows go in once the batch is sound.
    expect(await store.persistBatch(b)).toEqual({
      observationsAdded: 3,
      findingsAdded: 3,
      casesAdded: 1,
    });
  });

  it("keeps concurrent batches apart: one failing takes none of the other's rows", async () => {
    const store = await open();
    const good = Array.from({ length: 300 }, (_, i) => observation(`good-${i}.example`));
    const bad = Array.from({ length: 300 }, (_, i) => observation(`bad-${i}.example`));
    const dangling = lookalikeCase("nobody", "Dangling", [
      finding("never-stored.example", { score: 0.5 }),
    ]);
    const results = await Promise.allSettled([
      store.persistBatch(batch("run_bad", { observations: bad, cases: [dangling] })),
      store.persistBatch(batch("run_good", { observations: good })),
      store.persistBatch(batch("run_bad2", { observations: bad, cases: [dangling] })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "rejected"]);
    expect((await store.counts()).observations).toBe(300);
    expect(await store.persistBatch(batch("run_again", { observations: good }))).toEqual({
      observationsAdded: 0,
      findingsAdded: 0,
      casesAdded: 0,
    });
  });

  it("returns findings exactly as they were stored", async () => {
    const store = await open();
    const { batch: b, findings } = firstBatch("run_a");
    await store.persistBatch(b);
    const [f1, f2, f3] = findings;
    const listed = await store.listFindings();
    // Highest score first.
    expect(listed).toEqual([f2, f1, f3]);
    for (const f of listed) expect(FindingSchema.parse(f)).toEqual(f);
    expect(listed[2]).not.toHaveProperty("target");
  });

  it("filters findings by kind, time, score, target and count", async () => {
    const store = await open();
    const { batch: b, findings } = firstBatch("run_a");
    const [f1, f2, f3] = findings as [Finding, Finding, Finding];
    const f4 = finding("daily-post.org", { score: 0.95, observedAt: T2, target: DAILY_POST });
    await store.persistBatch({ ...b, findings: [...findings, f4] });

    expect(await store.listFindings({ kind: "domain-lookalike" })).toHaveLength(4);
    // `since` is inclusive and accepts any ISO 8601 spelling of the instant.
    expect(await store.listFindings({ since: "2024-05-02T10:00:00Z" })).toEqual([f4, f2, f3]);
    expect(await store.listFindings({ since: "2024-05-02T12:00:00+02:00" })).toEqual([f4, f2, f3]);
    expect(await store.listFindings({ minScore: 0.8734567891234567 })).toEqual([f4, f2, f1]);
    expect(await store.listFindings({ targetId: "example-news" })).toEqual([f2, f1]);
    expect(await store.listFindings({ targetId: "example-news", since: T1 })).toEqual([f2]);
    // Equal scores: the most recently observed first.
    expect(await store.listFindings({ limit: 2 })).toEqual([f4, f2]);
    expect(await store.listFindings({ minScore: 0.99 })).toEqual([]);
  });

  it("rejects a malformed filter with a clear error", async () => {
    const store = await open();
    expect((await rejection(store.listFindings({ limit: 0 }))).code).toBe("VIGIL_ERR_STORE_READ");
    expect((await rejection(store.listFindings({ limit: 100_001 }))).message).toContain("100000");
    expect((await rejection(store.listFindings({ since: "yesterday" }))).message).toContain(
      "since",
    );
  });

  it("merges a case's links across batches and lists the biggest cases first", async () => {
    const store = await open();
    const { batch: b, findings } = firstBatch("run_a");
    const [f1, f2, f3] = findings as [Finding, Finding, Finding];
    const first = lookalikeCase("example-news", "Lookalikes of Example News", [f2]);
    const daily: Case = {
      id: caseId("same-target-outlet", "daily-post"),
      title: "Lookalikes of The Daily Post",
      grouping: "same-target-outlet",
      key: "daily-post",
      findingIds: [f3.id],
      createdAt: T1,
    };
    expect(await store.persistBatch({ ...b, cases: [first, daily] })).toMatchObject({
      casesAdded: 2,
    });
    const second = lookalikeCase("example-news", "Lookalikes of Example News", [f1]);
    expect(await store.persistBatch(batch("run_b", { cases: [second] }))).toMatchObject({
      casesAdded: 0,
    });

    expect(await store.listCases()).toEqual([
      { ...first, findingIds: [f1.id, f2.id].sort() },
      daily,
    ]);
  });

  it.each([
    {
      fault: "a case that links to a finding never stored",
      spoil: (b: PersistBatch, findings: Finding[]): PersistBatch => ({
        ...b,
        cases: [
          lookalikeCase("example-news", "Lookalikes", [
            ...findings,
            finding("gone.com", { score: 0.5 }),
          ]),
        ],
      }),
    },
    {
      fault: "a finding without a detector",
      spoil: (b: PersistBatch, findings: Finding[]): PersistBatch => ({
        ...b,
        findings: [
          ...findings,
          { ...finding("x.com", { score: 0.5 }), detector: null as unknown as string },
        ],
      }),
    },
  ])(
    "keeps nothing of a batch with $fault, and leaves earlier batches intact",
    async ({ spoil }) => {
      const store = await open();
      const { batch: b, findings } = firstBatch("run_a");
      await store.persistBatch(b);
      const before = await store.counts();
      const storedFindings = await store.listFindings();
      const storedCases = await store.listCases();

      const o4 = observation("example-news.info");
      const f4 = finding("example-news.info", {
        score: 0.9,
        target: EXAMPLE_NEWS,
        observations: [o4],
      });
      const bad = spoil(
        batch("run_b", {
          observations: [o4],
          findings: [f4],
          problems: [
            { item: "line 9", code: "VIGIL_ERR_INPUT_DOMAIN", message: "too long", at: T1 },
          ],
        }),
        [...findings, f4],
      );
      const err = await rejection(store.persistBatch(bad));
      expect(err.code).toBe("VIGIL_ERR_STORE_WRITE");
      expect(err.message).toContain("run_b");
      expect(err.cause).toBeInstanceOf(Error);

      expect(await store.counts()).toEqual(before);
      expect(await store.listFindings()).toEqual(storedFindings);
      expect(await store.listCases()).toEqual(storedCases);
      expect(await store.listProblems("run_b")).toEqual([]);
    },
  );

  it("replaces the stored watchlist on each sync", async () => {
    const store = await open();
    await store.syncWatchlist(
      watchlist({
        outlets: [
          { id: "example-news", name: "Example News", domains: ["example-news.com"] },
          { id: "daily-post", name: "The Daily Post", domains: ["dailypost.com"] },
        ],
        people: [{ id: "jane-doe", name: "Jane Doe", emails: ["jane@example-news.com"] }],
      }),
    );
    expect((await store.counts()).watchlistEntities).toBe(3);

    // Outlet and organisation share an id: their rows must not collide.
    await store.syncWatchlist(
      watchlist({
        outlets: [{ id: "example-news", name: "Example News", domains: ["example-news.com"] }],
        organisations: [{ id: "example-news", name: "Example News Group" }],
      }),
    );
    expect((await store.counts()).watchlistEntities).toBe(2);

    const missingId = watchlist({ outlets: [{ name: "No Id", domains: ["noid.com"] }] });
    const err = await rejection(store.syncWatchlist(missingId));
    expect(err.code).toBe("VIGIL_ERR_WATCHLIST_INVALID");
    expect(err.message).toContain("No Id");
    const twice = watchlist({
      people: [
        { id: "jane-doe", name: "Jane Doe" },
        { id: "jane-doe", name: "Jane D." },
      ],
    });
    expect((await rejection(store.syncWatchlist(twice))).message).toContain("person:jane-doe");
    expect((await store.counts()).watchlistEntities).toBe(2);

    await store.syncWatchlist(watchlist({}));
    expect((await store.counts()).watchlistEntities).toBe(0);
  });

  it("records runs and lists the newest first", async () => {
    const store = await open();
    const first = await store.startRun("scan domains.txt", T0);
    const second = await store.startRun("scan more.txt", T1);
    expect(first).toMatch(/^run_[0-9a-f]{28}$/);
    expect(second > first).toBe(true);

    await store.finishRun(first, "ok", "2024-05-01T10:05:00.000Z", { findings: 3, problems: 1 });
    expect(await store.listRuns()).toEqual([
      { id: second, command: "scan more.txt", startedAt: T1, status: "running", stats: {} },
      {
        id: first,
        command: "scan domains.txt",
        startedAt: T0,
        finishedAt: "2024-05-01T10:05:00.000Z",
        status: "ok",
        stats: { findings: 3, problems: 1 },
      },
    ]);
    expect(await store.listRuns(1)).toHaveLength(1);

    const err = await rejection(store.finishRun("run_missing", "failed", T2, {}));
    expect(err.code).toBe("VIGIL_ERR_STORE_WRITE");
  });

  it("keeps problems with their run, in the order they were stored", async () => {
    const store = await open();
    const runA = await store.startRun("scan a.txt", T0);
    const runB = await store.startRun("scan b.txt", T1);
    const problem = (item: string, at: string) => ({
      item,
      code: "VIGIL_ERR_INPUT_DOMAIN",
      message: `bad domain on ${item}`,
      at,
    });
    await store.persistBatch(
      batch(runA, { problems: [problem("line 1", T0), problem("line 7", T0)] }),
    );
    await store.persistBatch(batch(runB, { problems: [problem("line 2", T1)] }));

    expect(await store.listProblems(runA)).toEqual([
      { runId: runA, ...problem("line 1", T0) },
      { runId: runA, ...problem("line 7", T0) },
    ]);
    expect((await store.listProblems()).map((p) => p.item)).toEqual(["line 1", "line 7", "line 2"]);
    expect(await store.listProblems("run_none")).toEqual([]);
  });

  it("stores source cursors with their batch, and replaces them as the source moves", async () => {
    const store = await open();
    const log = "ct:https://ct.example/logs/2024/";
    const other = "ct:https://ct.example/logs/2025/";
    expect(await store.getCursor(log)).toBeUndefined();
    const { batch: b } = firstBatch("run_a");
    await store.persistBatch({
      ...b,
      cursors: [
        { source: log, position: "32" },
        { source: other, position: "7" },
      ],
    });
    expect(await store.getCursor(log)).toBe("32");
    expect(await store.getCursor(other)).toBe("7");

    // The last position of a source in a batch wins; a lower one is stored too (a rewind).
    await store.persistBatch(
      batch("run_b", {
        cursors: [
          { source: log, position: "64" },
          { source: log, position: "96" },
        ],
      }),
    );
    expect(await store.getCursor(log)).toBe("96");
    await store.persistBatch(batch("run_c", { cursors: [{ source: log, position: "0" }] }));
    expect(await store.getCursor(log)).toBe("0");
    expect(await store.getCursor(other)).toBe("7");
    await store.close();

    const again = await open();
    expect(await again.getCursor(log)).toBe("0");
  });

  it("keeps no cursor of a batch that fails, so the source re-reads it", async () => {
    const store = await open();
    const log = "ct:https://ct.example/logs/2024/";
    const { batch: b, findings } = firstBatch("run_a");
    await store.persistBatch({ ...b, cursors: [{ source: log, position: "100" }] });
    const spoilt = {
      ...finding("x.com", { score: 0.5 }),
      detector: null as unknown as string,
    };
    const err = await rejection(
      store.persistBatch(
        batch("run_b", {
          findings: [...findings, spoilt],
          cursors: [{ source: log, position: "200" }],
        }),
      ),
    );
    expect(err.code).toBe("VIGIL_ERR_STORE_WRITE");
    expect(await store.getCursor(log)).toBe("100");

    const long = await rejection(
      store.persistBatch(
        batch("run_c", { cursors: [{ source: "x".repeat(3000), position: "1" }] }),
      ),
    );
    expect(long.message).toContain("2048");
    const empty = await rejection(
      store.persistBatch(batch("run_c", { cursors: [{ source: "", position: "1" }] })),
    );
    expect(empty.code).toBe("VIGIL_ERR_STORE_WRITE");
  });

  it("adds the cursor table to a database made before it existed", async () => {
    const first = await open();
    await first.close();
    // Undo migrations 0004, 0003 and 0002 by hand, as if the database came from the
    // release before them (Kysely runs only migrations newer than the last one applied).
    await undoCorrespondents();
    for (const table of ["notice_events", "notice_deliveries", "notice_findings", "notices"]) {
      await harness.exec(`drop table ${table}`);
    }
    await harness.exec("delete from kysely_migration where name = '0003_notices'");
    await harness.exec("drop table source_cursors");
    await harness.exec("delete from kysely_migration where name = '0002_source_cursors'");
    const store = await open();
    await store.persistBatch(batch("run_a", { cursors: [{ source: "ct:x", position: "5" }] }));
    expect(await store.getCursor("ct:x")).toBe("5");
    expect(await store.notices.list()).toEqual([]);
  });

  it("adds the notice tables to a database made before they existed", async () => {
    const first = await open();
    await first.persistBatch(batch("run_a", { cursors: [{ source: "ct:x", position: "5" }] }));
    await first.close();
    await undoCorrespondents();
    for (const table of ["notice_events", "notice_deliveries", "notice_findings", "notices"]) {
      await harness.exec(`drop table ${table}`);
    }
    await harness.exec("delete from kysely_migration where name = '0003_notices'");
    const store = await open();
    expect(await store.getCursor("ct:x")).toBe("5");
    expect(await store.notices.list()).toEqual([]);
  });

  /** Undoes migration 0004 by hand, as if the database came from the release before it. */
  async function undoCorrespondents(): Promise<void> {
    await harness.exec("drop table correspondents");
    await harness.exec("drop table correspondence_messages");
    await harness.exec("delete from kysely_migration where name = '0004_correspondents'");
  }

  const key = (n: number) => n.toString(16).padStart(64, "0");
  const mail = (n: number, parts: Partial<CorrespondenceRecord> = {}): CorrespondenceRecord => ({
    messageKey: key(n),
    sender: "priya@castellano.example",
    recipients: ["dana@harper.example"],
    at: `2024-06-0${n}T10:00:00.000Z`,
    replyPathDomains: [],
    linkDomains: [],
    ...parts,
  });

  it("counts each message once per sender and recipient, with the batch", async () => {
    const store = await open();
    await store.persistBatch(
      batch("run_a", {
        correspondence: [
          mail(1, { replyPathDomains: ["castellano.example"], linkDomains: ["podcasts.example"] }),
          mail(2, { recipients: ["dana@harper.example", "miguel@harper.example"] }),
        ],
      }),
    );
    // The same message again (a re-scan) counts nothing; a new one adds its domains.
    await store.persistBatch(
      batch("run_b", {
        correspondence: [mail(1), mail(3, { replyPathDomains: ["gmail.com"] })],
      }),
    );
    const seen = await store.correspondence({
      messageKey: key(1),
      sender: "priya@castellano.example",
      recipients: ["dana@harper.example", "miguel@harper.example", "nobody@harper.example"],
    });
    expect(seen.messageSeq).toBeDefined();
    const dana = seen.correspondents.find((c) => c.recipient === "dana@harper.example");
    expect(dana).toMatchObject({
      messages: 3,
      firstSeen: "2024-06-01T10:00:00.000Z",
      lastSeen: "2024-06-03T10:00:00.000Z",
      firstSeq: seen.messageSeq,
    });
    expect(dana?.replyPaths.map((d) => d.domain)).toEqual(["castellano.example", "gmail.com"]);
    expect(dana?.linkDomains.map((d) => d.domain)).toEqual(["podcasts.example"]);
    // Each domain carries the place of the message that brought it, later ones higher.
    const [first, later] = dana?.replyPaths ?? [];
    expect(first?.seq).toBe(seen.messageSeq);
    expect(later?.seq ?? 0).toBeGreaterThan(first?.seq ?? 0);
    expect(seen.correspondents.find((c) => c.recipient === "miguel@harper.example")?.messages).toBe(
      1,
    );
    expect(seen.recipients.map((r) => r.recipient).sort()).toEqual([
      "dana@harper.example",
      "miguel@harper.example",
    ]);
    const fresh = await store.correspondence({ messageKey: key(99), sender: "stranger@x.example" });
    expect(fresh).toEqual({ correspondents: [], recipients: [] });
  });

  it(`keeps the first ${MAX_CORRESPONDENT_DOMAINS} domains of each kind per pair`, async () => {
    const store = await open();
    const many = Array.from({ length: 30 }, (_, i) => `site${i}.example`);
    await store.persistBatch(
      batch("run_a", {
        correspondence: [
          mail(1, { linkDomains: many }),
          mail(2, { linkDomains: ["late.example"] }),
        ],
      }),
    );
    const [pair] = (
      await store.correspondence({ messageKey: key(3), sender: "priya@castellano.example" })
    ).correspondents;
    expect(pair?.linkDomains.map((d) => d.domain)).toEqual(
      many.slice(0, MAX_CORRESPONDENT_DOMAINS),
    );
    expect(pair?.messages).toBe(2);
  });

  it("rejects a malformed correspondence record and keeps none of its batch", async () => {
    const store = await open();
    const err = await rejection(
      store.persistBatch(
        batch("run_a", {
          cursors: [{ source: "imap:x", position: "1" }],
          correspondence: [mail(1), mail(2, { messageKey: "not a hash" })],
        }),
      ),
    );
    expect(err.code).toBe("VIGIL_ERR_STORE_WRITE");
    expect(await store.getCursor("imap:x")).toBeUndefined();
    expect(
      (await store.correspondence({ messageKey: key(1), sender: "priya@castellano.example" }))
        .correspondents,
    ).toEqual([]);
  });

  it("adds the correspondent tables to a database made before they existed", async () => {
    const first = await open();
    await first.persistBatch(batch("run_a", { cursors: [{ source: "ct:x", position: "5" }] }));
    await first.close();
    await undoCorrespondents();
    const store = await open();
    expect(await store.getCursor("ct:x")).toBe("5");
    await store.persistBatch(batch("run_b", { correspondence: [mail(1)] }));
    const seen = await store.correspondence({
      messageKey: key(1),
      sender: "priya@castellano.example",
    });
    expect(seen.correspondents).toHaveLength(1);
  });
});

describe("opening a store", () => {
  it("reports an unreachable PostgreSQL without showing the password", async () => {
    const err = await rejection(
      openStore({ url: "postgres://vigil:s3cret-pw@127.0.0.1:1/test?password=s3cret-pw" }),
    );
    expect(err.code).toBe("VIGIL_ERR_STORE_CONNECT");
    expect(err.message).toContain("127.0.0.1:1");
    expect(err.message).not.toContain("s3cret-pw");
    expect(err.cause).toBeDefined();
  });

  it("reports a SQLite path that cannot be a database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-store-"));
    try {
      // The path is a folder, so SQLite cannot open it as a file.
      const err = await rejection(openStore({ path: dir }));
      expect(err.code).toBe("VIGIL_ERR_STORE_CONNECT");
      expect(err.message).toContain(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects a database URL of another engine", async () => {
    const err = await rejection(openStore({ url: "mysql://root:pw@localhost/vigil" }));
    expect(err.code).toBe("VIGIL_ERR_CONFIG_INVALID");
    expect(err.message).not.toContain("pw");
  });

  it("takes the PostgreSQL URL from the environment, else the path", () => {
    const url = "postgres://vigil@db.internal/vigil";
    expect(storeOptionsFromEnv({ VIGIL_DATABASE_URL: url }, "local.db")).toEqual({ url });
    expect(storeOptionsFromEnv({ VIGIL_DATABASE_URL: "  " }, "local.db")).toEqual({
      path: "local.db",
    });
    expect(storeOptionsFromEnv({})).toEqual({});
  });
});
