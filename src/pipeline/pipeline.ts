import { z } from "zod";
import type { Detector, ItemProblem } from "../detect/index.js";
import { toVigilError } from "../errors.js";
import { type Case, type Finding, type Observation, ObservationSchema } from "../model/index.js";
import type { SourceCursor, SourceItem } from "../sources/index.js";
import type { Store } from "../store/index.js";
import { CommitOrder } from "./commit-order.js";
import { correlateByTarget } from "./correlate-by-target.js";
import {
  DEFAULT_CONCURRENCY,
  InProcessQueue,
  type JobHandler,
  type JobQueue,
} from "./job-queue.js";

/** Observations per batch: one transaction and one detector call each. */
export const DEFAULT_BATCH_SIZE = 500;
/** Problems kept in memory for the summary; all are stored, this only bounds the report. */
export const MAX_PROBLEMS_REPORTED = 1000;

/** A unit of work on the queue. Plain JSON, so a Redis-backed queue can carry it. */
export const DetectJobSchema = z.strictObject({
  runId: z.string(),
  batch: z.number().int().nonnegative(),
  observations: z.array(ObservationSchema),
  problems: z.array(z.strictObject({ item: z.string(), code: z.string(), message: z.string() })),
  cursors: z.array(z.strictObject({ source: z.string(), position: z.string() })).optional(),
});
export type DetectJob = {
  runId: string;
  batch: number;
  observations: Observation[];
  problems: ItemProblem[];
  /** The last cursor of each source among the batch's items, stored with the batch. */
  cursors?: SourceCursor[];
};

export interface PipelineProgress {
  read: number;
  findings: number;
  findingsAdded: number;
  problems: number;
}

export interface PipelineOptions {
  store: Store;
  detectors: readonly Detector[];
  /** Clock (passed in, so tests and replays are repeatable). */
  now?: () => Date;
  batchSize?: number;
  concurrency?: number;
  /** Builds the queue; the default is in-process. */
  queue?: (
    handler: JobHandler<DetectJob>,
    onError: (job: DetectJob, err: unknown) => Promise<void>,
  ) => JobQueue<DetectJob>;
  onProgress?: (progress: PipelineProgress) => void;
  /**
   * Store a partial batch once its first item is this old, so a slow live source (a CT
   * log that is caught up) still gets its findings and cursor stored within seconds.
   * Unset: batches are stored when full or when the source ends.
   */
  maxBatchWaitMs?: number;
  /**
   * Which observations to store: all (the default), or only those behind a finding. A
   * CT log yields millions of harmless names a day; their findings-free observations
   * would fill the store without telling anyone anything.
   */
  storeObservations?: "all" | "with-findings";
  /**
   * Called once the source has ended and every batch is stored, for analyses that need
   * the whole input (coordination across accounts); what it returns is stored in a batch
   * of its own, in the same run, with the problems it met (stored records it could not
   * read, say). Not called after a failed batch.
   */
  finish?: () => Promise<{ findings: Finding[]; cases: Case[]; problems?: ItemProblem[] }>;
  /**
   * An asynchronous check of each batch's findings, after detection and before they are
   * stored: it sees only the names that produced findings, so its I/O grows with the
   * findings, not the input (DNS ownership look-ups of `scan domains --check-ownership`).
   * Findings it returns as `cleared` are stored, so the defender can see why, but join no
   * case (and so no takedown packet). It must not throw for I/O failures: they are
   * `problems`; a throw fails the batch.
   */
  review?: (findings: readonly Finding[]) => Promise<FindingReview>;
}

/** What a `PipelineOptions.review` made of a batch's findings. */
export interface FindingReview {
  /** Findings as they are to be stored and correlated into cases. */
  findings: Finding[];
  /** Findings stored but kept out of cases (judged harmless, with the reason why). */
  cleared: Finding[];
  problems: ItemProblem[];
}

export interface RunSummary {
  runId: string;
  status: "ok" | "failed";
  /** Items read from the source (observations and bad items). */
  read: number;
  observations: number;
  observationsAdded: number;
  /** Findings produced in this run, new or already stored. */
  findings: number;
  findingsAdded: number;
  casesAdded: number;
  problemCount: number;
  /** The first problems, for display; all of them are in the store. */
  problems: ItemProblem[];
  failedBatches: number;
  /** Findings of this run (new and known), best first, capped for display. */
  topFindings: Finding[];
}

/** Findings kept in the summary for display. */
const MAX_TOP_FINDINGS = 200;

/**
 * Runs ingest → detect → correlate → persist over a source. Each batch is detected and
 * written in one transaction, so a crash leaves whole batches only; re-running the same
 * input adds nothing (ids are content-derived). A batch that fails is reported and the
 * run goes on with the next.
 *
 * Items may carry a source cursor; each batch stores the last cursor of each source in
 * it, in the batch's transaction, and only after every earlier batch is stored (see
 * `CommitOrder`). After a failed batch no further cursor is stored in the run, so a
 * resumed source re-reads what was lost: at least once, never skipped.
 */
