/**
 * End-to-end tests of the `vigil` command as a user runs it: a spawned `node
 * dist/cli/main.js`, real files in a temporary working directory, and an environment
 * without VIGIL_DATABASE_URL unless a test sets it.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "./support/random.js";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
if (!existsSync(CLI)) {
  throw new Error(`${CLI} is missing: run "npm run build" first (npm test builds in pretest)`);
}

const DATA = fileURLToPath(new URL("../../shared/data/", import.meta.url));
const US_OUTLETS = join(DATA, "outlets", "us-news-domains.csv");
const INTERNATIONAL_OUTLETS = join(DATA, "outlets", "international-outlets.csv");
const LOOKALIKES = join(DATA, "lookalikes", "lookalikes-dev.csv");

/** A spawned CLI that hangs is killed after this, so a hang fails the test instead of the suite. */
const CLI_TIMEOUT_MS = 40_000;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `vigil …` in `cwd` with the test's environment, feeding `input` to stdin. */
function vigil(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; input?: string | Uint8Array },
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.env?.VIGIL_DATABASE_URL === undefined) delete env.VIGIL_DATABASE_URL;
  delete env.VIGIL_CONFIG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), CLI_TIMEOUT_MS);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const result = {
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      };
      if (signal !== null) {
        reject(new Error(`vigil ${args.join(" ")} ended by ${signal}\n${result.stderr}`));
      } else resolve(result);
    });
    // The child may not read stdin at all; a closed pipe is not the test's failure.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/** Parses stdout as JSON, saying what the command printed when it is not JSON. */
