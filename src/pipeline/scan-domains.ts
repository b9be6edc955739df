import { DomainsDetector } from "../detect/index.js";
import type { AskServer, DnsEnricher, RdapEnricher } from "../enrich/index.js";
import type { Watchlist } from "../model/index.js";
import { readDomainList } from "../sources/index.js";
import type { Store } from "../store/index.js";
import { OwnershipCheck, type OwnershipSummary } from "./ownership-check.js";
import {
  type PipelineOptions,
  type PipelineProgress,
  type RunSummary,
  runPipeline,
} from "./pipeline.js";
import { inputName, inputSizes, readEachInput, type ScanInput } from "./scan-inputs.js";

/** An input to scan: a file path, or a named stream (standard input). */
export type DomainInput = ScanInput;

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
  /**
   * Check, after detection and only for names that produced findings, whether the outlet
   * verifiably owns the lookalike (see `OwnershipCheck`): a name server under the outlet's
   * domain, asked directly, serves the lookalike's zone. Such findings are scored down by
   * `owned-by-outlet`, stored, and kept out of cases (so are names RDAP places at the
   * outlet's corporate registrar, when `rdap` is given); what the lookalike's zone merely
   * claims is noted at weight 0. Off unless given. `dns` should ask NS and MX only
   * (`records: ["NS", "MX"]`), `addresses` A and AAAA; `maxLookups` caps the look-ups of
   * the run (default `MAX_OWNERSHIP_LOOKUPS`).
   */
  checkOwnership?: {
    dns: DnsEnricher;
    addresses: DnsEnricher;
    askServer: AskServer;
    /** Asks who registered the names (see `OwnershipCheckOptions.rdap`). */
    rdap?: Pick<RdapEnricher, "lookup">;
    nameServerPort?: number;
    maxLookups?: number;
  };
}

/** A `scan domains` run, with how the ownership check went when it was asked for. */
export interface DomainScanSummary extends RunSummary {
  ownership?: OwnershipSummary;
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
): Promise<DomainScanSummary> {
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
  const { total } = await inputSizes(inputs);
  if (total !== undefined) progress.totalBytes = total;
  const observedAt = now().toISOString();

  const source = () =>
    readEachInput(inputs, (stream, input) =>
      readDomainList(stream, {
        name: inputName(input),
        observedAt,
        onBytes: (n) => {
          progress.bytes += n;
          options.onProgress?.(progress);
        },
      }),
    );

  const ownership =
    options.checkOwnership === undefined
      ? undefined
      : new OwnershipCheck({
          dns: options.checkOwnership.dns,
          addresses: options.checkOwnership.addresses,
          askServer: options.checkOwnership.askServer,
          watchlist: options.watchlist,
          ...(options.checkOwnership.rdap === undefined
            ? {}
            : { rdap: options.checkOwnership.rdap }),
          ...(options.checkOwnership.nameServerPort === undefined
            ? {}
            : { nameServerPort: options.checkOwnership.nameServerPort }),
          ...(options.checkOwnership.maxLookups === undefined
            ? {}
            : { maxLookups: options.checkOwnership.maxLookups }),
        });
  const summary: DomainScanSummary = await runPipeline(source(), "scan domains", {
    store: options.store,
    detectors: [detector],
    now,
    ...(ownership === undefined ? {} : { review: ownership.review }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.queue === undefined ? {} : { queue: options.queue }),
    onProgress: (p) => {
      Object.assign(progress, p);
      options.onProgress?.(progress);
    },
  });
  if (ownership !== undefined) summary.ownership = ownership.summary();
  return summary;
}
