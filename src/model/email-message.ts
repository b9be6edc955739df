import { z } from "zod";

/*
 * The normalised form of one e-mail message, as a mail source hands it to the email
 * detector (the data of an `email` observation). Everything a detector may look at is
 * here, already decoded and capped, so detection is pure and cheap: the sender fields,
 * the visible text (for lure language), the links with their shown text, attachments
 * described by name, type, sniffed content and archive listing (never their bytes), and
 * the sender-authentication verdicts with where each came from.
 */

/** Characters of body text kept for lure-language rules. */
export const MAX_EMAIL_TEXT_LENGTH = 100_000;
/** Links kept per message; a newsletter has dozens, 500 is hostile. */
export const MAX_EMAIL_LINKS = 500;
/** Attachments described per message. */
export const MAX_EMAIL_ATTACHMENTS = 200;
/** Entries listed per archive attachment. */
export const MAX_ARCHIVE_ENTRIES_LISTED = 200;
/** Recipients kept per field. */
export const MAX_EMAIL_RECIPIENTS = 200;

const shortText = z.string().max(2_000);

/** A mailbox as written in a header: display name (decoded) and address (may be empty). */
export const EmailMailboxSchema = z.strictObject({
  name: z.string().max(1_000),
  address: z.string().max(1_000),
});
export type EmailMailbox = z.infer<typeof EmailMailboxSchema>;

/** One link: where it goes, and the text a reader saw (HTML anchors only). */
export const EmailLinkSchema = z.strictObject({
  href: z.string().max(4_096),
  text: z.string().max(1_000).optional(),
  /** `html` for an anchor, `text` for a URL written out in the plain text. */
  from: z.enum(["html", "text"]),
});
export type EmailLink = z.infer<typeof EmailLinkSchema>;

/** One entry of an archive attachment, from its directory (nothing is extracted to disk). */
export const ArchiveEntrySchema = z.strictObject({
  name: z.string().max(1_000),
  size: z.number().nonnegative(),
  compressedSize: z.number().nonnegative(),
  encrypted: z.boolean(),
  /** Depth of nesting: 1 for an entry of the attachment, 2 for one of an archive inside it. */
  depth: z.number().int().min(1),
});
export type ArchiveEntry = z.infer<typeof ArchiveEntrySchema>;

/** What opening an archive attachment found, within its limits. */
export const ArchiveSummarySchema = z.strictObject({
  format: z.enum(["zip"]),
  entries: z.array(ArchiveEntrySchema).max(MAX_ARCHIVE_ENTRIES_LISTED),
  entryCount: z.number().int().nonnegative(),
  /** Sum of the uncompressed sizes its directory declares (nested archives included when read). */
  declaredSize: z.number().nonnegative(),
  /** Declared uncompressed size over compressed size, the largest seen. */
  ratio: z.number().nonnegative(),
  encrypted: z.boolean(),
  /** The archive limits it went past (`archive-ratio`, `archive-size`, …): a bomb is not expanded. */
  bomb: z.array(z.string().max(100)).max(20),
  /** Why it could not be read in full, when it could not. */
  error: shortText.optional(),
});
export type ArchiveSummary = z.infer<typeof ArchiveSummarySchema>;

/** One attachment (or inline part with a file name), described. */
export const EmailAttachmentSchema = z.strictObject({
  filename: z.string().max(1_000).optional(),
  /** The MIME type the message declares. */
  mimeType: z.string().max(200),
  /** Decoded size in bytes. */
  size: z.number().int().nonnegative(),
  /** What its first bytes say it is (`pdf`, `zip`, `pe-executable`, `html`, …), when known. */
  sniffed: z.string().max(50).optional(),
  archive: ArchiveSummarySchema.optional(),
});
export type EmailAttachment = z.infer<typeof EmailAttachmentSchema>;

/** Results of SPF, DKIM, DMARC and ARC, as RFC 8601 names them. */
export const AuthResultSchema = z.enum([
  "pass",
  "fail",
  "softfail",
  "neutral",
  "none",
  "temperror",
  "permerror",
  "policy",
]);
export type AuthResult = z.infer<typeof AuthResultSchema>;

