export {
  ACK_HEADERS_TIMEOUT_MS,
  ACK_MAX_CONNECTIONS,
  ACK_REQUEST_TIMEOUT_MS,
  type AckServer,
  type AckServerOptions,
  startAckServer,
} from "./ack-server.js";
export { defang, MAX_QUOTED_CHARS } from "./defang.js";
export type { DeliveryOutcome, NoticeChannel } from "./notice-channel.js";
export { MAX_NOTICE_RECIPIENTS, type TargetedPerson, targetedPeople } from "./notice-recipients.js";
export {
  DEFAULT_TEMPLATES_DIR,
  MAX_TEMPLATE_BYTES,
  NoticeTemplates,
  TEMPLATE_FIELDS,
  TEMPLATE_FILES,
  type TemplateField,
} from "./notice-templates.js";
export {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_RETRY_MAX_MS,
  type DeliveryReport,
  type EscalationReport,
  MAX_NOTICES_PER_PASS,
  type NoticeMessage,
  Notifier,
  type NotifierOptions,
  type NotifyOutcome,
  type PhishingCase,
  tokenHash,
} from "./notifier.js";
export { isLoopbackHost, type NotifyConfig, notifyConfig } from "./notify-config.js";
export {
  SMTP_CONNECT_TIMEOUT_MS,
  SMTP_GREETING_TIMEOUT_MS,
  SMTP_SOCKET_TIMEOUT_MS,
  SmtpChannel,
} from "./smtp-channel.js";
export { WEBHOOK_TIMEOUT_MS, WebhookChannel } from "./webhook-channel.js";
export {
  MAX_WEBHOOK_SKEW_SECONDS,
  MIN_WEBHOOK_SECRET_LENGTH,
  signWebhook,
  type VerifyWebhookInput,
  type VerifyWebhookResult,
  verifyWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from "./webhook-signature.js";
