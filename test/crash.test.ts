/**
 * A scan killed with SIGKILL mid-run leaves whole batches only, and re-running it
 * completes the store exactly as a clean run would.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import SqliteDatabase from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exited, startCli } from "./support/cli-process.js";
import { peekDatabase } from "./support/peek-database.js";
import { prng } from "./support/random.js";

const NAMES = 40_000;
const BATCH_SIZE = 500;
/** How long to wait for the first batch to be committed before giving up. */
const FIRST_BATCH_TIMEOUT_MS = 30_000;

const SCAN_ARGS = [
  "scan",
  "domains",
  "big.txt",
  "--batch-size",
  String(BATCH_SIZE),
  "--no-progress",
  "--json",
];

function startScan(cwd: string, db: string) {
  return startCli(["--db", db, ...SCAN_ARGS], cwd);
}

/** Observations committed so far, read without disturbing the writer (WAL allows it). */
function committedObservations(path: string): number {
  return peekDatabase(
    path,
    (db) => (db.prepare("select count(*) as n from observations").get() as { n: number }).n,
    0,
  );
}

interface DbState {
  integrity: string;
  observations: number;
  findings: number;
  cases: number;
  caseLinks: number;
  orphanFindings: string[];
  runs: string[];
}

function inspect(path: string): DbState {
  const db = new SqliteDatabase(path, { fileMustExist: true });
  try {
    const count = (table: string) =>
      (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    const observationIds = new Set(
      (db.prepare("select id from observations").all() as Array<{ id: string }>).map((r) => r.id),
    );
    const orphanFindings = (
      db.prepare("select id, observation_ids from findings").all() as Array<{
        id: string;
        observation_ids: string;
      }>
    )
      .filter((f) => {
        const ids = JSON.parse(f.observation_ids) as string[];
        return ids.length === 0 || ids.some((id) => !observationIds.has(id));
      })
      .map((f) => f.id);
    return {
      integrity: (db.pragma("integrity_check") as Array<{ integrity_check: string }>)
        .map((r) => r.integrity_check)
        .join("; "),
      observations: count("observations"),
      findings: count("findings"),
      cases: count("cases"),
      caseLinks: count("case_findings"),
      orphanFindings,
      runs: (
        db.prepare("select status from runs order by started_at").all() as Array<{
          status: string;
        }>
      ).map((r) => r.status),
    };
  } finally {
    db.close();
  }
}

/**
 * 40,000 distinct names: lookalikes of washingtonpost.com and foxnews.com under other
 * suffixes (some with subdomains), shuffled among random harmless names.
 */
function candidateNames(): string[] {
  const suffixes = [
    "pm",
    "ru",
    "co",
    "net",
    "org",
    "info",
    "top",
    "cam",
    "ltd",
    "in",
    "us",
    "news",
    "online",
    "site",
    "live",
    "press",
    "me",
    "cc",
    "ws",
    "tv",
    "pw",
    "ink",
    "xyz",
    "club",
    "life",
    "today",
    "world",
    "pro",
    "biz",
    "io",
    "co.uk",
    "com.ru",
    "com.br",
    "de",
    "fr",
  ];
  const names = new Set<string>();
  for (const brand of ["washingtonpost", "foxnews"]) {
    for (const suffix of suffixes) {
      for (let i = 0; i < 30; i++) names.add(`${i === 0 ? "" : `s${i}.`}${brand}.${suffix}`);
    }
  }
  const next = prng(0xc0ffee);
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const tlds = ["com", "org", "net", "io", "de"];
  while (names.size < NAMES) {
    let label = "";
    const length = 8 + Math.floor(next() * 6);
    for (let i = 0; i < length; i++) label += letters[Math.floor(next() * letters.length)];
    names.add(`${label}.${tlds[Math.floor(next() * tlds.length)]}`);
  }
  const list = [...names];
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [list[i], list[j]] = [list[j] as string, list[i] as string];
  }
  return list;
}

describe("a scan killed mid-run", () => {
  let dir = "";

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-crash-"));
    const names = candidateNames();
    expect(new Set(names).size).toBe(NAMES);
    await writeFile(join(dir, "big.txt"), `${names.join("\n")}\n`);
    // The starter watchlist protects washingtonpost.com and foxnews.com.
    const init = await exited(startCli(["init"], dir));
    if (init.code !== 0) throw new Error(`vigil init failed: ${init.stderr}`);
  });

  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("leaves only whole batches, and a re-run completes it like a clean run", async () => {
    const crashDb = join(dir, "crash.db");
    const child = startScan(dir, "crash.db");
    const done = exited(child);
    let finished = false;
    void done.then(() => {
      finished = true;
    });

    const deadline = Date.now() + FIRST_BATCH_TIMEOUT_MS;
    while (committedObservations(crashDb) === 0) {
      if (finished) {
        const r = await done;
        throw new Error(`the scan ended before it could be killed (${r.code}): ${r.stderr}`);
      }
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`no batch committed within ${FIRST_BATCH_TIMEOUT_MS} ms`);
      }
      await sleep(5);
    }
    child.kill("SIGKILL");
    const killed = await done;
    expect(killed.signal).toBe("SIGKILL");

    const crashed = inspect(crashDb);
    expect(crashed.integrity).toBe("ok");
    expect(crashed.observations).toBeGreaterThan(0);
    expect(crashed.observations).toBeLessThan(NAMES);
    expect(crashed.observations % BATCH_SIZE).toBe(0);
    expect(crashed.orphanFindings).toEqual([]);
    expect(crashed.runs).toEqual(["running"]);

    const [rerun, clean] = await Promise.all([
      exited(startScan(dir, "crash.db")),
      exited(startScan(dir, "clean.db")),
    ]);
    expect(rerun.stderr).toBe("");
    expect(rerun.code).toBe(0);
    expect(clean.code).toBe(0);
    const rerunSummary = JSON.parse(rerun.stdout) as { observationsAdded: number };
    expect(rerunSummary.observationsAdded).toBe(NAMES - crashed.observations);

    const completed = inspect(crashDb);
    const reference = inspect(join(dir, "clean.db"));
    expect(completed.integrity).toBe("ok");
    expect(completed.observations).toBe(NAMES);
    expect(reference.observations).toBe(NAMES);
    expect(reference.findings).toBeGreaterThan(0);
    expect(completed.findings).toBe(reference.findings);
    expect(completed.cases).toBe(reference.cases);
    expect(completed.caseLinks).toBe(reference.caseLinks);
    expect(completed.orphanFindings).toEqual([]);
    expect(completed.runs).toEqual(["running", "ok"]);
  });
});
