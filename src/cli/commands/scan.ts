import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import { type DomainInput, type RunSummary, scanDomains } from "../../pipeline/index.js";
import {
  type CliContext,
  type GlobalOptions,
  loadConfig,
  resolveStoreOptions,
  withStore,
} from "../context.js";
import { parseCount, parseScore } from "../options.js";
import { findingsTable, writeJson } from "../output.js";
import { ScanProgressBar } from "../progress.js";

/** Findings printed in the table; the rest are in the store (`vigil findings`). */
const MAX_ROWS = 50;
/** Problems printed; all are stored with the run. */
const MAX_PROBLEMS_SHOWN = 20;

/** Exit code when the scan finished but some items could not be read or checked. */
export const EXIT_ITEM_PROBLEMS = 3;

interface ScanOptions {
  json?: boolean;
  progress?: boolean;
  threshold?: string;
  batchSize?: string;
}

/** Registers `vigil scan domains`; returns the `scan` command for the other inputs' scans. */
export function registerScan(program: Command, ctx: CliContext): Command {
  const scan = program
    .command("scan")
    .description("check inputs against the watchlist and store what is found");
  scan
    .command("domains")
    .description("find lookalikes of protected outlets' domains in lists of domain names")
    .argument(
      "<inputs...>",
      "files with one domain a line (# comments allowed), or CSV with a domain column; - for standard input",
    )
    .option("--json", "print the run summary and findings as JSON")
    .option("--no-progress", "no progress bar (it is shown on a terminal only)")
    .option(
      "--threshold <score>",
      "report lookalikes scoring at least this (0..1); default from vigil.yaml (0.5)",
    )
    .option("--batch-size <n>", "observations per transaction", "500")
    .addHelpText(
      "after",
      `
Each finding names the outlet imitated, the rules that fired with their weights,
and the techniques (DISARM T0149.003 Lookalike Domain, ATT&CK T1583.001).
Bad lines (too long, not UTF-8, not a domain) are reported with their line number
and skipped; the rest is scanned. Re-scanning the same names adds nothing.

Exit codes: 0 done, 1 error, 2 usage, 3 done but some items were skipped.

Examples:
  vigil scan domains new-registrations.txt
  vigil scan domains lookalikes.csv --json > result.json
  zcat feed.txt.gz | vigil scan domains -
`,
    )
    .action(async (inputs: string[], opts: ScanOptions) => {
      const global = program.opts<GlobalOptions>();
      const watchlist = await loadConfig(global);
      if (opts.threshold !== undefined) {
        watchlist.settings.domains.threshold = parseScore(opts.threshold, "--threshold");
      }
      const batchSize = parseCount(opts.batchSize ?? "500", "--batch-size");
      if (inputs.filter((i) => i === "-").length > 1) {
        throw new VigilError("VIGIL_ERR_CLI_USAGE", "standard input (-) can be given once");
      }
      const sources: DomainInput[] = inputs.map((i) =>
        i === "-" ? { name: "stdin", stream: process.stdin } : i,
      );
      const bar = new ScanProgressBar(
        ctx.io,
        opts.progress !== false && ctx.io.stderr.isTTY === true,
      );
      const summary = await withStore(resolveStoreOptions(global.db, ctx.env), async (store) => {
        try {
          return await scanDomains(sources, {
            store,
            watchlist,
            now: ctx.now,
            batchSize,
            onProgress: (p) => bar.update(p),
          });
        } finally {
          bar.stop();
        }
      });
      printSummary(ctx, summary, opts.json === true);
      setScanExitCode(ctx, summary);
    });
  return scan;
}

/** A failed run exits 1; a finished run that skipped items exits `EXIT_ITEM_PROBLEMS`. */
export function setScanExitCode(ctx: CliContext, summary: RunSummary): void {
  if (summary.status === "failed") ctx.exitCode = 1;
  else if (summary.problemCount > 0) ctx.exitCode = EXIT_ITEM_PROBLEMS;
}

/** Prints a run's outcome: findings table and counts on stdout, problems on stderr. */
export function printSummary(ctx: CliContext, summary: RunSummary, json: boolean): void {
  if (json) {
    writeJson(ctx.io, summary);
    return;
  }
  const { io } = ctx;
  if (summary.topFindings.length > 0) {
    io.stdout.write(
      `${findingsTable(summary.topFindings.slice(0, MAX_ROWS), io.stdout.columns)}\n`,
    );
    if (summary.topFindings.length > MAX_ROWS)
      io.stdout.write(`… ${summary.findings - MAX_ROWS} more: vigil findings\n`);
    io.stdout.write("\n");
  }
  io.stdout.write(
    `${summary.read} items read, ${summary.observations} distinct names, ${summary.findings} lookalikes found ` +
      `(${summary.findingsAdded} new), ${summary.problemCount} items skipped. Run ${summary.runId}.\n`,
  );
  printProblems(ctx, summary);
}

/** Prints the first skipped items of a run on stderr, and how many more there are. */
export function printProblems(ctx: CliContext, summary: RunSummary): void {
  const { io } = ctx;
  for (const p of summary.problems.slice(0, MAX_PROBLEMS_SHOWN))
    io.stderr.write(`skipped ${p.item}: ${p.message} [${p.code}]\n`);
  if (summary.problemCount > MAX_PROBLEMS_SHOWN)
    io.stderr.write(`… and ${summary.problemCount - MAX_PROBLEMS_SHOWN} more skipped items\n`);
}
