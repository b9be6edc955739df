/**
 * Every error code Vigil raises. Stable: scripts and the API match on them.
 * Area prefixes: CONFIG, WATCHLIST, INPUT, SOCIAL (social platform exports and synthetic
 * social data), CT (Certificate Transparency logs), FEED (live certificate feeds), MAIL
 * (e-mail messages), STORE, PIPELINE, CLI.
 */
export const ERROR_CODES = [
  "VIGIL_ERR_CONFIG_INVALID",
  "VIGIL_ERR_WATCHLIST_NOT_FOUND",
  "VIGIL_ERR_WATCHLIST_INVALID",
  "VIGIL_ERR_WATCHLIST_CSV",
  "VIGIL_ERR_INPUT_UNREADABLE",
  "VIGIL_ERR_INPUT_TOO_LONG",
  "VIGIL_ERR_INPUT_ENCODING",
  "VIGIL_ERR_INPUT_CSV",
  "VIGIL_ERR_INPUT_DOMAIN",
  /** A line or document that is not valid JSON. */
  "VIGIL_ERR_INPUT_JSON",
  /** A whole-file input (a JSON document) bigger than its limit: refused unread. */
  "VIGIL_ERR_INPUT_TOO_LARGE",
  /** A social export whose format cannot be told, or that is not in the format named. */
  "VIGIL_ERR_SOCIAL_FORMAT",
  /** One account or post that does not fit the schema (a field missing, mistyped, too long). */
  "VIGIL_ERR_SOCIAL_RECORD",
  /** A CSV column map that cannot be read, or that names a column the CSV lacks. */
  "VIGIL_ERR_SOCIAL_COLUMN_MAP",
  /** Options of the synthetic data generator that are out of range, or output it cannot write. */
  "VIGIL_ERR_SOCIAL_SYNTH",
  /** A profile picture or photo that cannot be read, is too big, or is not an image. */
  "VIGIL_ERR_SOCIAL_AVATAR",
  /** A CT log list that cannot be read or is not Google's v3 format. */
  "VIGIL_ERR_CT_LOG_LIST",
  /** A CT log did not answer in time, or answered 429 or 5xx: worth trying again later. */
  "VIGIL_ERR_CT_TEMPORARY",
  /**
   * A CT log refused the request (4xx) or answered something that is not RFC 6962 (or,
   * for a tiled log, not a Static CT API checkpoint).
   */
  "VIGIL_ERR_CT_PERMANENT",
  /** One log entry that cannot be decoded (the other entries are still read). */
  "VIGIL_ERR_CT_ENTRY",
  /** A live certificate feed cannot be reached, or dropped the connection. */
  "VIGIL_ERR_FEED_CONNECT",
  /** One feed message that is too big, not JSON, or not in the expected shape. */
  "VIGIL_ERR_FEED_MESSAGE",
  /** A message over one of the parsing limits: triaged on the part that was read. */
  "VIGIL_ERR_MAIL_LIMIT",
  /** A message the MIME parser could not read: triaged on its headers alone. */
  "VIGIL_ERR_MAIL_PARSE",
  /** Sender authentication (SPF, DKIM, DMARC, ARC) could not run for a message. */
  "VIGIL_ERR_MAIL_AUTH",
  "VIGIL_ERR_STORE_CONNECT",
  "VIGIL_ERR_STORE_MIGRATE",
  "VIGIL_ERR_STORE_WRITE",
  "VIGIL_ERR_STORE_READ",
  "VIGIL_ERR_PIPELINE_JOB",
  "VIGIL_ERR_CLI_USAGE",
  "VIGIL_ERR_INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one error type Vigil throws; `code` is stable, `cause` keeps the original. */
export class VigilError extends Error {
  override readonly name = "VigilError";
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Turns anything thrown into a VigilError (used at the edges: CLI, queue workers). */
export function toVigilError(err: unknown, fallback: ErrorCode = "VIGIL_ERR_INTERNAL"): VigilError {
  if (err instanceof VigilError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new VigilError(fallback, message, { cause: err });
}
