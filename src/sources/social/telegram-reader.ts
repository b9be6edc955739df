import type { Readable } from "node:stream";
import { z } from "zod";
import type { SocialPostInput } from "../../model/index.js";
import type { SourceItem } from "../source-item.js";
import { definedOnly } from "./defined-only.js";
import { isJsonObject } from "./json-object.js";
import { readJsonDocument } from "./read-json-document.js";
import { type SocialReaderOptions, socialItem } from "./social-item.js";
import { describeIssues, socialProblem } from "./social-problem.js";

/** The platform name of Telegram observations. */
export const TELEGRAM_PLATFORM = "telegram";

/** A piece of formatted text: a plain string, or a typed span (`link`, `hashtag`, …). */
const TextPartSchema = z.union([
  z.string(),
  z.looseObject({
    type: z.string(),
    text: z.string(),
    href: z.string().optional(),
  }),
]);
type TextPart = z.infer<typeof TextPartSchema>;

/** Only the fields Vigil reads of a message; exports carry many more (media, edits). */
const TelegramMessageSchema = z.looseObject({
  id: z.number().int(),
  type: z.literal("message"),
  date: z.string().optional(),
  date_unixtime: z.union([z.string(), z.number()]).optional(),
  from: z.string().nullable().optional(),
  from_id: z.string({
    error: (issue) => (issue.input === undefined ? "missing: no sender" : "must be a string"),
  }),
  text: z.union([z.string(), z.array(TextPartSchema)]).optional(),
  text_entities: z.array(TextPartSchema).optional(),
  forwarded_from: z.string().nullable().optional(),
  reply_to_message_id: z.number().int().optional(),
});
type TelegramMessage = z.infer<typeof TelegramMessageSchema>;

const ChatSchema = z.looseObject({
  id: z.union([z.number().int(), z.string().regex(/^-?\d+$/)]),
  name: z.string().nullable().optional(),
  messages: z.array(z.unknown()),
});

/**
 * Reads a Telegram Desktop export (`result.json`, "Export chat history" or "Export
 * Telegram data" in machine-readable JSON): one chat (`name`, `type`, `id`,
 * `messages`) or all of them (`chats.list`, `left_chats.list`). Each message becomes a
 * post and its sender (`from_id`, `from`) an account; service messages (joins, pins) are
 * skipped. A post's id is `<chat id>/<message id>`, since message ids count per chat.
 */
export async function* readTelegramExport(
  input: Readable | AsyncIterable<Uint8Array>,
  options: SocialReaderOptions & { knownSize?: number },
): AsyncGenerator<SourceItem> {
  const document = await readJsonDocument(input, {
    name: options.name,
    ...(options.knownSize === undefined ? {} : { knownSize: options.knownSize }),
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  });
  if ("failed" in document) {
    yield document.failed;
    return;
  }
  const root = document.value;
  const chats: Array<{ path: string; chat: unknown }> = [];
  if (isJsonObject(root) && Array.isArray(root.messages)) chats.push({ path: "", chat: root });
  else if (isJsonObject(root) && (isJsonObject(root.chats) || isJsonObject(root.left_chats))) {
    for (const key of ["chats", "left_chats"]) {
      const list = (root[key] as Record<string, unknown> | undefined)?.list;
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        yield socialProblem(
          `${options.name} ${key}.list`,
          "VIGIL_ERR_SOCIAL_RECORD",
          "not an array",
        );
        continue;
      }
      for (const [i, chat] of list.entries()) chats.push({ path: `${key}.list[${i}].`, chat });
    }
  } else {
    yield socialProblem(
      options.name,
      "VIGIL_ERR_SOCIAL_FORMAT",
      "not a Telegram Desktop export (an object with messages, or chats.list)",
    );
    return;
  }
  const seen = new Set<string>();
  for (const { path, chat } of chats) {
    const parsed = ChatSchema.safeParse(chat);
    if (!parsed.success) {
      yield socialProblem(
        `${options.name} ${path === "" ? "chat" : path.slice(0, -1)}`,
        "VIGIL_ERR_SOCIAL_RECORD",
        `not a Telegram chat: ${describeIssues(parsed.error)}`,
      );
      continue;
    }
    const chatId = String(parsed.data.id);
    const messages = parsed.data.messages;
    for (let i = 0; i < messages.length; i++) {
      const item = `${options.name} ${path}messages[${i}]`;
      const raw = messages[i];
      // Service messages (joined, pinned, photo changed) are not posts.
      if (isJsonObject(raw) && raw.type !== undefined && raw.type !== "message") continue;
      const message = TelegramMessageSchema.safeParse(raw);
      if (!message.success) {
        yield socialProblem(
          item,
          "VIGIL_ERR_SOCIAL_RECORD",
          `not a Telegram message: ${describeIssues(message.error)}`,
        );
        continue;
      }
      const m = message.data;
      const account = socialItem(
        "account",
        definedOnly({
          platform: TELEGRAM_PLATFORM,
          id: m.from_id,
          displayName: m.from ?? undefined,
        }),
        { item, observedAt: options.observedAt, seen },
      );
      if (account !== undefined) yield account;
      const post = socialItem("post", messageToPost(m, chatId), {
        item,
        observedAt: options.observedAt,
      });
      if (post !== undefined) yield post;
    }
  }
}

function messageToPost(m: TelegramMessage, chatId: string): SocialPostInput {
  const parts = m.text_entities ?? (Array.isArray(m.text) ? m.text : []);
  const urls: string[] = [];
  const hashtags: string[] = [];
  const mentions: string[] = [];
  for (const part of parts) {
    if (typeof part === "string") continue;
    if (part.type === "link") urls.push(part.text);
    else if (part.type === "text_link" && part.href !== undefined) urls.push(part.href);
    else if (part.type === "hashtag") hashtags.push(part.text);
    else if (part.type === "mention") mentions.push(part.text);
  }
  return definedOnly({
    platform: TELEGRAM_PLATFORM,
    id: `${chatId}/${m.id}`,
    account: m.from_id,
    // Unix time is exact; `date` is the exporting computer's local time without a zone.
    created: m.date_unixtime === undefined ? m.date : String(m.date_unixtime),
    text: plainText(m.text),
    urls,
    hashtags,
    mentions,
    replyTo: m.reply_to_message_id === undefined ? undefined : `${chatId}/${m.reply_to_message_id}`,
    forwardedFrom: m.forwarded_from ?? undefined,
  });
}

function plainText(text: string | TextPart[] | undefined): string {
  if (text === undefined) return "";
  if (typeof text === "string") return text;
  return text.map((part) => (typeof part === "string" ? part : part.text)).join("");
}
