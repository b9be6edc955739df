import { type CorrespondentHistory, correspondenceFacts } from "../detect/index.js";
import type { EmailMessage } from "../model/index.js";
import {
  type CorrespondenceRecord,
  MAX_CORRESPONDENT_DOMAINS,
  mergeCorrespondent,
  type Store,
  type StoredCorrespondent,
} from "../store/index.js";

/**
 * Places given to this run's messages before the store numbers them: above any number the
 * store gives (it counts from 1), so what the store holds always came before them.
 */
const RUN_SEQ_BASE = 2 ** 52;

/** One message's history before it, and what to store for it (unset: already counted). */
export interface TrackedMessage {
  history?: CorrespondentHistory;
  record?: CorrespondenceRecord;
}

/**
 * The correspondent history as one run sees it: what the store held when a sender or
 * recipient was first met in the run, plus the run's own messages in read order, so the
 * second message of a contact in one mbox sees the first even before its batch is stored.
 * Each sender's and recipient's rows are read once per run (when first met, before any
 * of the run's mail about them can have been stored, so nothing is counted twice).
 *
 * A message the store counted before (a re-scan, a copy in another folder) gets the
 * history as it stood before it — rows and domains with a smaller place — and is not
 * counted again, so re-scanning a mailbox gives the same verdicts. Message counts of a
 * re-scanned message's pairs include later mail; only "at least one" is used
 * (`MIN_KNOWN_MESSAGES`).
 *
 * Memory grows with the distinct senders and recipients of the run (a few hundred bytes
 * each), not with its messages.
 */
export class CorrespondentTracker {
  readonly #store: Store;
  readonly #senders = new Map<string, StoredCorrespondent[]>();
  /** Place of the first mail recorded to each recipient met, or +∞ when none. */
  readonly #recipients = new Map<string, number>();
  /** This run's messages, by key, with the place given them. */
  readonly #run = new Map<string, number>();
  #next = RUN_SEQ_BASE;
  /** Calls run one at a time (folders are watched side by side), in the order made. */
  #last: Promise<unknown> = Promise.resolve();

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * The history of `message` before it, with its record for the store when it is new.
   * `at`: when it was seen (the server's received time, else the scan's), ISO 8601.
   */
  track(message: EmailMessage, at: string): Promise<TrackedMessage> {
    const result = this.#last.then(() => this.#track(message, at));
    this.#last = result.catch(() => undefined);
    return result;
  }

  async #track(message: EmailMessage, at: string): Promise<TrackedMessage> {
    const facts = correspondenceFacts(message);
    if (facts === undefined) return {};
    const key = message.sha256;
    const uncachedSender = this.#senders.has(facts.sender) ? undefined : facts.sender;
    const uncachedRecipients = facts.recipients.filter((r) => !this.#recipients.has(r));
    let seq = this.#run.get(key);
    if (seq === undefined || uncachedSender !== undefined || uncachedRecipients.length > 0) {
      const lookup = await this.#store.correspondence({
        messageKey: key,
        ...(uncachedSender === undefined ? {} : { sender: uncachedSender }),
        recipients: uncachedRecipients,
      });
      if (uncachedSender !== undefined) this.#senders.set(uncachedSender, lookup.correspondents);
      for (const r of uncachedRecipients) this.#recipients.set(r, Number.POSITIVE_INFINITY);
      for (const r of lookup.recipients) this.#recipients.set(r.recipient, r.firstSeq);
      seq ??= lookup.messageSeq;
    }
    const counted = seq !== undefined;
    seq ??= this.#next++;
    const pairs = this.#senders.get(facts.sender) ?? [];
    const history = historyBefore(pairs, facts.recipients, this.#recipients, seq);
    if (counted) return { history };

    // New: counted in the run's view now, and in the store with its batch.
    this.#run.set(key, seq);
    for (const recipient of facts.recipients) {
      const i = pairs.findIndex((p) => p.recipient === recipient);
      const merged = mergeCorrespondent(pairs[i], recipient, seq, at, facts);
      if (i < 0) pairs.push(merged);
      else pairs[i] = merged;
      this.#recipients.set(recipient, Math.min(this.#recipients.get(recipient) ?? seq, seq));
    }
    this.#senders.set(facts.sender, pairs);
    return {
      history,
      record: {
        messageKey: key,
        sender: facts.sender,
        recipients: facts.recipients,
        at,
        replyPathDomains: facts.replyPathDomains,
        linkDomains: facts.linkDomains,
      },
    };
  }
}

/** What stood before the message at place `seq`, from the sender's pairs and the recipients' first mail. */
function historyBefore(
  pairs: readonly StoredCorrespondent[],
  recipients: readonly string[],
  firstMail: ReadonlyMap<string, number>,
  seq: number,
): CorrespondentHistory {
  const earlier = pairs.filter((p) => p.firstSeq < seq);
  const wanted = new Set(recipients);
  const replyPaths = new Set<string>();
  const links = new Set<string>();
  let replyPathsFull = false;
  let linkDomainsFull = false;
  for (const p of earlier) {
    for (const d of p.replyPaths) if (d.seq < seq) replyPaths.add(d.domain);
    for (const d of p.linkDomains) if (d.seq < seq) links.add(d.domain);
    // A full list may have dropped a domain seen before this message: say nothing is new.
    replyPathsFull ||= p.replyPaths.length >= MAX_CORRESPONDENT_DOMAINS;
    linkDomainsFull ||= p.linkDomains.length >= MAX_CORRESPONDENT_DOMAINS;
  }
  return {
    known: earlier
      .filter((p) => wanted.has(p.recipient))
      .map((p) => ({
        recipient: p.recipient,
        messages: p.messages,
        firstSeen: p.firstSeen,
        lastSeen: p.lastSeen,
      })),
    senderMessages: Math.max(0, ...earlier.map((p) => p.messages)),
    recipientsWithHistory: recipients.filter(
      (r) => (firstMail.get(r) ?? Number.POSITIVE_INFINITY) < seq,
    ),
    replyPathDomains: [...replyPaths],
    linkDomains: [...links],
    replyPathsFull,
    linkDomainsFull,
  };
}
