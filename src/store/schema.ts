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

/**
 * One notice to one person about one case (docs/notify.md): rendered once when it is
 * made, so retries send the same words and the table is the audit trail of what was said.
 * `dedup_key` (case, kind, recipient, generation) makes a second copy of a message in the
 * same case a copy of the open notice rather than a new one.
 */
export interface NoticesTable {
  /** `ntc_` and 16 hex digits: what `vigil notify ack ID` takes. */
  id: string;
  dedup_key: string;
  /** `dedup_key` without its generation: one recipient's notices about one case. */
  dedup_base: string;
  /** 1 for the first notice of a case to a recipient; the next after an acknowledgement. */
  generation: number;
  case_id: string;
  finding_id: string;
  /** `target` (the person the mail was sent to), `security-contact` or `escalation`. */
  kind: string;
  recipient_name: string;
  recipient_email: string | null;
  person_id: string | null;
  organisation_id: string | null;
  /** For an escalation: the notice that was not acknowledged. */
  escalation_of: string | null;
  subject: string;
  body: string;
  /** JSON: the webhook payload's `notice` object. */
  payload: string;
  /** JSON arrays of channel names (`email`, `webhook`): all of them, and those not yet delivered. */
  channels: string;
  pending_channels: string;
  /** `pending`, `sent` (every channel delivered) or `failed` (retries exhausted). */
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  /** SHA-256 (hex) of the acknowledgement token; the token itself is only in the notice. */
  token_hash: string;
  /** Copies of the message (or of others in the same case) seen for this notice, the first included. */
  copies: number;
  created_at: string;
  sent_at: string | null;
  acknowledged_at: string | null;
  /** `link` or `cli`. */
  acknowledged_via: string | null;
  escalated_at: string | null;
}

/** Which findings (copies of the message, or others in the same case) a notice covers. */
export interface NoticeFindingsTable {
  notice_id: string;
  finding_id: string;
  at: string;
}

/** Every delivery attempt of a notice on one channel, with what the other side answered. */
export interface NoticeDeliveriesTable {
  id: Generated<number | string>;
  notice_id: string;
  channel: string;
  attempt: number;
  at: string;
  /** 1 delivered, 0 failed (SQLite has no boolean). */
  ok: number;
  detail: string;
}

/** What happened to a notice besides deliveries: created, copy, acknowledged, escalated. */
export interface NoticeEventsTable {
  id: Generated<number | string>;
  notice_id: string;
  type: string;
  at: string;
  detail: string;
}

/**
 * One triaged message counted in the correspondent history, by the SHA-256 of its raw
 * bytes, so counting the same message again is a no-op. `seq` orders the history: what
 * stood before a message is what has a smaller `seq`.
 */
export interface CorrespondenceMessagesTable {
  seq: Generated<number | string>;
  message_key: string;
  counted_at: string;
}

/**
 * Mail from one sender address to one recipient address (both lower-case), from the
 * headers of every triaged message, clean ones included; never bodies.
 */
export interface CorrespondentsTable {
  sender: string;
  recipient: string;
  /** `seq` of the first message counted for the pair (bigint on PostgreSQL: read as text). */
  first_seq: number | string;
  first_seen: string;
  last_seen: string;
  messages: number;
  /**
   * JSON arrays of `[registrable domain, seq first seen]`, at most
   * `MAX_CORRESPONDENT_DOMAINS` each: Reply-To and Return-Path domains, and link domains.
   */
  reply_paths: string;
  link_domains: string;
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
  notices: NoticesTable;
  notice_findings: NoticeFindingsTable;
  notice_deliveries: NoticeDeliveriesTable;
  notice_events: NoticeEventsTable;
  correspondence_messages: CorrespondenceMessagesTable;
  correspondents: CorrespondentsTable;
}
