import type { Kysely, Selectable } from "kysely";
import { VigilError } from "../errors.js";
import type {
  NewNotice,
  NoticeChannelName,
  NoticeDelivery,
  NoticeEvent,
  NoticeEventType,
  NoticeKind,
  NoticeProgress,
  NoticeStatus,
  NoticeStore,
  StoredNotice,
} from "./notice-store.js";
import type { Database, NoticesTable } from "./schema.js";
import { storeError } from "./store-error.js";

/** Notices `list` returns when no limit is given. */
export const DEFAULT_NOTICES_LIMIT = 100;
/** Upper bound of one `list`, `due` or `overdue` call. */
export const MAX_NOTICES_LIMIT = 10_000;
/** Longest text kept of one delivery's detail (an SMTP reply, an error): enough to debug. */
const MAX_DETAIL_CHARS = 2000;

/** The notices' tables over Kysely, for both engines (see `NoticeStore`). */
export class SqlNoticeStore implements NoticeStore {
  readonly #db: Kysely<Database>;
  readonly #location: string;

  constructor(db: Kysely<Database>, location: string) {
    this.#db = db;
    this.#location = location;
  }

  async covers(dedupBase: string, findingId: string): Promise<boolean> {
    const row = await this.#read("notices", () =>
      this.#db
        .selectFrom("notice_findings")
        .innerJoin("notices", "notices.id", "notice_findings.notice_id")
        .select("notices.id")
        .where("notices.dedup_base", "=", dedupBase)
        .where("notice_findings.finding_id", "=", findingId)
        .limit(1)
        .executeTakeFirst(),
    );
    return row !== undefined;
  }

  async latest(dedupBase: string): Promise<StoredNotice | undefined> {
    const row = await this.#read("notices", () =>
      this.#db
        .selectFrom("notices")
        .selectAll()
        .where("dedup_base", "=", dedupBase)
        .orderBy("generation", "desc")
        .limit(1)
        .executeTakeFirst(),
    );
    return row === undefined ? undefined : toNotice(row);
  }

  async create(notice: NewNotice, at: string): Promise<{ created: boolean; notice: StoredNotice }> {
    const dedupKey = `${notice.dedupBase}#${notice.generation}`;
    const inserted = await this.#write(`cannot store notice ${notice.id}`, () =>
      this.#db.transaction().execute(async (trx) => {
        const result = await trx
          .insertInto("notices")
          .values({
            id: notice.id,
            dedup_key: dedupKey,
            dedup_base: notice.dedupBase,
            generation: notice.generation,
            case_id: notice.caseId,
            finding_id: notice.findingId,
            kind: notice.kind,
            recipient_name: notice.recipientName,
            recipient_email: notice.recipientEmail ?? null,
            person_id: notice.personId ?? null,
            organisation_id: notice.organisationId ?? null,
            escalation_of: notice.escalationOf ?? null,
            subject: notice.subject,
            body: notice.body,
            payload: JSON.stringify(notice.payload),
            channels: JSON.stringify(notice.channels),
            pending_channels: JSON.stringify(notice.channels),
            status: notice.channels.length === 0 ? "sent" : "pending",
            attempts: 0,
            next_attempt_at: notice.channels.length === 0 ? null : at,
            token_hash: notice.tokenHash,
            copies: 1,
            created_at: at,
            sent_at: null,
            acknowledged_at: null,
            acknowledged_via: null,
            escalated_at: null,
          })
          .onConflict((oc) => oc.column("dedup_key").doNothing())
          .executeTakeFirst();
        const created = Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
        if (created) {
          await trx
            .insertInto("notice_findings")
            .values({ notice_id: notice.id, finding_id: notice.findingId, at })
            .execute();
          await trx
            .insertInto("notice_events")
            .values({
              notice_id: notice.id,
              type: "created",
              at,
              detail: `${notice.kind} notice to ${notice.recipientName}`,
            })
            .execute();
        }
        return created;
      }),
    );
    const stored = await this.#read("notices", () =>
      this.#db
        .selectFrom("notices")
        .selectAll()
        .where("dedup_key", "=", dedupKey)
        .executeTakeFirstOrThrow(),
    );
    return { created: inserted, notice: toNotice(stored) };
  }

  async recordCopy(noticeId: string, findingId: string, at: string, detail: string): Promise<void> {
    await this.#write(`cannot count a copy on notice ${noticeId}`, () =>
      this.#db.transaction().execute(async (trx) => {
        const linked = await trx
          .insertInto("notice_findings")
          .values({ notice_id: noticeId, finding_id: findingId, at })
          .onConflict((oc) => oc.columns(["notice_id", "finding_id"]).doNothing())
          .executeTakeFirst();
        // The same finding again (a message re-read) is not another copy.
        if (Number(linked.numInsertedOrUpdatedRows ?? 0n) === 0) return;
        await trx
          .updateTable("notices")
          .set((eb) => ({ copies: eb("copies", "+", 1) }))
          .where("id", "=", noticeId)
          .execute();
        await trx
          .insertInto("notice_events")
          .values({ notice_id: noticeId, type: "copy", at, detail: clip(detail) })
          .execute();
      }),
    );
  }

  async due(now: string, limit: number): Promise<StoredNotice[]> {
    const rows = await this.#read("notices due", () =>
      this.#db
        .selectFrom("notices")
        .selectAll()
        .where("status", "=", "pending")
        .where("next_attempt_at", "<=", now)
        .orderBy("next_attempt_at")
        .orderBy("id")
        .limit(checkLimit(limit))
        .execute(),
    );
    return rows.map(toNotice);
  }

  async recordDeliveries(
    noticeId: string,
    deliveries: readonly NoticeDelivery[],
    progress: NoticeProgress,
  ): Promise<void> {
    await this.#write(`cannot record the delivery of notice ${noticeId}`, () =>
      this.#db.transaction().execute(async (trx) => {
        if (deliveries.length > 0) {
          await trx
            .insertInto("notice_deliveries")
            .values(
              deliveries.map((d) => ({
                notice_id: noticeId,
                channel: d.channel,
                attempt: d.attempt,
                at: d.at,
                ok: d.ok ? 1 : 0,
                detail: clip(d.detail),
              })),
            )
            .execute();
        }
        await trx
          .updateTable("notices")
          .set({
            pending_channels: JSON.stringify(progress.pendingChannels),
            status: progress.status,
            attempts: progress.attempts,
            next_attempt_at: progress.nextAttemptAt ?? null,
            ...(progress.sentAt === undefined ? {} : { sent_at: progress.sentAt }),
          })
          .where("id", "=", noticeId)
          .execute();
      }),
    );
  }

  async acknowledge(
    by: { id: string } | { tokenHash: string },
    at: string,
    via: "link" | "cli",
  ): Promise<StoredNotice | undefined> {
    const find = () => {
      const query = this.#db.selectFrom("notices").selectAll();
      return (
        "id" in by ? query.where("id", "=", by.id) : query.where("token_hash", "=", by.tokenHash)
      ).executeTakeFirst();
    };
    const row = await this.#read("notices", find);
    if (row === undefined) return undefined;
    if (row.acknowledged_at !== null) return toNotice(row);
    await this.#write(`cannot acknowledge notice ${row.id}`, () =>
      this.#db.transaction().execute(async (trx) => {
        await trx
          .updateTable("notices")
          .set({ acknowledged_at: at, acknowledged_via: via })
          .where("id", "=", row.id)
          .where("acknowledged_at", "is", null)
          .execute();
        await trx
          .insertInto("notice_events")
          .values({ notice_id: row.id, type: "acknowledged", at, detail: `by ${via}` })
          .execute();
      }),
    );
    const after = await this.#read("notices", find);
    return after === undefined ? undefined : toNotice(after);
  }

  async overdue(createdBefore: string, limit: number): Promise<StoredNotice[]> {
    const rows = await this.#read("overdue notices", () =>
      this.#db
        .selectFrom("notices")
        .selectAll()
        .where("kind", "=", "target")
        .where("acknowledged_at", "is", null)
        .where("escalated_at", "is", null)
        .where("created_at", "<=", createdBefore)
        .orderBy("created_at")
        .orderBy("id")
        .limit(checkLimit(limit))
        .execute(),
    );
    return rows.map(toNotice);
  }

  async markEscalated(
    noticeId: string,
    at: string,
    type: "escalated" | "not-escalated",
    detail: string,
  ): Promise<void> {
    await this.#write(`cannot record the escalation of notice ${noticeId}`, () =>
      this.#db.transaction().execute(async (trx) => {
        await trx
          .updateTable("notices")
          .set({ escalated_at: at })
          .where("id", "=", noticeId)
          .execute();
        await trx
          .insertInto("notice_events")
          .values({ notice_id: noticeId, type, at, detail: clip(detail) })
          .execute();
      }),
    );
  }

  async get(id: string): Promise<StoredNotice | undefined> {
    const row = await this.#read("notices", () =>
      this.#db.selectFrom("notices").selectAll().where("id", "=", id).executeTakeFirst(),
    );
    return row === undefined ? undefined : toNotice(row);
  }

  async getByToken(tokenHash: string): Promise<StoredNotice | undefined> {
    const row = await this.#read("notices", () =>
      this.#db
        .selectFrom("notices")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst(),
    );
    return row === undefined ? undefined : toNotice(row);
  }

  async list(limit = DEFAULT_NOTICES_LIMIT): Promise<StoredNotice[]> {
    const rows = await this.#read("notices", () =>
      this.#db
        .selectFrom("notices")
        .selectAll()
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(checkLimit(limit))
        .execute(),
    );
    return rows.map(toNotice);
  }

  async deliveries(noticeId: string): Promise<NoticeDelivery[]> {
    const rows = await this.#read("notice deliveries", () =>
      this.#db
        .selectFrom("notice_deliveries")
        .selectAll()
        .where("notice_id", "=", noticeId)
        .orderBy("id")
        .execute(),
    );
    return rows.map((r) => ({
      noticeId: r.notice_id,
      channel: r.channel as NoticeChannelName,
      attempt: Number(r.attempt),
      at: r.at,
      ok: Number(r.ok) === 1,
      detail: r.detail,
    }));
  }

  async events(noticeId: string): Promise<NoticeEvent[]> {
    const rows = await this.#read("notice events", () =>
      this.#db
        .selectFrom("notice_events")
        .selectAll()
        .where("notice_id", "=", noticeId)
        .orderBy("id")
        .execute(),
    );
    return rows.map((r) => ({
      noticeId: r.notice_id,
      type: r.type as NoticeEventType,
      at: r.at,
      detail: r.detail,
    }));
  }

  async #write<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw storeError("VIGIL_ERR_STORE_WRITE", `${what} (${this.#location})`, err);
    }
  }

  async #read<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw storeError("VIGIL_ERR_STORE_READ", `cannot read ${what} from ${this.#location}`, err);
    }
  }
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_NOTICES_LIMIT) {
    throw new VigilError(
      "VIGIL_ERR_STORE_READ",
      `limit must be an integer from 1 to ${MAX_NOTICES_LIMIT}`,
    );
  }
  return limit;
}

