import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { DomainsDetector } from "../detect/index.js";
import type { Watchlist } from "../model/index.js";
import { openInputFile, readDomainList, type SourceItem } from "../sources/index.js";
import type { Store } from "../store/index.js";
import {
  type PipelineOptions,
  type PipelineProgress,
  type RunSummary,
  runPipeline,
} from "./pipeline.js";

/** An input to scan: a file path, or a named stream (standard input). */
export type DomainInput = string | { name: string; stream: Readable };

export interface ScanDomainsOptions {
  store: Store;
  watchlist: Watchlist;
  now?: () => Date;
  batchSize?: number;
  /** Called as input is read: bytes read of the known total, and the pipeline's counts. */
  onProgress?: (progress: PipelineProgress & { bytes: number; totalBytes?: number }) => void;
  /** Replace the detector (tests inject faults); defaults to one built from the watchlist. */
  detector?: DomainsDetector;
  queue?: PipelineOptions["queue"];
}

/**
 * Checks every domain of the inputs against the watchlist and stores observations,
 * findings and cases, all as one run. An input that cannot be opened becomes a problem
 * of the run; the other inputs are still read.
 *
 * @example
 * const summary = await scanDomains(["candidates.txt"], { store, watchlist });
 * console.log(summary.findingsAdded, "new findings");
 */
export async function scanDomains(
  inputs: readonly DomainInput[],
  options: ScanDomainsOptions,
): Promise<RunSummary> {
  const now = options.now ?? (() => new Date());
  const detector = options.detector ?? new DomainsDetector(options.watchlist);
  await options.store.syncWatchlist(options.watchlist);
  const progress: PipelineProgress & { bytes: number; totalBytes?: number } = {
    read: 0,
    findings: 0,
    findingsAdded: 0,
    problems: 0,
    bytes: 0,
  };
  // Sizes up front for the progress bar; each file is opened only when its turn comes,
  // so a scan of many files holds one descriptor at a time.
  if (inputs.every((input) => typeof input === "string")) {
    const sizes = await Promise.all(
      inputs.map((path) =>
        stat(path as string).then(
          (info) => (info.isFile() ? info.size : 0),
          () => 0,
        ),
      ),
    );
    progress.totalBytes = sizes.reduce((sum, size) => sum + size, 0);
  }
  const observedAt = now().toISOString();

  async function* source(): AsyncGenerator<SourceItem> {
    for (const input of inputs) {
      const name = typeof input === "string" ? input : input.name;
      let stream: Readable;
      try {
        stream = typeof input === "string" ? (await openInputFile(input)).stream : input.stream;
      } catch (err) {
        yield {
          problem: {
            item: name,
            code: "VIGIL_ERR_INPUT_UNREADABLE",
            message: `cannot read: ${(err as Error).message}`,
          },
        };
        continue;
      }
      try {
        yield* readDomainList(stream, {
          name,
          observedAt,
          onBytes: (n) => {
            progress.bytes += n;
            options.onProgress?.(progress);
          },
        });
      } catch (err) {
        // A read error mid-file (EIO, a pipe closed): what was read stays, the run goes on.
        yield {
          problem: {
            item: name,
            code: "VIGIL_ERR_INPUT_UNREADABLE",
            message: `read failed: ${(err as Error).message}`,
          },
        };
      }
    }
  }

  return runPipeline(source(), "scan domains", {
    store: options.store,
    detectors: [detector],
    now,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.queue === undefined ? {} : { queue: options.queue }),
    onProgress: (p) => {
      Object.assign(progress, p);
      options.onProgress?.(progress);
    },
  });
}
