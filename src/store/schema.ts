import type { Generated } from "kysely";

/*
 * Column conventions, the same on SQLite and PostgreSQL so one query layer serves both:
 * - JSON is stored as TEXT (portable; neither engine's JSON type is needed for our queries).
 * - Timestamps are ISO 8601 UTC strings in `Date.prototype.toISOString()` form, so text
 *   order is time order and `>=` compares instants.
 * - Scores are double precision (PostgreSQL's `real` would round them).
 */

/** One stored observation; `data` is JSON. */
export interface ObservationsTable {
  id: string;
  kind: string;
  value: string;
  data: string;
  content_hash: string;
  source: string;
  observed_at: string;
  /** The run that first stored it. */
  run_id: string;
}

/** One stored finding; `reasons`, `techniques`, `evidence` and `observation_ids` are JSON. */
export interface FindingsTable {
  id: string;
  kind: string;
  subject: string;
  /** The three target columns are all null when the finding has no target. */
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  score: number;
  severity: string;
  reasons: string;
  techniques: string;
  evidence: string;
  detector: string;
  detector_version: string;
  observed_at: string;
  observation_ids: string;
  created_at: string;
  run_id: string;
}

export interface CasesTable {
  id: string;
  title: string;
  grouping: string;
  key: string;
  actor: string | null;
  confidence: string | null;
  rationale: string | null;
  created_at: string;
}

/** Which findings belong to which case; links are only ever added. */
export interface CaseFindingsTable {
  case_id: string;
  finding_id: string;
}

export interface RunsTable {
  id: string;
  command: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  /** JSON object of named counts. */
  stats: string;
}

export interface ProblemsTable {
  /** Insertion order; pg returns `bigserial` values as strings. */
  id: Generated<number | string>;
  run_id: string;
  item: string;
  code: string;
  message: string;
  at: string;
}

/** The stored copy of the watchlist, one row per outlet, person or organisation. */
export interface WatchlistEntitiesTable {
  /** `<type>:<entity_id>`, e.g. `outlet:example-news`. */
  id: string;
  type: string;
  entity_id: string;
  name: string;
  /** The whole entity as JSON. */
  data: string;
  updated_at: string;
}

/**
 * How far each resumable source has got (a CT log: the index of the next entry to fetch).
 * Written in the same transaction as the batch it covers, so it never runs ahead of what
 * is stored.
 */
export interface SourceCursorsTable {
  /** e.g. `ct:https://ct.example/2024/`. */
  source: string;
  /** Opaque to the store; only the source reads it. */
  position: string;
  updated_at: string;
}

/** Vigil's tables as Kysely sees them. */
export interface Database {
  observations: ObservationsTable;
  findings: FindingsTable;
  cases: CasesTable;
  case_findings: CaseFindingsTable;
  runs: RunsTable;
  problems: ProblemsTable;
  watchlist_entities: WatchlistEntitiesTable;
  source_cursors: SourceCursorsTable;
}
