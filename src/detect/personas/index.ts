export { type HandleDisguise, handleKey, handleTrick } from "./handle-key.js";
export { canonicalPlatform, type HandleRef, parseHandleRef } from "./handle-ref.js";
export { bioTokens, jaccard, nameTokens } from "./name-tokens.js";
export {
  DHASH_HEIGHT,
  DHASH_WIDTH,
  differenceHash,
  hammingDistance,
  isPerceptualHash,
} from "./perceptual-hash.js";
export {
  HANDLE_AFFIX_WORDS,
  MAX_HANDLES_INDEXED,
  MAX_NAMES_INDEXED,
  MAX_PHOTOS_INDEXED,
  PersonaIndex,
  type ProtectedPersona,
} from "./persona-index.js";
export { MAX_HELD_ACCOUNTS, PersonaStream, type StreamedAccount } from "./persona-stream.js";
export {
  DEFAULT_PERSONAS_THRESHOLD,
  MAX_AVATAR_HAMMING,
  MAX_CLAIMING_ACCOUNTS,
  PERSONA_TECHNIQUES,
  PERSONAS_DETECTOR_NAME,
  PERSONAS_DETECTOR_VERSION,
  PersonasDetector,
  type PersonasDetectorOptions,
} from "./personas-detector.js";
export {
  combine,
  findPostClaims,
  PERSONA_RULE_WEIGHTS,
  type PersonaRule,
  type PostClaim,
} from "./personas-features.js";
