/**
 * End-to-end tests of `vigil scan social` and `vigil synth social` as a user runs them:
 * the built CLI spawned in a temporary directory, its SQLite store read afterwards.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import SqliteDatabase from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SocialTruthSchema } from "../src/index.js";
import { jsonOf, runCli } from "./support/cli-process.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/social/", import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);
/** A spawned CLI that hangs is killed after this, so a hang fails the test. */
const CLI_TIMEOUT_MS = 60_000;

function vigil(args: readonly string[], cwd: string, input = "") {
  return runCli(args, cwd, { input, timeoutMs: CLI_TIMEOUT_MS });
}

const json = jsonOf;

interface Summary {
  status: string;
  read: number;
  accounts: number;
  posts: number;
  observations: number;
  observationsAdded: number;
  findings: number;
  problemCount: number;
  problems: Array<{ item: string; code: string }>;
}

/** Stored observations of each kind, and the data of those of one kind. */
function stored(db: string) {
  const database = new SqliteDatabase(db, { readonly: true, fileMustExist: true });
  try {
    const rows = database.prepare("select kind, value, data from observations").all() as Array<{
      kind: string;
      value: string;
      data: string;
    }>;
    const count = (kind: string) => rows.filter((r) => r.kind === kind).length;
    return {
      accounts: count("account"),
      posts: count("post"),
      values: new Set(rows.map((r) => r.value)),
      data: (kind: string) => rows.filter((r) => r.kind === kind).map((r) => JSON.parse(r.data)),
    };
  } finally {
    database.close();
  }
}

const dirs: string[] = [];
async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `vigil-social-${label}-`));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe.concurrent("vigil scan social", () => {
  it("stores the accounts and posts of every fixture format, names bad records, and adds nothing twice", async () => {
    const cwd = await tempDir("scan");
    const inputs = [
      "vigil-social.jsonl",
      "x-v2-search.json",
      "x-v2-pages.jsonl",
      "telegram-channel.json",
      "telegram-export.json",
      "posts.csv",
    ].map(fixture);
    const first = await vigil(["scan", "social", ...inputs, "--platform", "x", "--json"], cwd);
    expect(first.code, first.stderr).toBe(3);
    const summary = json<Summary>(first);
    expect(summary.status).toBe("ok");
    expect(summary.findings).toBe(0);
    expect(summary.problemCount).toBeGreaterThan(15);
    const items = summary.problems.map((p) => p.item);
    expect(items).toContain(`${fixture("vigil-social.jsonl")} line 14`);
    expect(items).toContain(`${fixture("x-v2-search.json")} data[4]`);
    expect(items).toContain(`${fixture("telegram-channel.json")} messages[5]`);
    expect(items).toContain(`${fixture("posts.csv")} line 8`);

    const db = stored(join(cwd, "vigil.db"));
    expect(db.accounts).toBe(summary.observationsAdded - db.posts);
    // Posts read twice (the quote in the JSONL and in the X response differ) stay apart.
    expect(db.posts).toBeGreaterThanOrEqual(20);
    for (const value of [
      "x:account:1500000000000000002",
      "x:post:1841000000000000004",
      "telegram:post:1734102938/4",
      "telegram:account:channel1734102938",
      "telegram:post:4440001/11",
      "x:post:1842000000000000102",
      "x:account:1840000000000000011",
    ]) {
      expect(db.values.has(value), value).toBe(true);
    }

    const again = json<Summary>(
      await vigil(["scan", "social", ...inputs, "--platform", "x", "--json"], cwd),
    );
    expect(again.observationsAdded).toBe(0);
    expect(again.accounts).toBe(summary.accounts);
    expect(again.posts).toBe(summary.posts);
  });

  it("reads CSV with a column map, and standard input", async () => {
    const cwd = await tempDir("map");
    const mapped = await vigil(
      [
        "scan",
        "social",
        fixture("messages.csv"),
        "--map",
        "id=msg_id,account=author",
        "--map",
        "created=when,platform=kanal",
      ],
      cwd,
    );
    expect(mapped.code).toBe(3);
    expect(mapped.stdout).toContain("0 accounts and 2 posts");
    expect(mapped.stderr).toContain(
      `skipped ${fixture("messages.csv")} line 4: not a valid post: account: missing`,
    );

    const piped = await vigil(
      ["scan", "social", "-", "--json"],
      cwd,
      '{"type":"account","platform":"x","id":"9","handle":"nine"}\n{"type":"post","platform":"x","id":"10","account":"9","created":"2024-10-01T00:00:00Z","text":"hi"}\n',
    );
    expect(piped.code).toBe(0);
    expect(json<Summary>(piped)).toMatchObject({ accounts: 1, posts: 1, observationsAdded: 2 });
    expect(stored(join(cwd, "vigil.db")).posts).toBe(3);
  });

  it("says what it expects of its options, with exit code 2", async () => {
    const cwd = await tempDir("usage");
    const format = await vigil(["scan", "social", "x.json", "--format", "pdf"], cwd);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("--format must be one of auto, jsonl, x-v2, telegram, csv");
    const map = await vigil(["scan", "social", "x.csv", "--map", "txt=message"], cwd);
    expect(map.code).toBe(2);
    expect(map.stderr).toContain('unknown field "txt"');
    const platform = await vigil(["scan", "social", "x.csv", "--platform", "X Corp"], cwd);
    expect(platform.code).toBe(2);
    const help = await vigil(["scan", "social", "--help"], cwd);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Examples:");
    expect(help.stdout).toMatch(/^\s+vigil scan social \S+/m);
    expect(help.stdout).toContain("telegram");
  });
});

