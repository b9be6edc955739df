export { HANDLE_TRICKS, type HandleTrick, trickHandle } from "./handle-tricks.js";
export { type CampaignLanguage, paraphrase } from "./paraphrase.js";
export { SeededRandom } from "./seeded-random.js";
export {
  MAX_SYNTH_ACCOUNTS,
  MAX_SYNTH_CAMPAIGNS,
  MAX_SYNTH_DAYS,
  MAX_SYNTH_IMPERSONATORS,
  MAX_SYNTH_POSTS,
  type SocialSynthOptions,
  type SocialSynthResult,
  SYNTH_PLATFORM,
  type SynthPerson,
  synthSocial,
} from "./social-synth.js";
export {
  type SocialTruth,
  SocialTruthSchema,
  type SynthCampaign,
  type SynthImpersonator,
} from "./social-truth.js";
