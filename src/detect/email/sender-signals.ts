import { type DomainName, type EmailMessage, parseDomain } from "../../model/index.js";
import { nameTokens } from "../personas/index.js";
import type { EmailContext } from "./email-context.js";
import { type EmailSignal, round, EMAIL_RULE_WEIGHTS as W } from "./email-features.js";
import { FREE_HOSTING_SUFFIXES, FREEMAIL_DOMAINS, listedParent } from "./service-domains.js";

/** Hosts where anyone can open a sending domain in minutes: tenants of cloud suites. */
const TENANT_SUFFIXES: readonly string[] = ["onmicrosoft.com"];

/** The domain of an address (`a@b.example` → `b.example`), parsed; undefined when not one. */
export function addressDomain(address: string | undefined): DomainName | undefined {
  if (address === undefined) return undefined;
  const at = address.lastIndexOf("@");
  if (at < 0) return undefined;
  const parsed = parseDomain(address.slice(at + 1).toLowerCase());
  return parsed.ok ? parsed.domain : undefined;
}

/** Words that make a display name speak for an organisation rather than a person. */
const ORGANISATION_WORDS = new Set([
  "support",
  "security",
  "team",
  "admin",
  "administrator",
  "service",
  "services",
  "helpdesk",
  "department",
  "bank",
  "billing",
  "payroll",
  "hr",
  "office",
  "committee",
  "campaign",
  "foundation",
  "institute",
  "university",
  "notification",
  "notifications",
  "alert",
  "alerts",
  "webmail",
  "mailbox",
  "it",
  "administration",
  "customer",
  "center",
  "centre",
  "desk",
]);

/**
 * Signals about who the message claims to be from: a protected person's name on an
 * address that is not theirs, lookalikes of protected domains in the sender fields,
 * free mail speaking for an organisation, addresses or domains inside the display name,
 * and reply paths that lead elsewhere.
 */
