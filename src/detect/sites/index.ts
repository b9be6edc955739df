// The list lives with the domains detector, which judges domain ownership by it too.
export { SHARED_NAME_SERVERS } from "../domains/index.js";
export {
  type ArticleCopy,
  findArticleCopies,
  MIN_ARTICLE_CHARS,
  NEAR_COPY_PAIRS,
  REWRITE_PAIRS,
  REWRITE_WORDS,
} from "./article-copies.js";
export {
  CLUE_STRENGTH,
  CONTACT_PATH,
  claimedLocation,
  type LocationClaim,
  type LocationClue,
  type LocationClueKind,
  locationClues,
  MAX_CLAIM_TEXT,
} from "./claimed-location.js";
export { articleStance, STANCE_CUES, type Stance } from "./divisive-stance.js";
export {
  ABOUT_BOILERPLATE,
  AI_LEFTOVERS,
  FAKE_OUTLET_MIN_SCORE,
  FAKE_OUTLET_TECHNIQUES,
  FAKE_OUTLET_WEIGHTS,
  type FakeOutletContext,
  type FakeOutletVerdict,
  judgeFakeOutlets,
  YOUNG_DOMAIN_DAYS,
} from "./fake-outlet.js";
export {
  type InfrastructureCountry,
  LOCATIONLESS_NETWORKS,
  type LocationMismatch,
  type LocationMismatchWeights,
  locationMismatch,
} from "./location-mismatch.js";
export {
  ccTldCountry,
  countryCode,
  GENERIC_CCTLDS,
  isUsState,
  phoneCountry,
  placeCountry,
} from "./place-names.js";
export {
  CLONE_WEIGHTS,
  type CloneMatch,
  findClones,
  jaccardStrings,
  MIN_CLONE_SIMILARITY,
  minhashAgreement,
} from "./site-clones.js";
export {
  DISCOUNT,
  discount,
  IDENTIFIER_RULES,
  type IdentifierKind,
  type IdentifierRule,
  isSharedAddress,
  type LinkClass,
  MERGE_THRESHOLD,
  POPULAR_THEMES,
  SHARED_ADDRESS_RANGES,
  type SiteIdentifier,
  type SiteIdentifiers,
  sharedPattern,
  siteIdentifiers,
} from "./site-identifiers.js";
export {
  type CombinedLink,
  findSiteNetworks,
  type IgnoredValue,
  type NetworkLink,
  type NetworkOptions,
  type NetworkResult,
  type SiteNetwork,
} from "./site-networks.js";
export {
  isSitePage,
  type PageIdentifiers,
  type SiteInfrastructure,
  type SiteNetworkFacts,
  type SitePage,
  type SitePageFeatures,
  siteOf,
  sitePageOf,
} from "./site-page.js";
export { combineReasons } from "./site-reasons.js";
export {
  analyzeSitePages,
  CLONE_TECHNIQUES,
  NETWORK_TECHNIQUES,
  protectedSitesOf,
  SITES_DETECTOR_NAME,
  SITES_DETECTOR_VERSION,
  type SitesAnalysis,
  type SitesContext,
  SitesDetector,
  sitePagesOf,
} from "./sites-detector.js";
