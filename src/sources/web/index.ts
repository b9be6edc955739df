export { AddressPolicy } from "./address-policy.js";
export { decodeBody, MAX_CONTENT_CODINGS } from "./body-decoder.js";
export { HostRateLimiter, MAX_RATE_LIMITED_HOSTS, type Sleep } from "./host-rate-limiter.js";
export {
  DEFAULT_DNS_TIMEOUT_MS,
  type HostResolver,
  MAX_RESOLVED_ADDRESSES,
  staticResolver,
  systemResolver,
} from "./host-resolver.js";
export {
  formatIp,
  type IpBytes,
  type IpRange,
  inPrefix,
  parseIp,
  parseRange,
} from "./ip-address.js";
export {
  DEFAULT_HOST_INTERVAL_MS,
  MAX_ROBOTS_CACHED,
  PoliteFetcher,
  type PoliteFetcherOptions,
} from "./polite-fetcher.js";
export {
  MAX_CRAWL_DELAY_SECONDS,
  MAX_ROBOTS_BYTES,
  MAX_ROBOTS_RULES,
  RobotsPolicy,
} from "./robots-policy.js";
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_FETCH_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  DEFAULT_WEB_LIMITS,
  type FetchResult,
  type GetOptions,
  type HttpExchange,
  MAX_BODY_BYTES,
  MAX_REDIRECTS,
  MAX_WEB_HEADER_BYTES,
  SafeFetcher,
  type SafeFetcherOptions,
  type WebLimits,
} from "./safe-fetcher.js";
export { hostOf, MAX_URL_LENGTH, parseSafeUrl } from "./safe-url.js";
export {
  type CertificateSummary,
  MAX_CHAIN_LENGTH,
  type TlsSummary,
  tlsSummary,
} from "./tls-summary.js";
