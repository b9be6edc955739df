export {
  type AccountEdges,
  accountCommunities,
  MAX_MERGE_ROUNDS,
  MERGE_DENSITY_RATIO,
} from "./account-communities.js";
export {
  analyzeCoordination,
  BEHAVIOUR_WEIGHTS,
  type BehaviourTest,
  COORDINATION_DETECTOR_NAME,
  COORDINATION_DETECTOR_VERSION,
  COORDINATION_TECHNIQUES,
  type Community,
  type CoordinationOptions,
  type CoordinationResult,
  type KnownSite,
  MAX_LISTED_ACCOUNTS,
  MIN_COMMUNITY_SIZE,
} from "./coordination-detector.js";
export {
  BEHAVIOURS,
  type Behaviour,
  fdrThreshold,
  seededRandom,
  shuffledTimes,
  timeOrder,
} from "./coordination-features.js";
export {
  forEachBucket,
  forEachCandidatePair,
  LSH_BANDS,
  LSH_ROWS,
  MAX_BUCKET_PAIRS_SIZE,
  writeBandKeys,
} from "./lsh.js";
export { DEFAULT_MINHASH_SIZE, jaccardAtLeast, jaccardSorted, MinHasher } from "./minhash.js";
export { MAX_NARRATIVES, MIN_NARRATIVE_POSTS, type Narrative } from "./narratives.js";
export {
  findNearDuplicates,
  MAX_BUCKET_REPRESENTATIVES,
  MAX_LEADER_SLOTS,
  type NearDuplicates,
} from "./near-duplicates.js";
export {
  type CorpusColumns,
  canonicalUrl,
  MIN_SHINGLES,
  SocialCorpus,
  urlDomain,
} from "./social-corpus.js";
export { normaliseText, shingleHashes, textTokens } from "./text-normalise.js";
