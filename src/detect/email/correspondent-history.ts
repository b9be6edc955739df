import type { EmailMessage } from "../../model/index.js";
import { MAX_LINKS_JUDGED, parseLinkDomain } from "./link-signals.js";
import { addressDomain } from "./sender-signals.js";

/** Recipients (To, then Cc) whose history is looked up and recorded per message. */
export const MAX_HISTORY_RECIPIENTS = 20;
/** Distinct link domains taken from one message for the history. */
export const MAX_HISTORY_LINK_DOMAINS = 50;
/**
 * Earlier messages that make a sender a known correspondent: one. The account-hijack
 * pattern (June 2024) is a contact who wrote before, however rarely; a higher bar would
 * miss the adviser who wrote once. A stranger's lure is `first-contact`'s business.
 */
export const MIN_KNOWN_MESSAGES = 1;

/**
 * What the store knew, before a message, about its sender and its recipients: the input
 * of the history rules (`first-contact`, `known-sender-new-reply-path`, …). The pipeline
 * looks it up before detection; the detector stays pure. Addresses are lower-case,
 * domains registrable (`mail.example.co.uk` → `example.co.uk`).
 */
export interface CorrespondentHistory {
  /** The message's recipients the sender wrote to before, with how much and when. */
  known: ReadonlyArray<{
    recipient: string;
    messages: number;
    firstSeen: string;
    lastSeen: string;
  }>;
  /** Most earlier messages from the sender to any one recipient in the store (any mailbox). */
  senderMessages: number;
  /**
   * The message's recipients that had any mail recorded before it, from anyone: the
   * mailbox has history, so a sender missing from it is news.
   */
  recipientsWithHistory: readonly string[];
  /** Reply-To and Return-Path domains seen from the sender before. */
  replyPathDomains: readonly string[];
  /** Link domains seen from the sender before. */
  linkDomains: readonly string[];
  /**
   * A list above was at its bound (the store keeps the first 20 per pair): a domain
   * missing from it may have been seen, so "never seen" is not said.
   */
  replyPathsFull: boolean;
  linkDomainsFull: boolean;
}

/** The header facts of a message the correspondent history keeps: no text, no bodies. */
export interface CorrespondenceFacts {
  sender: string;
  recipients: string[];
  replyPathDomains: string[];
  linkDomains: string[];
}

/**
 * What the history keeps of `message`: the From address, To and Cc addresses, the
 * registrable domains of Reply-To and Return-Path, and of its links. Undefined when the
 * message has no usable From address (nothing to key a history on).
 */
export function correspondenceFacts(message: EmailMessage): CorrespondenceFacts | undefined {
  const sender = message.from?.address.trim().toLowerCase() ?? "";
  if (addressDomain(sender) === undefined) return undefined;
  const recipients = [
    ...new Set(
      [...message.to, ...message.cc]
        .map((r) => r.address.trim().toLowerCase())
        .filter((a) => addressDomain(a) !== undefined),
    ),
  ].slice(0, MAX_HISTORY_RECIPIENTS);
  const replyPathDomains = new Set<string>();
  for (const address of [...message.replyTo.map((r) => r.address), message.returnPath]) {
    const domain = addressDomain(address);
    if (domain !== undefined) replyPathDomains.add(domain.registrable);
  }
  const linkDomains = new Set<string>();
  for (const link of message.links.slice(0, MAX_LINKS_JUDGED)) {
    if (linkDomains.size >= MAX_HISTORY_LINK_DOMAINS) break;
    const domain = parseLinkDomain(link.href);
    if (domain !== undefined) linkDomains.add(domain.registrable);
  }
  return {
    sender,
    recipients,
    replyPathDomains: [...replyPathDomains].slice(0, 10),
    linkDomains: [...linkDomains],
  };
}