export async function runPipeline(
  source: AsyncIterable<SourceItem>,
  command: string,
  options: PipelineOptions,
): Promise<RunSummary> {
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const { store } = options;
  const runId = await store.startRun(command, now().toISOString());
  const summary: RunSummary = {
    runId,
    status: "ok",
    read: 0,
    observations: 0,
    observationsAdded: 0,
    findings: 0,
    findingsAdded: 0,
    casesAdded: 0,
    problemCount: 0,
    problems: [],
    failedBatches: 0,
    topFindings: [],
  };
  const report = () =>
    options.onProgress?.({
      read: summary.read,
      findings: summary.findings,
      findingsAdded: summary.findingsAdded,
      problems: summary.problemCount,
    });
  const noteProblems = (problems: readonly ItemProblem[]) => {
    summary.problemCount += problems.length;
    for (const p of problems)
      if (summary.problems.length < MAX_PROBLEMS_REPORTED) summary.problems.push(p);
  };

  const order = new CommitOrder();
  const handler: JobHandler<DetectJob> = async (job) => {
    let stored = false;
    try {
      await handleJob(job);
      stored = true;
    } finally {
      order.settle(job.batch, stored);
    }
  };
  const handleJob = async (job: DetectJob) => {
    let findings: Finding[] = [];
    let cleared: Finding[] = [];
    const problems: ItemProblem[] = [...job.problems];
    for (const detector of options.detectors) {
      const input = job.observations.filter((o) => detector.kinds.includes(o.kind));
      if (input.length === 0) continue;
      const result = detector.detect(input);
      findings.push(...result.findings);
      problems.push(...result.problems);
    }
    if (options.review !== undefined && findings.length > 0) {
      const reviewed = await options.review(findings);
      problems.push(...reviewed.problems);
      cleared = reviewed.cleared;
      findings = [...reviewed.findings, ...cleared];
    }
    const at = now().toISOString();
    const cursors =
      job.cursors !== undefined && job.cursors.length > 0 && (await order.mayWriteCursor(job.batch))
        ? job.cursors
        : undefined;
    const added = await store.persistBatch({
      runId: job.runId,
      observations:
        options.storeObservations === "with-findings"
          ? observationsBehind(findings, job.observations)
          : job.observations,
      findings,
      cases: correlateByTarget(
        cleared.length === 0 ? findings : findings.filter((f) => !cleared.includes(f)),
        at,
      ),
      problems: problems.map((p) => ({ ...p, at })),
      ...(cursors === undefined ? {} : { cursors }),
    });
    summary.observationsAdded += added.observationsAdded;
    summary.findingsAdded += added.findingsAdded;
    summary.casesAdded += added.casesAdded;
    summary.findings += findings.length;
    noteProblems(problems);
    keepTop(summary.topFindings, findings);
    report();
  };

  // A failed batch leaves none of its observations or findings; what went wrong, and the
  // bad items it carried, are still written (in a transaction of their own) so they can
  // be listed with the run. Only if that write fails too are they in the summary alone.
  const onError = async (job: DetectJob, err: unknown) => {
    const error = toVigilError(err, "VIGIL_ERR_PIPELINE_JOB");
    summary.failedBatches++;
    summary.status = "failed";
    const first = job.observations[0]?.source ?? job.problems[0]?.item ?? "no items";
    const failure: ItemProblem = {
      item: `batch ${job.batch + 1} (${job.observations.length} names from ${first} on)`,
      code: error.code,
      message: `not stored: ${error.message}`,
    };
    const problems = [...job.problems, failure];
    noteProblems(problems);
    const at = now().toISOString();
    try {
      await store.persistBatch({
        runId: job.runId,
        observations: [],
        findings: [],
        cases: [],
        problems: problems.map((p) => ({ ...p, at })),
      });
    } catch (again) {
      noteProblems([
        {
          item: failure.item,
          code: toVigilError(again).code,
          message: `its problems could not be stored either: ${toVigilError(again).message}`,
        },
      ]);
    }
  };

  const queue =
    options.queue?.(handler, onError) ??
    new InProcessQueue(handler, {
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      onError,
    });

  let batch: DetectJob = { runId, batch: 0, observations: [], problems: [] };
  const seen = new Set<string>();
  /** Last cursor per source among the current batch's items. */
  const cursors = new Map<string, string>();
  /** `performance.now()` when the current batch got its first item. */
  let openedAt = 0;
  const isEmpty = () =>
    batch.observations.length === 0 && batch.problems.length === 0 && cursors.size === 0;
  const flush = async () => {
    if (isEmpty()) return;
    const full = batch;
    if (cursors.size > 0) {
      full.cursors = [...cursors].map(([source, position]) => ({ source, position }));
    }
    batch = { runId, batch: full.batch + 1, observations: [], problems: [] };
    seen.clear();
    cursors.clear();
    order.enqueue(full.batch);
    await queue.add(full);
  };
  /** The next item, or undefined when the open batch has waited `maxBatchWaitMs`. */
  const next = async (pending: Promise<IteratorResult<SourceItem>>) => {
    const wait = options.maxBatchWaitMs;
    if (wait === undefined || isEmpty()) return pending;
    const left = openedAt + wait - performance.now();
    if (left <= 0) return undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        pending,
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), left);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<SourceItem>> | undefined;
  let ended = false;
  try {
    for (;;) {
      pending ??= iterator.next();
      const result = await next(pending);
      if (result === undefined) {
        await flush();
        continue;
      }
      pending = undefined;
      if (result.done === true) {
        ended = true;
        break;
      }
      const item = result.value;
      // A full batch is queued when the next item arrives, not at once, so the cursor that
      // follows its last item (the end of a log entry) is stored with it.
      if (
        ("problem" in item || "observation" in item) &&
        batch.observations.length + batch.problems.length >= batchSize
      ) {
        await flush();
      }
      if (isEmpty()) openedAt = performance.now();
      if ("problem" in item) {
        summary.read++;
        batch.problems.push(item.problem);
      } else if ("observation" in item) {
        summary.read++;
        if (!seen.has(item.observation.id)) {
          seen.add(item.observation.id);
          batch.observations.push(item.observation);
          summary.observations++;
        }
      }
      if (item.cursor !== undefined) cursors.set(item.cursor.source, item.cursor.position);
    }
    await flush();
  } finally {
    // Like `for await`: tell a source we stopped early, unless it is busy producing an item.
    if (!ended && pending === undefined) await iterator.return?.();
    await queue.drain();
    if (ended && options.finish !== undefined && summary.status === "ok") {
      await finishAnalysis(options.finish, summary, store, runId, now, noteProblems);
    }
    await store.finishRun(runId, summary.status, now().toISOString(), {
      read: summary.read,
      observationsAdded: summary.observationsAdded,
      findings: summary.findings,
      findingsAdded: summary.findingsAdded,
      problems: summary.problemCount,
      failedBatches: summary.failedBatches,
    });
  }
  summary.topFindings.sort((a, b) => b.score - a.score || a.subject.localeCompare(b.subject));
  return summary;
}

