import { z } from "zod";
import { normaliseSocialTime } from "./social-time.js";

/*
 * Limits of a normalised social record. Each is well above what the platforms allow
 * (X: 25,000 characters for the longest posts, 160 for a bio, 50 for a display name;
 * Telegram: 4,096 characters a message), so a real record fits and a hostile one cannot
 * make every later step (hashing, shingling, storing) pay for megabytes of text.
 */

/** Characters of a post's text (UTF-16 code units, as JavaScript counts). */
export const MAX_POST_TEXT_LENGTH = 40_000;
/** Characters of an account's bio. */
export const MAX_BIO_LENGTH = 2_000;
/** Characters of a display name. */
export const MAX_DISPLAY_NAME_LENGTH = 200;
/** Characters of a handle (without its `@`). */
export const MAX_HANDLE_LENGTH = 100;
/** Characters of a platform's id of an account or post. */
export const MAX_SOCIAL_ID_LENGTH = 256;
/** Characters of one URL (a link in a post, an account's link, an avatar). */
export const MAX_SOCIAL_URL_LENGTH = 2_048;
/** Characters of one hashtag (without its `#`). */
export const MAX_HASHTAG_LENGTH = 280;
/** URLs in one post. */
export const MAX_POST_URLS = 100;
/** Hashtags in one post. */
export const MAX_POST_HASHTAGS = 200;
/** Mentions in one post. */
export const MAX_POST_MENTIONS = 200;
/** Links on one account's profile. */
export const MAX_ACCOUNT_LINKS = 50;

/*
 * The patterns of the schemas below, shared with the readers' fast check of records
 * that are already normalised (see `fastSocialRecord`), so the two cannot drift apart.
 */

/** A normalised platform name. */
export const SOCIAL_PLATFORM_PATTERN = /^[a-z0-9][a-z0-9._-]{0,39}$/;
/** A platform's id: printable ASCII without spaces. */
export const SOCIAL_ID_PATTERN = /^[\x21-\x7e]+$/;
/** A handle, hashtag or URL: no spaces (the characters `trim` removes) or control characters. */
export const SOCIAL_TOKEN_PATTERN = /^[^\s\p{Cc}]+$/u;
/** A BCP 47 language tag. */
export const SOCIAL_LANG_PATTERN = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** A platform name: lower-case letters, digits, `.`, `_`, `-` (`x`, `telegram`, `vk`). */
export const SocialPlatformSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(SOCIAL_PLATFORM_PATTERN, "a platform name such as x or telegram");

/**
 * A platform's id of an account or post: printable ASCII without spaces, since ids are
 * numbers (`1849271234567890`), slugs (`user123`) or URIs (`at://did:plc:…`).
 */
export const SocialIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(MAX_SOCIAL_ID_LENGTH)
  .regex(SOCIAL_ID_PATTERN, "printable ASCII without spaces");

/** An instant in any form `normaliseSocialTime` reads, stored in `toISOString()` form. */
export const SocialTimeSchema = z
  .string()
  .max(64)
  .transform((text, ctx) => {
    const iso = normaliseSocialTime(text);
    if (iso === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `not a time between 1990 and 2100 (ISO 8601 expected): ${JSON.stringify(text.slice(0, 40))}`,
      });
      return z.NEVER;
    }
    return iso;
  });

/** Text with no spaces or control characters (a handle, a tag), after removing `prefix`. */
function token(prefix: string, max: number) {
  return z
    .string()
    .trim()
    .transform((s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s))
    .pipe(
      z.string().min(1).max(max).regex(SOCIAL_TOKEN_PATTERN, "no spaces or control characters"),
    );
}

const url = z
  .string()
  .trim()
  .min(1)
  .max(MAX_SOCIAL_URL_LENGTH)
  .regex(SOCIAL_TOKEN_PATTERN, "a URL without spaces");

/**
 * An account on a social platform, normalised from any export Vigil reads. Fields a
 * platform's export does not carry (a Telegram export has no handles or bios) are left
 * out rather than guessed.
 */
export const SocialAccountSchema = z.strictObject({
  platform: SocialPlatformSchema,
  id: SocialIdSchema,
  /** The handle without `@` (`dana_whitfield`). */
  handle: token("@", MAX_HANDLE_LENGTH).optional(),
  displayName: z.string().max(MAX_DISPLAY_NAME_LENGTH).optional(),
  bio: z.string().max(MAX_BIO_LENGTH).optional(),
  /** When the account was created. */
  created: SocialTimeSchema.optional(),
  /** A file path or URL of the profile picture; recorded, never fetched by a source. */
  avatar: url.optional(),
  followers: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  following: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** Links on the profile (website, other accounts). */
  links: z.array(url).max(MAX_ACCOUNT_LINKS).default([]),
  verified: z.boolean().optional(),
});
/** An account as a reader builds it (defaults not applied yet). */
export type SocialAccountInput = z.input<typeof SocialAccountSchema>;
/** A validated, normalised account: the `data` of an `account` observation. */
export type SocialAccount = z.output<typeof SocialAccountSchema>;

/** A post (tweet, message) on a social platform, normalised from any export Vigil reads. */
export const SocialPostSchema = z.strictObject({
  platform: SocialPlatformSchema,
  id: SocialIdSchema,
  /** The id of the account that posted it. */
  account: SocialIdSchema,
  created: SocialTimeSchema,
  /** The text as posted; empty for a plain repost or a picture without a caption. */
  text: z.string().max(MAX_POST_TEXT_LENGTH).default(""),
  /** Links in the post, expanded where the export gives the expansion. */
  urls: z.array(url).max(MAX_POST_URLS).default([]),
  /** Hashtags without `#`, as written. */
  hashtags: z.array(token("#", MAX_HASHTAG_LENGTH)).max(MAX_POST_HASHTAGS).default([]),
  /** Handles mentioned, without `@`. */
  mentions: z.array(token("@", MAX_HANDLE_LENGTH)).max(MAX_POST_MENTIONS).default([]),
  /** The id of the post this one answers. */
  replyTo: SocialIdSchema.optional(),
  /** The id of the post this one quotes. */
  quoteOf: SocialIdSchema.optional(),
  /** The id of the post this one reposts (retweet, share). */
  repostOf: SocialIdSchema.optional(),
  /**
   * Who a forwarded post came from, when the export names the source but not the
   * original post (Telegram's `forwarded_from`): an account id or a display name.
   */
  forwardedFrom: z.string().min(1).max(MAX_DISPLAY_NAME_LENGTH).optional(),
  /** BCP 47 language tag as the platform detected it (`en`, `ru`, `und`). */
  lang: z.string().trim().max(35).regex(SOCIAL_LANG_PATTERN, "a BCP 47 language tag").optional(),
});
/** A post as a reader builds it (defaults not applied yet). */
export type SocialPostInput = z.input<typeof SocialPostSchema>;
/** A validated, normalised post: the `data` of a `post` observation. */
export type SocialPost = z.output<typeof SocialPostSchema>;

/** The two observation kinds of social platforms. */
export type SocialKind = "account" | "post";

/**
 * The value an account or post observation is known by: `<platform>:account:<id>` or
 * `<platform>:post:<id>`, so the same item read from two exports is one observation.
 *
 * @example socialObservationValue("post", "x", "1849271234567890") // "x:post:1849271234567890"
 */
export function socialObservationValue(kind: SocialKind, platform: string, id: string): string {
  return `${platform}:${kind}:${id}`;
}