/**
 * One verdict and where it came from: `verified` (checked by Vigil with mailauth and the
 * DNS now), `trusted-header` (an Authentication-Results header written by a server the
 * user named as trusted, `authservId`), or `not-checked` (no verdict: `detail` says why).
 */
export const AuthVerdictSchema = z.strictObject({
  result: AuthResultSchema.optional(),
  source: z.enum(["verified", "trusted-header", "not-checked"]),
  authservId: z.string().max(255).optional(),
  /** The domain the verdict is about (DKIM `d=`, SPF mail-from domain, DMARC From domain). */
  domain: z.string().max(255).optional(),
  /** DMARC only: the domain's published policy (`none`, `quarantine`, `reject`). */
  policy: z.string().max(50).optional(),
  detail: shortText.optional(),
});
export type AuthVerdict = z.infer<typeof AuthVerdictSchema>;

export const EmailAuthSchema = z.strictObject({
  spf: AuthVerdictSchema,
  dkim: AuthVerdictSchema,
  dmarc: AuthVerdictSchema,
  arc: AuthVerdictSchema,
});
export type EmailAuth = z.infer<typeof EmailAuthSchema>;

/** Names of the parsing limits a message can go past. */
export const MailLimitNameSchema = z.enum([
  "message-bytes",
  "mime-parts",
  "mime-depth",
  "header-fields",
  "header-line-bytes",
  "header-bytes",
  "attachment-bytes",
  "text-length",
  "links",
  "attachments",
]);
export type MailLimitName = z.infer<typeof MailLimitNameSchema>;

/** A limit a message went past: which, how much was seen, and the limit. */
export const MailLimitHitSchema = z.strictObject({
  limit: MailLimitNameSchema,
  value: z.number().nonnegative(),
  max: z.number().nonnegative(),
});
export type MailLimitHit = z.infer<typeof MailLimitHitSchema>;

export const EmailMessageSchema = z.strictObject({
  /** SHA-256 of the raw bytes as read (before any limit cut them). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Bytes of the raw message seen (counted past the size limit). */
  size: z.number().int().nonnegative(),
  /** `ok`; `limited`: over a limit, triaged on what was read; `unparseable`: headers only. */
  outcome: z.enum(["ok", "limited", "unparseable"]),
  limits: z.array(MailLimitHitSchema).max(50),
  /** Why the MIME parser failed, for `unparseable`. */
  parseError: shortText.optional(),
  messageId: z.string().max(1_000).optional(),
  /**
   * The message this one answers (In-Reply-To, else the last References id), when it
   * says it continues a thread. Absent on a message that starts one.
   */
  inReplyTo: z.string().max(1_000).optional(),
  subject: z.string().max(2_000),
  from: EmailMailboxSchema.optional(),
  /**
   * The From field shows a name apart from its address (`Microsoft account team ,_<x@y>`:
   * an unquoted comma makes a name-only mailbox and the real one after it); `from` then
   * joins that name to the first address the field holds.
   */
  fromSplit: z.boolean().optional(),
  sender: EmailMailboxSchema.optional(),
  replyTo: z.array(EmailMailboxSchema).max(MAX_EMAIL_RECIPIENTS),
  /** Address of the Return-Path header (the envelope sender), when present. */
  returnPath: z.string().max(1_000).optional(),
  to: z.array(EmailMailboxSchema).max(MAX_EMAIL_RECIPIENTS),
  cc: z.array(EmailMailboxSchema).max(MAX_EMAIL_RECIPIENTS),
  /** Visible text: the plain part, or the HTML part read as text; capped. */
  text: z.string().max(MAX_EMAIL_TEXT_LENGTH),
  links: z.array(EmailLinkSchema).max(MAX_EMAIL_LINKS),
  attachments: z.array(EmailAttachmentSchema).max(MAX_EMAIL_ATTACHMENTS),
  auth: EmailAuthSchema,
});
export type EmailMessage = z.infer<typeof EmailMessageSchema>;
