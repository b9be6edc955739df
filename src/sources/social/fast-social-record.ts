import {
  isCanonicalSocialTime,
  MAX_ACCOUNT_LINKS,
  MAX_BIO_LENGTH,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_HANDLE_LENGTH,
  MAX_HASHTAG_LENGTH,
  MAX_POST_HASHTAGS,
  MAX_POST_MENTIONS,
  MAX_POST_TEXT_LENGTH,
  MAX_POST_URLS,
  MAX_SOCIAL_ID_LENGTH,
  MAX_SOCIAL_URL_LENGTH,
  SOCIAL_ID_PATTERN,
  SOCIAL_LANG_PATTERN,
  SOCIAL_PLATFORM_PATTERN,
  SOCIAL_TOKEN_PATTERN,
  type SocialAccount,
  type SocialKind,
  type SocialPost,
} from "../../model/index.js";
import { isJsonObject } from "./json-object.js";

/*
 * Validating a million posts with the zod schemas cost about as much as storing them.
 * Nearly every record of a real scan is already normalised (exports written by Vigil,
 * records built by its readers), so these checks accept exactly the records the schema
 * would return unchanged apart from its defaults, and give what the schema gives: the
 * same keys in the same (shape) order, so stored data and ids are the same bytes. Any
 * record they are unsure of (a field to trim or lower-case, a `@` or `#` to remove, a
 * time in another form, an unknown key, a bad value) gives `undefined`, and the schema
 * reads it, so every message about a bad record is still the schema's.
 */

/**
 * The normalised record `candidate` stands for when it needs no normalisation, or
 * `undefined` when the schema has to read it. `ignoredKey` is a key of `candidate` that
 * is not part of the record (the JSON lines' `type`).
 */
export function fastSocialRecord(
  kind: "post",
  candidate: unknown,
  ignoredKey?: string,
): SocialPost | undefined;
export function fastSocialRecord(
  kind: "account",
  candidate: unknown,
  ignoredKey?: string,
): SocialAccount | undefined;
export function fastSocialRecord(
  kind: SocialKind,
  candidate: unknown,
  ignoredKey?: string,
): SocialPost | SocialAccount | undefined;
export function fastSocialRecord(
  kind: SocialKind,
  candidate: unknown,
  ignoredKey?: string,
): SocialPost | SocialAccount | undefined {
  if (!isJsonObject(candidate)) return undefined;
  return kind === "post" ? fastPost(candidate, ignoredKey) : fastAccount(candidate, ignoredKey);
}

function fastPost(record: Record<string, unknown>, ignoredKey?: string): SocialPost | undefined {
  let platform: string | undefined;
  let id: string | undefined;
  let account: string | undefined;
  let created: string | undefined;
  let text = "";
  let urls: string[] | undefined;
  let hashtags: string[] | undefined;
  let mentions: string[] | undefined;
  let replyTo: string | undefined;
  let quoteOf: string | undefined;
  let repostOf: string | undefined;
  let forwardedFrom: string | undefined;
  let lang: string | undefined;
  for (const key in record) {
    const value = record[key];
    switch (key) {
      case "platform":
        if (!isPlatform(value)) return undefined;
        platform = value;
        break;
      case "id":
        if (!isId(value)) return undefined;
        id = value;
        break;
      case "account":
        if (!isId(value)) return undefined;
        account = value;
        break;
      case "created":
        if (typeof value !== "string" || !isCanonicalSocialTime(value)) return undefined;
        created = value;
        break;
      case "text":
        if (typeof value !== "string" || value.length > MAX_POST_TEXT_LENGTH) return undefined;
        text = value;
        break;
      case "urls":
        urls = tokens(value, MAX_POST_URLS, MAX_SOCIAL_URL_LENGTH, -1);
        if (urls === undefined) return undefined;
        break;
      case "hashtags":
        hashtags = tokens(value, MAX_POST_HASHTAGS, MAX_HASHTAG_LENGTH, HASH);
        if (hashtags === undefined) return undefined;
        break;
      case "mentions":
        mentions = tokens(value, MAX_POST_MENTIONS, MAX_HANDLE_LENGTH, AT);
        if (mentions === undefined) return undefined;
        break;
      case "replyTo":
        if (!isId(value)) return undefined;
        replyTo = value;
        break;
      case "quoteOf":
        if (!isId(value)) return undefined;
        quoteOf = value;
        break;
      case "repostOf":
        if (!isId(value)) return undefined;
        repostOf = value;
        break;
      case "forwardedFrom":
        if (typeof value !== "string" || value.length < 1 || value.length > MAX_DISPLAY_NAME_LENGTH)
          return undefined;
        forwardedFrom = value;
        break;
      case "lang":
        if (typeof value !== "string" || value.length > 35 || !SOCIAL_LANG_PATTERN.test(value))
          return undefined;
        lang = value;
        break;
      default:
        if (key !== ignoredKey) return undefined;
    }
  }
  if (platform === undefined || id === undefined || account === undefined) return undefined;
  if (created === undefined) return undefined;
  // The schema's shape order, as its output has it.
  const post: SocialPost = {
    platform,
    id,
    account,
    created,
    text,
    urls: urls ?? [],
    hashtags: hashtags ?? [],
    mentions: mentions ?? [],
  };
  if (replyTo !== undefined) post.replyTo = replyTo;
  if (quoteOf !== undefined) post.quoteOf = quoteOf;
  if (repostOf !== undefined) post.repostOf = repostOf;
  if (forwardedFrom !== undefined) post.forwardedFrom = forwardedFrom;
  if (lang !== undefined) post.lang = lang;
  return post;
}

