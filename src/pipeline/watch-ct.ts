import {
  type CtLogStatus,
  type CtProgress,
  type CtSourceOptions,
  followCtLogs,
} from "../sources/index.js";
import type { PipelineProgress, RunSummary } from "./pipeline.js";
import { runWatch, sourceOptionsOf, type WatchRunOptions } from "./run-watch.js";

export interface WatchCtOptions
  extends Omit<CtSourceOptions, "getCursor" | "onProgress">,
    WatchRunOptions {
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
  const { onProgress, ...rest } = options;
  const initial: CtProgress = { entries: 0, names: 0, logs: [] };
  const { summary, progress } = await runWatch(
    `watch ct (${options.logs.length} logs)`,
    options,
    initial,
    (onSourceProgress) =>
      followCtLogs({
        ...sourceOptionsOf(rest),
        getCursor: (name) => options.store.getCursor(name),
        onProgress: onSourceProgress,
      }),
    (pipeline, ct) => onProgress?.({ ...pipeline, ct }),
  );
  return { summary, logs: progress.logs };
}
