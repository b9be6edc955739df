import { VigilError } from "../../errors.js";

/** Fields of a post that a CSV column can fill. */
export const CSV_POST_FIELDS = [
  "platform",
  "id",
  "account",
  "created",
  "text",
  "urls",
  "hashtags",
  "mentions",
  "replyTo",
  "quoteOf",
  "repostOf",
  "forwardedFrom",
  "lang",
] as const;

/** Fields of the posting account that a CSV column can fill (`account` is its id). */
export const CSV_ACCOUNT_FIELDS = [
  "handle",
  "displayName",
  "bio",
  "accountCreated",
  "avatar",
  "followers",
  "following",
  "links",
  "verified",
] as const;

export type CsvField = (typeof CSV_POST_FIELDS)[number] | (typeof CSV_ACCOUNT_FIELDS)[number];
const FIELDS: readonly CsvField[] = [...CSV_POST_FIELDS, ...CSV_ACCOUNT_FIELDS];

/** Which CSV column (by header name) fills which field. */
export type CsvColumnMap = Partial<Record<CsvField, string>>;

/**
 * Header names recognised without a map, compared without case, spaces, `_` or `-`.
 * Besides the field names themselves they cover common exports, such as the columns of
 * the X (Twitter) information-operations archive (`tweetid`, `userid`, `tweet_time`,
 * `user_screen_name`, `account_creation_date`, …).
 */
export const CSV_COLUMN_ALIASES: Readonly<Record<CsvField, readonly string[]>> = {
  platform: ["platform", "network"],
  id: ["id", "post_id", "tweetid", "tweet_id", "status_id", "message_id"],
  account: ["account", "account_id", "author_id", "userid", "user_id", "from_id"],
  created: ["created", "created_at", "tweet_time", "timestamp", "date", "time", "posted_at"],
  text: ["text", "tweet_text", "full_text", "message", "content", "body"],
  urls: ["urls", "expanded_urls"],
  hashtags: ["hashtags", "tags"],
  mentions: ["mentions", "user_mentions"],
  replyTo: ["reply_to", "in_reply_to_tweetid", "in_reply_to_status_id", "reply_to_message_id"],
  quoteOf: ["quote_of", "quoted_tweet_tweetid", "quoted_status_id"],
  repostOf: ["repost_of", "retweet_tweetid", "retweeted_status_id"],
  forwardedFrom: ["forwarded_from"],
  lang: ["lang", "language", "tweet_language"],
  handle: ["handle", "username", "screen_name", "user_screen_name"],
  displayName: ["display_name", "user_display_name", "name"],
  bio: ["bio", "description", "user_profile_description"],
  accountCreated: ["account_created", "account_creation_date", "user_created_at"],
  avatar: ["avatar", "profile_image_url", "avatar_url"],
  followers: ["followers", "follower_count", "followers_count"],
  following: ["following", "following_count", "friends_count"],
  links: ["links", "user_profile_url", "website"],
  verified: ["verified", "user_verified"],
};

/** Most `field=column` pairs in a map: one per field. */
const MAX_PAIRS = FIELDS.length;

/**
 * Reads a column map such as `text=message,created=timestamp` (several strings are
 * joined, so the option can be repeated). Throws `VIGIL_ERR_SOCIAL_COLUMN_MAP` naming the
 * pair that is wrong: an unknown field, a field given twice, an empty column name.
 *
 * @example parseColumnMap("text=message,created=timestamp") // { text: "message", created: "timestamp" }
 */
export function parseColumnMap(text: string | readonly string[]): CsvColumnMap {
  const pairs = (typeof text === "string" ? [text] : text)
    .flatMap((t) => t.split(","))
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (pairs.length > MAX_PAIRS) {
    throw new VigilError(
      "VIGIL_ERR_SOCIAL_COLUMN_MAP",
      `a column map has at most ${MAX_PAIRS} pairs, one per field`,
    );
  }
  const map: CsvColumnMap = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const field = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    const column = eq === -1 ? "" : pair.slice(eq + 1).trim();
    if (!FIELDS.includes(field as CsvField)) {
      throw new VigilError(
        "VIGIL_ERR_SOCIAL_COLUMN_MAP",
        `unknown field "${field.slice(0, 40)}" in "${pair.slice(0, 80)}"; fields: ${FIELDS.join(", ")}`,
      );
    }
    if (column === "") {
      throw new VigilError(
        "VIGIL_ERR_SOCIAL_COLUMN_MAP",
        `"${pair.slice(0, 80)}" names no column: write ${field}=COLUMN`,
      );
    }
    if (map[field as CsvField] !== undefined) {
      throw new VigilError("VIGIL_ERR_SOCIAL_COLUMN_MAP", `field "${field}" is mapped twice`);
    }
    map[field as CsvField] = column;
  }
  return map;
}

/** Header names compare without case, spaces, `_` and `-`: `Tweet Time` is `tweet_time`. */
function key(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, "");
}

/**
 * Which column index fills each field, for a header row: the map's columns first, then
 * recognised names among the columns left. An error message when a mapped column is
 * missing or the columns cannot give posts or accounts.
 */
export function resolveColumns(
  header: readonly string[],
  map: CsvColumnMap,
): { columns: Partial<Record<CsvField, number>> } | { error: string } {
  const keys = header.map(key);
  const columns: Partial<Record<CsvField, number>> = {};
  const taken = new Set<number>();
  for (const field of FIELDS) {
    const wanted = map[field];
    if (wanted === undefined) continue;
    const at = keys.indexOf(key(wanted));
    if (at === -1) {
      return {
        error: `--map ${field}=${wanted}: no column "${wanted}" in the header (${header.slice(0, 20).join(", ")})`,
      };
    }
    columns[field] = at;
    taken.add(at);
  }
  for (const field of FIELDS) {
    if (columns[field] !== undefined) continue;
    for (const alias of CSV_COLUMN_ALIASES[field]) {
      const at = keys.findIndex((k, i) => k === key(alias) && !taken.has(i));
      if (at !== -1) {
        columns[field] = at;
        taken.add(at);
        break;
      }
    }
  }
  if (columns.id === undefined && columns.account === undefined) {
    return {
      error:
        "no column for a post id or an account id: name them with --map id=COLUMN,account=COLUMN",
    };
  }
  if (columns.id !== undefined && columns.account === undefined)
    return { error: "posts need the id of their account: --map account=COLUMN" };
  if (columns.id !== undefined && columns.created === undefined)
    return { error: "posts need a time: --map created=COLUMN" };
  return { columns };
}
