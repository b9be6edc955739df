import { type EmailAssessment, EmailDetector } from "../detect/index.js";
import {
  type EmailAuth,
  EmailMessageSchema,
  type MailLimitHit,
  type Observation,
  type Watchlist,
} from "../model/index.js";
import {
  type MailAuthOptions,
  type MailLimits,
  mailFiles,
  readEmail,
  type SourceItem,
} from "../sources/index.js";
import type { Store } from "../store/index.js";
import {
  type PipelineOptions,
  type PipelineProgress,
  type RunSummary,
  runPipeline,
} from "./pipeline.js";
import { inputName, inputSizes, readEachInput, type ScanInput } from "./scan-inputs.js";

/** An input to scan: a file or folder path, or a named stream (standard input). */
export type EmailInput = ScanInput;

/** Per-message reports kept in the summary; past this only the counts grow. */
export const MAX_EMAIL_REPORTS = 100_000;

/** The triage of one message, as `vigil scan email --json` prints it (docs/email-report.md). */
export interface EmailReport extends EmailAssessment {
  /** Where the message was read: `file`, or `file message N (line L)` in an mbox. */
  source: string;
  observationId: string;
  sha256: string;
  messageId?: string;
  from?: string;
  subject: string;
  outcome: "ok" | "limited" | "unparseable";
  limits: MailLimitHit[];
  parseError?: string;
  auth: EmailAuth;
  /** The stored finding, for `phishing` and `suspicious`. */
  findingId?: string;
}

export interface ScanEmailOptions {
  store: Store;
  watchlist: Watchlist;
  now?: () => Date;
  batchSize?: number;
  limits?: Partial<MailLimits>;
  /** Sender authentication: a DNS resolver (see `cachedResolver`), trusted authserv-ids. */
  auth?: MailAuthOptions;
  onProgress?: (progress: PipelineProgress & { bytes: number; totalBytes?: number }) => void;
  queue?: PipelineOptions["queue"];
}

/** An email scan's outcome: the run's, with every message's triage. */
export interface EmailScanSummary extends RunSummary {
  messages: number;
  verdicts: { phishing: number; suspicious: number; clean: number };
  /** Messages over a limit or unparseable (each also a problem of the run). */
  limited: number;
  unparseable: number;
  reports: EmailReport[];
}

/**
 * Reads messages from .eml files, folders (recursively), mbox files and streams, checks
 * their sender authentication, triages each (see `EmailDetector`) and stores the
 * findings of `phishing` and `suspicious` messages with the observations behind them,
 * all as one run. Clean mail is reported but not stored: a mailbox is private. A message
 * over a limit or that cannot be parsed is triaged on what was read and also recorded as
 * a problem of the run; an input that cannot be read is a problem and the rest go on.
 *
 * @example
 * const summary = await scanEmail(["inbox.mbox"], { store, watchlist });
 * for (const r of summary.reports) console.log(r.verdict, r.score, r.subject);
 */
export async function scanEmail(
  inputs: readonly EmailInput[],
  options: ScanEmailOptions,
): Promise<EmailScanSummary> {
  const now = options.now ?? (() => new Date());
  const detector = new EmailDetector(options.watchlist);
  await options.store.syncWatchlist(options.watchlist);
  const progress: PipelineProgress & { bytes: number; totalBytes?: number } = {
    read: 0,
    findings: 0,
    findingsAdded: 0,
    problems: 0,
    bytes: 0,
  };
  const expanded: EmailInput[] = [];
  const expandProblems: SourceItem[] = [];
  for (const input of inputs) {
    if (typeof input !== "string") {
      expanded.push(input);
      continue;
    }
    const { files, problems } = await mailFiles(input);
    expanded.push(...files);
    for (const p of problems) {
      expandProblems.push({
        problem: { item: p.item, code: "VIGIL_ERR_INPUT_UNREADABLE", message: p.message },
      });
    }
  }
  const { total } = await inputSizes(expanded);
  if (total !== undefined) progress.totalBytes = total;
  const observedAt = now().toISOString();
  const counts = {
    messages: 0,
    verdicts: { phishing: 0, suspicious: 0, clean: 0 },
    limited: 0,
    unparseable: 0,
  };
  const reports: EmailReport[] = [];

  async function* source(): AsyncGenerator<SourceItem> {
    yield* expandProblems;
    yield* readEachInput(expanded, (stream, input) =>
      readEmail(stream, {
        name: inputName(input),
        observedAt,
        ...(options.limits === undefined ? {} : { limits: options.limits }),
        ...(options.auth === undefined ? {} : { auth: options.auth }),
        onBytes: (n) => {
          progress.bytes += n;
          options.onProgress?.(progress);
        },
      }),
    );
  }

  // The detector is wrapped so each message's triage is reported, clean ones included.
  const reporting = {
    name: detector.name,
    version: detector.version,
    kinds: detector.kinds,
    detect(observations: readonly Observation[]) {
      const result = detector.detect([]);
      for (const observation of observations) {
        const parsed = EmailMessageSchema.safeParse(observation.data);
        if (!parsed.success) {
          result.problems.push(...detector.detect([observation]).problems);
          continue;
        }
        const message = parsed.data;
        const assessment = detector.assess(message);
        const finding = detector.findingFor(observation, assessment, message);
        if (finding !== undefined) result.findings.push(finding);
        counts.messages++;
        counts.verdicts[assessment.verdict]++;
        if (message.outcome === "limited") counts.limited++;
        if (message.outcome === "unparseable") counts.unparseable++;
        if (reports.length < MAX_EMAIL_REPORTS) {
          reports.push({
            source: observation.source,
            observationId: observation.id,
            sha256: message.sha256,
            ...(message.messageId === undefined ? {} : { messageId: message.messageId }),
            ...(message.from === undefined ? {} : { from: message.from.address }),
            subject: message.subject,
            outcome: message.outcome,
            limits: message.limits,
            ...(message.parseError === undefined ? {} : { parseError: message.parseError }),
            auth: message.auth,
            ...assessment,
            ...(finding === undefined ? {} : { findingId: finding.id }),
          });
        }
      }
      return result;
    },
  };

  const summary = await runPipeline(source(), "scan email", {
    store: options.store,
    detectors: [reporting],
    now,
    // Only messages behind a finding are kept: clean mail stays in the mailbox.
    storeObservations: "with-findings",
    // Messages are large next to domain names: smaller transactions keep memory flat.
    batchSize: options.batchSize ?? 100,
    ...(options.queue === undefined ? {} : { queue: options.queue }),
    onProgress: (p) => {
      Object.assign(progress, p);
      options.onProgress?.(progress);
    },
  });
  // Batches may finish out of order; reports follow the inputs' names.
  reports.sort((a, b) => naturalCompare(a.source, b.source));
  return { ...summary, ...counts, reports };
}

/** Compares names with their numbers by value, so `message 10` comes after `message 9`. */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
