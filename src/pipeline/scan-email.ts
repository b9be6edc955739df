import { type CorrespondentHistory, type EmailAssessment, EmailDetector } from "../detect/index.js";
import {
  type EmailAuth,
  type EmailMessage,
  EmailMessageSchema,
  type Finding,
  type MailLimitHit,
  type Observation,
  type Watchlist,
} from "../model/index.js";
import type { Notifier } from "../notify/index.js";
import {
  type MailAuthOptions,
  type MailLimits,
  mailFiles,
  readEmail,
  type SourceItem,
} from "../sources/index.js";
import type { CorrespondenceRecord, PersistBatch, Store } from "../store/index.js";
import { correlateByTarget } from "./correlate-by-target.js";
import { CorrespondentTracker } from "./correspondent-tracker.js";
import { type FlaggedMessage, notifyFlagged } from "./notify-step.js";
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
  /**
   * Tells the people targeted by `phishing` and `suspicious` messages, as `watch imap`
   * does (docs/notify.md): notices are opened once the run is stored, then delivered.
   * Unset (the default): no notices.
   */
  notifier?: Notifier;
}

/** An email scan's outcome: the run's, with every message's triage. */
export interface EmailScanSummary extends RunSummary {
  messages: number;
  verdicts: { phishing: number; suspicious: number; clean: number };
  /** Messages over a limit or unparseable (each also a problem of the run). */
  limited: number;
  unparseable: number;
  reports: EmailReport[];
  /** Notices opened and delivered, with `notifier`. */
  notices?: { created: number; copies: number; delivered: number; failed: number };
}

/**
 * Reads messages from .eml files, folders (recursively), mbox files and streams, checks
 * their sender authentication, triages each (see `EmailDetector`) and stores the
 * findings of `phishing` and `suspicious` messages with the observations behind them,
 * all as one run. Clean mail is reported but not stored: a mailbox is private; of every
 * message only header facts (addresses, reply-path and link domains) are counted in the
 * correspondent history, which the first-contact and hijacked-account rules read. A message
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

  // Correspondent history: looked up as each message is read (in read order, so a
  // contact's second message sees the first), used by the detector, and written with the
  // batch that triages the message.
  const tracker = new CorrespondentTracker(options.store);
  const tracked = new Map<
    string,
    {
      message: EmailMessage;
      history?: CorrespondentHistory;
      record?: CorrespondenceRecord;
      refs: number;
    }
  >();
  const unstored: CorrespondenceRecord[] = [];
  const flagged: FlaggedMessage[] = [];

  async function* source(): AsyncGenerator<SourceItem> {
    yield* expandProblems;
    const items = readEachInput(expanded, (stream, input) =>
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
    for await (const item of items) {
      if ("observation" in item) {
        const id = item.observation.id;
        const known = tracked.get(id);
        if (known !== undefined) known.refs++;
        else {
          const parsed = EmailMessageSchema.safeParse(item.observation.data);
          if (parsed.success) {
            const { history, record } = await tracker.track(parsed.data, observedAt);
            tracked.set(id, {
              message: parsed.data,
              ...(history === undefined ? {} : { history }),
              ...(record === undefined ? {} : { record }),
              refs: 1,
            });
          }
        }
      }
      yield item;
    }
  }

  // The detector is wrapped so each message's triage is reported, clean ones included.
  const reporting = {
    name: detector.name,
    version: detector.version,
    kinds: detector.kinds,
    detect(observations: readonly Observation[]) {
      const result = detector.detect([]);
      const records: CorrespondenceRecord[] = [];
      for (const observation of observations) {
        const entry = tracked.get(observation.id);
        if (entry !== undefined && --entry.refs <= 0) tracked.delete(observation.id);
        let message = entry?.message;
        if (message === undefined) {
          const parsed = EmailMessageSchema.safeParse(observation.data);
          if (!parsed.success) {
            result.problems.push(...detector.detect([observation]).problems);
            continue;
          }
          message = parsed.data;
        }
        if (entry?.record !== undefined) {
          records.push(entry.record);
          // Recorded once, whichever copy's batch comes first.
          delete entry.record;
        }
        const assessment = detector.assess(message, entry?.history);
        const finding = detector.findingFor(observation, assessment, message);
        if (finding !== undefined) {
          result.findings.push(finding);
          if (options.notifier !== undefined) flagged.push(slim(finding, assessment, message));
        }
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
      // Handed to the batch's write, which the pipeline makes right after detection.
      unstored.push(...records);
      return result;
    },
  };

  // The store as the pipeline sees it: each batch's write also carries the history
  // records of the messages detected since the last write (those of that batch), in its
  // transaction. The pipeline calls `persistBatch` straight after `detect`, with no wait
  // in between for a batch without source cursors (files have none), so a batch carries
  // exactly its own messages; if it fails, their history is not counted either.
  const store = options.store;
  const persistBatch = (batch: PersistBatch) => {
    const correspondence = unstored.splice(0);
    return store.persistBatch(correspondence.length === 0 ? batch : { ...batch, correspondence });
  };
  const historyStore = new Proxy(store, {
    get(target, property) {
      if (property === "persistBatch") return persistBatch;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });

  const summary = await runPipeline(source(), "scan email", {
    store: historyStore,
    detectors: [reporting],
    now,
    // Only messages behind a finding are kept: clean mail stays in the mailbox (its
    // header facts go to the correspondent history, never its text).
    storeObservations: "with-findings",
    // Messages are large next to domain names: smaller transactions keep memory flat.
    batchSize: options.batchSize ?? 100,
    ...(options.queue === undefined ? {} : { queue: options.queue }),
    onProgress: (p) => {
      Object.assign(progress, p);
      options.onProgress?.(progress);
    },
  });
  if (unstored.length > 0) {
    // Not expected (every detection is followed by a write); kept rather than lost.
    await store.persistBatch({
      runId: summary.runId,
      observations: [],
      findings: [],
      cases: [],
      problems: [],
      correspondence: unstored.splice(0),
    });
  }
  // Batches may finish out of order; reports follow the inputs' names.
  reports.sort((a, b) => naturalCompare(a.source, b.source));
  const notices =
    options.notifier === undefined ? undefined : await notify(options.notifier, flagged, now);
  return { ...summary, ...counts, reports, ...(notices === undefined ? {} : { notices }) };
}

/** What the notice needs of a flagged message: its text is dropped to keep memory flat. */
function slim(
  finding: Finding,
  assessment: EmailAssessment,
  message: EmailMessage,
): FlaggedMessage {
  return { finding, assessment, message: { ...message, text: "" } };
}

/** Opens the notices of the run's flagged messages, then delivers those due. */
async function notify(
  notifier: Notifier,
  flagged: readonly FlaggedMessage[],
  now: () => Date,
): Promise<NonNullable<EmailScanSummary["notices"]>> {
  const notices = { created: 0, copies: 0, delivered: 0, failed: 0 };
  if (flagged.length === 0) return notices;
  const cases = correlateByTarget(
    flagged.map((f) => f.finding),
    now().toISOString(),
  );
  for (const o of await notifyFlagged(notifier, flagged, cases)) {
    if (o.outcome === "created") notices.created++;
    if (o.outcome === "copy") notices.copies++;
  }
  const { delivered } = await notifier.tick();
  for (const d of delivered) {
    if (d.results.every((r) => r.ok)) notices.delivered++;
    else if (d.status === "failed") notices.failed++;
  }
  return notices;
}

/** Compares names with their numbers by value, so `message 10` comes after `message 9`. */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