export function senderSignals(message: EmailMessage, context: EmailContext): EmailSignal[] {
  const out: EmailSignal[] = [];
  const from = message.from;
  const fromAddress = from?.address.toLowerCase() ?? "";
  const fromDomain = addressDomain(fromAddress);
  const fromFree = fromDomain !== undefined && FREEMAIL_DOMAINS.has(fromDomain.registrable);

  // A From field that shows a name apart from its address, or no address at all: an
  // unquoted comma splits it into a name-only mailbox the reader sees and the real one
  // after it (RFC 5322 §3.4 needs an address in every mailbox); mail software never
  // writes one. The reader joins the two, so the other sender rules see both.
  if (
    from !== undefined &&
    from.name.trim() !== "" &&
    (message.fromSplit === true || fromAddress === "")
  ) {
    out.push({
      rule: "from-without-address",
      feature:
        fromAddress === ""
          ? `From shows "${from.name.slice(0, 200)}" with no address`
          : `From shows "${from.name.slice(0, 200)}" apart from its address ${fromAddress.slice(0, 200)}`,
      weight: W["from-without-address"],
      explanation:
        "The From field shows a name apart from its address (or none), a malformed header built to show the reader a name while hiding where the message comes from; mail software never writes one.",
      techniques: ["impersonation"],
    });
  }

  // A sender on a free hosting or cloud-tenant subdomain, set up by anyone in minutes.
  if (fromDomain !== undefined) {
    const host = fromAddress.slice(fromAddress.lastIndexOf("@") + 1);
    const platform =
      listedParent(host, FREE_HOSTING_SUFFIXES) ?? listedParent(host, TENANT_SUFFIXES);
    if (platform !== undefined && host !== platform) {
      out.push({
        rule: "free-hosting-sender",
        feature: `the sender's domain ${host} is a subdomain of ${platform}`,
        weight: W["free-hosting-sender"],
        explanation:
          "The message comes from a subdomain of a free hosting or cloud-tenant platform, which anyone can set up in minutes under a reputable name.",
        techniques: ["service"],
      });
    }
  }

  // A protected person's name on an address that is not one of theirs.
  if (from !== undefined && from.name !== "") {
    for (const person of context.peopleNamed(from.name)) {
      if (person.emails.has(fromAddress)) continue;
      const colleague =
        fromDomain !== undefined && context.ownerOf(fromDomain.registrable) !== undefined;
      const rule = colleague ? "watchlist-name-colleague-address" : "watchlist-name-other-address";
      out.push({
        rule,
        feature: `display name "${from.name}" is ${person.name}; address ${fromAddress || "(none)"} is not theirs`,
        weight: W[rule],
        explanation: colleague
          ? `The sender uses the name of ${person.name} on an address of a protected domain that is not one of theirs.`
          : `The sender uses the name of ${person.name}, who is on the watchlist, but writes from an address that is not one of theirs.`,
        techniques: ["impersonation"],
        evidence: [
          { type: "impersonated-person", value: person.name, note: `from ${fromAddress}` },
        ],
        target: { type: "person", id: person.id, name: person.name },
      });
      break;
    }
  }

  // A protected person's name signing the message (the last lines of its text) while the
  // address is not theirs, when the display name does not already say so.
  if (!out.some((s) => s.target?.type === "person")) {
    const signer = signedBy(message.text, context);
    if (signer !== undefined && !signer.emails.has(fromAddress)) {
      out.push({
        rule: "watchlist-signature-other-address",
        feature: `signed "${signer.name}"; address ${fromAddress || "(none)"} is not theirs`,
        weight: W["watchlist-signature-other-address"],
        explanation: `The message is signed with the name of ${signer.name}, who is on the watchlist, but comes from an address that is not one of theirs.`,
        techniques: ["impersonation"],
        evidence: [
          {
            type: "impersonated-person",
            value: signer.name,
            note: `signature, from ${fromAddress}`,
          },
        ],
        target: { type: "person", id: signer.id, name: signer.name },
      });
    }
  }

  // Lookalikes of protected domains in From, Sender, Reply-To and Return-Path.
  const fields: Array<[string, string | undefined]> = [
    ["From", from?.address],
    ["Sender", message.sender?.address],
    ...message.replyTo.map((r): [string, string] => ["Reply-To", r.address]),
    ["Return-Path", message.returnPath],
  ];
  let best: EmailSignal | undefined;
  const seen = new Set<string>();
  for (const [field, address] of fields) {
    const domain = addressDomain(address);
    if (domain === undefined || seen.has(`${field} ${domain.ascii}`)) continue;
    seen.add(`${field} ${domain.ascii}`);
    const top = context.lookalikes(domain)[0];
    if (top === undefined) continue;
    const weight = round(W["lookalike-sender-domain"] * top.match.score);
    if (best !== undefined && best.weight >= weight) continue;
    best = {
      rule: "lookalike-sender-domain",
      feature: `${field} domain ${domain.unicode} imitates ${top.match.protectedDomain} (${top.match.rule}, ${top.match.score.toFixed(2)})`,
      weight,
      explanation: `The ${field} address is on a domain made to pass for ${top.match.protectedDomain}, owned by ${top.target.name}.`,
      techniques: ["impersonation", "domains"],
      evidence: [
        { type: "lookalike-domain", value: domain.ascii, note: `in ${field}` },
        {
          type: "protected-domain",
          value: top.match.protectedDomain,
          note: `owned by ${top.target.name}`,
        },
      ],
      target: top.target,
    };
  }
  if (best !== undefined) out.push(best);

  // Free mail speaking for an organisation.
  if (fromFree && from !== undefined && from.name !== "") {
    const words = nameTokens(from.name);
    const claimed = context.organisationNames.find(
      (o) => (o.words.length > 1 || (o.words[0]?.length ?? 0) >= 4) && containsRun(words, o.words),
    );
    if (claimed !== undefined) {
      out.push({
        rule: "freemail-claims-watchlist",
        feature: `display name "${from.name}" names ${claimed.target.name}; address on ${fromDomain?.registrable}`,
        weight: W["freemail-claims-watchlist"],
        explanation: `The sender claims to be ${claimed.target.name} but writes from a free mail account anyone can open.`,
        techniques: ["impersonation", "service"],
        target: claimed.target,
      });
    } else {
      const word = words.find((w) => ORGANISATION_WORDS.has(w));
      if (word !== undefined) {
        out.push({
          rule: "freemail-claims-organisation",
          feature: `display name "${from.name}" ("${word}") on ${fromDomain?.registrable}`,
          weight: W["freemail-claims-organisation"],
          explanation:
            "The display name speaks for an organisation, but the address is a free mail account.",
          techniques: ["impersonation", "service"],
        });
      }
    }
  }

  // An address or domain inside the display name, other than the sender's own.
  if (from !== undefined && from.name !== "" && fromDomain !== undefined) {
    const shown = /[a-z0-9._%+-]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)/i.exec(from.name);
    const shownDomain = shown?.[1] === undefined ? undefined : parseDomain(shown[1].toLowerCase());
    if (shownDomain?.ok && shownDomain.domain.registrable !== fromDomain.registrable) {
      out.push({
        rule: "display-name-address",
        feature: `display name shows ${shown?.[0]}; the address is ${fromAddress}`,
        weight: W["display-name-address"],
        explanation:
          "The display name shows an address on another domain than the one the message is really from.",
        techniques: ["impersonation"],
      });
    } else if (shown === null) {
      const host = /\b((?:[a-z0-9-]{1,63}\.)+(?:com|org|net|gov|edu|mil|int|[a-z]{2}))\b/i.exec(
        from.name,
      )?.[1];
      const parsed = host === undefined ? undefined : parseDomain(host.toLowerCase());
      if (
        parsed?.ok &&
        parsed.domain.label.length >= 3 &&
        parsed.domain.registrable !== fromDomain.registrable
      ) {
        out.push({
          rule: "display-name-domain",
          feature: `display name shows ${parsed.domain.registrable}; the address is on ${fromDomain.registrable}`,
          weight: W["display-name-domain"],
          explanation:
            "The display name names a website other than the domain the message is from.",
          techniques: ["impersonation"],
        });
      }
    }
  }

  // Replies that go somewhere else than the sender.
  if (fromDomain !== undefined) {
    for (const reply of message.replyTo) {
      const domain = addressDomain(reply.address);
      if (domain === undefined || domain.registrable === fromDomain.registrable) continue;
      const free = FREEMAIL_DOMAINS.has(domain.registrable) && !fromFree;
      const rule = free ? "reply-to-freemail" : "reply-to-elsewhere";
      out.push({
        rule,
        feature: `Reply-To ${reply.address.toLowerCase()} vs From ${fromAddress}`,
        weight: W[rule],
        explanation: free
          ? "Replies go to a free mail account, not to the organisation the sender writes from."
          : "Replies go to another domain than the one the message is from.",
        techniques: free ? ["impersonation", "service"] : ["impersonation"],
      });
      break;
    }
    const returnDomain = addressDomain(message.returnPath);
    if (
      returnDomain !== undefined &&
      !fromFree &&
      FREEMAIL_DOMAINS.has(returnDomain.registrable) &&
      returnDomain.registrable !== fromDomain.registrable
    ) {
      out.push({
        rule: "return-path-freemail",
        feature: `Return-Path ${message.returnPath} vs From ${fromAddress}`,
        weight: W["return-path-freemail"],
        explanation:
          "The envelope sender is a free mail account while the From address claims an organisation.",
        techniques: ["impersonation", "service"],
      });
    }
  }
  return out;
}

