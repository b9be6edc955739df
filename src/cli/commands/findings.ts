import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import { type FindingKind, FindingKindSchema } from "../../model/index.js";
import type { FindingFilter } from "../../store/index.js";
import { type CliContext, type GlobalOptions, resolveStoreOptions, withStore } from "../context.js";
import { parseCount, parseScore } from "../options.js";
import { findingsTable, writeJson } from "../output.js";

interface FindingsOptions {
  kind?: string;
  since?: string;
  minScore?: string;
  target?: string;
  limit: string;
  json?: boolean;
}

export function registerFindings(program: Command, ctx: CliContext): void {
  program
    .command("findings")
    .description("list stored findings, best first")
    .option("--kind <kind>", `only this kind (${FindingKindSchema.options.join(", ")})`)
    .option(
      "--since <time>",
      "only findings observed at or after this ISO date or time (2024-08-01, 2024-08-01T12:00Z)",
    )
    .option("--min-score <score>", "only findings scoring at least this (0..1)")
    .option("--target <id>", "only findings about this watchlist id (e.g. washington-post)")
    .option("--limit <n>", "at most this many", "100")
    .option("--json", "print the findings as JSON, with reasons, evidence and techniques")
    .addHelpText(
      "after",
      `
Examples:
  vigil findings --min-score 0.8
  vigil findings --kind domain-lookalike --since 2024-08-01 --json
`,
    )
    .action(async (opts: FindingsOptions) => {
      const global = program.opts<GlobalOptions>();
      const filter: FindingFilter = { limit: parseCount(opts.limit, "--limit") };
      if (opts.kind !== undefined) {
        const kind = FindingKindSchema.safeParse(opts.kind);
        if (!kind.success) {
          throw new VigilError(
            "VIGIL_ERR_CLI_USAGE",
            `--kind must be one of ${FindingKindSchema.options.join(", ")}, not "${opts.kind}"`,
          );
        }
        filter.kind = kind.data as FindingKind;
      }
      if (opts.since !== undefined) {
        const t = Date.parse(opts.since);
        if (Number.isNaN(t))
          throw new VigilError(
            "VIGIL_ERR_CLI_USAGE",
            `--since must be an ISO date or time, not "${opts.since}"`,
          );
        filter.since = new Date(t).toISOString();
      }
      if (opts.minScore !== undefined) filter.minScore = parseScore(opts.minScore, "--min-score");
      if (opts.target !== undefined) filter.targetId = opts.target;
      const findings = await withStore(resolveStoreOptions(global.db, ctx.env), (store) =>
        store.listFindings(filter),
      );
      if (opts.json) {
        writeJson(ctx.io, findings);
        return;
      }
      if (findings.length === 0) {
        ctx.io.stdout.write("no findings match\n");
        return;
      }
      ctx.io.stdout.write(
        `${findingsTable(findings, ctx.io.stdout.columns)}\n${findings.length} findings\n`,
      );
    });
}
