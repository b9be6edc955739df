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
  const opened: Array<{ name: string; open: () => Promise<Readable> }> = [];
  let totalBytes: number | undefined = 0;
  for (const input of inputs) {
    if (typeof input === "string") {
      try {
        const { stream, size } = await openInputFile(input);
        if (totalBytes !== undefined) totalBytes += size;
        opened.push({ name: input, open: async () => stream });
      } catch (err) {
        opened.push({
          name: input,
          open: async () => {
            throw err;
          },
        });
      }
    } else {
      totalBytes = undefined;
      opened.push({ name: input.name, open: async () => input.stream });
    }
  }
  if (totalBytes !== undefined) progress.totalBytes = totalBytes;
  const observedAt = now().toISOString();

  async function* source(): AsyncGenerator<SourceItem> {
    for (const input of opened) {
      let stream: Readable;
      try {
        stream = await input.open();
      } catch (err) {
        yield {
          problem: {
            item: input.name,
            code: "VIGIL_ERR_INPUT_UNREADABLE",
            message: `cannot read: ${(err as Error).message}`,
          },
        };
        continue;
      }
      try {
        yield* readDomainList(stream, {
          name: input.name,
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
            item: input.name,
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
