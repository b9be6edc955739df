import { z } from "zod";
import type { Detector, ItemProblem } from "../detect/index.js";
import { toVigilError } from "../errors.js";
import { type Finding, type Observation, ObservationSchema } from "../model/index.js";
import type { SourceItem } from "../sources/index.js";
import type { Store } from "../store/index.js";
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
});
export type DetectJob = {
  runId: string;
  batch: number;
  observations: Observation[];
  problems: ItemProblem[];
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

  const handler: JobHandler<DetectJob> = async (job) => {
    const findings: Finding[] = [];
    const problems: ItemProblem[] = [...job.problems];
    for (const detector of options.detectors) {
      const input = job.observations.filter((o) => detector.kinds.includes(o.kind));
      if (input.length === 0) continue;
      const result = detector.detect(input);
      findings.push(...result.findings);
      problems.push(...result.problems);
    }
    const at = now().toISOString();
    const added = await store.persistBatch({
      runId: job.runId,
      observations: job.observations,
      findings,
      cases: correlateByTarget(findings, at),
      problems: problems.map((p) => ({ ...p, at })),
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
  const flush = async () => {
    if (batch.observations.length === 0 && batch.problems.length === 0) return;
    const full = batch;
    batch = { runId, batch: full.batch + 1, observations: [], problems: [] };
    seen.clear();
    await queue.add(full);
  };
  try {
    for await (const item of source) {
      summary.read++;
      if ("problem" in item) batch.problems.push(item.problem);
      else if (!seen.has(item.observation.id)) {
        seen.add(item.observation.id);
        batch.observations.push(item.observation);
        summary.observations++;
      }
      if (batch.observations.length + batch.problems.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    await queue.drain();
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

function keepTop(top: Finding[], findings: readonly Finding[]): void {
  for (const f of findings) top.push(f);
  if (top.length > MAX_TOP_FINDINGS * 2) {
    top.sort((a, b) => b.score - a.score);
    top.length = MAX_TOP_FINDINGS;
  }
}
