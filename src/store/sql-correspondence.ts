import type { Kysely, Selectable, Transaction } from "kysely";
import { VigilError } from "../errors.js";
import type { CorrespondentsTable, Database } from "./schema.js";
import type {
  CorrespondenceLookup,
  CorrespondenceQuery,
  CorrespondenceRecord,
  StoredCorrespondent,
  StoreEngine,
} from "./store.js";

/**
 * Distinct reply-path domains, and link domains, kept per (sender, recipient) pair: the
 * first ones seen. A sender past this many is one whose mail goes everywhere (a
 * newsletter); "never seen from this sender" is not said of them (see `full` in
 * `CorrespondentHistory`), and the row cannot grow without bound.
 */
export const MAX_CORRESPONDENT_DOMAINS = 20;
/** Recipients recorded per message: a message to a whole list adds this many pairs, no more. */
export const MAX_CORRESPONDENCE_RECIPIENTS = 20;
/** A sender's correspondents read for one message: bounds memory for a bulk sender. */
export const MAX_CORRESPONDENTS_READ = 1000;
/** Longest address kept (RFC 5321 §4.5.3.1 allows 64 + 1 + 255 octets). */
const MAX_ADDRESS_CHARS = 320;
/** Longest domain kept (RFC 1035 §2.3.4). */
const MAX_DOMAIN_CHARS = 253;

/** Checks a record before any transaction opens: malformed input is a clear error. */
export function checkCorrespondence(records: readonly CorrespondenceRecord[]): void {
  for (const r of records) {
    const bad = (what: string) =>
      new VigilError("VIGIL_ERR_STORE_WRITE", `malformed correspondence record: ${what}`);
    if (!/^[0-9a-f]{64}$/.test(r.messageKey)) throw bad("messageKey is not a SHA-256");
    if (r.sender === "" || r.sender.length > MAX_ADDRESS_CHARS) throw bad("sender");
    if (r.recipients.length > MAX_CORRESPONDENCE_RECIPIENTS)
      throw bad(`more than ${MAX_CORRESPONDENCE_RECIPIENTS} recipients`);
    if (r.recipients.some((a) => a === "" || a.length > MAX_ADDRESS_CHARS)) throw bad("recipient");
    if (Number.isNaN(Date.parse(r.at))) throw bad(`time ${r.at}`);
    for (const d of [...r.replyPathDomains, ...r.linkDomains]) {
      if (d === "" || d.length > MAX_DOMAIN_CHARS) throw bad(`domain ${d.slice(0, 50)}`);
    }
  }
}

/**
 * Counts each new message of `records` in the history, in order, inside the batch's
 * transaction. A pair's row is read, merged and written back; on PostgreSQL the read
 * locks it (FOR UPDATE) so two writers of one pair do not lose a count. (Two writers that
 * both create the same new pair at once can still lose one message's count: rare, and it
 * only makes a correspondent look one message newer.)
 */
export async function writeCorrespondence(
  trx: Transaction<Database>,
  engine: StoreEngine,
  records: readonly CorrespondenceRecord[],
): Promise<void> {
  for (const r of records) {
    const counted = await trx
      .insertInto("correspondence_messages")
      .values({ message_key: r.messageKey, counted_at: new Date(r.at).toISOString() })
      .onConflict((oc) => oc.column("message_key").doNothing())
      .returning("seq")
      .executeTakeFirst();
    if (counted === undefined) continue;
    const seq = Number(counted.seq);
    const at = new Date(r.at).toISOString();
    for (const recipient of new Set(r.recipients)) {
      const row = await trx
        .selectFrom("correspondents")
        .selectAll()
        .where("sender", "=", r.sender)
        .where("recipient", "=", recipient)
        .$if(engine === "postgres", (q) => q.forUpdate())
        .executeTakeFirst();
      const before = row === undefined ? undefined : toCorrespondent(row);
      const merged = mergeCorrespondent(before, recipient, seq, at, r);
      const values = {
        sender: r.sender,
        recipient,
        first_seq: merged.firstSeq,
        first_seen: merged.firstSeen,
        last_seen: merged.lastSeen,
        messages: merged.messages,
        reply_paths: JSON.stringify(merged.replyPaths.map((d) => [d.domain, d.seq])),
        link_domains: JSON.stringify(merged.linkDomains.map((d) => [d.domain, d.seq])),
      };
      await trx
        .insertInto("correspondents")
        .values(values)
        .onConflict((oc) =>
          oc.columns(["sender", "recipient"]).doUpdateSet({
            first_seq: values.first_seq,
            first_seen: values.first_seen,
            last_seen: values.last_seen,
            messages: values.messages,
            reply_paths: values.reply_paths,
            link_domains: values.link_domains,
          }),
        )
        .execute();
    }
  }
}

