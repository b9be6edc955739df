import { z } from "zod";

const nonEmpty = z.string().trim().min(1).max(500);

/** A protected news outlet: the domains it owns and its social handles. */
export const OutletSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, "lower-case letters, digits and hyphens")
    .optional(),
  name: nonEmpty,
  /**
   * Other names the outlet goes by (abbreviations, transliterations: `RBK` for
   * RBC-Ukraine): a domain spelling one out imitates the outlet as much as its own label.
   */
  aliases: z.array(nonEmpty).max(100).default([]),
  domains: z.array(z.string().trim().min(1).max(253)).min(1).max(1000),
  handles: z.array(nonEmpty).max(1000).default([]),
  /**
   * Image files of the outlet's logo and its accounts' profile pictures (relative to
   * vigil.yaml), whose perceptual hashes are compared with impersonators' avatars.
   */
  logos: z.array(z.string().trim().min(1).max(4096)).max(50).optional(),
  country: z.string().trim().max(10).optional(),
  /** Per-outlet score threshold overriding `settings.domains.threshold`. */
  threshold: z.number().min(0).max(1).optional(),
});
export type Outlet = z.infer<typeof OutletSchema>;

/** A protected person (campaign staff, journalist, official). */
export const PersonSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,99}$/)
    .optional(),
  name: nonEmpty,
  aliases: z.array(nonEmpty).max(100).default([]),
  emails: z.array(z.string().trim().toLowerCase().pipe(z.email())).max(100).default([]),
  /**
   * The person's own accounts, never flagged as impersonators: `@dana_w` (on any
   * platform), `x:@dana_w` or `telegram:dana_w` (on that platform), or a profile URL
   * (`https://x.com/dana_w`).
   */
  handles: z.array(nonEmpty).max(100).default([]),
  /**
   * Image files of the person (profile pictures of the genuine accounts), whose
   * perceptual hashes are compared with impersonators' avatars.
   */
  photos: z.array(z.string().trim().min(1).max(4096)).max(50).optional(),
  role: z.string().trim().max(200).optional(),
  organisation: z.string().trim().max(200).optional(),
});
export type Person = z.infer<typeof PersonSchema>;

/** A protected organisation (campaign, party, election office). */
export const OrganisationSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,99}$/)
    .optional(),
  name: nonEmpty,
  domains: z.array(z.string().trim().min(1).max(253)).max(1000).default([]),
  handles: z.array(nonEmpty).max(1000).default([]),
  /** Image files of the organisation's logo and profile pictures, like an outlet's. */
  logos: z.array(z.string().trim().min(1).max(4096)).max(50).optional(),
  /**
   * Who handles security for the organisation (an address such as `security@campaign.example`):
   * told at once when one of its people is targeted, and again when that person has not
   * acknowledged the notice in time (`settings.notify.escalateAfterMinutes`).
   */
  securityContact: z.string().trim().toLowerCase().pipe(z.email()).optional(),
});
export type Organisation = z.infer<typeof OrganisationSchema>;

export const DomainSettingsSchema = z.strictObject({
  /** Findings scoring below this are not reported. */
  threshold: z.number().min(0).max(1).default(0.5),
  /** Domains that are never flagged (owned, partners, known harmless). */
  allow: z.array(z.string().trim().min(1).max(253)).max(100_000).default([]),
  /**
   * Known legitimate domains (a popularity ranking such as Tranco or Umbrella, or your
   * own list): scored down by `known-legitimate`, not ignored, since a popular domain
   * can still be a lookalike.
   */
  known: z.array(z.string().trim().min(1).max(253)).max(2_000_000).default([]),
  /** A file of known legitimate domains (one a line, or `rank,domain`), relative to vigil.yaml. */
  knownFile: z.string().trim().min(1).max(4096).optional(),
});

const DOMAIN_DEFAULTS = { threshold: 0.5, allow: [], known: [] };

/** A divisive (wedge) issue: narratives whose posts use its keywords are marked with it. */
export const DivisiveIssueSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, "lower-case letters, digits and hyphens"),
  name: nonEmpty,
  /** Words or phrases, matched case-insensitively as whole words in the posts' text. */
  keywords: z.array(z.string().trim().min(1).max(100)).min(1).max(1000),
});
export type DivisiveIssue = z.infer<typeof DivisiveIssueSchema>;

