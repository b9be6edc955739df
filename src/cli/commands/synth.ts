import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import {
  MAX_SYNTH_ACCOUNTS,
  MAX_SYNTH_CAMPAIGNS,
  MAX_SYNTH_DAYS,
  MAX_SYNTH_IMPERSONATORS,
  MAX_SYNTH_POSTS,
  type SynthPerson,
  synthSocial,
} from "../../synth/index.js";
import { loadWatchlist } from "../../watchlist/index.js";
import type { CliContext } from "../context.js";
import { parseInteger } from "../options.js";
import { writeJson } from "../output.js";
import { SynthProgressBar } from "../progress.js";

interface SynthSocialFlags {
  out: string;
  accounts: string;
  posts: string;
  campaigns: string;
  impersonators?: string;
  seed: string;
  days: string;
  start: string;
  watchlist?: string;
  force?: boolean;
  json?: boolean;
  progress?: boolean;
}

/** Registers `vigil synth`: generators of synthetic data for tests and benchmarks. */
export function registerSynth(program: Command, ctx: CliContext): void {
  const synth = program
    .command("synth")
    .description("generate synthetic data with known ground truth, for tests and benchmarks");
  synth
    .command("social")
    .description(
      "write synthetic accounts and posts with planted campaigns and impersonators, and the truth",
    )
    .requiredOption("--out <dir>", "directory for accounts.jsonl, posts.jsonl and truth.json")
    .option("--accounts <n>", "accounts in all", "5000")
    .option("--posts <n>", "posts in all", "100000")
    .option("--campaigns <n>", "planted coordinated campaigns", "5")
    .option(
      "--impersonators <n>",
      "accounts impersonating people (default: one per person, at most 6)",
    )
    .option("--seed <n>", "seed of the generator: the same seed gives the same files", "1")
    .option("--days <n>", "days the posts span", "14")
    .option("--start <time>", "first instant of the posts (ISO 8601)", "2024-10-01T00:00:00Z")
    .option(
      "--watchlist <file>",
      "a vigil.yaml whose people are impersonated (default: eight fictional people)",
    )
    .option("--force", "replace the files if they exist")
    .option("--json", "print what was written as JSON")
    .option("--no-progress", "no progress bar (it is shown on a terminal only)")
    .addHelpText(
      "after",
      `
The data is in vigil's JSON lines (docs/social-schema.md), platform "x", posts in
time order. Organic background: heavy-tailed activity, a daily rhythm, reposts of
popular posts, replies, shared links to news outlets, trending hashtags and viral
posts. Planted: campaigns (accounts created within days of each other posting
paraphrases of a few texts in English, Russian, Persian or Chinese in staggered
waves, pushing the same links and hashtags, reposting each other) and accounts
impersonating people (handle tricks, copied name, bio and picture). truth.json
lists the campaigns and their accounts, the impersonators and whom they imitate,
and the organic crowds of trending hashtags and viral posts.

Examples:
  vigil synth social --out synth/
  vigil synth social --accounts 50000 --posts 1000000 --campaigns 10 --seed 7 --out big/
  vigil synth social --watchlist vigil.yaml --impersonators 12 --out synth/ --force
  vigil scan social synth/accounts.jsonl synth/posts.jsonl
`,
    )
    .action(async (opts: SynthSocialFlags) => {
      const people =
        opts.watchlist === undefined ? undefined : await watchlistPeople(opts.watchlist);
      const bar = new SynthProgressBar(
        ctx.io,
        opts.progress !== false && ctx.io.stderr.isTTY === true,
      );
      let result: Awaited<ReturnType<typeof synthSocial>>;
      try {
        result = await synthSocial({
          outDir: opts.out,
          accounts: parseInteger(opts.accounts, "--accounts", 1, MAX_SYNTH_ACCOUNTS),
          posts: parseInteger(opts.posts, "--posts", 1, MAX_SYNTH_POSTS),
          campaigns: parseInteger(opts.campaigns, "--campaigns", 0, MAX_SYNTH_CAMPAIGNS),
          ...(opts.impersonators === undefined
            ? {}
            : {
                impersonators: parseInteger(
                  opts.impersonators,
                  "--impersonators",
                  0,
                  MAX_SYNTH_IMPERSONATORS,
                ),
              }),
          seed: parseInteger(opts.seed, "--seed", 0, 2 ** 32 - 1),
          days: parseInteger(opts.days, "--days", 1, MAX_SYNTH_DAYS),
          start: parseStart(opts.start),
          ...(people === undefined ? {} : { people }),
          force: opts.force === true,
          onProgress: (p) => bar.update(p),
        });
      } finally {
        bar.stop();
      }
      if (opts.json) {
        writeJson(ctx.io, result);
        return;
      }
      const c = result.counts;
      ctx.io.stdout.write(
        `Wrote ${c.accounts} accounts and ${c.posts} posts: ${c.campaignAccounts} accounts in campaigns ` +
          `(${c.campaignPosts} posts), ${c.impersonatorAccounts} impersonators, ${c.organicAccounts} organic accounts.\n` +
          `  ${result.files.accounts}\n  ${result.files.posts}\n  ${result.files.truth}\n`,
      );
    });
}

function parseStart(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new VigilError("VIGIL_ERR_CLI_USAGE", `--start must be an ISO 8601 time, not "${text}"`);
  }
  return new Date(Date.parse(text)).toISOString();
}

/** The people of a watchlist, with their first handle and a bio made of their role. */
async function watchlistPeople(path: string): Promise<SynthPerson[]> {
  const watchlist = await loadWatchlist(path);
  if (watchlist.people.length === 0) {
    throw new VigilError("VIGIL_ERR_CLI_USAGE", `${path} lists no people to impersonate`);
  }
  return watchlist.people.map((p) => {
    const bio = [p.role, p.organisation].filter((s) => s !== undefined && s !== "").join(", ");
    return {
      name: p.name,
      ...(p.handles[0] === undefined ? {} : { handle: p.handles[0] }),
      ...(bio === "" ? {} : { bio: `${bio}.` }),
    };
  });
}
