import type { ItemProblem } from "../../detect/index.js";
import { toVigilError, VigilError } from "../../errors.js";
import type { SourceItem } from "../source-item.js";
import { backoffDelay, sleep } from "./backoff.js";
import { BatchChannel } from "./batch-channel.js";
import { CtClient, type CtLogClient, type CtRawEntry } from "./ct-client.js";
import { readCtEntry } from "./ct-entry.js";
import { type CtClientOptions, isTemporaryCtError } from "./ct-fetcher.js";
import { TILE_WIDTH } from "./data-tile.js";
import { domainItems } from "./domain-items.js";
import type { CtLog } from "./log-list.js";
import { MAX_NAMES_PER_CERTIFICATE } from "./tbs-certificate.js";
import { TiledCtClient } from "./tiled-ct-client.js";

/** Entries asked of a log per request; logs cap this themselves (often at 32 to 1,024). */
export const DEFAULT_CT_BATCH_SIZE = 256;
/** Upper bound of `batchSize`: above this one answer would approach `MAX_CT_RESPONSE_BYTES`. */
export const MAX_CT_BATCH_SIZE = 4096;
/** How often a caught-up log is asked for a new tree head. */
export const DEFAULT_CT_POLL_MS = 10_000;
/**
 * How long a tiled log's last, partial data tile is left unread in the hope it fills up
 * (static-ct-api asks monitors to avoid partial tiles, which are fetched again as they
 * grow). A busy log fills a tile in seconds; on a quiet one, entries wait at most this
 * long (plus a poll) instead of until 256 have gathered.
 */
export const DEFAULT_PARTIAL_TILE_WAIT_MS = 60_000;
/** Upper bound of `partialTileWaitMs`: a day, the usual maximum merge delay. */
const MAX_PARTIAL_TILE_WAIT_MS = 86_400_000;
/**
 * Batches fetched ahead per log while earlier ones are processed: enough to keep a log's
 * connection busy, few enough that memory stays at logs × this × one answer.
 */
const DEFAULT_PREFETCH = 2;

/** Where a log stands in a run. */
export interface CtLogStatus {
  url: string;
  state: "starting" | "following" | "caught-up" | "done" | "failed";
  /** The first entry this run reads. */
  start?: number;
  /** The next entry to hand over (everything before it has been). */
  next?: number;
  /** The largest tree size the log has announced. */
  treeSize?: number;
  /** The last error, while it lasts. */
  error?: string;
}

export interface CtProgress {
  /** Entries handed over in this run, over all logs. */
  entries: number;
  /** Distinct names per certificate, summed. */
  names: number;
  logs: CtLogStatus[];
}

export interface CtSourceOptions {
  logs: readonly CtLog[];
  /**
   * Where to begin each log: `start` (entry 0), `now` (its tree size when the run
   * starts), or unset: the stored cursor, else `now`.
   */
  from?: "start" | "now";
  /** Reads a stored cursor (`Store.getCursor`); needed unless `from` is set. */
  getCursor?: (source: string) => Promise<string | undefined>;
  /** Entries asked per request. */
  batchSize?: number;
  /** Stop once this many entries (over all logs) have been handed over. */
  maxEntries?: number;
  /**
   * Stop each log at the tree size it announced when the run started, instead of
   * following it (a tiled log's partial tile is then read at once).
   */
  untilCaughtUp?: boolean;
  pollMs?: number;
  /** See `DEFAULT_PARTIAL_TILE_WAIT_MS`. */
  partialTileWaitMs?: number;
  /** Milliseconds on a clock that does not go back; defaults to `performance.now`. */
  clock?: () => number;
  /**
   * Stops the source: requests in flight are abandoned, the batch being handed over is
   * finished, and the generator returns.
   */
  signal?: AbortSignal;
  client?: CtClientOptions;
  maxNamesPerCertificate?: number;
  prefetch?: number;
  onProgress?: (progress: CtProgress) => void;
}

/** The cursor name of a log: `ct:` and its normalised URL. */
export function ctCursorSource(logUrl: string): string {
  return `ct:${logUrl}`;
}

type Fetched =
  | { log: CtLog; start: number; entries: CtRawEntry[] }
  | { log: CtLog; problem: ItemProblem };

/**
 * Follows CT logs, RFC 6962 or tiled (Static CT API, by `log.api`), and yields a `domain`
 * observation for every DNS name in every certificate and precertificate they hold,
 * batch by batch from each log's start position. Each observation's value is the ASCII
 * name (`*.` stripped), its source `ct:<log url>#<index>`, its data
 * `{ log, index, timestamp, entryType }` and its time the log's timestamp. After each
 * entry comes a cursor (`ct:<log url>` → next index), so the pipeline stores how far each
 * log got with the batch that holds the entry's names.
 *
 * A malformed entry yields a problem naming the log and index; the rest is read. A log
 * that refuses requests, or (with `untilCaughtUp`) stays unreachable through the
 * client's retries, yields a problem and is dropped; the other logs go on. While
 * following, a temporary outage is reported once and retried with growing waits.
 *
 * A tiled log is read a data tile at a time; while following (not `untilCaughtUp`), its
 * last tile is read only once full, or once it has stayed partial for
 * `partialTileWaitMs`, so entries are delayed by at most that long.
 *
 * @example
 * for await (const item of followCtLogs({ logs, getCursor: (s) => store.getCursor(s) })) …
 */
