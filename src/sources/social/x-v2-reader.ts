import type { Readable } from "node:stream";
import { z } from "zod";
import type { SocialAccountInput, SocialPostInput } from "../../model/index.js";
import { readLines } from "../line-reader.js";
import type { SourceItem } from "../source-item.js";
import { definedOnly } from "./defined-only.js";
import { isJsonObject } from "./json-object.js";
import { peekInput } from "./peek-input.js";
import { readJsonDocument } from "./read-json-document.js";
import { SOCIAL_FORMAT_SNIFF_BYTES } from "./social-format.js";
import { type SocialReaderOptions, socialItem } from "./social-item.js";
import { describeIssues, jsonMessage, lineProblem, socialProblem } from "./social-problem.js";

/**
 * Longest line when X API v2 responses come one a line: a page of 100 posts with their
 * expansions (users, referenced posts, media) is a few hundred kilobytes, so this leaves
 * room for the largest pages and still refuses a runaway line.
 */
export const MAX_X_RESPONSE_LINE_BYTES = 32 * 1024 * 1024;

/** The platform name of X (Twitter) observations. */
export const X_PLATFORM = "x";

/** Only the fields Vigil reads; the API sends many more, which are ignored. */
const XUrlSchema = z.looseObject({
  url: z.string().optional(),
  expanded_url: z.string().optional(),
  unwound_url: z.string().optional(),
});

const XEntitiesSchema = z.looseObject({
  urls: z.array(XUrlSchema).optional(),
  hashtags: z.array(z.looseObject({ tag: z.string() })).optional(),
  mentions: z.array(z.looseObject({ username: z.string() })).optional(),
});

/** A field the API sends only when asked: say how to ask when it is missing. */
function requested(field: string, how: string) {
  return z.string({
    error: (issue) =>
      issue.input === undefined ? `missing; request it with ${how}` : `${field} must be a string`,
  });
}

const XTweetSchema = z.looseObject({
  id: z.string(),
  text: z.string(),
  author_id: requested("author_id", "tweet.fields=author_id"),
  created_at: requested("created_at", "tweet.fields=created_at"),
  lang: z.string().optional(),
  entities: XEntitiesSchema.optional(),
  referenced_tweets: z.array(z.looseObject({ type: z.string(), id: z.string() })).optional(),
  /** Posts over 280 characters: `text` is cut short, the whole text is here. */
  note_tweet: z.looseObject({ text: z.string(), entities: XEntitiesSchema.optional() }).optional(),
});
type XTweet = z.infer<typeof XTweetSchema>;

const XUserSchema = z.looseObject({
  id: z.string(),
  username: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  created_at: z.string().optional(),
  profile_image_url: z.string().optional(),
  url: z.string().optional(),
  verified: z.boolean().optional(),
  public_metrics: z
    .looseObject({
      followers_count: z.number().optional(),
      following_count: z.number().optional(),
    })
    .optional(),
  entities: z
    .looseObject({ url: z.looseObject({ urls: z.array(XUrlSchema).optional() }).optional() })
    .optional(),
});
type XUser = z.infer<typeof XUserSchema>;

/**
 * Reads X (Twitter) API v2 responses: one JSON document (a search or timeline page:
 * `data` with posts, `includes.users` and `includes.tweets`), or many, one a line.
 * Users become accounts, posts (also the referenced ones in `includes.tweets`) become
 * posts; each bad record is a problem naming the line and the record (`data[3]`).
 */
export async function* readXV2(
  input: Readable | AsyncIterable<Uint8Array>,
  options: SocialReaderOptions & { knownSize?: number },
): AsyncGenerator<SourceItem> {
  const peeked = await peekInput(input, SOCIAL_FORMAT_SNIFF_BYTES);
  const seen = new Set<string>();
  const context = { observedAt: options.observedAt, seen };
  if (isJsonLines(peeked.head)) {
    for await (const line of readLines(peeked.input, {
      maxLineBytes: MAX_X_RESPONSE_LINE_BYTES,
      ...(options.onBytes ? { onBytes: options.onBytes } : {}),
    })) {
      const where = `${options.name} line ${line.number}`;
      if ("error" in line) {
        yield lineProblem(where, line);
        continue;
      }
      const text = (line.number === 1 ? line.text.replace(/^\uFEFF/, "") : line.text).trim();
      if (text === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        yield socialProblem(where, "VIGIL_ERR_INPUT_JSON", `not JSON: ${jsonMessage(err)}`);
        continue;
      }
      yield* responseItems(value, where, context);
    }
    return;
  }
  const document = await readJsonDocument(peeked.input, {
    name: options.name,
    ...(options.knownSize === undefined ? {} : { knownSize: options.knownSize }),
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  });
  if ("failed" in document) {
    yield document.failed;
    return;
  }
  yield* responseItems(document.value, options.name, context);
}

/**
 * Whether the input is one JSON value a line: its first line is a whole JSON value, or
 * is longer than the head (a pretty-printed document breaks its first line early).
 */
