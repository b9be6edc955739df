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