export async function* followCtLogs(options: CtSourceOptions): AsyncGenerator<SourceItem> {
  const batchSize = options.batchSize ?? DEFAULT_CT_BATCH_SIZE;
  const pollMs = options.pollMs ?? DEFAULT_CT_POLL_MS;
  const prefetch = options.prefetch ?? DEFAULT_PREFETCH;
  const maxNames = options.maxNamesPerCertificate ?? MAX_NAMES_PER_CERTIFICATE;
  const partialWait = options.partialTileWaitMs ?? DEFAULT_PARTIAL_TILE_WAIT_MS;
  const clock = options.clock ?? (() => performance.now());
  checkWhole(batchSize, "batchSize", 1, MAX_CT_BATCH_SIZE);
  checkWhole(partialWait, "partialTileWaitMs", 0, MAX_PARTIAL_TILE_WAIT_MS);
  checkWhole(prefetch, "prefetch", 1, 100);
  checkWhole(maxNames, "maxNamesPerCertificate", 1, 1_000_000);
  if (!(pollMs > 0)) throw new VigilError("VIGIL_ERR_CONFIG_INVALID", "pollMs must be positive");
  if (options.maxEntries !== undefined) {
    checkWhole(options.maxEntries, "maxEntries", 1, Number.MAX_SAFE_INTEGER);
  }
  if (options.from === undefined && options.getCursor === undefined) {
    throw new VigilError(
      "VIGIL_ERR_CONFIG_INVALID",
      "give getCursor to resume from stored positions, or from: start or now",
    );
  }
  const urls = new Set(options.logs.map((l) => l.url));
  if (urls.size !== options.logs.length) {
    throw new VigilError("VIGIL_ERR_CONFIG_INVALID", "a log is listed twice");
  }

  // Stored positions are read first, so a store that cannot be read fails the run at once.
  const stored = new Map<string, string | undefined>();
  if (options.from === undefined && options.getCursor !== undefined) {
    for (const log of options.logs) {
      stored.set(log.url, await options.getCursor(ctCursorSource(log.url)));
    }
  }

  const external = options.signal;
  const stop = new AbortController();
  const onAbort = () => stop.abort(external?.reason);
  external?.addEventListener("abort", onAbort, { once: true });
  if (external?.aborted === true) stop.abort(external.reason);
  const signal = stop.signal;

  const statuses = options.logs.map((log): CtLogStatus => ({ url: log.url, state: "starting" }));
  const progress: CtProgress = { entries: 0, names: 0, logs: statuses };
  const report = () => options.onProgress?.({ ...progress, logs: statuses.map((s) => ({ ...s })) });
  let budget = options.maxEntries ?? Number.POSITIVE_INFINITY;
  const channel = new BatchChannel<CtLog, Fetched>(prefetch);

  const follow = async (log: CtLog, status: CtLogStatus): Promise<void> => {
    const client: CtLogClient =
      log.api === "static-ct"
        ? new TiledCtClient(log.url, options.client)
        : new CtClient(log.url, options.client);
    const problem = (code: ItemProblem["code"], message: string) =>
      channel.put({ log, problem: { item: ctCursorSource(log.url), code, message } });
    /** Runs a request; on failure reports it and says whether to go on (undefined: stop). */
    const call = async <T>(request: () => Promise<T>): Promise<T | undefined> => {
      for (let outage = 0; ; outage++) {
        try {
          const result = await request();
          delete status.error;
          return result;
        } catch (err) {
          if (signal.aborted) return undefined;
          const error = toVigilError(err, "VIGIL_ERR_CT_PERMANENT");
          const temporary = isTemporaryCtError(err);
          status.error = error.message;
          // One problem per outage, not one per retry of a log that is down for an hour.
          if (outage === 0 || !temporary) {
            const giveUp = !temporary || options.untilCaughtUp === true;
            await problem(
              error.code,
              `${error.message}${giveUp ? "; this log is not read further in this run" : "; retrying"}`,
            );
          }
          if (!temporary || options.untilCaughtUp === true) {
            status.state = "failed";
            return undefined;
          }
          const wait = backoffDelay(outage, { baseMs: pollMs, maxMs: Math.max(pollMs, 300_000) });
          if (!(await sleep(wait, signal))) return undefined;
        }
      }
    };

    const sth = await call(() => client.getSth(signal));
    if (sth === undefined) return;
    let treeSize = sth.treeSize;
    status.treeSize = treeSize;
    let next: number;
    if (options.from === "start") next = 0;
    else if (options.from === "now") next = treeSize;
    else {
      const position = stored.get(log.url);
      if (position === undefined) next = treeSize;
      else if (/^\d{1,16}$/.test(position) && Number.isSafeInteger(Number(position))) {
        next = Number(position);
      } else {
        status.state = "failed";
        await problem(
          "VIGIL_ERR_CT_PERMANENT",
          `the stored position ${JSON.stringify(position.slice(0, 50))} of ${log.url} is not an entry index; start with --from-start or --from-now`,
        );
        return;
      }
    }
    status.start = next;
    status.next = next;
    const target = treeSize;
    if (next > treeSize) {
      await problem(
        "VIGIL_ERR_CT_PERMANENT",
        `${log.url} announces ${treeSize} entries but this run starts at entry ${next}; waiting for it to grow`,
      );
    }
    status.state = "following";
    report();
    /** Since when a tiled log's partial tile has been left unread (unset: it is not). */
    let heldSince: number | undefined;
    while (!signal.aborted) {
      if (options.untilCaughtUp === true && next >= target) break;
      let readable = treeSize;
      if (log.api === "static-ct" && options.untilCaughtUp !== true) {
        const whole = treeSize - (treeSize % TILE_WIDTH);
        if (next >= whole && next < treeSize) {
          heldSince ??= clock();
          if (clock() - heldSince < partialWait) readable = next;
        }
      }
      if (next >= readable) {
        status.state = "caught-up";
        report();
        if (!(await sleep(pollMs, signal))) return;
        const fresh = await call(() => client.getSth(signal));
        if (fresh === undefined) return;
        // Load-balanced logs may answer from a front end that lags: never go backwards.
        treeSize = Math.max(treeSize, fresh.treeSize);
        status.treeSize = treeSize;
        continue;
      }
      status.state = "following";
      heldSince = undefined;
      const wanted = Math.min(batchSize, readable - next, budget);
      if (wanted <= 0) break; // budget spent
      budget -= wanted;
      const entries = await call(() => client.getEntries(next, next + wanted - 1, signal));
      budget += wanted - (entries?.length ?? 0);
      if (entries === undefined) return;
      if (entries.length === 0) {
        // The front end that answered has not got these entries yet: ask again later.
        if (!(await sleep(pollMs, signal))) return;
        continue;
      }
      if (!(await channel.put({ log, start: next, entries }, signal))) return;
      next += entries.length;
    }
    status.state = "done";
  };

  const workers = options.logs.map((log, i) =>
    follow(log, statuses[i] as CtLogStatus).catch(async (err: unknown) => {
      // A bug, not a log's failure: say so with the log, and let the others go on.
      const status = statuses[i] as CtLogStatus;
      status.state = "failed";
      await channel.put({
        log,
        problem: {
          item: ctCursorSource(log.url),
          code: "VIGIL_ERR_INTERNAL",
          message: `following ${log.url} stopped: ${toVigilError(err).message}`,
        },
      });
    }),
  );
  void Promise.allSettled(workers).then(() => channel.close());

  try {
    while (!signal.aborted) {
      const fetched = await channel.take(signal);
      if (fetched === undefined) break;
      if ("problem" in fetched) {
        yield { problem: fetched.problem };
        continue;
      }
      const { log, start, entries } = fetched;
      const status = statuses[options.logs.indexOf(log)] as CtLogStatus;
      const source = ctCursorSource(log.url);
      // The whole batch is handed over even if a stop is asked for meanwhile.
      for (let offset = 0; offset < entries.length; offset++) {
        const index = start + offset;
        for (const item of entryItems(log.url, index, entries[offset] as CtRawEntry, maxNames)) {
          if ("observation" in item) progress.names++;
          yield item;
        }
        progress.entries++;
        status.next = index + 1;
        yield { cursor: { source, position: String(index + 1) } };
      }
      channel.release(log);
      report();
    }
  } finally {
    external?.removeEventListener("abort", onAbort);
    stop.abort();
    await Promise.allSettled(workers);
    report();
  }
}

