import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import { SocialPlatformSchema } from "../../model/index.js";
import { type SocialInput, type SocialScanSummary, scanSocial } from "../../pipeline/index.js";
import {
  CSV_ACCOUNT_FIELDS,
  CSV_POST_FIELDS,
  type CsvColumnMap,
  parseColumnMap,
  SOCIAL_FORMATS,
  type SocialFormat,
} from "../../sources/index.js";
import { type CliContext, type GlobalOptions, resolveStoreOptions, withStore } from "../context.js";
import { parseCount } from "../options.js";
import { writeJson } from "../output.js";
import { ScanProgressBar } from "../progress.js";
import { printProblems, setScanExitCode } from "./scan.js";

interface ScanSocialFlags {
  format: string;
  map?: string[];
  platform?: string;
  json?: boolean;
  progress?: boolean;
  batchSize: string;
}

/** Registers `vigil scan social` under the `scan` command. */
export function registerScanSocial(scan: Command, ctx: CliContext): void {
  scan
    .command("social")
    .description("read accounts and posts from social platform exports and store them")
    .argument(
      "<inputs...>",
      "exports: vigil JSON lines, X API v2 JSON, Telegram Desktop result.json or CSV; - for standard input",
    )
    .option("--format <format>", `${["auto", ...SOCIAL_FORMATS].join(", ")}`, "auto")
    .option(
      "--map <field=column,...>",
      "CSV: the column of each field, e.g. text=message,created=timestamp (repeatable)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option(
      "--platform <name>",
      "CSV: the platform of rows without a platform column (x, telegram, …)",
    )
    .option("--json", "print the run summary as JSON")
    .option("--no-progress", "no progress bar (it is shown on a terminal only)")
    .option("--batch-size <n>", "observations per transaction", "500")
    .addHelpText(
      "after",
      `
Formats (told from the content unless --format is given):
  jsonl     vigil's own schema: one account or post a line (docs/social-schema.md)
  x-v2      X (Twitter) API v2 responses (data, includes.users, includes.tweets),
            one document or one response a line
  telegram  Telegram Desktop export, result.json of one chat or of all chats
  csv       a header row, one post a row; columns found by name (tweetid, userid,
            tweet_text, tweet_time, … as in the X information-operations archive)
            or given with --map. Fields of a post:
${wrap(CSV_POST_FIELDS.join(", "), 12)}
            and of its account:
${wrap(CSV_ACCOUNT_FIELDS.join(", "), 12)}

Every account and post is stored as an observation (x:account:<id>, x:post:<id>);
re-scanning the same export adds nothing. Bad records (not JSON, a field missing
or mistyped, over a limit) are reported with their file and line or record and
skipped; the rest is read. No detector looks at accounts and posts yet.

Exit codes: 0 done, 1 error, 2 usage, 3 done but some items were skipped.

Examples:
  vigil scan social result.json
  vigil scan social search-page-*.json tweets.jsonl --json
  vigil scan social export.csv --platform x --map text=message,created=timestamp
  vigil synth social --out synth/ && vigil scan social synth/accounts.jsonl synth/posts.jsonl
`,
    )
    .action(async (inputs: string[], opts: ScanSocialFlags, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions & ScanSocialFlags>();
      const format = parseFormat(opts.format);
      const columnMap = parseMapOption(opts.map ?? []);
      const platform = parsePlatform(opts.platform);
      const batchSize = parseCount(opts.batchSize, "--batch-size");
      if (inputs.filter((i) => i === "-").length > 1) {
        throw new VigilError("VIGIL_ERR_CLI_USAGE", "standard input (-) can be given once");
      }
      const sources: SocialInput[] = inputs.map((i) =>
        i === "-" ? { name: "stdin", stream: process.stdin } : i,
      );
      const bar = new ScanProgressBar(
        ctx.io,
        opts.progress !== false && ctx.io.stderr.isTTY === true,
        "items",
      );
      const summary = await withStore(resolveStoreOptions(global.db, ctx.env), async (store) => {
        try {
          return await scanSocial(sources, {
            store,
            now: ctx.now,
            batchSize,
            format,
            ...(columnMap === undefined ? {} : { columnMap }),
            ...(platform === undefined ? {} : { platform }),
            onProgress: (p) => bar.update(p),
          });
        } finally {
          bar.stop();
        }
      });
      printSocialSummary(ctx, summary, opts.json === true);
      setScanExitCode(ctx, summary);
    });
}

/** `text` broken into lines of at most 80 characters, each indented by `indent` spaces. */
function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent + line.length + 1 + word.length > 80) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.map((l) => " ".repeat(indent) + l).join("\n");
}

function parseFormat(text: string): SocialFormat | "auto" {
  if (text === "auto" || SOCIAL_FORMATS.includes(text as SocialFormat))
    return text as SocialFormat | "auto";
  throw new VigilError(
    "VIGIL_ERR_CLI_USAGE",
    `--format must be one of ${["auto", ...SOCIAL_FORMATS].join(", ")}, not "${text}"`,
  );
}

function parseMapOption(values: readonly string[]): CsvColumnMap | undefined {
  if (values.length === 0) return undefined;
  try {
    return parseColumnMap(values);
  } catch (err) {
    throw new VigilError("VIGIL_ERR_CLI_USAGE", `--map: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function parsePlatform(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const parsed = SocialPlatformSchema.safeParse(text);
  if (!parsed.success) {
    throw new VigilError(
      "VIGIL_ERR_CLI_USAGE",
      `--platform must be a platform name such as x or telegram, not "${text.slice(0, 40)}"`,
    );
  }
  return parsed.data;
}

/** Prints a social scan's counts on stdout and its skipped items on stderr. */
function printSocialSummary(ctx: CliContext, summary: SocialScanSummary, json: boolean): void {
  if (json) {
    writeJson(ctx.io, summary);
    return;
  }
  ctx.io.stdout.write(
    `${summary.read} items read: ${summary.accounts} accounts and ${summary.posts} posts ` +
      `(${summary.observationsAdded} new), ${summary.problemCount} items skipped. Run ${summary.runId}.\n`,
  );
  printProblems(ctx, summary);
}