/** One message added to a pair's history (or the pair's first message). */
export function mergeCorrespondent(
  before: StoredCorrespondent | undefined,
  recipient: string,
  seq: number,
  at: string,
  record: Pick<CorrespondenceRecord, "replyPathDomains" | "linkDomains">,
): StoredCorrespondent {
  const add = (list: Array<{ domain: string; seq: number }>, domains: readonly string[]) => {
    const out = [...list];
    for (const domain of domains) {
      if (out.length >= MAX_CORRESPONDENT_DOMAINS) break;
      if (!out.some((d) => d.domain === domain)) out.push({ domain, seq });
    }
    return out;
  };
  if (before === undefined) {
    return {
      recipient,
      firstSeq: seq,
      firstSeen: at,
      lastSeen: at,
      messages: 1,
      replyPaths: add([], record.replyPathDomains),
      linkDomains: add([], record.linkDomains),
    };
  }
  return {
    recipient,
    firstSeq: Math.min(before.firstSeq, seq),
    firstSeen: at < before.firstSeen ? at : before.firstSeen,
    lastSeen: at > before.lastSeen ? at : before.lastSeen,
    messages: before.messages + 1,
    replyPaths: add(before.replyPaths, record.replyPathDomains),
    linkDomains: add(before.linkDomains, record.linkDomains),
  };
}

/** The history `query` asks for; rows that do not parse are a read error (the caller's). */
export async function readCorrespondence(
  db: Kysely<Database>,
  query: CorrespondenceQuery,
): Promise<CorrespondenceLookup> {
  const counted = await db
    .selectFrom("correspondence_messages")
    .select("seq")
    .where("message_key", "=", query.messageKey)
    .executeTakeFirst();
  const rows =
    query.sender === undefined
      ? []
      : await db
          .selectFrom("correspondents")
          .selectAll()
          .where("sender", "=", query.sender)
          .orderBy("first_seq")
          .limit(MAX_CORRESPONDENTS_READ)
          .execute();
  const asked = [...new Set(query.recipients ?? [])].slice(0, MAX_CORRESPONDENCE_RECIPIENTS);
  const firsts =
    asked.length === 0
      ? []
      : await db
          .selectFrom("correspondents")
          .select((eb) => ["recipient", eb.fn.min("first_seq").as("first_seq")])
          .where("recipient", "in", asked)
          .groupBy("recipient")
          .execute();
  return {
    ...(counted === undefined ? {} : { messageSeq: Number(counted.seq) }),
    correspondents: rows.map(toCorrespondent),
    recipients: firsts.map((f) => ({ recipient: f.recipient, firstSeq: Number(f.first_seq) })),
  };
}

function toCorrespondent(row: Selectable<CorrespondentsTable>): StoredCorrespondent {
  return {
    recipient: row.recipient,
    firstSeq: Number(row.first_seq),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    messages: Number(row.messages),
    replyPaths: domainList(row.reply_paths),
    linkDomains: domainList(row.link_domains),
  };
}

function domainList(json: string): Array<{ domain: string; seq: number }> {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) throw new TypeError("a domain list is not an array");
  return value.map((entry: unknown) => {
    if (
      !Array.isArray(entry) ||
      typeof entry[0] !== "string" ||
      typeof entry[1] !== "number" ||
      !Number.isFinite(entry[1])
    ) {
      throw new TypeError("a domain list entry is not [domain, seq]");
    }
    return { domain: entry[0], seq: entry[1] };
  });
}
