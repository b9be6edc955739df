export { AhoCorasick } from "./aho-corasick.js";
export { skeleton } from "./confusables.js";
export { DeletionIndex } from "./deletion-index.js";
export {
  DOMAINS_DETECTOR_NAME,
  DOMAINS_DETECTOR_VERSION,
  DomainsDetector,
  LOOKALIKE_TECHNIQUES,
} from "./domains-detector.js";
export { type LookalikeRule, lengthFactor, RULE_WEIGHTS, scoreHit } from "./domains-features.js";
export { osaDistance, visualDistance } from "./edit-distance.js";
export { asciiSkeleton, classifyEdit, type EditKind } from "./edit-kind.js";
export {
  LookalikeIndex,
  type LookalikeMatch,
  nameKey,
  type ProtectedOutlet,
} from "./lookalike-index.js";
export { NEWS_WORDS } from "./news-words.js";
export {
  type CandidateDnsFacts,
  HELD_AT_OUTLET_REGISTRAR_RULE,
  HELD_AT_OUTLET_REGISTRAR_WEIGHT,
  type NameServerCheck,
  OUTLET_SERVERS_CLAIMED_RULE,
  type OutletDnsFacts,
  OWNED_BY_OUTLET_RULE,
  OWNED_BY_OUTLET_WEIGHT,
  OWNERSHIP_CONTROL_ZONE,
  type OwnershipClaims,
  ownershipClaims,
  type RegistrarFacts,
  type SharedRegistrar,
  sameSoaPrimary,
  sharedCorporateRegistrar,
  soaPrimary,
  type VerifiedOwnership,
  verifiedOwnership,
  withOwnership,
  withOwnershipClaims,
  withRegistrarOwnership,
} from "./ownership-evidence.js";
export {
  DEFAULT_TLDS,
  PERMUTATION_RULES,
  type Permutation,
  type PermutationRule,
  permute,
} from "./permutations.js";
export {
  isSharedMailServer,
  isSharedNameServer,
  normaliseHost,
  SHARED_MAIL_SERVERS,
  SHARED_NAME_SERVERS,
} from "./shared-providers.js";