/** Whether `words` holds `run` as consecutive words. */
function containsRun(words: readonly string[], run: readonly string[]): boolean {
  if (run.length === 0 || run.length > words.length) return false;
  outer: for (let i = 0; i + run.length <= words.length; i++) {
    for (let j = 0; j < run.length; j++) if (words[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}

/** Lines at the end of a message's text read as its signature. */
const SIGNATURE_LINES = 6;

/**
 * The listed person whose name is a line of the message's signature (its last non-empty
 * lines, or what follows a `-- ` delimiter), in any word order ("Whitfield, Dana"), or one
 * part of a line split at `|`, `,`, `–` or ` - ` ("Dana Whitfield | Senior Adviser").
 */
function signedBy(text: string, context: EmailContext) {
  const tail = text.slice(-2_000);
  const delimited = tail.lastIndexOf("\n-- \n");
  const lines = (delimited >= 0 ? tail.slice(delimited + 4) : tail)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .slice(-SIGNATURE_LINES);
  for (const line of lines) {
    for (const part of [line, ...line.split(/\s*(?:\||,|–|—|\s-\s)\s*/)]) {
      if (part.length > 100) continue;
      const person = context.peopleNamed(part)[0];
      if (person !== undefined) return person;
    }
  }
  return undefined;
}
