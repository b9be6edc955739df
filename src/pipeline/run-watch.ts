import { DomainsDetector } from "../detect/index.js";
import type { Watchlist } from "../model/index.js";
import type { SourceItem } from "../sources/index.js";
import type { Store } from "../store/index.js";
import { type PipelineProgress, type RunSummary, runPipeline } from "./pipeline.js";

/** A partial batch is stored after this long, so a caught-up log's findings show within seconds. */
export const DEFAULT_WATCH_BATCH_WAIT_MS = 2000;

/** What every live watch takes besides its source's own options. */
export interface WatchRunOptions {
  store: Store;
  watchlist: Watchlist;
  now?: () => Date;
  /** Observations (names) per transaction; default the pipeline's. */
  transactionSize?: number;
  maxBatchWaitMs?: number;
  /** Default `with-findings`: a live source's millions of harmless names are not kept. */
  storeObservations?: "all" | "with-findings";
  /** Replace the detector (tests); defaults to one built from the watchlist. */
  detector?: DomainsDetector;
}

/** `options` without the fields `runWatch` takes: what is left is the source's. */
export function sourceOptionsOf<T extends WatchRunOptions>(
  options: T,
): Omit<T, keyof WatchRunOptions> {
  const {
    store: _store,
    watchlist: _watchlist,
    now: _now,
    transactionSize: _transactionSize,
    maxBatchWaitMs: _maxBatchWaitMs,
    storeObservations: _storeObservations,
    detector: _detector,
    ...source
  } = options;
  return source;
}

/**
 * Runs a live source through the pipeline as one run, with the watch defaults (only names
 * behind a finding stored, partial batches stored after a wait), once the watchlist is
 * synced to the store. `open` makes the source, given the callback for its own progress;
 * `report` gets the pipeline's progress with the source's latest whenever either changes.
 * Returns the summary and the source's last progress (`initial` if it reported none).
 */
export async function runWatch<P>(
  command: string,
  options: WatchRunOptions,
  initial: P,
  open: (onProgress: (progress: P) => void) => AsyncIterable<SourceItem>,
  report: (pipeline: PipelineProgress, source: P) => void,
): Promise<{ summary: RunSummary; progress: P }> {
  const {
    store,
    watchlist,
    now,
    transactionSize,
    maxBatchWaitMs,
    storeObservations,
    detector = new DomainsDetector(watchlist),
  } = options;
  await store.syncWatchlist(watchlist);
  let progress = initial;
  let pipeline: PipelineProgress = { read: 0, findings: 0, findingsAdded: 0, problems: 0 };
  const source = open((p) => {
    progress = p;
    report(pipeline, progress);
  });
  const summary = await runPipeline(source, command, {
    store,
    detectors: [detector],
    ...(now === undefined ? {} : { now }),
    ...(transactionSize === undefined ? {} : { batchSize: transactionSize }),
    maxBatchWaitMs: maxBatchWaitMs ?? DEFAULT_WATCH_BATCH_WAIT_MS,
    storeObservations: storeObservations ?? "with-findings",
    onProgress: (p) => {
      pipeline = p;
      report(pipeline, progress);
    },
  });
  return { summary, progress };
}
