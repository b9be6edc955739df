import { VigilError } from "../../errors.js";

/**
 * Limits a message is read under. Hostile mail is the normal case: each limit stops one
 * way of making the parser (or every later step) pay far more than the message is worth.
 * A message past a limit is cut there and triaged on what was read, with the limit named.
 */
export interface MailLimits {
  /** Raw bytes of one message kept; the rest is counted and dropped. */
  maxMessageBytes: number;
  /** MIME parts (body parts of all multiparts) read; 10,000 tiny parts cost the parser dearly. */
  maxParts: number;
  /** Nesting of multiparts and attached messages; deep nesting is recursion in every parser. */
  maxDepth: number;
  /** Header fields of one header block (the message's or a part's). */
  maxHeaderFields: number;
  /** Bytes of one header field, folded lines together. */
  maxHeaderFieldBytes: number;
  /** Bytes of all header fields of the message, parts included. */
  maxHeaderBytes: number;
  /** Decoded bytes of one attachment that are inspected (sniffed, opened as an archive). */
  maxAttachmentBytes: number;
}

/** 25 MiB: what common mail services accept for a whole message. */
export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
/** Parts of one message: real mail has a handful, newsletters a few dozen. */
export const MAX_MIME_PARTS = 500;
/** Nesting of multiparts and attached messages: real mail stays under 10. */
export const MAX_MIME_DEPTH = 20;
/** Header fields of one block: real mail has under 100, with long Received chains ~300. */
export const MAX_HEADER_FIELDS = 1_000;
/** Bytes of one header field: RFC 5322 lines are ≤ 998, folded fields a few KiB. */
export const MAX_HEADER_FIELD_BYTES = 64 * 1024;
/** Header bytes of a whole message (postal-mime refuses over 2 MiB; we cut first). */
export const MAX_HEADER_BYTES = 1024 * 1024;
/** Decoded bytes of one attachment inspected. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export const DEFAULT_MAIL_LIMITS: Readonly<MailLimits> = Object.freeze({
  maxMessageBytes: MAX_MESSAGE_BYTES,
  maxParts: MAX_MIME_PARTS,
  maxDepth: MAX_MIME_DEPTH,
  maxHeaderFields: MAX_HEADER_FIELDS,
  maxHeaderFieldBytes: MAX_HEADER_FIELD_BYTES,
  maxHeaderBytes: MAX_HEADER_BYTES,
  maxAttachmentBytes: MAX_ATTACHMENT_BYTES,
});

/**
 * The defaults with `overrides` applied, each checked to be a positive whole number no
 * larger than its default's 40 times (a limit is there to protect; it is not turned off).
 */
export function mailLimits(overrides: Partial<MailLimits> = {}): MailLimits {
  const limits = { ...DEFAULT_MAIL_LIMITS };
  for (const [key, value] of Object.entries(overrides) as Array<[keyof MailLimits, unknown]>) {
    if (!(key in DEFAULT_MAIL_LIMITS)) {
      throw new VigilError("VIGIL_ERR_CONFIG_INVALID", `unknown mail limit "${String(key)}"`);
    }
    if (value === undefined) continue;
    const ceiling = DEFAULT_MAIL_LIMITS[key] * 40;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > ceiling) {
      throw new VigilError(
        "VIGIL_ERR_CONFIG_INVALID",
        `mail limit ${key} must be a whole number from 1 to ${ceiling}, not ${String(value)}`,
      );
    }
    limits[key] = value;
  }
  return limits;
}
