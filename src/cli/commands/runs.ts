import type { Command } from "commander";
import { type CliContext, type GlobalOptions, resolveStoreOptions, withStore } from "../context.js";
import { parseCount } from "../options.js";
import { formatTable, writeJson } from "../output.js";

export function registerRuns(program: Command, ctx: CliContext): void {
  program
    .command("runs")
    .description("list past runs (scans, demos), newest first, with their counts")
    .option("--limit <n>", "at most this many", "20")
    .option("--json", "print as JSON")
    .addHelpText("after", "\nExamples:\n  vigil runs\n  vigil problems <run-id>\n")
    .action(async (opts: { limit: string; json?: boolean }) => {
      const global = program.opts<GlobalOptions>();
      const runs = await withStore(resolveStoreOptions(global.db, ctx.env), (store) =>
        store.listRuns(parseCount(opts.limit, "--limit")),
      );
      if (opts.json) {
        writeJson(ctx.io, runs);
        return;
      }
      const rows = runs.map((r) => [
        r.id,
        r.command,
        r.startedAt,
        r.status,
        String(r.stats.read ?? ""),
        String(r.stats.findings ?? ""),
        String(r.stats.findingsAdded ?? ""),
        String(r.stats.problems ?? ""),
      ]);
      ctx.io.stdout.write(
        `${formatTable(["RUN", "COMMAND", "STARTED", "STATUS", "READ", "FINDINGS", "NEW", "SKIPPED"], rows, ctx.io.stdout.columns)}\n`,
      );
    });

  program
    .command("problems")
    .description("list the items a run skipped, and why (all runs when no id is given)")
    .argument("[run-id]", "a run id from `vigil runs` or a scan's summary")
    .option("--limit <n>", "at most this many", "1000")
    .option("--json", "print as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  vigil problems run_0193…\n  vigil problems --json | jq 'length'\n",
    )
    .action(async (runId: string | undefined, opts: { limit: string; json?: boolean }) => {
      const global = program.opts<GlobalOptions>();
      const limit = parseCount(opts.limit, "--limit");
      const problems = (
        await withStore(resolveStoreOptions(global.db, ctx.env), (store) =>
          store.listProblems(runId),
        )
      ).slice(0, limit);
      if (opts.json) {
        writeJson(ctx.io, problems);
        return;
      }
      if (problems.length === 0) {
        ctx.io.stdout.write("no problems recorded\n");
        return;
      }
      const rows = problems.map((p) => [p.runId, p.item, p.code, p.message]);
      ctx.io.stdout.write(
        `${formatTable(["RUN", "ITEM", "CODE", "MESSAGE"], rows, ctx.io.stdout.columns)}\n`,
      );
    });
}
