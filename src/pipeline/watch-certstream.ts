import { DomainsDetector } from "../detect/index.js";
import type { Watchlist } from "../model/index.js";
import {
  type CertstreamOptions,
  type CertstreamProgress,
  followCertstream,
} from "../sources/index.js";
import type { Store } from "../store/index.js";
import { type PipelineProgress, type RunSummary, runPipeline } from "./pipeline.js";
import { DEFAULT_WATCH_BATCH_WAIT_MS } from "./watch-ct.js";

export interface WatchCertstreamOptions extends Omit<CertstreamOptions, "onProgress"> {
  store: Store;
  watchlist: Watchlist;
  transactionSize?: number;
  maxBatchWaitMs?: number;
  /** Default `with-findings`: a feed's millions of harmless names are not kept. */
  storeObservations?: "all" | "with-findings";
  detector?: DomainsDetector;
  onProgress?: (progress: PipelineProgress & { feed: CertstreamProgress }) => void;
}

/**
 * Follows a certstream-style WebSocket feed and checks every name in it against the
 * watchlist, storing findings and cases as one run. A feed cannot be resumed: names
 * published while Vigil is not connected are missed (follow the logs with `watchCt` for
 * that).
 *
 * @example
 * const summary = await watchCertstream({ store, watchlist, url: "wss://certstream.example/", signal });
 */
export async function watchCertstream(options: WatchCertstreamOptions): Promise<RunSummary> {
  const {
    store,
    watchlist,
    transactionSize,
    maxBatchWaitMs,
    storeObservations,
    detector = new DomainsDetector(watchlist),
    onProgress,
    ...sourceOptions
  } = options;
  await store.syncWatchlist(watchlist);
  let feed: CertstreamProgress = {
    messages: 0,
    entries: 0,
    names: 0,
    reconnects: 0,
    connected: false,
  };
  let pipeline: PipelineProgress = { read: 0, findings: 0, findingsAdded: 0, problems: 0 };
  const report = () => onProgress?.({ ...pipeline, feed });
  const source = followCertstream({
    ...sourceOptions,
    onProgress: (p) => {
      feed = p;
      report();
    },
  });
  return runPipeline(source, "watch certstream", {
    store,
    detectors: [detector],
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(transactionSize === undefined ? {} : { batchSize: transactionSize }),
    maxBatchWaitMs: maxBatchWaitMs ?? DEFAULT_WATCH_BATCH_WAIT_MS,
    storeObservations: storeObservations ?? "with-findings",
    onProgress: (p) => {
      pipeline = p;
      report();
    },
  });
}
