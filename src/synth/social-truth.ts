import { z } from "zod";

const id = z.string().min(1);
const instant = z.iso.datetime();

/** One planted campaign: its accounts and what they push. */
export const SynthCampaignSchema = z.strictObject({
  id: z.string(),
  language: z.string(),
  /** The campaign's accounts (all created within a few days of each other). */
  accounts: z.array(id),
  seedTexts: z.array(z.string()),
  hashtags: z.array(z.string()),
  domains: z.array(z.string()),
  createdFrom: instant,
  createdTo: instant,
  activeFrom: instant,
  activeTo: instant,
  /** Posts and reposts the campaign's accounts made as the campaign. */
  posts: z.number().int(),
});

/** One account that imitates a person, with the tricks it uses. */
export const SynthImpersonatorSchema = z.strictObject({
  account: id,
  handle: z.string(),
  person: z.string(),
  genuineAccount: id,
  genuineHandle: z.string(),
  /** `handle:<trick>`, `displayName:copied|edited`, `bio:copied|edited`, `avatar:copied`. */
  tricks: z.array(z.string()),
  /** The campaign whose links it pushes, when it works for one. */
  campaign: z.string().optional(),
});

/**
 * The ground truth of a synthetic data set (`truth.json`): which accounts are planted
 * and why, and the organic crowds (trending hashtags, viral posts) that must not be
 * taken for coordination. Organic lists hold organic accounts only.
 */
export const SocialTruthSchema = z.strictObject({
  generator: z.literal("vigil synth social"),
  version: z.literal(1),
  seed: z.number().int(),
  platform: z.string(),
  parameters: z.strictObject({
    accounts: z.number().int(),
    posts: z.number().int(),
    campaigns: z.number().int(),
    impersonators: z.number().int(),
    start: instant,
    days: z.number().int(),
  }),
  counts: z.strictObject({
    accounts: z.number().int(),
    posts: z.number().int(),
    organicAccounts: z.number().int(),
    genuineAccounts: z.number().int(),
    campaignAccounts: z.number().int(),
    impersonatorAccounts: z.number().int(),
    campaignPosts: z.number().int(),
    impersonatorPosts: z.number().int(),
    viralReposts: z.number().int(),
  }),
  campaigns: z.array(SynthCampaignSchema),
  impersonators: z.array(SynthImpersonatorSchema),
  /** The real accounts of the people imitated: never to be flagged. */
  genuineAccounts: z.array(z.strictObject({ person: z.string(), account: id, handle: z.string() })),
  trendingHashtags: z.array(
    z.strictObject({
      tag: z.string(),
      from: instant,
      to: instant,
      posts: z.number().int(),
      accounts: z.array(id),
    }),
  ),
  viralPosts: z.array(
    z.strictObject({
      post: id,
      account: id,
      created: instant,
      reposts: z.number().int(),
      reposters: z.array(id),
    }),
  ),
});
export type SocialTruth = z.infer<typeof SocialTruthSchema>;
export type SynthCampaign = z.infer<typeof SynthCampaignSchema>;
export type SynthImpersonator = z.infer<typeof SynthImpersonatorSchema>;
