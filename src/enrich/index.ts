export {
  type AskServer,
  type ServerAnswer,
  type ServerQuestion,
  serverAsker,
} from "./ask-server.js";
export {
  hashAvatarFile,
  hashAvatarFiles,
  hashImage,
  isUrl,
  MAX_AVATAR_BYTES,
  MAX_AVATAR_FILES,
  MAX_AVATAR_PIXELS,
  MAX_AVATAR_SECONDS,
} from "./avatar-hash.js";
export { AvatarHasher, type AvatarHashResult } from "./avatar-hasher.js";
export {
  type CertificateKeys,
  certificateKeys,
  MAX_CERTIFICATE_SANS,
} from "./certificate-keys.js";
export {
  DEFAULT_DNS_LOOKUP_TIMEOUT_MS,
  DnsEnricher,
  type DnsEnricherOptions,
  type DnsFacts,
  type DnsRecordResolver,
  type DnsRecordType,
  dnsResolver,
  MAX_DNS_CACHED_HOSTS,
  MAX_DNS_RECORDS,
  RESERVED_TLDS,
} from "./dns-records.js";
export {
  type FaviconHashes,
  hashFavicon,
  MAX_FAVICON_BYTES,
  MAX_ICO_IMAGES,
  shodanFaviconHash,
} from "./favicon-hash.js";
export { decodeHtml, type HtmlText } from "./html-text.js";
export { murmur3x86_32 } from "./murmur3.js";
export {
  type ContactOrganisation,
  MAX_CONTACT_ORGANISATIONS,
  MAX_JSON_LD_DEPTH,
  MAX_JSON_LD_NODES,
  type PageContact,
  readContact,
} from "./page-contact.js";
export {
  extractPage,
  MAX_ARTICLE_CHARS,
  MAX_CONTACT_TEXTS,
  MAX_ELEMENTS,
  MAX_FIELD_CHARS,
  MAX_JSON_LD_BLOCKS,
  MAX_JSON_LD_CHARS,
  MAX_LIST_ITEMS,
  MAX_PAGE_HTML_CHARS,
  MAX_PHONE_LINKS,
  MAX_READABILITY_DEPTH,
  MINHASH_SIZE,
  type PageFeatures,
  SHINGLE_DEPTH,
} from "./page-features.js";
export { findSiteMarkers, MAX_MARKERS, type SiteMarkers, serverHeaders } from "./page-markers.js";
export {
  type CapturedResource,
  CHROMIUM_FLAGS,
  ChromiumScreenshotter,
  type ChromiumScreenshotterOptions,
  DEFAULT_CHROMIUM_PATH,
  DEFAULT_SCREENSHOT_TIMEOUT_MS,
  type PageScreenshotter,
  SCREENSHOT_VIEWPORT,
  type ScreenshotInput,
} from "./page-screenshotter.js";
export {
  loadRdapBootstrap,
  MAX_RDAP_BOOTSTRAP_BYTES,
  MAX_RDAP_SERVICES,
  parseRdapBootstrap,
  type RdapBootstrap,
  rdapBaseFor,
  SHIPPED_RDAP_BOOTSTRAP,
} from "./rdap-bootstrap.js";
export {
  DEFAULT_RDAP_TIMEOUT_MS,
  MAX_RDAP_BYTES,
  MAX_RDAP_CACHED_ADDRESSES,
  MAX_RDAP_CACHED_DOMAINS,
  MAX_RDAP_REDIRECTS,
  RdapEnricher,
  type RdapEnricherOptions,
  type RdapFacts,
  type RdapFailure,
  type RdapFetcher,
  type RdapNetworkFacts,
  rdapBaseUrl,
} from "./rdap-enricher.js";
export {
  MAX_RDAP_ENTITIES,
  MAX_RDAP_ENTITY_DEPTH,
  MAX_RDAP_FIELD,
  MAX_RDAP_LIST,
  type RdapContact,
  type RdapIpNetwork,
  type RdapRegistration,
  readRdapDomain,
  readRdapIpNetwork,
} from "./rdap-facts.js";
export {
  loadRdapIpBootstrap,
  MAX_RDAP_IP_PREFIXES,
  parseRdapIpBootstrap,
  type RdapIpBootstrap,
  rdapBaseForAddress,
  SHIPPED_RDAP_IP_BOOTSTRAP,
} from "./rdap-ip-bootstrap.js";
export {
  findTrackingIds,
  MAX_IDS_PER_KIND,
  MAX_SCANNED_CHARS,
  type TrackingIds,
} from "./tracking-ids.js";
export { isBitcoinAddress } from "./wallet-address.js";
