import { DomainsDetector } from "../detect/index.js";
import type { Watchlist } from "../model/index.js";
import {
  type CtLogStatus,
  type CtProgress,
  type CtSourceOptions,
  followCtLogs,
} from "../sources/index.js";
import type { Store } from "../store/index.js";
import { type PipelineProgress, type RunSummary, runPipeline } from "./pipeline.js";

/** A partial batch is stored after this long, so a caught-up log's findings show within seconds. */
export const DEFAULT_WATCH_BATCH_WAIT_MS = 2000;

export interface WatchCtOptions extends Omit<CtSourceOptions, "getCursor" | "onProgress"> {
  store: Store;
  watchlist: Watchlist;
  now?: () => Date;
  /** Observations (names) per transaction; default the pipeline's. */
  transactionSize?: number;
  maxBatchWaitMs?: number;
  /** Default `with-findings`: a log's millions of harmless names are not kept. */
  storeObservations?: "all" | "with-findings";
  /** Replace the detector (tests); defaults to one built from the watchlist. */
  detector?: DomainsDetector;
  onProgress?: (progress: PipelineProgress & { ct: CtProgress }) => void;
}

export interface WatchCtResult {
  summary: RunSummary;
  /** Where each log stood when the run ended. */
  logs: CtLogStatus[];
}

/**
 * Follows CT logs and checks every DNS name they log against the watchlist, storing
 * findings and cases as one run. Each log resumes from the position stored by the last
 * run (unless `from` says otherwise); positions are stored with the batches they cover,
 * so a crash re-reads at most the batches that were not stored.
 *
 * @example
 * const logs = selectLogs(await readLogList("log_list.json"));
 * const { summary } = await watchCt({ store, watchlist, logs, untilCaughtUp: true });
 */
export async function watchCt(options: WatchCtOptions): Promise<WatchCtResult> {
  const {
    store,
    watchlist,
    now,
    transactionSize,
    maxBatchWaitMs,
    storeObservations,
    detector = new DomainsDetector(watchlist),
    onProgress,
    ...sourceOptions
  } = options;
  await store.syncWatchlist(watchlist);
  let ct: CtProgress = { entries: 0, names: 0, logs: [] };
  let pipeline: PipelineProgress = { read: 0, findings: 0, findingsAdded: 0, problems: 0 };
  const report = () => onProgress?.({ ...pipeline, ct });
  const source = followCtLogs({
    ...sourceOptions,
    getCursor: (name) => store.getCursor(name),
    onProgress: (p) => {
      ct = p;
      report();
    },
  });
  const summary = await runPipeline(source, `watch ct (${options.logs.length} logs)`, {
    store,
    detectors: [detector],
    ...(now === undefined ? {} : { now }),
    ...(transactionSize === undefined ? {} : { batchSize: transactionSize }),
    maxBatchWaitMs: maxBatchWaitMs ?? DEFAULT_WATCH_BATCH_WAIT_MS,
    storeObservations: storeObservations ?? "with-findings",
    onProgress: (p) => {
      pipeline = p;
      report();
    },
  });
  return { summary, logs: ct.logs };
}
