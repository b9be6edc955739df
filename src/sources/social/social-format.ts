import { isJsonObject } from "./json-object.js";

/** The social export formats Vigil reads. */
export const SOCIAL_FORMATS = ["jsonl", "x-v2", "telegram", "csv"] as const;
export type SocialFormat = (typeof SOCIAL_FORMATS)[number];

/** Bytes looked at to tell a format: enough for a header row or a document's first keys. */
export const SOCIAL_FORMAT_SNIFF_BYTES = 64 * 1024;

/** Keys that only one format has near its start, each with the format it marks. */
const MARKERS: ReadonlyArray<[RegExp, SocialFormat]> = [
  [/"type"\s*:\s*"(?:account|post)"/, "jsonl"],
  [/"(?:messages|chats|personal_information|date_unixtime|from_id|text_entities)"\s*:/, "telegram"],
  [/"(?:data|includes|author_id|referenced_tweets|public_metrics)"\s*:/, "x-v2"],
];

/**
 * Tells the format of a social export from its first bytes: vigil's JSON lines (objects
 * with `"type": "account"` or `"post"`), X API v2 responses (`data`, `includes`, one
 * document or one a line), a Telegram Desktop export (`messages`, `chats`), or CSV (a
 * header row with commas, tabs or semicolons). `undefined` when it cannot tell, or the
 * input is empty.
 */
export function detectSocialFormat(head: Uint8Array): SocialFormat | undefined {
  // Not fatal: the head may end inside a multi-byte character.
  const text = new TextDecoder("utf-8")
    .decode(head)
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (text === "") return undefined;
  if (text.startsWith("{")) {
    const nl = text.indexOf("\n");
    const first = (nl === -1 ? text : text.slice(0, nl)).trim();
    const object = parseObject(first);
    if (object !== undefined) {
      if (object.type === "account" || object.type === "post") return "jsonl";
      if ("messages" in object || "chats" in object) return "telegram";
      if ("data" in object || "includes" in object || "meta" in object) return "x-v2";
      return undefined;
    }
    // A document written over many lines: the format whose key comes first decides.
    let best: { at: number; format: SocialFormat } | undefined;
    for (const [pattern, format] of MARKERS) {
      const at = text.search(pattern);
      if (at >= 0 && (best === undefined || at < best.at)) best = { at, format };
    }
    return best?.format;
  }
  if (text.startsWith("[")) return undefined;
  const header = text.split(/\r?\n/, 1)[0] ?? "";
  return /[,\t;]/.test(header) ? "csv" : undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.endsWith("}")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