function json<T>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`expected JSON on stdout, got:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

interface Summary {
  status: string;
  read: number;
  observations: number;
  observationsAdded: number;
  findings: number;
  findingsAdded: number;
  problemCount: number;
  problems: Array<{ item: string; code: string; message: string }>;
  topFindings: StoredFinding[];
}

interface StoredFinding {
  id: string;
  subject: string;
  score: number;
  target?: { id: string; name: string };
  reasons: Array<{ rule: string; weight: number }>;
  techniques: Array<{ framework: string; id: string }>;
  evidence: Array<{ type: string; value: string }>;
  observationIds: string[];
}

interface Outlet {
  id: string;
  name: string;
  domains: string[];
}

const tempDirs: string[] = [];
async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `vigil-cli-${label}-`));
  tempDirs.push(dir);
  return dir;
}

/** The watchlist built from the shared outlet lists, imported once for the whole file. */
let imported: { config: string; result: CliResult; list: CliResult };
/** The starter watchlist of `vigil init` (protects washingtonpost.com and foxnews.com). */
let starterConfig: string;

beforeAll(async () => {
  const [importDir, initDir] = await Promise.all([tempDir("watchlist"), tempDir("starter")]);
  const [result, init] = await Promise.all([
    vigil(["watchlist", "import", US_OUTLETS, INTERNATIONAL_OUTLETS], { cwd: importDir }),
    vigil(["init"], { cwd: initDir }),
  ]);
  if (init.code !== 0) throw new Error(`vigil init failed: ${init.stderr}`);
  starterConfig = join(initDir, "vigil.yaml");
  const list = await vigil(["watchlist", "list", "--json"], { cwd: importDir });
  imported = { config: join(importDir, "vigil.yaml"), result, list };
});

afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function findings(cwd: string, ...args: string[]): Promise<StoredFinding[]> {
  const result = await vigil(["findings", "--json", "--limit", "100000", ...args], { cwd });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return json<StoredFinding[]>(result);
}

// Each test works in its own directory, so they run at once: most of their time is
// node starting the CLI, not CPU the tests compete for.
describe.concurrent("vigil", () => {
  describe("help and usage errors", () => {
    it("lists every command in --help and exits 0", async () => {
      const result = await vigil(["--help"], { cwd: await tempDir("help") });
      expect(result.code).toBe(0);
      for (const command of ["init", "watchlist", "scan", "findings", "demo"]) {
        expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
      }
    });

    it("shows an example in scan domains --help", async () => {
      const result = await vigil(["scan", "domains", "--help"], { cwd: await tempDir("help") });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Examples:");
      expect(result.stdout).toMatch(/^\s+vigil scan domains \S+/m);
    });

    it("exits 2 on an unknown command or option", async () => {
      const cwd = await tempDir("usage");
      const command = await vigil(["frobnicate"], { cwd });
      expect(command.code).toBe(2);
      expect(command.stderr).toContain("unknown command 'frobnicate'");
      const option = await vigil(["scan", "domains", "x.txt", "--frobnicate"], { cwd });
      expect(option.code).toBe(2);
      expect(option.stderr).toContain("unknown option '--frobnicate'");
    });
  });

  describe("init", () => {
    it("writes vigil.yaml, refuses to overwrite it, and overwrites with --force", async () => {
      const cwd = await tempDir("init");
      const config = join(cwd, "vigil.yaml");
      const first = await vigil(["init"], { cwd });
      expect(first.code).toBe(0);
      expect(first.stdout).toContain("vigil.yaml");
      const starter = await readFile(config, "utf8");
      expect(starter).toContain("washingtonpost.com");
      expect(starter).toContain("foxnews.com");

      await writeFile(config, "# my edits\n");
      const second = await vigil(["init"], { cwd });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain("vigil.yaml");
      expect(second.stderr).toContain("--force");
      expect(await readFile(config, "utf8")).toBe("# my edits\n");

      const forced = await vigil(["init", "--force"], { cwd });
      expect(forced.code).toBe(0);
      expect(await readFile(config, "utf8")).toBe(starter);
    });
  });

  describe("watchlist import", () => {
    it("imports the shared outlet lists into a directory without vigil.yaml", async () => {
      expect(imported.result.stderr).toBe("");
      expect(imported.result.code).toBe(0);
      expect(imported.list.code).toBe(0);
      const { outlets } = json<{ outlets: Outlet[] }>(imported.list);
      expect(outlets.length).toBeGreaterThan(5000);
      const bbc = outlets.filter((o) => o.domains.includes("bbc.co.uk"));
      expect(bbc).toHaveLength(1);
      expect(bbc[0]?.name).toBe("BBC");
      expect(bbc[0]?.domains).toEqual(expect.arrayContaining(["bbc.co.uk", "bbc.com"]));
      expect(outlets.filter((o) => o.domains.includes("bbc.com"))).toHaveLength(1);
    });

    it("fails on a CSV without a domain column, naming line 1, and writes nothing", async () => {
      const cwd = await tempDir("import-nodomain");
      await writeFile(join(cwd, "nodomain.csv"), "name,country\nSome News,US\n");
      const result = await vigil(["watchlist", "import", "nodomain.csv"], { cwd });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("nodomain.csv line 1");
      expect(existsSync(join(cwd, "vigil.yaml"))).toBe(false);
    });

    it("imports the good rows of a CSV with one bad row and names its line and field", async () => {
      const cwd = await tempDir("import-onebad");
      await writeFile(
        join(cwd, "onebad.csv"),
        "name,domain\nGood News,goodnews.com\nBroken,not a domain!!\nOther Paper,otherpaper.org\n",
      );
      const result = await vigil(["watchlist", "import", "onebad.csv"], { cwd });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain("onebad.csv line 3, field domain");
      const list = json<{ outlets: Outlet[] }>(
        await vigil(["watchlist", "list", "--json"], { cwd }),
      );
      expect(list.outlets.map((o) => o.domains[0])).toEqual(["goodnews.com", "otherpaper.org"]);
    });

    it("--strict fails on a bad row and writes nothing", async () => {
      const cwd = await tempDir("import-strict");
      await writeFile(
        join(cwd, "onebad.csv"),
        "name,domain\nGood News,goodnews.com\nBroken,not a domain!!\n",
      );
      const fresh = await vigil(["watchlist", "import", "--strict", "onebad.csv"], { cwd });
      expect(fresh.code).not.toBe(0);
      expect(fresh.stderr).toContain("onebad.csv line 3");
      expect(existsSync(join(cwd, "vigil.yaml"))).toBe(false);

      // An existing watchlist is left byte for byte as it was.
      await copyFile(starterConfig, join(cwd, "vigil.yaml"));
      const before = await readFile(join(cwd, "vigil.yaml"));
      const existing = await vigil(["watchlist", "import", "--strict", "onebad.csv"], { cwd });
      expect(existing.code).not.toBe(0);
      expect(await readFile(join(cwd, "vigil.yaml"))).toEqual(before);
    });
  });

  describe("scan domains with the imported watchlist", () => {
    it("finds the known lookalikes, explains them, and re-scanning adds nothing", async () => {
      const cwd = await tempDir("scan");
      const scan = () =>
        vigil(["-c", imported.config, "scan", "domains", LOOKALIKES, "--json"], { cwd });

      const first = await scan();
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const summary = json<Summary>(first);
      expect(summary.status).toBe("ok");
      expect(summary.problemCount).toBe(0);
      expect(summary.findings).toBeGreaterThan(50);
      expect(summary.findingsAdded).toBe(summary.findings);
      expect(summary.observationsAdded).toBe(summary.observations);

      const stored = await findings(cwd);
      expect(stored).toHaveLength(summary.findingsAdded);
      for (const f of stored) {
        expect(f.reasons.length).toBeGreaterThan(0);
        for (const r of f.reasons) {
          expect(typeof r.rule).toBe("string");
          expect(typeof r.weight).toBe("number");
        }
        expect(f.techniques.map((t) => t.id)).toContain("T0149.003");
        expect(f.evidence).toContainEqual(
          expect.objectContaining({ type: "candidate-domain", value: f.subject }),
        );
      }
      const albayan = stored.find((f) => f.subject === "albayan.me");
      expect(albayan?.target?.name).toBe("Al Bayan");
      expect(albayan?.evidence).toContainEqual(
        expect.objectContaining({ type: "protected-domain", value: "albayan.ae" }),
      );

      const again = json<Summary>(await scan());
      expect(again.findings).toBe(summary.findings);
      expect(again.findingsAdded).toBe(0);
      expect(again.observationsAdded).toBe(0);
      expect(await findings(cwd)).toHaveLength(stored.length);
    });
  });

  describe("scan domains with hostile input", () => {
    it("skips and names every bad item, stores the rest, and loses nothing stored", async () => {
      const cwd = await tempDir("hostile");
      await copyFile(starterConfig, join(cwd, "vigil.yaml"));

      // An earlier run whose finding must survive the hostile one.
      await writeFile(join(cwd, "earlier.txt"), "foxnews.co\n");
      const earlier = await vigil(["scan", "domains", "earlier.txt", "--json"], { cwd });
      expect(earlier.code).toBe(0);
      expect(json<Summary>(earlier).findingsAdded).toBe(1);

      await mkdir(join(cwd, "a-directory"));
      await writeFile(join(cwd, "random.bin"), randomBytes(64 * 1024, 0x5eed));
      await writeFile(join(cwd, "long-line.txt"), `${"x".repeat(10 * 1024 * 1024)}\nfoxnews.ru\n`);
      await writeFile(
        join(cwd, "bad-utf8.txt"),
        Buffer.concat([
          Buffer.from("# candidates\n"),
          Buffer.from([0x62, 0x61, 0xff, 0xfe, 0x2e, 0x63, 0x6f, 0x6d, 0x0a]), // ba\xff\xfe.com
          Buffer.from("washingtonpost.ru\n"),
        ]),
      );
      await writeFile(join(cwd, "many-labels.txt"), `${"a.".repeat(299)}com\n`);
      await writeFile(join(cwd, "good.txt"), "washingtonpost.pm\n");

      // random.bin comes last: its many bad lines would push the others past the
      // 20 problems printed.
      const result = await vigil(
        [
          "scan",
          "domains",
          "--no-progress",
          "missing.txt",
          "a-directory",
          "long-line.txt",
          "bad-utf8.txt",
          "many-labels.txt",
          "good.txt",
          "random.bin",
        ],
        { cwd },
      );
      expect(result.code).toBe(3);
      const skipped = result.stderr.split("\n").filter((l) => l.startsWith("skipped "));
      const named = (prefix: string) => skipped.some((l) => l.startsWith(`skipped ${prefix}`));
      expect(named("missing.txt:"), result.stderr).toBe(true);
      expect(named("a-directory:"), result.stderr).toBe(true);
      expect(named("long-line.txt line 1:"), result.stderr).toBe(true);
      expect(named("bad-utf8.txt line 2:"), result.stderr).toBe(true);
      expect(named("many-labels.txt line 1:"), result.stderr).toBe(true);
      expect(named("random.bin line "), result.stderr).toBe(true);
      expect(named("good.txt"), result.stderr).toBe(false);

      const subjects = (await findings(cwd)).map((f) => f.subject);
      expect(subjects).toEqual(
        expect.arrayContaining([
          "foxnews.co", // stored by the earlier run
          "foxnews.ru", // after a 10 MB line
          "washingtonpost.ru", // after an invalid UTF-8 line
          "washingtonpost.pm",
        ]),
      );

      // Every skipped item is stored with its run, past the 20 printed.
      const runs = await vigil(["runs", "--json"], { cwd });
      expect(runs.code).toBe(0);
      const [latest] =
        json<Array<{ id: string; status: string; stats: { problems: number } }>>(runs);
      expect(latest?.stats.problems).toBeGreaterThan(20);
      const problems = await vigil(["problems", latest?.id ?? "", "--json", "--limit", "100000"], {
        cwd,
      });
      expect(problems.code).toBe(0);
      const stored = json<Array<{ item: string }>>(problems);
      expect(stored).toHaveLength(latest?.stats.problems ?? -1);
      expect(stored.map((p) => p.item)).toEqual(
        expect.arrayContaining([
          "missing.txt",
          "a-directory",
          "long-line.txt line 1",
          "bad-utf8.txt line 2",
        ]),
      );
    });

    it("reads standard input for -", async () => {
      const cwd = await tempDir("stdin");
      await copyFile(starterConfig, join(cwd, "vigil.yaml"));
      const result = await vigil(["scan", "domains", "-", "--json"], {
        cwd,
        input: "# pasted\nfox-news.in\nexample.org\n",
      });
      expect(result.code).toBe(0);
      const summary = json<Summary>(result);
      expect(summary.read).toBe(2);
      expect(summary.findingsAdded).toBe(1);
      expect(summary.topFindings.map((f) => f.subject)).toEqual(["fox-news.in"]);
    });
  });

  describe("findings filters", () => {
    it("filters by score and time, and rejects bad filter values with exit 2", async () => {
      const cwd = await tempDir("filters");
      await copyFile(starterConfig, join(cwd, "vigil.yaml"));
      await writeFile(
        join(cwd, "candidates.txt"),
        "washingtonpost.pm\nfox-news.in\nnytlmes.com\nfoxnewsclub.com\n", // the last scores about 0.7
      );
      const scan = await vigil(["scan", "domains", "candidates.txt", "--json"], { cwd });
      expect(scan.code).toBe(0);
      const all = json<Summary>(scan).topFindings;
      expect(all.length).toBe(4);
      const high = await findings(cwd, "--min-score", "0.9");
      expect(high.length).toBeGreaterThan(0);
      expect(high.length).toBeLessThan(all.length);
      expect(high.every((f) => f.score >= 0.9)).toBe(true);
      expect(high.map((f) => f.id).sort()).toEqual(
        all
          .filter((f) => f.score >= 0.9)
          .map((f) => f.id)
          .sort(),
      );
      expect(await findings(cwd, "--since", "2999-01-01")).toEqual([]);

      const kind = await vigil(["findings", "--kind", "nope"], { cwd });
      expect(kind.code).toBe(2);
      expect(kind.stderr).toContain("--kind");
      const score = await vigil(["findings", "--min-score", "2"], { cwd });
      expect(score.code).toBe(2);
      expect(score.stderr).toContain("--min-score");
    });
  });

  describe("PostgreSQL store", () => {
    const baseUrl = process.env.VIGIL_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
    const schema = `vigil_cli_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const url = `${baseUrl}${baseUrl.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    let connected = false;

    beforeAll(async () => {
      try {
        await admin.connect();
      } catch (err) {
        // Fail, never skip: a skipped engine would hide PostgreSQL regressions.
        throw new Error(
          `PostgreSQL is unreachable at ${baseUrl} (${(err as Error).message}); start it or set VIGIL_TEST_PG_URL`,
          { cause: err },
        );
      }
      connected = true;
      await admin.query(`create schema ${schema}`);
    });

    afterAll(async () => {
      if (!connected) return;
      await admin.query(`drop schema if exists ${schema} cascade`).catch(() => {});
      await admin.end().catch(() => {});
    });

    it("stores findings in PostgreSQL from VIGIL_DATABASE_URL, idempotently", async () => {
      const cwd = await tempDir("pg");
      const env = { VIGIL_DATABASE_URL: url };
      const scan = () =>
        vigil(["-c", imported.config, "scan", "domains", LOOKALIKES, "--json"], { cwd, env });
      const stored = async () =>
        Number(
          (await admin.query<{ n: string }>(`select count(*) as n from ${schema}.findings`)).rows[0]
            ?.n,
        );

      const first = await scan();
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const summary = json<Summary>(first);
      expect(summary.findings).toBeGreaterThan(50);
      expect(await stored()).toBe(summary.findingsAdded);
      expect(existsSync(join(cwd, "vigil.db"))).toBe(false);

      const listed = await vigil(["findings", "--json", "--limit", "100000"], { cwd, env });
      expect(listed.code).toBe(0);
      expect(json<StoredFinding[]>(listed)).toHaveLength(summary.findingsAdded);

      const again = json<Summary>(await scan());
      expect(again.findingsAdded).toBe(0);
      expect(again.observationsAdded).toBe(0);
      expect(await stored()).toBe(summary.findingsAdded);
    });
  });

  describe("domains permute", () => {
    it("lists lookalikes with their rules, and scanning them finds every one", async () => {
      const cwd = await tempDir("permute");
      await copyFile(starterConfig, join(cwd, "vigil.yaml"));
      const two = await vigil(
        ["domains", "permute", "washingtonpost.com", "--rules", "tld-swap", "--tlds", "pm,ltd"],
        { cwd },
      );
      expect(two.code).toBe(0);
      expect(two.stdout.trim().split("\n").sort()).toEqual([
        "washingtonpost.ltd",
        "washingtonpost.pm",
      ]);

      const all = await vigil(["domains", "permute", "foxnews.com"], { cwd });
      expect(all.code).toBe(0);
      const names = all.stdout.trim().split("\n");
      expect(names.length).toBeGreaterThan(500);
      const scan = await vigil(["scan", "domains", "-", "--json"], { cwd, input: all.stdout });
      expect(scan.code).toBe(0);
      expect(json<Summary>(scan).findings).toBe(names.length);

      const bad = await vigil(["domains", "permute", "foxnews.com", "--rules", "nope"], { cwd });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('unknown rule "nope"');
    });
  });

  describe("demo", () => {
    it("runs the bundled scenario, says where it stored it, and adds nothing the second time", async () => {
      const cwd = await tempDir("demo");
      const first = await vigil(["demo"], { cwd });
      expect(first.code).toBe(0);
      expect(first.stdout).toContain("washingtonpost.pm");
      expect(first.stdout).toContain("fox-news.in");
      expect(first.stdout).toContain("vigil-demo.db");
      expect(existsSync(join(cwd, "vigil-demo.db"))).toBe(true);
      expect(Number(/\((\d+) new\)/.exec(first.stdout)?.[1])).toBeGreaterThan(0);
      // The social export: the activist's impersonator, with the reasons that show it.
      expect(first.stdout).toMatch(/x:@TamsinArdeIl imitates Tamsin Ardell \(person\)/);
      for (const rule of ["handle-digit-letter", "avatar-hash", "bio-edited", "post-claim"])
        expect(first.stdout).toContain(rule);
      expect(first.stdout).not.toMatch(/x:@tamsinardell imitates/);
      expect(first.stdout).toContain("Impersonations of Tamsin Ardell");

      const second = await vigil(["demo"], { cwd });
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("(0 new)");
      expect(second.stdout).not.toMatch(/\([1-9]\d* new\)/);
    });

    it("finds the coordinated network and nothing else in the social export", async () => {
      const cwd = await tempDir("demo-json");
      const result = await vigil(["demo", "--json"], { cwd });
      expect(result.code).toBe(0);
      const { social } = json<{
        social: {
          problemCount: number;
          topFindings: Array<{ kind: string; subject: string }>;
          coordination: {
            communities: Array<{
              flagged: boolean;
              accounts: Array<{ handle?: string }>;
              domains: Array<{
                domain: string;
                flagged?: { kind: string; target?: string; finding: string };
              }>;
              reasons: Array<{ rule: string }>;
            }>;
            narratives: Array<{ coordinatedShare: number }>;
          };
        };
      }>(result);
      expect(social.problemCount).toBe(0);
      const flagged = social.coordination.communities.filter((c) => c.flagged);
      // The ten accounts made within days of each other, as one network, and no organic account.
      expect(flagged).toHaveLength(1);
      const handles = flagged.flatMap((c) => c.accounts.map((a) => a.handle)).sort();
      expect(handles).toEqual(
        [
          "buckeye_patriot_44",
          "columbus_watchman",
          "daytondadjoe",
          "heartland_hannah_",
          "lakeerie_linda",
          "mom_of_ohio_1776",
          "ohio_ballot_watch",
          "real_midwest_voice",
          "rustbelt_truth",
          "toledo_tom_says",
        ].sort(),
      );
      for (const c of flagged) {
        expect(c.reasons.map((r) => r.rule)).toEqual(
          expect.arrayContaining(["co-text", "co-url", "created-together"]),
        );
        expect(c.domains.map((d) => d.domain)).toContain("washingtonpost.pm");
        // The demo's domain scan ran first: the fake outlets the network pushes are linked
        // to their lookalike findings, and that weighs in the group's score.
        expect(c.reasons.map((r) => r.rule)).toContain("amplifies-flagged-sites");
        const wapo = c.domains.find((d) => d.domain === "washingtonpost.pm");
        expect(wapo?.flagged).toMatchObject({
          kind: "domain-lookalike",
          target: "The Washington Post",
        });
        expect(wapo?.flagged?.finding).toMatch(/^fnd_/);
      }
      expect(social.coordination.narratives.length).toBeGreaterThan(0);
      for (const n of social.coordination.narratives)
        expect(n.coordinatedShare).toBeGreaterThan(0.5);
      expect(
        social.topFindings.filter((f) => f.kind === "persona-impersonation").map((f) => f.subject),
      ).toEqual(["x:@TamsinArdeIl"]);
    });
  });
});
