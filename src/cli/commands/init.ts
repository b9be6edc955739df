import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import type { WatchlistInput } from "../../model/index.js";
import { saveWatchlist } from "../../watchlist/index.js";
import { type CliContext, fileExists, type GlobalOptions } from "../context.js";

/** The starter watchlist: a few real outlets, and placeholders to replace. */
const STARTER: WatchlistInput = {
  version: 1,
  outlets: [
    {
      id: "washington-post",
      name: "The Washington Post",
      domains: ["washingtonpost.com"],
      handles: ["@washingtonpost"],
    },
    { id: "fox-news", name: "Fox News", domains: ["foxnews.com"], handles: ["@FoxNews"] },
    {
      id: "new-york-times",
      name: "The New York Times",
      domains: ["nytimes.com", "nyt.com"],
      handles: ["@nytimes"],
    },
  ],
  people: [
    {
      id: "example-staffer",
      name: "Alex Example",
      aliases: ["A. Example"],
      emails: ["alex@campaign.example"],
      role: "Replace with the people you protect",
    },
  ],
  organisations: [
    { id: "example-campaign", name: "Example Campaign", domains: ["campaign.example"] },
  ],
  settings: { domains: { threshold: 0.5, allow: [] } },
};

const HEADER = `# Vigil watchlist: what you protect. Docs: README.md, "Watchlist".
# outlets: news outlets whose domains and handles may be imitated.
# people / organisations: whom spear-phishing and impersonation target.
# settings.domains.threshold: lookalikes scoring below it are not reported (0..1);
#   an outlet may set its own "threshold". settings.domains.allow: never flagged.
# Add outlets in bulk: vigil watchlist import outlets.csv`;

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command("init")
    .description("write a starter watchlist (vigil.yaml) to edit")
    .option("--force", "overwrite an existing file")
    .addHelpText(
      "after",
      "\nExample:\n  vigil init && vigil watchlist import us-news-domains.csv\n",
    )
    .action(async (opts: { force?: boolean }) => {
      const global = program.opts<GlobalOptions>();
      const exists = await fileExists(global.config);
      if (exists && !opts.force) {
        throw new VigilError(
          "VIGIL_ERR_CLI_USAGE",
          `${global.config} exists; use --force to overwrite it`,
        );
      }
      await saveWatchlist(global.config, STARTER, HEADER);
      ctx.io.stdout.write(
        `wrote ${global.config}: 3 outlets, 1 person, 1 organisation to replace with yours\n`,
      );
    });
}