/** The issues influence operations most often exploit in elections; replace to suit. */
export const DEFAULT_DIVISIVE_ISSUES: readonly DivisiveIssue[] = [
  {
    id: "immigration",
    name: "Immigration",
    keywords: [
      "immigration",
      "immigrants",
      "immigrant",
      "migrants",
      "migrant",
      "border",
      "asylum",
      "illegals",
      "deportation",
      "refugees",
    ],
  },
  {
    id: "abortion",
    name: "Abortion",
    keywords: ["abortion", "pro-life", "pro-choice", "roe", "unborn", "planned parenthood"],
  },
  {
    id: "israel-gaza",
    name: "Israel–Gaza",
    keywords: [
      "israel",
      "gaza",
      "hamas",
      "palestine",
      "palestinian",
      "zionist",
      "idf",
      "west bank",
    ],
  },
  {
    id: "race",
    name: "Race",
    keywords: [
      "racism",
      "racist",
      "race",
      "blm",
      "black lives matter",
      "white supremacy",
      "reparations",
      "police brutality",
    ],
  },
  {
    id: "election-integrity",
    name: "Election integrity",
    keywords: [
      "rigged",
      "election fraud",
      "voter fraud",
      "stolen election",
      "ballots",
      "ballot",
      "voting machines",
      "mail-in",
      "dead voters",
      "recount",
    ],
  },
  {
    id: "guns",
    name: "Guns",
    keywords: [
      "guns",
      "gun control",
      "second amendment",
      "2a",
      "nra",
      "assault weapons",
      "firearms",
    ],
  },
];

/** Settings of the social analyses (coordination and narratives). */
export const SocialSettingsSchema = z.strictObject({
  /** Divisive issues narratives are checked against. */
  divisiveIssues: z
    .array(DivisiveIssueSchema)
    .max(1000)
    .default(() => [...DEFAULT_DIVISIVE_ISSUES]),
});

/**
 * How the people targeted by phishing are told (docs/notify.md). Secrets are never written
 * here: the SMTP password and the webhook secret are read from the environment variables
 * named.
 */
export const NotifySettingsSchema = z.strictObject({
  /** `smtp://host:587` (STARTTLS required), `smtps://host:465`; user name in the URL. */
  smtpUrl: z.string().trim().min(1).max(2048).optional(),
  /** Environment variable holding the SMTP password. */
  smtpPasswordEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, "an environment variable name")
    .optional(),
  /** The notices' From address, e.g. `Vigil <vigil@campaign.example>`. */
  from: z.string().trim().min(3).max(500).optional(),
  /** Where signed webhooks are POSTed (https, or http on a loopback address). */
  webhookUrl: z.string().trim().min(1).max(2048).optional(),
  /** Environment variable holding the webhook's HMAC secret. */
  webhookSecretEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, "an environment variable name")
    .default("VIGIL_WEBHOOK_SECRET"),
  /** Base URL of `vigil notify serve`, for the acknowledgement link in every notice. */
  ackBaseUrl: z.string().trim().min(1).max(2048).optional(),
  /** A notice to a targeted person not acknowledged after this long goes to the security contact. */
  escalateAfterMinutes: z.number().positive().max(525_600).default(240),
  /** Folder of templates that replace the shipped ones (data/templates/), relative to vigil.yaml. */
  templates: z.string().trim().min(1).max(4096).optional(),
});
export type NotifySettings = z.infer<typeof NotifySettingsSchema>;

export const WatchlistSchema = z.strictObject({
  version: z.literal(1).default(1),
  outlets: z.array(OutletSchema).max(100_000).default([]),
  people: z.array(PersonSchema).max(100_000).default([]),
  organisations: z.array(OrganisationSchema).max(100_000).default([]),
  settings: z
    .strictObject({
      domains: DomainSettingsSchema.default(DOMAIN_DEFAULTS),
      social: SocialSettingsSchema.default(() => ({
        divisiveIssues: [...DEFAULT_DIVISIVE_ISSUES],
      })),
      notify: NotifySettingsSchema.optional(),
    })
    .default(() => ({
      domains: DOMAIN_DEFAULTS,
      social: { divisiveIssues: [...DEFAULT_DIVISIVE_ISSUES] },
    })),
});
/** The watchlist as written in vigil.yaml (ids optional). */
export type WatchlistInput = z.input<typeof WatchlistSchema>;
/** The watchlist after validation; `load` fills in every id. */
export type Watchlist = z.infer<typeof WatchlistSchema>;