function fastAccount(
  record: Record<string, unknown>,
  ignoredKey?: string,
): SocialAccount | undefined {
  let platform: string | undefined;
  let id: string | undefined;
  let handle: string | undefined;
  let displayName: string | undefined;
  let bio: string | undefined;
  let created: string | undefined;
  let avatar: string | undefined;
  let followers: number | undefined;
  let following: number | undefined;
  let links: string[] | undefined;
  let verified: boolean | undefined;
  for (const key in record) {
    const value = record[key];
    switch (key) {
      case "platform":
        if (!isPlatform(value)) return undefined;
        platform = value;
        break;
      case "id":
        if (!isId(value)) return undefined;
        id = value;
        break;
      case "handle":
        if (!isToken(value, MAX_HANDLE_LENGTH, AT)) return undefined;
        handle = value;
        break;
      case "displayName":
        if (typeof value !== "string" || value.length > MAX_DISPLAY_NAME_LENGTH) return undefined;
        displayName = value;
        break;
      case "bio":
        if (typeof value !== "string" || value.length > MAX_BIO_LENGTH) return undefined;
        bio = value;
        break;
      case "created":
        if (typeof value !== "string" || !isCanonicalSocialTime(value)) return undefined;
        created = value;
        break;
      case "avatar":
        if (!isToken(value, MAX_SOCIAL_URL_LENGTH, -1)) return undefined;
        avatar = value;
        break;
      case "followers":
        if (!isCount(value)) return undefined;
        followers = value;
        break;
      case "following":
        if (!isCount(value)) return undefined;
        following = value;
        break;
      case "links":
        links = tokens(value, MAX_ACCOUNT_LINKS, MAX_SOCIAL_URL_LENGTH, -1);
        if (links === undefined) return undefined;
        break;
      case "verified":
        if (typeof value !== "boolean") return undefined;
        verified = value;
        break;
      default:
        if (key !== ignoredKey) return undefined;
    }
  }
  if (platform === undefined || id === undefined) return undefined;
  // The schema's shape order, as its output has it.
  const account: SocialAccount = { platform, id } as SocialAccount;
  if (handle !== undefined) account.handle = handle;
  if (displayName !== undefined) account.displayName = displayName;
  if (bio !== undefined) account.bio = bio;
  if (created !== undefined) account.created = created;
  if (avatar !== undefined) account.avatar = avatar;
  if (followers !== undefined) account.followers = followers;
  if (following !== undefined) account.following = following;
  account.links = links ?? [];
  if (verified !== undefined) account.verified = verified;
  return account;
}

/** `#` and `@`, the prefixes the schema removes from hashtags and handles. */
const HASH = 0x23;
const AT = 0x40;

function isPlatform(value: unknown): value is string {
  return typeof value === "string" && SOCIAL_PLATFORM_PATTERN.test(value);
}

function isId(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length <= MAX_SOCIAL_ID_LENGTH &&
    SOCIAL_ID_PATTERN.test(value)
  );
}

/**
 * A handle, hashtag or URL as the schema returns it: the pattern leaves nothing for
 * `trim` to remove, and a leading `prefix` (a char code, -1 for none) is left to the
 * schema to strip.
 */
function isToken(value: unknown, max: number, prefix: number): value is string {
  return (
    typeof value === "string" &&
    value.length <= max &&
    value.charCodeAt(0) !== prefix &&
    SOCIAL_TOKEN_PATTERN.test(value)
  );
}

/** A copy of a list of tokens, or `undefined` if it or one of them is not as returned. */
function tokens(value: unknown, maxItems: number, max: number, prefix: number) {
  if (!Array.isArray(value) || value.length > maxItems) return undefined;
  for (const item of value) if (!isToken(item, max, prefix)) return undefined;
  // A copy, as the schema gives: the record keeps no list the caller holds.
  return value.slice() as string[];
}

function isCount(value: unknown): value is number {
  return (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= 0 &&
    value <= Number.MAX_SAFE_INTEGER
  );
}
