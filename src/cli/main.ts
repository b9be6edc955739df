#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { toVigilError } from "../errors.js";
import { registerAnalyzeSites } from "./commands/analyze-sites.js";
import { registerAnalyze } from "./commands/analyze-social.js";
import { registerDemo } from "./commands/demo.js";
import { registerDomains } from "./commands/domains.js";
import { registerEvidence } from "./commands/evidence.js";
import { registerFindings } from "./commands/findings.js";
import { registerInit } from "./commands/init.js";
import { registerNotify } from "./commands/notify.js";
import { registerRuns } from "./commands/runs.js";
import { registerScan } from "./commands/scan.js";
import { registerScanEmail } from "./commands/scan-email.js";
import { registerScanSite } from "./commands/scan-site.js";
import { registerScanSocial } from "./commands/scan-social.js";
import { registerSynth } from "./commands/synth.js";
import { registerTakedown } from "./commands/takedown.js";
import { registerWatch } from "./commands/watch.js";
import { registerWatchImap } from "./commands/watch-imap.js";
import { registerWatchlist } from "./commands/watchlist.js";
import type { CliContext } from "./context.js";

export const VERSION = "0.1.0";

/** Exit codes: 0 done, 1 error, 2 usage error, 3 done with items skipped (scan, watch). */
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

/** Builds the `vigil` command. Exported so tests and embedders can run it in-process. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command("vigil")
    .description(
      "Find foreign influence operations against elections early, and explain every finding.",
    )
    .version(VERSION)
    .option("-c, --config <file>", "watchlist file", ctx.env.VIGIL_CONFIG ?? "vigil.yaml")
    .option(
      "--db <file-or-url>",
      "store: a SQLite file, or a postgres:// URL (default: $VIGIL_DATABASE_URL, else vigil.db)",
    )
    .option("--verbose", "print the stack of an error")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Environment:
  VIGIL_DATABASE_URL  postgres://user@host:5432/db to use PostgreSQL instead of SQLite
  VIGIL_CONFIG        watchlist file instead of ./vigil.yaml

Examples:
  vigil demo
  vigil init && vigil watchlist import us-news-domains.csv
  vigil scan domains candidates.txt
  vigil scan social result.json tweets.jsonl
  vigil scan email inbox.mbox --trust-authserv mx.campaign.example
  vigil synth social --accounts 5000 --posts 100000 --seed 7 --out synth/
  vigil scan site https://news-outlet.example/ && vigil evidence verify
  vigil watch ct --log-list log_list.json
  vigil watch imap --host imap.campaign.example --quarantine Phishing
  vigil notify list
  vigil domains permute washingtonpost.com > watch.txt
  vigil findings --min-score 0.8 --json
`,
    );
  program.configureOutput({
    writeOut: (s) => ctx.io.stdout.write(s),
    writeErr: (s) => ctx.io.stderr.write(s),
  });
  program.exitOverride();
  registerInit(program, ctx);
  registerWatchlist(program, ctx);
  const scan = registerScan(program, ctx);
  registerScanSocial(scan, ctx);
  registerScanEmail(scan, ctx);
  registerScanSite(scan, ctx);
  registerWatch(program, ctx);
  const watch = program.commands.find((c) => c.name() === "watch");
  if (watch !== undefined) registerWatchImap(watch, ctx);
  registerDomains(program, ctx);
  registerSynth(program, ctx);
  registerAnalyze(program, ctx);
  registerAnalyzeSites(program, ctx);
  registerFindings(program, ctx);
  registerRuns(program, ctx);
  registerEvidence(program, ctx);
  registerTakedown(program, ctx);
  registerNotify(program, ctx);
  registerDemo(program, ctx);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exitCode ?? 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === "commander.helpDisplayed" ||
        err.code === "commander.version" ||
        err.code === "commander.help"
      )
        return 0;
      return EXIT_USAGE;
    }
    const error = toVigilError(err);
    ctx.io.stderr.write(`vigil: ${error.message} [${error.code}]\n`);
    if (program.opts().verbose && error.stack) ctx.io.stderr.write(`${error.stack}\n`);
    return error.code === "VIGIL_ERR_CLI_USAGE" ? EXIT_USAGE : EXIT_ERROR;
  }
}

const invokedDirectly = (() => {
  try {
    return (
      process.argv[1] !== undefined &&
      realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)
    );
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  // `vigil findings --json | head`: a reader that stops early is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const code = await runCli(process.argv.slice(2), {
    io: { stdout: process.stdout, stderr: process.stderr },
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
  });
  process.exitCode = code;
}
