import { dirname } from "node:path";
import type { Command } from "commander";
import type { CoordinationResult } from "../../detect/index.js";
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
import {
  type CliContext,
  fileExists,
  type GlobalOptions,
  loadConfig,
  resolveStoreOptions,
  withStore,
} from "../context.js";
import { collect, parseCount } from "../options.js";
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
  coordination?: boolean;
  seed: string;
}

/** Registers `vigil scan social` under the `scan` command. */
export function registerScanSocial(scan: Command, ctx: CliContext): void {
  scan
    .command("social")
    .description(
      "read accounts and posts from social exports; find impersonators and coordinated accounts",
    )
    .argument(
      "<inputs...>",
      "exports: vigil JSON lines, X API v2 JSON, Telegram Desktop result.json or CSV; - for standard input",
    )
    .option("--format <format>", `${["auto", ...SOCIAL_FORMATS].join(", ")}`, "auto")
    .option(
      "--map <field=column,...>",
      "CSV: the column of each field, e.g. text=message,created=timestamp (repeatable)",
      collect,
    )
    .option(
      "--platform <name>",
      "CSV: the platform of rows without a platform column (x, telegram, …)",
    )
    .option("--json", "print the run summary as JSON")
    .option("--no-progress", "no progress bar (it is shown on a terminal only)")
    // Larger than scan domains' 500: exports are read in bulk, and each commit rewrites
    // about one page of the content-hash id index per row, so fewer, larger transactions
    // store a million posts about twice as fast, for a few hundred megabytes of memory.
    .option("--batch-size <n>", "observations per transaction", "10000")
    .option("--no-coordination", "store only: no coordination or narrative analysis")
    .option("--seed <n>", "seed of the analysis's null model and communities", "1")
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
skipped; the rest is read.

With a vigil.yaml, accounts imitating its people, outlets and organisations are
found (persona-impersonation findings): handle tricks (look-alike letters, added
words, typos), copied names and bios, profile pictures close to a person's photos
or an outlet's or organisation's logos (photos and logos are read relative to
vigil.yaml, pictures named in an export only under the
export's folder, never from URLs), creation after the genuine account, and claims
to be the person. Accounts listed as someone's handles are never flagged.

Once all inputs are read, accounts that act together more than chance allows
are found: near-identical texts (MinHash LSH), the same links, sites, hashtags
and reposts within a time window chosen from the data, each pair tested against
the same accounts with their post times shuffled. Communities of such accounts
(Louvain) are scored, explained and stored as coordinated-accounts findings and
cases; narratives (clusters of near-identical posts with their top terms) are
listed with the communities pushing them and the divisive issues they touch
(settings.social.divisiveIssues in vigil.yaml, when it exists). --json prints
everything: parameters, communities, narratives and findings.

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
      const seed = parseCount(opts.seed, "--seed");
      // Without a vigil.yaml the scan still stores and analyses; impersonation needs one.
      const watchlist = (await fileExists(global.config)) ? await loadConfig(global) : undefined;
      const divisiveIssues = watchlist?.settings.social.divisiveIssues;
      const stages = new StageLine(ctx, opts.progress !== false && ctx.io.stderr.isTTY === true);
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
            coordination: opts.coordination !== false,
            // Photos in vigil.yaml are relative to it.
            ...(watchlist === undefined ? {} : { watchlist, photosDir: dirname(global.config) }),
            seed,
            ...(divisiveIssues === undefined ? {} : { divisiveIssues }),
            onAnalysisProgress: (p) => {
              bar.stop();
              stages.update(p);
            },
          });
        } finally {
          bar.stop();
          stages.stop();
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
export function printSocialSummary(
  ctx: CliContext,
  summary: SocialScanSummary,
  json: boolean,
): void {
  if (json) {
    writeJson(ctx.io, summary);
    return;
  }
  ctx.io.stdout.write(
    `${summary.read} items read: ${summary.accounts} accounts and ${summary.posts} posts ` +
      `(${summary.observationsAdded} new), ${summary.problemCount} items skipped. Run ${summary.runId}.\n`,
  );
  if (summary.coordination !== undefined) printCoordination(ctx, summary.coordination);
  printProblems(ctx, summary);
}

/** Communities listed in the table; `--json` has them all. */
const MAX_PRINTED = 20;

/** Tables of the communities and narratives found. */
function printCoordination(ctx: CliContext, result: CoordinationResult): void {
  const out = ctx.io.stdout;
  const tests = result.parameters.behaviours
    .map((b) => `${b.behaviour} ${formatWindow(b.windowSeconds)}/${b.keptEdges}`)
    .join(", ");
  out.write(
    `\nCoordination: ${result.stats.communities} communities, ${result.communities.filter((c) => c.flagged).length} flagged (${result.stats.flaggedAccounts} accounts); windows/edges: ${tests}\n`,
  );
  if (result.communities.length > 0) {
    const rows = result.communities.slice(0, MAX_PRINTED).map((c, i) => [
      String(i + 1),
      c.flagged ? "yes" : "no",
      c.score.toFixed(2),
      String(c.size),
      c.behaviours
        .filter((b) => b.edges > 0)
        .map((b) => b.behaviour)
        .join("+"),
      c.creation === undefined
        ? ""
        : `${Math.round(c.creation.share * 100)}% ${c.creation.from.slice(0, 10)}`,
      c.domains
        .slice(0, 2)
        .map((d) => d.domain)
        .join(" "),
      c.accounts
        .slice(0, 3)
        .map((a) => (a.handle === undefined ? a.account : `@${a.handle}`))
        .join(" "),
    ]);
    out.write(
      table(
        [
          "#",
          "flagged",
          "score",
          "accounts",
          "behaviours",
          "created together",
          "domains",
          "accounts (first)",
        ],
        rows,
      ),
    );
  }
  out.write(`\nNarratives: ${result.narratives.length}\n`);
  if (result.narratives.length > 0) {
    const rows = result.narratives
      .slice(0, MAX_PRINTED)
      .map((n) => [
        n.id,
        String(n.posts),
        String(n.accounts),
        `${Math.round(n.coordinatedShare * 100)}%`,
        n.issues.map((x) => x.id).join(" "),
        n.topTerms.slice(0, 6).join(" "),
      ]);
    out.write(
      table(["narrative", "posts", "accounts", "coordinated", "issues", "top terms"], rows),
    );
  }
}

function formatWindow(seconds: number): string {
  return seconds >= 3600
    ? `${Math.round(seconds / 360) / 10}h`
    : seconds >= 60
      ? `${Math.round(seconds / 60)}m`
      : `${seconds}s`;
}

/** A plain text table, columns padded to their widest cell. */
function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

/** A one-line status of the analysis stages on stderr (a terminal only). */
export class StageLine {
  private last = 0;
  private shown = false;
  constructor(
    private readonly ctx: CliContext,
    private readonly enabled: boolean,
  ) {}
  update(p: { stage: string; done: number; total: number }): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && p.done < p.total) return;
    this.last = now;
    const width = 30;
    const filled = Math.round((width * p.done) / Math.max(1, p.total));
    this.ctx.io.stderr.write(
      `\ranalysing [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${p.stage} ${p.done}/${p.total}\u001b[K`,
    );
    this.shown = true;
  }
  stop(): void {
    if (this.shown) this.ctx.io.stderr.write("\r\u001b[K");
    this.shown = false;
  }
}
