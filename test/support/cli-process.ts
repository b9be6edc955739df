/**
 * The built `vigil` command spawned as a user runs it, for end-to-end tests that need
 * the process itself: to kill it, signal it, or read its store while it runs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
if (!existsSync(CLI)) {
  throw new Error(`${CLI} is missing: run "npm run build" first (npm test builds in pretest)`);
}

/** The test's environment without the variables that would point vigil at another store or config. */
export function cliEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.VIGIL_DATABASE_URL;
  delete env.VIGIL_CONFIG;
  return env;
}

/** Starts `vigil …args` in `cwd`, stdin closed, stdout and stderr piped. */
export function startCli(args: readonly string[], cwd: string): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: cliEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * How `child` ended, with all it wrote. Call before the child can write much, so no
 * output is missed. With `timeoutMs`, a child still running then is killed (SIGKILL), so
 * a hang fails the test instead of the suite.
 */
export function exited(child: ChildProcess, timeoutMs?: number): Promise<Exit> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on("data", (b: Buffer) => out.push(b));
  child.stderr?.on("data", (b: Buffer) => err.push(b));
  const timer =
    timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

/** The child's stdout as JSON, or an error that shows what it wrote instead. */
export function stdoutJson<T>(result: Exit): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`expected JSON on stdout, got:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/**
 * Runs `vigil …args` in `cwd` to its end, with `input` on stdin (closed at once when
 * none), and returns how it ended with all it wrote. A run still going after
 * `timeoutMs` is killed, so a hang fails the test instead of the suite.
 */
export function runCli(
  args: readonly string[],
  cwd: string,
  options: { input?: string; timeoutMs?: number } = {},
): Promise<Exit> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cliEnv() });
  const ended = exited(child, options.timeoutMs ?? 120_000);
  // The child may not read stdin at all; a closed pipe is not the test's failure.
  child.stdin.on("error", () => {});
  child.stdin.end(options.input ?? "");
  return ended;
}

/** Parses what a run printed as JSON, saying what it printed when it is not JSON. */
export function jsonOf<T>(run: { stdout: string; stderr: string }): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`expected JSON on stdout, got:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}