/** Runs a whole-input analysis and stores its findings and cases as one more batch. */
async function finishAnalysis(
  finish: NonNullable<PipelineOptions["finish"]>,
  summary: RunSummary,
  store: Store,
  runId: string,
  now: () => Date,
  noteProblems: (problems: readonly ItemProblem[]) => void,
): Promise<void> {
  try {
    const { findings, cases, problems = [] } = await finish();
    const at = now().toISOString();
    const added = await store.persistBatch({
      runId,
      observations: [],
      findings,
      cases,
      problems: problems.map((p) => ({ ...p, at })),
    });
    noteProblems(problems);
    summary.findings += findings.length;
    summary.findingsAdded += added.findingsAdded;
    summary.casesAdded += added.casesAdded;
    keepTop(summary.topFindings, findings);
  } catch (err) {
    const error = toVigilError(err, "VIGIL_ERR_PIPELINE_JOB");
    summary.status = "failed";
    summary.problemCount++;
    const problem = { item: "whole-input analysis", code: error.code, message: error.message };
    if (summary.problems.length < MAX_PROBLEMS_REPORTED) summary.problems.push(problem);
    await store
      .persistBatch({
        runId,
        observations: [],
        findings: [],
        cases: [],
        problems: [{ ...problem, at: now().toISOString() }],
      })
      .catch(() => undefined);
  }
}

/** The observations a finding rests on, in their original order. */
function observationsBehind(
  findings: readonly Finding[],
  observations: readonly Observation[],
): Observation[] {
  const wanted = new Set(findings.flatMap((f) => f.observationIds));
  return observations.filter((o) => wanted.has(o.id));
}

function keepTop(top: Finding[], findings: readonly Finding[]): void {
  // The same lookalike seen again (in another certificate, say) is one finding, shown once.
  const shown = new Set(top.map((f) => f.id));
  for (const f of findings) {
    if (shown.has(f.id)) continue;
    shown.add(f.id);
    top.push(f);
  }
  if (top.length > MAX_TOP_FINDINGS * 2) {
    top.sort((a, b) => b.score - a.score);
    top.length = MAX_TOP_FINDINGS;
  }
}
