import {
  type CertstreamOptions,
  type CertstreamProgress,
  followCertstream,
} from "../sources/index.js";
import type { PipelineProgress, RunSummary } from "./pipeline.js";
import { runWatch, sourceOptionsOf, type WatchRunOptions } from "./run-watch.js";

export interface WatchCertstreamOptions
  extends Omit<CertstreamOptions, "onProgress">,
    WatchRunOptions {
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
  const { onProgress, ...rest } = options;
  const initial: CertstreamProgress = {
    messages: 0,
    entries: 0,
    names: 0,
    reconnects: 0,
    connected: false,
  };
  const { summary } = await runWatch(
    "watch certstream",
    options,
    initial,
    (onSourceProgress) =>
      followCertstream({
        ...sourceOptionsOf(rest),
        // The feed's clock too: it stamps the names of messages without a time of their own.
        ...(options.now === undefined ? {} : { now: options.now }),
        onProgress: onSourceProgress,
      }),
    (pipeline, feed) => onProgress?.({ ...pipeline, feed }),
  );
  return summary;
}
