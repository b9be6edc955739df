export {
  type AnalyzeSitesOptions,
  analyzeSites,
  MAX_ANALYZED_PAGES,
  type SiteAnalysisSummary,
  siteDetectors,
} from "./analyze-sites.js";
export { type AnalyzeSocialOptions, analyzeSocial } from "./analyze-social.js";
export { correlateByTarget } from "./correlate-by-target.js";
export {
  DEFAULT_CONCURRENCY,
  InProcessQueue,
  type JobHandler,
  type JobQueue,
} from "./job-queue.js";
export { type FlaggedMessage, notifyFlagged } from "./notify-step.js";
export {
  MAX_OWNERSHIP_LOOKUPS,
  OWNERSHIP_LOOKUP_CONCURRENCY,
  OwnershipCheck,
  type OwnershipCheckOptions,
  type OwnershipSummary,
} from "./ownership-check.js";
export {
  DEFAULT_BATCH_SIZE,
  type DetectJob,
  DetectJobSchema,
  type FindingReview,
  type PipelineOptions,
  type PipelineProgress,
  type RunSummary,
  runPipeline,
} from "./pipeline.js";
export { DEFAULT_WATCH_BATCH_WAIT_MS } from "./run-watch.js";
export {
  type DomainInput,
  type DomainScanSummary,
  type ScanDomainsOptions,
  scanDomains,
} from "./scan-domains.js";
export {
  type EmailInput,
  type EmailReport,
  type EmailScanSummary,
  MAX_EMAIL_REPORTS,
  type ScanEmailOptions,
  scanEmail,
} from "./scan-email.js";
export {
  DEFAULT_SITE_CONCURRENCY,
  MAX_SITE_URLS,
  type PageSnapshot,
  type ScanSiteOptions,
  type SiteReport,
  type SiteScanSummary,
  scanSites,
  urlsForHosts,
} from "./scan-site.js";
export {
  type ScanSocialOptions,
  type SocialInput,
  type SocialScanSummary,
  scanSocial,
} from "./scan-social.js";
export {
  buildTakedownPacket,
  MAX_CAPTURES_PER_DOMAIN,
  MAX_TAKEDOWN_DOMAINS,
  MAX_TAKEDOWN_FINDINGS,
  MAX_TAKEDOWN_PAGES_SCANNED,
  type TakedownCapture,
  type TakedownDomain,
  type TakedownOptions,
  type TakedownPacket,
  takedownMarkdown,
  writeTakedownPacket,
} from "./takedown.js";
export {
  type WatchCertstreamOptions,
  watchCertstream,
} from "./watch-certstream.js";
export {
  type WatchCtOptions,
  type WatchCtResult,
  watchCt,
} from "./watch-ct.js";
export {
  DEFAULT_IMAP_BATCH_SIZE,
  DEFAULT_NOTIFY_EVERY_MS,
  IMAP_WAIT_SLICE_MS,
  type ImapFolderState,
  type ImapStatus,
  type WatchImapOptions,
  type WatchImapSummary,
  watchImap,
} from "./watch-imap.js";
