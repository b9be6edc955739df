export { extensionOf, MACRO_EXTENSIONS, RISKY_EXTENSIONS } from "./attachment-signals.js";
export {
  brandsNamed,
  brandsRunInto,
  brandWords,
  isBrandDomain,
  PHISHED_BRANDS,
  type PhishedBrand,
} from "./brand-catalogue.js";
export {
  type CorrespondenceFacts,
  type CorrespondentHistory,
  correspondenceFacts,
  MAX_HISTORY_LINK_DOMAINS,
  MAX_HISTORY_RECIPIENTS,
  MIN_KNOWN_MESSAGES,
} from "./correspondent-history.js";
export { EmailContext, type MailPerson, type MailTarget } from "./email-context.js";
export {
  EMAIL_DETECTOR_NAME,
  EMAIL_DETECTOR_VERSION,
  type EmailAssessment,
  EmailDetector,
} from "./email-detector.js";
export {
  EMAIL_RULE_WEIGHTS,
  EMAIL_TECHNIQUES,
  type EmailRule,
  type EmailSignal,
  type EmailVerdict,
  MAX_LURE_WEIGHT,
  PHISHING_SCORE,
  SUSPICIOUS_SCORE,
  verdictFor,
} from "./email-features.js";
export { extensionMismatch } from "./extension-mismatch.js";
export { historySignals } from "./history-signals.js";
export { findLures, type LureCategory, type LureMatch, MAX_LURE_TEXT } from "./lure-language.js";
export { disguisedWord, MIN_INVISIBLE } from "./obfuscation-signals.js";
export { addressDomain } from "./sender-signals.js";
export {
  FILE_SHARING_HOSTS,
  FORM_HOSTS,
  FREE_HOSTING_SUFFIXES,
  FREEMAIL_DOMAINS,
  SHORTENER_HOSTS,
} from "./service-domains.js";
