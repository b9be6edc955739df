/**
 * What every benchmark's main does first: find the repository, and re-run itself pinned
 * to one CPU so that "one core" holds for vigil, V8's helper threads and the peers alike;
 * and what it does last: write its results.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the nearest package.json named vigil above the calling file. */
export function repoRoot(from: string): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string };
      if (pkg.name === "vigil") return dir;
    } catch {
      // no package.json here: go up
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find the vigil repository above bench/");
    dir = up;
  }
}

/**
 * Re-runs this program under `taskset` on the last CPU and exits with its status; returns
 * (and runs unpinned) when already pinned or when taskset is not available, after saying
 * so through `log`.
 */
export function rerunPinned(log: (message: string) => void): void {
  if (process.env.VIGIL_BENCH_CPU !== undefined) return;
  const cpu = String(Math.max(0, cpus().length - 1));
  if (spawnSync("taskset", ["-c", cpu, "true"]).status !== 0) {
    log("taskset is not available: running unpinned");
    return;
  }
  const child = spawnSync(
    "taskset",
    ["-c", cpu, process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: "inherit", env: { ...process.env, VIGIL_BENCH_CPU: cpu } },
  );
  process.exit(child.status ?? 1);
}

/**
 * Writes a run's results as `bench/results/<prefix>-<day>.json` and
 * `<prefix>-latest.json` (day from the ISO `date`), each through a temporary file renamed
 * into place, so a reader never sees half a result. Returns the paths written.
 */
export function writeResults(root: string, prefix: string, date: string, text: string): string[] {
  const dir = join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  return [`${prefix}-${date.slice(0, 10)}.json`, `${prefix}-latest.json`].map((name) => {
    const tmp = join(dir, `${name}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, join(dir, name));
    return join(dir, name);
  });
}
