import type { Command } from "commander";
import { analyzeSocial } from "../../pipeline/index.js";
import {
  type CliContext,
  fileExists,
  type GlobalOptions,
  loadConfig,
  resolveStoreOptions,
  withStore,
} from "../context.js";
import { parseCount, parseSince } from "../options.js";
import { setScanExitCode } from "./scan.js";
import { printSocialSummary, StageLine } from "./scan-social.js";

interface AnalyzeSocialFlags {
  since?: string;
  seed: string;
  json?: boolean;
  progress?: boolean;
}

/** Registers `vigil analyze` and its `social` command. */
export function registerAnalyze(program: Command, ctx: CliContext): void {
  const analyze = program
    .command("analyze")
    .description("analyse what is already stored, across every scan so far");
  analyze
    .command("social")
    .description(
      "find coordinated accounts, narratives and impersonators across all stored accounts and posts",
    )
    .option("--since <time>", "only accounts and posts observed at or after this ISO 8601 instant")
    .option("--seed <n>", "seed of the analysis's null model and communities", "1")
    .option("--json", "print the run summary as JSON")
    .option("--no-progress", "no progress lines (they are shown on a terminal only)")
    .addHelpText(
      "after",
      `
Each \`vigil scan social\` analyses the exports it reads, alone. A network spread over
several exports, or over weeks of collection, shows when they are analysed together:
this reads every stored account and post (or those observed since --since) and runs
the same analysis as one run, storing its findings and cases. With a vigil.yaml,
impersonators of its people, outlets and organisations are judged too (pictures by
path only: the exports' folders are not known here).

Examples:
  vigil scan social week1.json && vigil scan social week2.json && vigil analyze social
  vigil analyze social --since 2024-08-01T00:00:00Z --json
`,
    )
    .action(async (opts: AnalyzeSocialFlags, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions & AnalyzeSocialFlags>();
      const seed = parseCount(opts.seed, "--seed");
      const since = parseSince(opts.since);
      const watchlist = (await fileExists(global.config)) ? await loadConfig(global) : undefined;
      const divisiveIssues = watchlist?.settings.social.divisiveIssues;
      const live = opts.progress !== false && ctx.io.stderr.isTTY === true;
      const stages = new StageLine(ctx, live);
      const summary = await withStore(resolveStoreOptions(global.db, ctx.env), async (store) => {
        const total = live ? (await store.counts()).observations : 0;
        try {
          return await analyzeSocial({
            store,
            now: ctx.now,
            seed,
            ...(since === undefined ? {} : { since }),
            ...(watchlist === undefined ? {} : { watchlist }),
            ...(divisiveIssues === undefined ? {} : { divisiveIssues }),
            onProgress: (p) =>
              stages.update({ stage: "reading stored records", done: p.accounts + p.posts, total }),
            onAnalysisProgress: (p) => stages.update(p),
          });
        } finally {
          stages.stop();
        }
      });
      printSocialSummary(ctx, summary, opts.json === true);
      setScanExitCode(ctx, summary);
    });
}
