import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import PostalMime, { type Address, addressParser, decodeWords, type Email } from "postal-mime";
import type { ItemProblem } from "../../detect/index.js";
import {
  type EmailAttachment,
  type EmailLink,
  type EmailMailbox,
  type EmailMessage,
  MAX_EMAIL_ATTACHMENTS,
  MAX_EMAIL_LINKS,
  MAX_EMAIL_RECIPIENTS,
  MAX_EMAIL_TEXT_LENGTH,
  type MailLimitHit,
  makeObservation,
} from "../../model/index.js";
import type { SourceItem } from "../source-item.js";
import { inspectZip } from "./archive-inspector.js";
import { sniffFileType } from "./file-type.js";
import { htmlLinks, htmlToText, textLinks } from "./html-text.js";
import { authenticateMail, type MailAuthOptions } from "./mail-authenticator.js";
import { type MailLimits, mailLimits } from "./mail-limits.js";
import { guardMime } from "./mime-guard.js";
import { type RawMessage, readRawMessages } from "./raw-messages.js";

export interface ReadEmailOptions {
  /** The input's name in problems and observation sources (`inbox.mbox`, `stdin`). */
  name: string;
  observedAt: string;
  limits?: Partial<MailLimits>;
  /** Sender authentication (DNS resolver, trusted authserv-ids). */
  auth?: MailAuthOptions;
  onBytes?: (n: number) => void;
}

/**
 * Reads the messages of one input — a single message, or an mbox — and yields each as
 * an `email` observation (a normalised `EmailMessage`, value `email:<sha256 of the raw
 * bytes>`), preceded by a problem when it went past a limit (`VIGIL_ERR_MAIL_LIMIT`: it
 * is still triaged on what was read) or the MIME parser failed on it
 * (`VIGIL_ERR_MAIL_PARSE`: triaged on its headers). No message stops the others.
 */
export async function* readEmail(
  stream: Readable,
  options: ReadEmailOptions,
): AsyncGenerator<SourceItem> {
  const limits = mailLimits(options.limits);
  for await (const raw of readRawMessages(stream, {
    maxMessageBytes: limits.maxMessageBytes,
    ...(options.onBytes === undefined ? {} : { onBytes: options.onBytes }),
  })) {
    const item = raw.mbox
      ? `${options.name} message ${raw.index} (line ${raw.line})`
      : options.name;
    if (!looksLikeMail(raw.bytes)) {
      yield {
        problem: {
          item,
          code: "VIGIL_ERR_MAIL_PARSE",
          message:
            "not an e-mail message: no From, To, Subject, Date or Message-ID header at its start",
        },
      };
      continue;
    }
    const { message, problems } = await parseEmail(raw, limits, options.auth ?? {});
    for (const problem of problems) yield { problem: { ...problem, item } };
    yield {
      observation: makeObservation({
        kind: "email",
        value: `email:${message.sha256}`,
        data: message,
        source: item,
        observedAt: options.observedAt,
      }),
    };
  }
}

/** Header fields every message has one of; a file with none is not mail (a README, a YAML file). */
const MAIL_HEADERS =
  /^(?:from|to|cc|subject|date|message-id|received|return-path|sender|reply-to|mime-version|delivered-to)\s*:/im;
/** Bytes of a message's start searched for its header fields. */
const MAIL_HEAD_BYTES = 64 * 1024;

/** Whether the start of `bytes` holds a header block with at least one mail header field. */
function looksLikeMail(bytes: Buffer): boolean {
  const head = bytes.toString("latin1", 0, Math.min(bytes.length, MAIL_HEAD_BYTES));
  const end = head.search(/\r?\n\r?\n/);
  return MAIL_HEADERS.test(end < 0 ? head : head.slice(0, end));
}

/**
 * One raw message normalised: parsed under the limits, described, authenticated. Never
 * throws on the message's content; what went wrong is in the outcome and the problems.
 */
