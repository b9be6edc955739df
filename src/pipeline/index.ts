export { correlateByTarget } from "./correlate-by-target.js";
export {
  DEFAULT_CONCURRENCY,
  InProcessQueue,
  type JobHandler,
  type JobQueue,
} from "./job-queue.js";
export {
  DEFAULT_BATCH_SIZE,
  type DetectJob,
  DetectJobSchema,
  type PipelineOptions,
  type PipelineProgress,
  type RunSummary,
  runPipeline,
} from "./pipeline.js";
export { DEFAULT_WATCH_BATCH_WAIT_MS } from "./run-watch.js";
export { type DomainInput, type ScanDomainsOptions, scanDomains } from "./scan-domains.js";
export {
  type EmailInput,
  type EmailReport,
  type EmailScanSummary,
  MAX_EMAIL_REPORTS,
  type ScanEmailOptions,
  scanEmail,
} from "./scan-email.js";
export {
  type ScanSocialOptions,
  type SocialInput,
  type SocialScanSummary,
  scanSocial,
} from "./scan-social.js";
export {
  type WatchCertstreamOptions,
  watchCertstream,
} from "./watch-certstream.js";
export {
  type WatchCtOptions,
  type WatchCtResult,
  watchCt,
} from "./watch-ct.js";