function isJsonLines(head: Uint8Array): boolean {
  const text = new TextDecoder("utf-8")
    .decode(head)
    .replace(/^\uFEFF/, "")
    .trimStart();
  const nl = text.indexOf("\n");
  if (nl === -1) return true;
  try {
    JSON.parse(text.slice(0, nl));
    return true;
  } catch {
    return false;
  }
}

interface ItemContext {
  observedAt: string;
  seen: Set<string>;
}

function* responseItems(
  response: unknown,
  where: string,
  context: ItemContext,
): Generator<SourceItem> {
  if (
    !isJsonObject(response) ||
    !("data" in response || "includes" in response || "meta" in response)
  ) {
    const errors = isJsonObject(response) && Array.isArray(response.errors) ? response.errors : [];
    const first = errors.find(isJsonObject);
    yield socialProblem(
      where,
      errors.length > 0 ? "VIGIL_ERR_SOCIAL_RECORD" : "VIGIL_ERR_SOCIAL_FORMAT",
      first !== undefined
        ? `X API error instead of data: ${String(first.title ?? "")} ${String(first.detail ?? "")}`.trim()
        : "not an X API v2 response (an object with data or includes)",
    );
    return;
  }
  const includes = response.includes;
  if (includes !== undefined && !isJsonObject(includes)) {
    yield socialProblem(
      `${where} includes`,
      "VIGIL_ERR_SOCIAL_RECORD",
      "includes is not an object",
    );
  }
  const included = isJsonObject(includes) ? includes : {};
  // Accounts first, so a reader of the store sees who posted before what was posted.
  yield* records(included.users, `${where} includes.users`, (user, item) => {
    const parsed = XUserSchema.safeParse(user);
    if (!parsed.success) return recordProblem(item, "account", parsed.error);
    return socialItem("account", userToAccount(parsed.data), { item, ...context });
  });
  const data = response.data;
  const posts = (value: unknown, item: string, seen?: Set<string>) => {
    const parsed = XTweetSchema.safeParse(value);
    if (!parsed.success) return recordProblem(item, "post", parsed.error);
    return socialItem("post", tweetToPost(parsed.data), {
      item,
      observedAt: context.observedAt,
      ...(seen === undefined ? {} : { seen }),
    });
  };
  // A look-up of one post answers with `data` as an object, a search with an array.
  if (isJsonObject(data)) {
    const result = posts(data, `${where} data`);
    if (result !== undefined) yield result;
  } else yield* records(data, `${where} data`, (value, item) => posts(value, item));
  // Referenced posts come again on every page that refers to them: skip repeats.
  yield* records(included.tweets, `${where} includes.tweets`, (value, item) =>
    posts(value, item, context.seen),
  );
}

/** Each element of an optional array, through `read`; a non-array is one problem. */
function* records(
  value: unknown,
  path: string,
  read: (element: unknown, item: string) => SourceItem | undefined,
): Generator<SourceItem> {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    yield socialProblem(path, "VIGIL_ERR_SOCIAL_RECORD", "not an array");
    return;
  }
  for (let i = 0; i < value.length; i++) {
    const result = read(value[i], `${path}[${i}]`);
    if (result !== undefined) yield result;
  }
}

function recordProblem(item: string, kind: string, error: z.ZodError): SourceItem {
  return socialProblem(
    item,
    "VIGIL_ERR_SOCIAL_RECORD",
    `not an X ${kind}: ${describeIssues(error)}`,
  );
}

function userToAccount(user: XUser): SocialAccountInput {
  const profileUrls = user.entities?.url?.urls ?? [];
  const links =
    profileUrls.length > 0
      ? profileUrls.map(expandedUrl)
      : user.url !== undefined && user.url !== ""
        ? [user.url]
        : [];
  return definedOnly({
    platform: X_PLATFORM,
    id: user.id,
    handle: user.username,
    displayName: user.name,
    bio: user.description,
    created: user.created_at,
    avatar: user.profile_image_url === "" ? undefined : user.profile_image_url,
    followers: user.public_metrics?.followers_count,
    following: user.public_metrics?.following_count,
    links: links.filter((l) => l !== ""),
    verified: user.verified,
  });
}

function tweetToPost(tweet: XTweet): SocialPostInput {
  const entities = tweet.note_tweet?.entities ?? tweet.entities;
  const referenced = (type: string) => tweet.referenced_tweets?.find((r) => r.type === type)?.id;
  return definedOnly({
    platform: X_PLATFORM,
    id: tweet.id,
    account: tweet.author_id,
    created: tweet.created_at,
    text: tweet.note_tweet?.text ?? tweet.text,
    urls: (entities?.urls ?? []).map(expandedUrl).filter((u) => u !== ""),
    hashtags: (entities?.hashtags ?? []).map((h) => h.tag),
    mentions: (entities?.mentions ?? []).map((m) => m.username),
    replyTo: referenced("replied_to"),
    quoteOf: referenced("quoted"),
    repostOf: referenced("retweeted"),
    lang: tweet.lang,
  });
}

/** The link as the author wrote it: the unwound or expanded URL, not the t.co wrapper. */
function expandedUrl(u: z.infer<typeof XUrlSchema>): string {
  return u.unwound_url ?? u.expanded_url ?? u.url ?? "";
}
