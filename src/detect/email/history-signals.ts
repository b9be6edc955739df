import type { EmailMessage } from "../../model/index.js";
import {
  type CorrespondentHistory,
  correspondenceFacts,
  MIN_KNOWN_MESSAGES,
} from "./correspondent-history.js";
import type { EmailContext } from "./email-context.js";
import {
  type EmailRule,
  type EmailSignal,
  round,
  EMAIL_RULE_WEIGHTS as W,
} from "./email-features.js";
import { addressDomain } from "./sender-signals.js";
import { FREEMAIL_DOMAINS } from "./service-domains.js";

/**
 * Rules whose firing makes a link to a domain never seen from a known correspondent worth
 * naming: without enrichment Vigil cannot tell a young domain from an old one, so "never
 * seen from this sender" counts only beside another sign of a lure.
 */
const LURE_COMPANIONS: ReadonlySet<EmailRule> = new Set<EmailRule>([
  "known-sender-new-reply-path",
  "lookalike-link-domain",
  "link-text-mismatch",
  "ip-literal-link",
  "punycode-link",
  "credential-path-link",
  "url-shortener",
  "redirector-link",
  "form-service-link",
  "file-sharing-link",
  "free-hosting-link",
  "brand-link-elsewhere",
  "script-link",
  "userinfo-link",
  "obfuscated-link",
  "lure-document",
  "lure-account-security",
  "lure-pressure",
]);

/** Domains named in one reason's feature; the rest are counted. */
const MAX_DOMAINS_SHOWN = 3;

/**
 * Rules on the stored correspondent history (see `CorrespondentHistory`):
 * - `first-contact`: the sender never wrote to a recipient whose mailbox has earlier
 *   mail on record (mail inside one organisation's own domain excepted);
 * - `known-sender-new-reply-path`: a known correspondent's replies now go to a domain
 *   never seen from them (Reply-To; a new Return-Path alone at half weight);
 * - `thread-new-reply-path`: that, in a message continuing a thread (In-Reply-To or
 *   References);
 * - `known-sender-new-link-domain`: a known correspondent links to a domain never seen
 *   from them, beside another sign of a lure (`fired`).
 *
 * No history (the bench, `detect()` without a store) means none of these fire.
 */
export function historySignals(
  message: EmailMessage,
  history: CorrespondentHistory | undefined,
  context: EmailContext,
  fired: readonly EmailSignal[],
): EmailSignal[] {
  if (history === undefined) return [];
  const facts = correspondenceFacts(message);
  if (facts === undefined) return [];
  const fromDomain = addressDomain(facts.sender)?.registrable;
  if (fromDomain === undefined) return [];
  const out: EmailSignal[] = [];

  const wroteTo = new Set(history.known.map((k) => k.recipient));
  const withHistory = new Set(history.recipientsWithHistory);
  const strangers = facts.recipients.filter((r) => {
    if (wroteTo.has(r) || !withHistory.has(r)) return false;
    // A colleague on the organisation's own domain is not contact from outside.
    const own = addressDomain(r)?.registrable;
    return own !== fromDomain || FREEMAIL_DOMAINS.has(fromDomain);
  });
  if (strangers.length > 0) {
    out.push({
      rule: "first-contact",
      feature: `first message from ${facts.sender} to ${list(strangers)}, whose mailbox has earlier mail on record`,
      weight: W["first-contact"],
      explanation:
        "The sender has never written to this recipient before, while the recipient's earlier mail is on record: spear-phishing begins with a first message from a stranger. Weak alone, since most first contacts are harmless.",
      techniques: ["phishing"],
    });
  }

  if (history.senderMessages < MIN_KNOWN_MESSAGES) return out;
  const known = `${facts.sender} (${history.senderMessages} earlier message${history.senderMessages === 1 ? "" : "s"})`;
  const seenReply = new Set(history.replyPathDomains);
  const isNew = (d: string) => d !== fromDomain && !seenReply.has(d);
  let newReplyPath = false;
  if (!history.replyPathsFull) {
    const replyTo = [
      ...new Set(
        message.replyTo
          .map((r) => addressDomain(r.address)?.registrable)
          .filter((d) => d !== undefined),
      ),
    ].filter(isNew);
    const returnPath = addressDomain(message.returnPath)?.registrable;
    const field = replyTo.length > 0 ? "Reply-To" : "Return-Path";
    const domains =
      replyTo.length > 0
        ? replyTo
        : returnPath !== undefined && isNew(returnPath)
          ? [returnPath]
          : [];
    if (domains.length > 0) {
      newReplyPath = true;
      out.push({
        rule: "known-sender-new-reply-path",
        feature: `${field} to ${list(domains)}, never seen from known correspondent ${known}`,
        weight: round(W["known-sender-new-reply-path"] * (field === "Reply-To" ? 1 : 0.5)),
        explanation:
          field === "Reply-To"
            ? "A known correspondent's replies now go to a domain never seen in their mail: the sign of a hijacked or spoofed account, as when an adviser's hijacked account was used against a campaign in June 2024."
            : "A known correspondent's message now comes with an envelope sender (Return-Path) on a domain never seen in their mail: their account may be spoofed or sending through someone else's server. Half weight: changing mail providers does this too.",
        techniques: ["phishing", "impersonation", "compromise"],
        evidence: domains.map((d) => ({
          type: "new-reply-path",
          value: d,
          note: `${field}, never seen from ${facts.sender}`,
        })),
      });
      if (message.inReplyTo !== undefined) {
        out.push({
          rule: "thread-new-reply-path",
          feature: `continues a thread (In-Reply-To ${message.inReplyTo.slice(0, 200)}) with a new ${field} to ${list(domains)}`,
          weight: W["thread-new-reply-path"],
          explanation:
            "The message continues an earlier conversation, which the reader trusts, while its reply path is new: a hijacked thread.",
          techniques: ["phishing", "impersonation", "compromise"],
        });
      }
    }
  }

  if (!history.linkDomainsFull) {
    const seenLinks = new Set(history.linkDomains);
    const fresh = facts.linkDomains.filter(
      (d) => d !== fromDomain && !seenLinks.has(d) && context.ownerOf(d) === undefined,
    );
    const companion =
      (newReplyPath ? "a new reply path" : undefined) ??
      fired.find((s) => LURE_COMPANIONS.has(s.rule))?.rule;
    if (fresh.length > 0 && companion !== undefined) {
      out.push({
        rule: "known-sender-new-link-domain",
        feature: `links to ${list(fresh)}, never seen from known correspondent ${known}, beside ${companion}`,
        weight: W["known-sender-new-link-domain"],
        explanation:
          "A known correspondent links to a domain never seen in their mail, beside other signs of a lure: a hijacked account sending a phishing link. (Without enrichment the domain's age is unknown; never seen from this sender stands in for it.)",
        techniques: ["link", "compromise"],
        evidence: fresh.slice(0, MAX_DOMAINS_SHOWN).map((d) => ({
          type: "new-link-domain",
          value: d,
          note: `never seen from ${facts.sender}`,
        })),
      });
    }
  }
  return out;
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, MAX_DOMAINS_SHOWN).join(", ");
  return items.length > MAX_DOMAINS_SHOWN
    ? `${shown} and ${items.length - MAX_DOMAINS_SHOWN} more`
    : shown;
}