export async function parseEmail(
  raw: Pick<RawMessage, "bytes" | "size">,
  limits: MailLimits,
  auth: MailAuthOptions,
): Promise<{ message: EmailMessage; problems: Array<Omit<ItemProblem, "item">> }> {
  const hits: MailLimitHit[] = [];
  if (raw.size > limits.maxMessageBytes) {
    hits.push({ limit: "message-bytes", value: raw.size, max: limits.maxMessageBytes });
  }
  const guarded = guardMime(raw.bytes, limits);
  hits.push(...guarded.hits);
  let email: Email | undefined;
  let parseError: string | undefined;
  try {
    email = await PostalMime.parse(guarded.raw, {
      attachmentEncoding: "arraybuffer",
      // The guard has cut the message below these; they are a second line only.
      maxNestingDepth: limits.maxDepth * 2 + 10,
      maxHeadersSize: limits.maxHeaderBytes * 2 + 64 * 1024,
    });
  } catch (err) {
    parseError = (err instanceof Error ? err.message : String(err)).slice(0, 500);
  }
  const headers = guarded.topHeaders;
  const header = (key: string) => headers.find((h) => h.key === key)?.value;
  const body =
    email === undefined
      ? { text: "", links: [], attachments: [] }
      : describeBody(email, limits, hits);
  const message: EmailMessage = {
    sha256: createHash("sha256").update(raw.bytes).digest("hex"),
    size: raw.size,
    outcome: parseError !== undefined ? "unparseable" : hits.length > 0 ? "limited" : "ok",
    limits: hits.slice(0, 50),
    ...(parseError === undefined ? {} : { parseError }),
    ...optional("messageId", clip(email?.messageId ?? header("message-id"), 1_000)),
    ...optional("inReplyTo", clip(threadParent(email, header), 1_000)),
    subject: clip(email?.subject ?? decodeHeader(header("subject")), 2_000) ?? "",
    ...fromOf(header("from"), email?.from),
    ...optional("sender", firstMailbox(email?.sender ?? parseAddresses(header("sender"))[0])),
    replyTo: mailboxes(email?.replyTo ?? parseAddresses(header("reply-to"))),
    ...optional(
      "returnPath",
      clip(email?.returnPath ?? header("return-path")?.replace(/[<>\s]/g, ""), 1_000),
    ),
    to: mailboxes(email?.to ?? parseAddresses(header("to"))),
    cc: mailboxes(email?.cc ?? parseAddresses(header("cc"))),
    ...body,
    auth: await authenticateMail(raw.bytes, headers, auth),
  };
  const problems: Array<Omit<ItemProblem, "item">> = [];
  if (parseError !== undefined) {
    problems.push({
      code: "VIGIL_ERR_MAIL_PARSE",
      message: `MIME could not be parsed (${parseError}): triaged on its headers alone`,
    });
  }
  if (hits.length > 0) {
    problems.push({
      code: "VIGIL_ERR_MAIL_LIMIT",
      message: `${hits.map(describeHit).join("; ")}: triaged on what was read`,
    });
  }
  return { message, problems };
}

/** The message this one answers: In-Reply-To, else the last id of References (RFC 5322 §3.6.4). */
function threadParent(
  email: Email | undefined,
  header: (key: string) => string | undefined,
): string | undefined {
  const inReplyTo = (email?.inReplyTo ?? header("in-reply-to"))?.trim();
  if (inReplyTo !== undefined && inReplyTo !== "") return inReplyTo;
  const references = (email?.references ?? header("references"))?.trim();
  if (references === undefined || references === "") return undefined;
  return references.split(/\s+/).pop();
}

/** `over the limit of 500 mime-parts (10001 seen)`. */
export function describeHit(hit: MailLimitHit): string {
  return `${hit.limit} ${hit.value} over the limit of ${hit.max}`;
}

