import type { Case, Finding, FindingKind, Observation, Watchlist } from "../model/index.js";

export type StoreEngine = "sqlite" | "postgres";

/** A per-item problem kept with its run, so a user can see what was skipped and why. */
export interface StoredProblem {
  runId: string;
  item: string;
  code: string;
  message: string;
  at: string;
}

/** One batch, written in a single transaction: all of it is stored, or none of it. */
export interface PersistBatch {
  runId: string;
  observations: readonly Observation[];
  findings: readonly Finding[];
  /** Cases touched by this batch; `findingIds` are the links to add (existing ones are kept). */
  cases: readonly Case[];
  problems: readonly Omit<StoredProblem, "runId">[];
  /**
   * Where the sources of this batch's items have got to. Written (inserted or replaced)
   * in the same transaction as the rest, so a stored cursor never covers an item that
   * was not stored. When one source appears twice, the later entry wins.
   */
  cursors?: ReadonlyArray<{ source: string; position: string }>;
}

export interface PersistResult {
  observationsAdded: number;
  findingsAdded: number;
  casesAdded: number;
}

export interface FindingFilter {
  kind?: FindingKind;
  /** ISO 8601; findings observed at or after this instant. */
  since?: string;
  minScore?: number;
  targetId?: string;
  limit?: number;
}

export interface RunInfo {
  id: string;
  command: string;
  startedAt: string;
  finishedAt?: string;
  status: "running" | "ok" | "failed";
  stats: Record<string, number>;
}

export interface StoreCounts {
  observations: number;
  findings: number;
  cases: number;
  problems: number;
  watchlistEntities: number;
}

/** Vigil's persistent state, the same on SQLite and PostgreSQL. */
export interface Store {
  readonly engine: StoreEngine;
  /** Where the data lives: a file path, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** Replaces the stored copy of the watchlist (one transaction). */
  syncWatchlist(watchlist: Watchlist): Promise<void>;
  startRun(command: string, startedAt: string): Promise<string>;
  finishRun(
    runId: string,
    status: "ok" | "failed",
    finishedAt: string,
    stats: Record<string, number>,
  ): Promise<void>;
  persistBatch(batch: PersistBatch): Promise<PersistResult>;
  /** The position last stored for a source (see `PersistBatch.cursors`), if any. */
  getCursor(source: string): Promise<string | undefined>;
  listFindings(filter?: FindingFilter): Promise<Finding[]>;
  listCases(): Promise<Case[]>;
  listProblems(runId?: string): Promise<StoredProblem[]>;
  listRuns(limit?: number): Promise<RunInfo[]>;
  counts(): Promise<StoreCounts>;
  close(): Promise<void>;
}
