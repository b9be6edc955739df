import { type Command, Option } from "commander";
import { VigilError } from "../../errors.js";
import type { Watchlist } from "../../model/index.js";
import { type RunSummary, watchCertstream, watchCt } from "../../pipeline/index.js";
import {
  type CtLog,
  type CtLogStatus,
  DEFAULT_CT_BATCH_SIZE,
  DEFAULT_CT_LOG_STATES,
  DEFAULT_PARTIAL_TILE_WAIT_MS,
  logFromUrl,
  MAX_CT_BATCH_SIZE,
  readLogList,
  selectLogs,
} from "../../sources/index.js";
import type { Store } from "../../store/index.js";
import {
  type CliContext,
  type GlobalOptions,
  loadConfig,
  resolveStoreOptions,
  withStore,
} from "../context.js";
import { collect, parseCount } from "../options.js";
import { writeJson } from "../output.js";
import { WatchProgressLine } from "../progress.js";
import { EXIT_ITEM_PROBLEMS, printSummary } from "./scan.js";

/** Exit code of a run stopped by a second Ctrl-C (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;
/** Upper bound of --max-entries: more than any log holds. */
const MAX_ENTRIES_LIMIT = 1e12;

/** The flags every watch command takes. */
interface WatchFlags {
  maxEntries?: string;
  json?: boolean;
  progress?: boolean;
  storeAllNames?: boolean;
}

interface WatchCtFlags extends WatchFlags {
  logList?: string;
  log?: string[];
  tiledLog?: string[];
  fromStart?: boolean;
  fromNow?: boolean;
  batchSize: string;
  untilCaughtUp?: boolean;
  pollSeconds: string;
}

/** `--no-progress`, the same for every watch command. */
function noProgressOption(): Option {
  return new Option("--no-progress", "no status line (it is shown on a terminal only)");
}

/** `--store-all-names`, the same for every watch command. */
function storeAllNamesOption(): Option {
  return new Option(
    "--store-all-names",
    "store every name seen as an observation (default: only names behind a finding)",
  );
}