function describeBody(
  email: Email,
  limits: MailLimits,
  hits: MailLimitHit[],
): Pick<EmailMessage, "text" | "links" | "attachments"> {
  const html = email.html ?? "";
  const plain = email.text ?? "";
  const shown = plain.trim() !== "" ? plain : htmlToText(html);
  const links: EmailLink[] = htmlLinks(html, MAX_EMAIL_LINKS + 1);
  const hrefs = new Set(links.map((l) => l.href));
  for (const link of textLinks(plain, MAX_EMAIL_LINKS + 1)) {
    if (links.length > MAX_EMAIL_LINKS) break;
    if (!hrefs.has(link.href)) {
      hrefs.add(link.href);
      links.push(link);
    }
  }
  if (links.length > MAX_EMAIL_LINKS) {
    hits.push({ limit: "links", value: links.length, max: MAX_EMAIL_LINKS });
    links.length = MAX_EMAIL_LINKS;
  }
  if (email.attachments.length > MAX_EMAIL_ATTACHMENTS) {
    hits.push({
      limit: "attachments",
      value: email.attachments.length,
      max: MAX_EMAIL_ATTACHMENTS,
    });
  }
  const attachments = email.attachments
    .slice(0, MAX_EMAIL_ATTACHMENTS)
    .map((a) => describeAttachment(a, limits, hits));
  return { text: shown.slice(0, MAX_EMAIL_TEXT_LENGTH), links, attachments };
}

function describeAttachment(
  attachment: Email["attachments"][number],
  limits: MailLimits,
  hits: MailLimitHit[],
): EmailAttachment {
  const content = attachment.content;
  const bytes =
    typeof content === "string"
      ? Buffer.from(content, "base64")
      : content instanceof Uint8Array
        ? content
        : new Uint8Array(content);
  const size = bytes.byteLength;
  let inspected = bytes;
  if (size > limits.maxAttachmentBytes) {
    hits.push({ limit: "attachment-bytes", value: size, max: limits.maxAttachmentBytes });
    inspected = bytes.subarray(0, limits.maxAttachmentBytes);
  }
  const sniffed = sniffFileType(inspected);
  const filename = attachment.filename?.slice(0, 1_000);
  const zipLike = sniffed === "zip";
  return {
    ...(filename ? { filename } : {}),
    mimeType: attachment.mimeType.slice(0, 200),
    size,
    ...(sniffed === undefined ? {} : { sniffed }),
    // A cut archive has no directory at its end: it is listed only when whole.
    ...(zipLike && size <= limits.maxAttachmentBytes ? { archive: inspectZip(inspected) } : {}),
  };
}

/**
 * The From mailbox. When the field's first mailbox has a name and no address and a later
 * one has the address (an unquoted comma: `Microsoft account team ,_<x@evil.example>`),
 * the reader sees that name: the two are joined and the split is noted.
 */
function fromOf(
  raw: string | undefined,
  parsed: Address | undefined,
): { from?: EmailMailbox; fromSplit?: true } {
  const all = parseAddresses(raw).flatMap((a) => (a.group === undefined ? [a] : a.group));
  const first = all[0];
  if (first !== undefined && (first.address ?? "") === "" && (first.name ?? "").trim() !== "") {
    const holder = all.find((a) => (a.address ?? "") !== "");
    if (holder !== undefined)
      return { from: mailbox(decodeHeader(first.name), holder.address), fromSplit: true };
  }
  const from = firstMailbox(parsed ?? first);
  return from === undefined ? {} : { from };
}

function firstMailbox(address: Address | undefined): EmailMailbox | undefined {
  if (address === undefined) return undefined;
  const box = address.group === undefined ? address : address.group[0];
  return box === undefined ? undefined : mailbox(box.name, box.address);
}

function mailboxes(addresses: readonly Address[] | undefined): EmailMailbox[] {
  const out: EmailMailbox[] = [];
  for (const address of addresses ?? []) {
    for (const box of address.group === undefined ? [address] : address.group) {
      if (out.length >= MAX_EMAIL_RECIPIENTS) return out;
      out.push(mailbox(box.name, box.address));
    }
  }
  return out;
}

function mailbox(name: string | undefined, address: string | undefined): EmailMailbox {
  return { name: (name ?? "").slice(0, 1_000), address: (address ?? "").slice(0, 1_000) };
}

function parseAddresses(value: string | undefined): Address[] {
  if (value === undefined) return [];
  try {
    return addressParser(value.slice(0, 16_384), { flatten: false });
  } catch {
    return [];
  }
}

function decodeHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeWords(value);
  } catch {
    return value;
  }
}

function clip(text: string | undefined, max: number): string | undefined {
  return text === undefined ? undefined : text.slice(0, max);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