/** The items of one entry: its names as observations, or a problem saying why not. */
function* entryItems(
  logUrl: string,
  index: number,
  raw: CtRawEntry,
  maxNames: number,
): Generator<SourceItem> {
  const item = `${ctCursorSource(logUrl)}#${index}`;
  const bad = (message: string): SourceItem => ({
    problem: {
      item,
      code: "VIGIL_ERR_CT_ENTRY",
      message: `entry ${index} of ${logUrl}: ${message}`,
    },
  });
  if (!raw.ok) {
    yield bad(raw.message);
    return;
  }
  let result: ReturnType<typeof readCtEntry>;
  try {
    result = readCtEntry(raw.leafInput, maxNames);
  } catch (err) {
    // readCtEntry reports bad input as a value; a throw is a bug, kept to this entry.
    result = { ok: false, message: `cannot be read (${toVigilError(err).message})` };
  }
  if (!result.ok) {
    yield bad(result.message);
    return;
  }
  const { entry } = result;
  yield* domainItems(entry.names, {
    item,
    data: { log: logUrl, index, timestamp: entry.timestamp, entryType: entry.entryType },
    observedAt: new Date(entry.timestamp).toISOString(),
  });
  if (entry.truncated) {
    yield bad(`the certificate names more than ${maxNames} hosts; only the first were read`);
  }
}

function checkWhole(value: number, name: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new VigilError(
      "VIGIL_ERR_CONFIG_INVALID",
      `${name} must be a whole number from ${min} to ${max}, not ${value}`,
    );
  }
}
