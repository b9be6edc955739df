/** Who a notice is for: the person mailed, their security contact, or an escalation to it. */
export type NoticeKind = "target" | "security-contact" | "escalation";
/** How a notice travels. */
export type NoticeChannelName = "email" | "webhook";
/** `pending` until every channel delivered (`sent`) or the retries ran out (`failed`). */
export type NoticeStatus = "pending" | "sent" | "failed";

/** A notice as stored: what was said, to whom, and where it stands. */
export interface StoredNotice {
  id: string;
  dedupKey: string;
  generation: number;
  caseId: string;
  findingId: string;
  kind: NoticeKind;
  recipientName: string;
  recipientEmail?: string;
  personId?: string;
  organisationId?: string;
  escalationOf?: string;
  subject: string;
  body: string;
  /** The webhook payload's `notice` object. */
  payload: Record<string, unknown>;
  channels: NoticeChannelName[];
  pendingChannels: NoticeChannelName[];
  status: NoticeStatus;
  attempts: number;
  nextAttemptAt?: string;
  copies: number;
  createdAt: string;
  sentAt?: string;
  acknowledgedAt?: string;
  acknowledgedVia?: "link" | "cli";
  escalatedAt?: string;
}

/** A notice to store: made by the notifier, rendered, with the hash of its token. */
export interface NewNotice
  extends Omit<
    StoredNotice,
    | "dedupKey"
    | "status"
    | "attempts"
    | "copies"
    | "sentAt"
    | "acknowledgedAt"
    | "acknowledgedVia"
    | "escalatedAt"
    | "pendingChannels"
  > {
  /** One recipient's notices about one case share it; the generation tells them apart. */
  dedupBase: string;
  tokenHash: string;
}

/** One delivery attempt on one channel. */
export interface NoticeDelivery {
  noticeId: string;
  channel: NoticeChannelName;
  attempt: number;
  at: string;
  ok: boolean;
  /** The server's answer (SMTP reply, HTTP status) or the error. */
  detail: string;
}

export type NoticeEventType = "created" | "copy" | "acknowledged" | "escalated" | "not-escalated";

export interface NoticeEvent {
  noticeId: string;
  type: NoticeEventType;
  at: string;
  detail: string;
}

/** Where a notice stands after an attempt, written with the attempt in one transaction. */
export interface NoticeProgress {
  pendingChannels: NoticeChannelName[];
  status: NoticeStatus;
  attempts: number;
  nextAttemptAt?: string;
  sentAt?: string;
}

/** The notices' part of the store (same on SQLite and PostgreSQL). */
export interface NoticeStore {
  /** Whether a notice of `dedupBase` already covers `findingId` (the same message seen again). */
  covers(dedupBase: string, findingId: string): Promise<boolean>;
  /** The newest notice of `dedupBase` (highest generation), if any. */
  latest(dedupBase: string): Promise<StoredNotice | undefined>;
  /**
   * Stores a new notice with a `created` event, unless one with the same base and
   * generation exists (made by a concurrent run): then nothing is written and that one is
   * returned with `created: false`.
   */
  create(notice: NewNotice, at: string): Promise<{ created: boolean; notice: StoredNotice }>;
  /** Counts one more copy (finding) on a notice, with an event saying what it was. */
  recordCopy(noticeId: string, findingId: string, at: string, detail: string): Promise<void>;
  /** Notices with channels still to deliver whose next attempt is due at `now`, oldest first. */
  due(now: string, limit: number): Promise<StoredNotice[]>;
  /** Records delivery attempts and where the notice stands after them, in one transaction. */
  recordDeliveries(
    noticeId: string,
    deliveries: readonly NoticeDelivery[],
    progress: NoticeProgress,
  ): Promise<void>;
  /**
   * Acknowledges a notice found by id or by the SHA-256 of its token. Returns the notice
   * (already acknowledged ones unchanged), or undefined when none matches.
   */
  acknowledge(
    by: { id: string } | { tokenHash: string },
    at: string,
    via: "link" | "cli",
  ): Promise<StoredNotice | undefined>;
  /** Notices to targeted people made at or before `createdBefore`, not acknowledged nor escalated. */
  overdue(createdBefore: string, limit: number): Promise<StoredNotice[]>;
  /** Marks a notice escalated (or not escalatable), with an event saying to whom or why not. */
  markEscalated(
    noticeId: string,
    at: string,
    type: "escalated" | "not-escalated",
    detail: string,
  ): Promise<void>;
  get(id: string): Promise<StoredNotice | undefined>;
  /** The notice whose acknowledgement token hashes (SHA-256, hex) to `tokenHash`. */
  getByToken(tokenHash: string): Promise<StoredNotice | undefined>;
  /** Notices, newest first. */
  list(limit?: number): Promise<StoredNotice[]>;
  deliveries(noticeId: string): Promise<NoticeDelivery[]>;
  events(noticeId: string): Promise<NoticeEvent[]>;
}