describe("vigil synth social", () => {
  it("writes a data set that scan social stores whole, with its truth", async () => {
    const cwd = await tempDir("synth");
    const args = ["synth", "social", "--accounts", "400", "--posts", "4000", "--campaigns", "2"];
    const synth = await vigil([...args, "--seed", "9", "--out", "data", "--json"], cwd);
    expect(synth.code, synth.stderr).toBe(0);
    const written = json<{ counts: { accounts: number; posts: number } }>(synth);
    expect(written.counts).toMatchObject({ accounts: 400, posts: 4000 });

    // The same seed again: refused without --force, the same bytes with it.
    const before = await readFile(join(cwd, "data", "posts.jsonl"));
    const refused = await vigil([...args, "--seed", "9", "--out", "data"], cwd);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("--force");
    const forced = await vigil([...args, "--seed", "9", "--out", "data", "--force"], cwd);
    expect(forced.code).toBe(0);
    expect((await readFile(join(cwd, "data", "posts.jsonl"))).equals(before)).toBe(true);

    const scan = await vigil(
      ["scan", "social", "data/accounts.jsonl", "data/posts.jsonl", "--json"],
      cwd,
    );
    expect(scan.code, scan.stderr).toBe(0);
    expect(json<Summary>(scan)).toMatchObject({
      accounts: 400,
      posts: 4000,
      observationsAdded: 4400,
      problemCount: 0,
    });
    const db = stored(join(cwd, "vigil.db"));
    expect(db).toMatchObject({ accounts: 400, posts: 4000 });
    const truth = SocialTruthSchema.parse(
      JSON.parse(await readFile(join(cwd, "data", "truth.json"), "utf8")),
    );
    for (const id of truth.campaigns.flatMap((c) => c.accounts))
      expect(db.values.has(`x:account:${id}`)).toBe(true);
    for (const imp of truth.impersonators) {
      const fake = db.data("account").find((a) => a.id === imp.account);
      expect(fake?.handle).toBe(imp.handle);
    }
  });

  it("impersonates the people of a watchlist, and refuses bad options", async () => {
    const cwd = await tempDir("synth-watchlist");
    const watchlist = join(cwd, "people.yaml");
    await writeFile(
      watchlist,
      "people:\n  - name: Rosa Delgado\n    handles: ['@rosadelgado']\n    role: Organiser\n",
    );
    const result = await vigil(
      ["synth", "social", "--accounts", "300", "--posts", "2000", "--campaigns", "1"].concat([
        "--watchlist",
        watchlist,
        "--impersonators",
        "2",
        "--out",
        "w",
        "--json",
      ]),
      cwd,
    );
    expect(result.code, result.stderr).toBe(0);
    const truth = SocialTruthSchema.parse(
      JSON.parse(await readFile(join(cwd, "w", "truth.json"), "utf8")),
    );
    expect(truth.genuineAccounts).toEqual([
      expect.objectContaining({ person: "Rosa Delgado", handle: "rosadelgado" }),
    ]);
    expect(truth.impersonators.map((i) => i.person)).toEqual(["Rosa Delgado", "Rosa Delgado"]);

    // With the watchlist as vigil.yaml, the scan reports the planted impersonators.
    const scan = await vigil(
      ["--config", watchlist, "--db", "w.db", "scan", "social", "w/accounts.jsonl"].concat([
        "w/posts.jsonl",
        "--json",
        "--no-coordination",
      ]),
      cwd,
    );
    expect(scan.code, scan.stderr).toBe(0);
    const findings = await vigil(
      ["--db", "w.db", "findings", "--kind", "persona-impersonation", "--json"],
      cwd,
    );
    const flagged = (
      json<Array<{ subject: string; target?: { name: string } }>>(findings) ?? []
    ).map((f) => f.target?.name);
    expect(flagged).toEqual(["Rosa Delgado", "Rosa Delgado"]);

    const noOut = await vigil(["synth", "social"], cwd);
    expect(noOut.code).toBe(2);
    const tooFew = await vigil(["synth", "social", "--accounts", "0", "--out", "z"], cwd);
    expect(tooFew.code).toBe(2);
    expect(tooFew.stderr).toContain("--accounts");
  });
});
