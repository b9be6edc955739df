/**
 * Every error code Vigil raises. Stable: scripts and the API match on them.
 * Area prefixes: CONFIG, WATCHLIST, INPUT, SOCIAL (social platform exports and synthetic
 * social data), CT (Certificate Transparency logs), FEED (live certificate feeds), MAIL
 * (e-mail messages and mailboxes), NOTIFY (notices to the people targeted), WEB (fetching web
 * pages safely), DNS and RDAP (look-ups of captured sites), SCREENSHOT (rendering captured
 * pages), EVIDENCE (WARC captures and the evidence log), STORE, PIPELINE, CLI.
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
  /** An IMAP server that cannot be reached, dropped the connection, or timed out: retried. */
  "VIGIL_ERR_MAIL_IMAP_CONNECT",
  /** The IMAP server refused the user name or password: not retried. */
  "VIGIL_ERR_MAIL_IMAP_AUTH",
  /** A folder that does not exist or cannot be selected, or a move the server refused. */
  "VIGIL_ERR_MAIL_IMAP_FOLDER",
  /** Notification settings or a notice template that cannot be used. */
  "VIGIL_ERR_NOTIFY_CONFIG",
  /** A notice that could not be delivered by e-mail or webhook (retried with backoff). */
  "VIGIL_ERR_NOTIFY_DELIVERY",
  /** A notice id or acknowledgement token that matches no notice. */
  "VIGIL_ERR_NOTIFY_NOT_FOUND",
  /** A URL that cannot be parsed, or is too long. */
  "VIGIL_ERR_WEB_URL",
  /**
   * A URL or address the SSRF guard refuses: not http(s), credentials in it, or a host
   * that resolves to a loopback, private, link-local, metadata or other non-public address.
   */
  "VIGIL_ERR_WEB_REFUSED",
  /** A host name that does not resolve, or not in time: worth trying again later. */
  "VIGIL_ERR_WEB_DNS",
  /** A server that cannot be reached or dropped the connection: worth trying again later. */
  "VIGIL_ERR_WEB_CONNECT",
  /** A fetch that did not finish within its time budget. */
  "VIGIL_ERR_WEB_TIMEOUT",
  /** An answer over a limit: body (before or after decompression), headers, redirects. */
  "VIGIL_ERR_WEB_LIMIT",
  /** A page the site's robots.txt asks crawlers not to fetch. */
  "VIGIL_ERR_WEB_ROBOTS",
  /** A page that was fetched but cannot be read as HTML (binary, unknown encoding). */
  "VIGIL_ERR_WEB_CONTENT",
  /** A DNS look-up of a captured host that got no answer in time: worth trying again later. */
  "VIGIL_ERR_DNS_TIMEOUT",
  /** A DNS look-up the server failed or refused (SERVFAIL, REFUSED, a malformed answer). */
  "VIGIL_ERR_DNS_FAILED",
  /** A run's DNS look-up budget is spent: the names left are not looked up (not an error of theirs). */
  "VIGIL_ERR_DNS_BUDGET",
  /** The RDAP registry has no such domain or IP network (it answered 404). */
  "VIGIL_ERR_RDAP_NOT_FOUND",
  /** No RDAP server is known for a domain's TLD or for an address (bootstrap files, --rdap). */
  "VIGIL_ERR_RDAP_NO_SERVER",
  /** An RDAP server that could not be reached, timed out, or answered 429 or 5xx: retry later. */
  "VIGIL_ERR_RDAP_UNAVAILABLE",
  /** An RDAP server the SSRF guard refuses (a private address, a redirect out of bounds). */
  "VIGIL_ERR_RDAP_REFUSED",
  /** An RDAP answer that cannot be read: too big, not a JSON object, or an unexpected status. */
  "VIGIL_ERR_RDAP_BAD_ANSWER",
  /** Chromium could not start, or crashed or closed while rendering a page. */
  "VIGIL_ERR_SCREENSHOT_BROWSER",
  /** A page chromium did not load or capture within its time budget. */
  "VIGIL_ERR_SCREENSHOT_TIMEOUT",
  /** A page chromium could not load or capture for another reason. */
  "VIGIL_ERR_SCREENSHOT_PAGE",
  /** Evidence (a WARC file or a log entry) that cannot be written. */
  "VIGIL_ERR_EVIDENCE_WRITE",
  /** An evidence folder or file that cannot be read. */
  "VIGIL_ERR_EVIDENCE_READ",
  /** The evidence log's hash chain or a WARC file's digests do not check out. */
  "VIGIL_ERR_EVIDENCE_BROKEN",
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