export function registerWatch(program: Command, ctx: CliContext): void {
  const watch = program
    .command("watch")
    .description(
      "follow live sources (Certificate Transparency logs, certstream) and store what is found",
    );

  watch
    .command("ct")
    .description(
      "follow Certificate Transparency logs (RFC 6962 and tiled) and check every name in every certificate",
    )
    .option("--log-list <file>", "log list in Google's v3 JSON format (log_list.json)")
    .option(
      "--log <url>",
      "follow this RFC 6962 log (repeatable); with --log-list it must be in the list",
      collect,
    )
    .option(
      "--tiled-log <url>",
      "follow this tiled (Static CT API) log, given by its monitoring prefix (repeatable); with --log-list it must be in the list",
      collect,
    )
    .addOption(
      new Option("--from-start", "read each log from entry 0, whatever is stored").conflicts(
        "fromNow",
      ),
    )
    .addOption(new Option("--from-now", "read only entries logged from now on, whatever is stored"))
    .option(
      "--batch-size <n>",
      "entries asked of a log per request (logs may send fewer)",
      String(DEFAULT_CT_BATCH_SIZE),
    )
    .option("--max-entries <n>", "stop after this many entries (over all logs)")
    .option("--until-caught-up", "stop when each log is read up to its size at the start")
    .option("--poll-seconds <n>", "how often a caught-up log is asked for new entries", "10")
    .option("--json", "print the run summary and where each log stands as JSON")
    .addOption(noProgressOption())
    .addOption(storeAllNamesOption())
    .addHelpText(
      "after",
      `
Each log resumes from where the last run stored it had got to; a log never read
before starts from now (its current size) unless --from-start says otherwise.
Tiled logs (the "tiled_logs" of a log list, or --tiled-log) are read a data tile
of 256 entries at a time; while following, a tile that stays partial is read
after ${DEFAULT_PARTIAL_TILE_WAIT_MS / 1000} s, and --until-caught-up reads it at once.
Positions are stored with the findings of the same entries, so a crash re-reads
only the entries whose batch was not stored yet. Ctrl-C finishes the current batch and stops; a second
Ctrl-C quits at once (what was stored stays).

Malformed entries are reported with their log and index and skipped (vigil problems).
Exit codes: 0 done, 1 error, 2 usage, 3 done but some entries or logs were skipped.

Examples:
  curl -o log_list.json https://www.gstatic.com/ct/log_list/v3/log_list.json
  vigil watch ct --log-list log_list.json
  vigil watch ct --log https://ct.googleapis.com/logs/us1/argon2025h2/ --from-now
  vigil watch ct --tiled-log https://mon.example-ct.org/2026h1/ --from-now
  vigil watch ct --log-list log_list.json --from-start --until-caught-up --json
  vigil watch ct --log-list log_list.json --max-entries 100000
`,
    )
    .action(async (flags: WatchCtFlags) => {
      const global = program.opts<GlobalOptions>();
      const logs = await chooseLogs(flags);
      const batchSize = parseCount(flags.batchSize, "--batch-size", MAX_CT_BATCH_SIZE);
      const pollSeconds = parseCount(flags.pollSeconds, "--poll-seconds", 86_400);
      const { summary, logs: statuses } = await runWatch(
        ctx,
        global,
        flags,
        `ct (${logs.length} ${logs.length === 1 ? "log" : "logs"})`,
        (common, line) =>
          watchCt({
            ...common,
            logs,
            batchSize,
            pollMs: pollSeconds * 1000,
            ...(flags.fromStart === true ? { from: "start" as const } : {}),
            ...(flags.fromNow === true ? { from: "now" as const } : {}),
            ...(flags.untilCaughtUp === true ? { untilCaughtUp: true } : {}),
            onProgress: (p) =>
              line.update({
                entries: p.ct.entries,
                names: p.ct.names,
                findings: p.findings,
                problems: p.problems,
                behind: p.ct.logs.reduce(
                  (sum, l) => sum + Math.max(0, (l.treeSize ?? 0) - (l.next ?? l.treeSize ?? 0)),
                  0,
                ),
              }),
          }),
      );
      if (flags.json === true) writeJson(ctx.io, { ...summary, logs: statuses });
      else {
        printSummary(ctx, summary, false);
        for (const status of statuses) ctx.io.stdout.write(`${describeLog(status)}\n`);
      }
      setExitCode(ctx, summary);
    });

  watch
    .command("certstream")
    .description("follow a certstream-style WebSocket feed of new certificates")
    .argument("<url>", "ws:// or wss:// URL of the feed")
    .option("--max-entries <n>", "stop after this many certificates")
    .option("--json", "print the run summary as JSON")
    .addOption(noProgressOption())
    .addOption(storeAllNamesOption())
    .addHelpText(
      "after",
      `
A feed cannot be resumed: certificates published while Vigil is not connected are
missed (vigil watch ct reads the logs themselves, and resumes). A dropped
connection is re-opened after a growing wait. Ctrl-C stops.

Examples:
  vigil watch certstream wss://certstream.example.org/
  vigil watch certstream ws://127.0.0.1:4000/ --max-entries 1000 --json
`,
    )
    .action(async (url: string, flags: WatchFlags) => {
      const global = program.opts<GlobalOptions>();
      if (!/^wss?:\/\//i.test(url)) {
        throw new VigilError(
          "VIGIL_ERR_CLI_USAGE",
          `the feed URL must start with ws:// or wss://, not "${url.slice(0, 100)}"`,
        );
      }
      const summary = await runWatch(ctx, global, flags, "certstream", (common, line) =>
        watchCertstream({
          ...common,
          url,
          onProgress: (p) =>
            line.update({
              entries: p.feed.entries,
              names: p.feed.names,
              findings: p.findings,
              problems: p.problems,
            }),
        }),
      );
      printSummary(ctx, summary, flags.json === true);
      setExitCode(ctx, summary);
    });
}

/** The options every watch passes to its pipeline, from the flags both commands take. */
interface WatchRunCommon {
  store: Store;
  watchlist: Watchlist;
  now: () => Date;
  signal: AbortSignal;
  maxEntries?: number;
  storeObservations: "all" | "with-findings";
}

/**
 * What `watch ct` and `watch certstream` share around their run: `--max-entries` checked,
 * the watchlist loaded, the status line (stopped however the run ends), the store, and
 * Ctrl-C handling.
 */