function clip(text: string): string {
  return text.length <= MAX_DETAIL_CHARS ? text : `${text.slice(0, MAX_DETAIL_CHARS)}…`;
}

function toNotice(row: Selectable<NoticesTable>): StoredNotice {
  const notice: StoredNotice = {
    id: row.id,
    dedupKey: row.dedup_key,
    generation: Number(row.generation),
    caseId: row.case_id,
    findingId: row.finding_id,
    kind: row.kind as NoticeKind,
    recipientName: row.recipient_name,
    subject: row.subject,
    body: row.body,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    channels: JSON.parse(row.channels) as NoticeChannelName[],
    pendingChannels: JSON.parse(row.pending_channels) as NoticeChannelName[],
    status: row.status as NoticeStatus,
    attempts: Number(row.attempts),
    copies: Number(row.copies),
    createdAt: row.created_at,
  };
  if (row.recipient_email !== null) notice.recipientEmail = row.recipient_email;
  if (row.person_id !== null) notice.personId = row.person_id;
  if (row.organisation_id !== null) notice.organisationId = row.organisation_id;
  if (row.escalation_of !== null) notice.escalationOf = row.escalation_of;
  if (row.next_attempt_at !== null) notice.nextAttemptAt = row.next_attempt_at;
  if (row.sent_at !== null) notice.sentAt = row.sent_at;
  if (row.acknowledged_at !== null)
    notice.acknowledgedVia = row.acknowledged_via === "link" ? "link" : "cli";
  if (row.acknowledged_at !== null) notice.acknowledgedAt = row.acknowledged_at;
  if (row.escalated_at !== null) notice.escalatedAt = row.escalated_at;
  return notice;
}
