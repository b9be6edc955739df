import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { scanDomains } from "../../pipeline/index.js";
import { loadWatchlist } from "../../watchlist/index.js";
import { type CliContext, type GlobalOptions, resolveStoreOptions, withStore } from "../context.js";
import { writeJson } from "../output.js";
import { ScanProgressBar } from "../progress.js";
import { printSummary } from "./scan.js";

/** The bundled scenario, found relative to this file in src/ and in dist/ alike. */
export const DEMO_DIR = fileURLToPath(new URL("../../../data/demo/", import.meta.url));

export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command("demo")
    .description("run the whole pipeline on the bundled August 2024 scenario (data/demo)")
    .option("--json", "print the run summary, findings and cases as JSON")
    .addHelpText(
      "after",
      `
The demo uses its own watchlist (data/demo/vigil.yaml) and stores its results in
vigil-demo.db in the working directory, or where --db or VIGIL_DATABASE_URL says.
Running it again adds nothing: every id is derived from content.

Examples:
  vigil demo
  vigil demo --db /tmp/demo.db --json
`,
    )
    .action(async (opts: { json?: boolean }) => {
      const global = program.opts<GlobalOptions>();
      const watchlist = await loadWatchlist(`${DEMO_DIR}vigil.yaml`);
      const files = (await readdir(`${DEMO_DIR}domains`))
        .filter((f) => f.endsWith(".txt"))
        .sort()
        .map((f) => `${DEMO_DIR}domains/${f}`);
      const storeOptions = resolveStoreOptions(global.db, ctx.env, "vigil-demo.db");
      const bar = new ScanProgressBar(ctx.io, ctx.io.stderr.isTTY === true);
      const { summary, cases, location } = await withStore(storeOptions, async (store) => {
        const summary = await scanDomains(files, {
          store,
          watchlist,
          now: ctx.now,
          onProgress: (p) => bar.update(p),
        });
        bar.stop();
        return {
          summary,
          cases: await store.listCases(),
          location: `${store.location} (${store.engine})`,
        };
      });
      if (opts.json) {
        writeJson(ctx.io, { store: location, summary, cases });
        return;
      }
      const { stdout } = ctx.io;
      stdout.write(
        `Vigil demo: one day of candidate domains (${files.length} file) checked against ${watchlist.outlets.length} protected US outlets.\n\n`,
      );
      printSummary(ctx, summary, false);
      stdout.write(`\nCases (lookalikes grouped by the outlet they imitate):\n`);
      for (const c of cases)
        stdout.write(`  ${String(c.findingIds.length).padStart(3)}  ${c.title}\n`);
      stdout.write(
        `\nStored in ${location}.\n` +
          // Never echo a database URL: it may carry a password.
          `Every finding says why: vigil findings${storeOptions.path ? ` --db ${storeOptions.path}` : ""} --json\n`,
      );
    });
}