async function runWatch<T>(
  ctx: CliContext,
  global: GlobalOptions,
  flags: WatchFlags,
  label: string,
  work: (common: WatchRunCommon, line: WatchProgressLine) => Promise<T>,
): Promise<T> {
  const maxEntries =
    flags.maxEntries === undefined
      ? undefined
      : parseCount(flags.maxEntries, "--max-entries", MAX_ENTRIES_LIMIT);
  const watchlist = await loadConfig(global);
  const line = new WatchProgressLine(
    ctx.io,
    flags.progress !== false && ctx.io.stderr.isTTY === true,
    label,
  );
  return withInterrupt(ctx, (signal) =>
    withStore(resolveStoreOptions(global.db, ctx.env), async (store) => {
      try {
        return await work(
          {
            store,
            watchlist,
            now: ctx.now,
            signal,
            ...(maxEntries === undefined ? {} : { maxEntries }),
            storeObservations: flags.storeAllNames === true ? "all" : "with-findings",
          },
          line,
        );
      } finally {
        line.stop();
      }
    }),
  );
}

/**
 * The logs the flags name: `--log` and `--tiled-log` URLs (checked against `--log-list`
 * when given), else the list's usable ones.
 */
async function chooseLogs(flags: WatchCtFlags): Promise<CtLog[]> {
  const urls = flags.log ?? [];
  const tiledUrls = flags.tiledLog ?? [];
  const named = [
    ...urls.map((url) => usage(() => logFromUrl(url))),
    ...tiledUrls.map((url) => usage(() => logFromUrl(url, "static-ct"))),
  ];
  const rfc6962 = new Set(named.filter((l) => l.api === "rfc6962").map((l) => l.url));
  const both = named.find((l) => l.api === "static-ct" && rfc6962.has(l.url));
  if (both !== undefined) {
    throw new VigilError(
      "VIGIL_ERR_CLI_USAGE",
      `${both.url} is named by both --log and --tiled-log; a log speaks one API`,
    );
  }
  if (flags.logList === undefined) {
    if (named.length === 0) {
      throw new VigilError(
        "VIGIL_ERR_CLI_USAGE",
        "name the logs to follow: --log-list FILE (Google's log_list.json), --log URL or --tiled-log URL",
      );
    }
    return dedupe(named);
  }
  const list = await readLogList(flags.logList);
  const logs = usage(() => selectLogs(list, { urls, tiledUrls }));
  if (logs.length === 0) {
    throw new VigilError(
      "VIGIL_ERR_CLI_USAGE",
      `no log in ${flags.logList} is ${DEFAULT_CT_LOG_STATES.join(", ")}; name one with --log URL or --tiled-log URL`,
    );
  }
  return dedupe(logs);
}

/** A bad `--log` or `--tiled-log` URL is the user's typing, so it is a usage error (exit 2). */
function usage<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof VigilError && err.code === "VIGIL_ERR_CT_LOG_LIST") {
      throw new VigilError("VIGIL_ERR_CLI_USAGE", err.message, { cause: err });
    }
    throw err;
  }
}

/** Each log once, however often it was named. */
function dedupe(logs: CtLog[]): CtLog[] {
  return [...new Map(logs.map((l) => [l.url, l])).values()];
}

/**
 * Runs `work` with a signal that the first Ctrl-C (SIGINT) or SIGTERM aborts, so the run
 * finishes its batch and stores it; a second Ctrl-C exits at once.
 */
async function withInterrupt<T>(ctx: CliContext, work: (signal: AbortSignal) => Promise<T>) {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    ctx.io.stderr.write(
      `\n${name}: stopping after the current batch (Ctrl-C again to quit at once)\n`,
    );
    controller.abort(new Error(`stopped by ${name}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function describeLog(status: CtLogStatus): string {
  const where =
    status.next === undefined
      ? "not started"
      : `next entry ${status.next} of ${status.treeSize ?? "?"} (this run began at ${status.start ?? "?"})`;
  const error = status.state === "failed" && status.error ? `: ${status.error}` : "";
  return `  ${status.url}  ${status.state}, ${where}${error}`;
}

function setExitCode(ctx: CliContext, summary: RunSummary): void {
  if (summary.status === "failed") ctx.exitCode = 1;
  else if (summary.problemCount > 0) ctx.exitCode = EXIT_ITEM_PROBLEMS;
}
