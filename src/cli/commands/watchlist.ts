import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import { type Watchlist, WatchlistSchema } from "../../model/index.js";
import {
  loadWatchlist,
  mergeOutlets,
  parseOutletsCsv,
  readFileLimited,
  saveWatchlist,
} from "../../watchlist/index.js";
import { type CliContext, fileExists, type GlobalOptions } from "../context.js";
import { formatTable, writeJson } from "../output.js";

/** Largest CSV accepted by `watchlist import`. */
const MAX_CSV_BYTES = 100 * 1024 * 1024;
/** Row problems printed before "… and N more". */
const MAX_PROBLEMS_SHOWN = 20;

export function registerWatchlist(program: Command, ctx: CliContext): void {
  const watchlist = program
    .command("watchlist")
    .description("show or extend the watchlist of protected outlets, people and organisations");

  watchlist
    .command("import")
    .description("add outlets from CSV files to the watchlist (columns recognised by header)")
    .argument(
      "<files...>",
      "CSV files with a header row: a domain column (domain, domains, url, …; several domains split by ;), optionally name, country, handles",
    )
    .option("--strict", "fail without writing anything if any row is bad")
    .option("--dry-run", "report what would be imported, write nothing")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Outlets sharing a domain with one already listed are merged into it. Rows that
cannot be used are reported with their line and field, and skipped.

Examples:
  vigil watchlist import us-news-domains.csv international-outlets.csv
  vigil watchlist import --dry-run --json outlets.csv
`,
    )
    .action(
      async (files: string[], opts: { strict?: boolean; dryRun?: boolean; json?: boolean }) => {
        const global = program.opts<GlobalOptions>();
        const exists = await fileExists(global.config);
        const current: Watchlist = exists
          ? await loadWatchlist(global.config)
          : WatchlistSchema.parse({});
        const report: Array<{
          file: string;
          rows: number;
          added: number;
          merged: number;
          problems: Array<{ line: number; field: string; message: string }>;
        }> = [];
        for (const file of files) {
          const bytes = await readFileLimited(file, MAX_CSV_BYTES, "VIGIL_ERR_WATCHLIST_CSV");
          const parsed = parseOutletsCsv(bytes, file);
          if (opts.strict && parsed.problems.length > 0) {
            const p = parsed.problems[0];
            throw new VigilError(
              "VIGIL_ERR_WATCHLIST_CSV",
              `${file} line ${p?.line}, field ${p?.field}: ${p?.message} (${parsed.problems.length} bad rows; --strict writes nothing)`,
            );
          }
          const { added, merged } = mergeOutlets(current, parsed.outlets);
          report.push({
            file,
            rows: parsed.outlets.length + parsed.problems.length,
            added,
            merged,
            problems: parsed.problems,
          });
        }
        if (!opts.dryRun) await saveWatchlist(global.config, current);
        if (opts.json) {
          writeJson(ctx.io, {
            config: global.config,
            written: !opts.dryRun,
            outlets: current.outlets.length,
            files: report,
          });
          return;
        }
        for (const r of report) {
          ctx.io.stdout.write(
            `${r.file}: ${r.added} outlets added, ${r.merged} merged, ${r.problems.length} rows skipped\n`,
          );
          for (const p of r.problems.slice(0, MAX_PROBLEMS_SHOWN)) {
            ctx.io.stderr.write(`  ${r.file} line ${p.line}, field ${p.field}: ${p.message}\n`);
          }
          if (r.problems.length > MAX_PROBLEMS_SHOWN)
            ctx.io.stderr.write(`  … and ${r.problems.length - MAX_PROBLEMS_SHOWN} more\n`);
        }
        ctx.io.stdout.write(
          `${opts.dryRun ? "would write" : "wrote"} ${global.config}: ${current.outlets.length} outlets, ${current.people.length} people, ${current.organisations.length} organisations\n`,
        );
      },
    );

  watchlist
    .command("list")
    .description("list what the watchlist protects")
    .option("--kind <kind>", "only outlets, people or organisations")
    .option("--json", "print as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  vigil watchlist list --kind outlets\n  vigil watchlist list --json | jq '.outlets | length'\n",
    )
    .action(async (opts: { kind?: string; json?: boolean }) => {
      const global = program.opts<GlobalOptions>();
      const kinds = ["outlets", "people", "organisations"] as const;
      if (opts.kind !== undefined && !kinds.includes(opts.kind as (typeof kinds)[number])) {
        throw new VigilError(
          "VIGIL_ERR_CLI_USAGE",
          `--kind must be one of ${kinds.join(", ")}, not "${opts.kind}"`,
        );
      }
      const wl = await loadWatchlist(global.config);
      const shown = opts.kind ? [opts.kind as (typeof kinds)[number]] : kinds;
      if (opts.json) {
        writeJson(ctx.io, Object.fromEntries(shown.map((k) => [k, wl[k]])));
        return;
      }
      const width = ctx.io.stdout.columns;
      const list = (items: string[]) =>
        items.length > 3
          ? `${items.slice(0, 3).join(", ")} (+${items.length - 3})`
          : items.join(", ");
      for (const kind of shown) {
        const rows =
          kind === "outlets"
            ? wl.outlets.map((o) => [o.id ?? "", o.name, list(o.domains), list(o.handles)])
            : kind === "people"
              ? wl.people.map((p) => [
                  p.id ?? "",
                  p.name,
                  list(p.emails),
                  list([...p.aliases, ...p.handles]),
                ])
              : wl.organisations.map((o) => [o.id ?? "", o.name, list(o.domains), list(o.handles)]);
        const headers =
          kind === "people"
            ? ["ID", "NAME", "E-MAIL", "ALIASES / HANDLES"]
            : ["ID", "NAME", "DOMAINS", "HANDLES"];
        ctx.io.stdout.write(`${kind} (${rows.length})\n${formatTable(headers, rows, width)}\n\n`);
      }
    });
}
