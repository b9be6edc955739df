export {
  inspectZip,
  MAX_ARCHIVE_DECLARED_BYTES,
  MAX_ARCHIVE_DEPTH,
  MAX_ARCHIVE_ENTRIES,
  MAX_ARCHIVE_RATIO,
  MAX_NESTED_ARCHIVE_BYTES,
} from "./archive-inspector.js";
export {
  type AuthenticationResults,
  type AuthResultsEntry,
  parseAuthenticationResults,
} from "./authentication-results.js";
export {
  cachedResolver,
  DNS_TIMEOUT_MS,
  type DnsResolver,
  MAX_DNS_CACHE_ENTRIES,
} from "./cached-resolver.js";
export { sniffFileType } from "./file-type.js";
export { decodeEntities, htmlLinks, htmlToText, MAX_HTML_CHARS, textLinks } from "./html-text.js";
export {
  checkImapAccount,
  checkImapFolders,
  type ImapAccount,
  type ImapSecurity,
  imapFolderUrl,
  MAX_IMAP_FOLDERS,
} from "./imap-account.js";
export { IMAP_RECONNECT_BASE_MS, IMAP_RECONNECT_MAX_MS, reconnectDelay } from "./imap-backoff.js";
export { formatImapCursor, type ImapCursor, parseImapCursor } from "./imap-cursor.js";
export {
  IMAP_CONNECT_TIMEOUT_MS,
  IMAP_GREETING_TIMEOUT_MS,
  IMAP_IDLE_RESTART_MS,
  IMAP_SOCKET_TIMEOUT_MS,
  ImapMailbox,
  type ImapMailboxOptions,
  type ImapMessage,
  MAX_IMAP_LINE_BYTES,
  MAX_IMAP_UIDS_PER_ROUND,
} from "./imap-mailbox.js";
export { type ReadImapMessageOptions, readImapMessage } from "./imap-read.js";
export {
  authenticateMail,
  MAX_AUTH_MS,
  type MailAuthOptions,
  receivedClient,
} from "./mail-authenticator.js";
export { mailFiles } from "./mail-files.js";
export {
  DEFAULT_MAIL_LIMITS,
  MAX_ATTACHMENT_BYTES,
  MAX_HEADER_BYTES,
  MAX_HEADER_FIELD_BYTES,
  MAX_HEADER_FIELDS,
  MAX_MESSAGE_BYTES,
  MAX_MIME_DEPTH,
  MAX_MIME_PARTS,
  type MailLimits,
  mailLimits,
} from "./mail-limits.js";
export { boundaryOf, type GuardedMime, guardMime } from "./mime-guard.js";
export { type RawMessage, readRawMessages } from "./raw-messages.js";
export { describeHit, parseEmail, type ReadEmailOptions, readEmail } from "./read-email.js";
