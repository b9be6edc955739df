import type {
  Case,
  Finding,
  FindingKind,
  Observation,
  ObservationKind,
  Watchlist,
} from "../model/index.js";
import type { NoticeStore } from "./notice-store.js";

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
  /**
   * Header facts of triaged messages for the correspondent history, written in the same
   * transaction; a message already counted (same `messageKey`) is not counted again.
   */
  correspondence?: readonly CorrespondenceRecord[];
}

/**
 * What the correspondent history keeps of one triaged message (docs/email-report.md):
 * addresses and domains from its headers and links, never its text.
 */
export interface CorrespondenceRecord {
  /** SHA-256 (hex) of the raw message: the same message is counted once. */
  messageKey: string;
  /** The From address, lower-case. */
  sender: string;
  /** To and Cc addresses, lower-case, at most `MAX_CORRESPONDENCE_RECIPIENTS`. */
  recipients: readonly string[];
  /** When it was seen: the server's received time, else the scan's. */
  at: string;
  /** Registrable domains of its Reply-To and Return-Path addresses. */
  replyPathDomains: readonly string[];
  /** Registrable domains its links go to. */
  linkDomains: readonly string[];
}

/** Mail from one sender to one recipient, as stored. */
export interface StoredCorrespondent {
  recipient: string;
  /** Place in the history of the pair's first message: smaller came earlier. */
  firstSeq: number;
  firstSeen: string;
  lastSeen: string;
  messages: number;
  /** Reply-path domains seen from the sender with the place each was first seen, oldest first. */
  replyPaths: Array<{ domain: string; seq: number }>;
  linkDomains: Array<{ domain: string; seq: number }>;
}

/** What `Store.correspondence` is asked: one message's key, and what is not known yet. */
export interface CorrespondenceQuery {
  messageKey: string;
  /** Read this sender's correspondents. */
  sender?: string;
  /** Read when each of these recipients had mail recorded first. */
  recipients?: readonly string[];
}

export interface CorrespondenceLookup {
  /** The message's place in the history, when it was counted before (a re-scan). */
  messageSeq?: number;
  /** The sender's correspondents, oldest first, at most `MAX_CORRESPONDENTS_READ`. */
  correspondents: StoredCorrespondent[];
  /** The recipients asked about that have mail recorded, with the first message's place. */
  recipients: Array<{ recipient: string; firstSeq: number }>;
}

export interface PersistResult {
  observationsAdded: number;
  findingsAdded: number;
  casesAdded: number;
}

/** A page of `Store.readObservations`. */
export interface ObservationPage {
  kind: ObservationKind;
  /** The last id of the previous page; unset for the first. */
  after?: string;
  /** ISO 8601; observations observed at or after this instant. */
  since?: string;
  /** At most this many (1 to MAX_OBSERVATIONS_PAGE). */
  limit: number;
}

/** What `Store.readObservations` read of one page. */
export interface ObservationRead {
  observations: Observation[];
  /** Rows whose stored data could not be read (not JSON, say), by observation id. */
  unreadable: Array<{ id: string; message: string }>;
  /** Rows in the page, read or not: fewer than the limit means there are no more. */
  rows: number;
  /** The id of the page's last row, read or not: `after` for the next page. */
  last?: string;
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
  /** Notices to the people targeted, their deliveries and acknowledgements (docs/notify.md). */
  readonly notices: NoticeStore;
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
  /** Correspondent history for one message's sender and recipients (docs/email-report.md). */
  correspondence(query: CorrespondenceQuery): Promise<CorrespondenceLookup>;
  /**
   * One page of the stored observations of a kind, in id order, after the id `after`
   * (keyset paging: pass the page's `last` id to get the next; a page of fewer than
   * `limit` rows is the end). A row that cannot be read is named in `unreadable` and the
   * others are returned.
   */
  readObservations(page: ObservationPage): Promise<ObservationRead>;
  listCases(): Promise<Case[]>;
  listProblems(runId?: string): Promise<StoredProblem[]>;
  listRuns(limit?: number): Promise<RunInfo[]>;
  counts(): Promise<StoreCounts>;
  close(): Promise<void>;
}
