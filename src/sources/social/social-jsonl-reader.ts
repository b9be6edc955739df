import type { Readable } from "node:stream";
import { type Line, readLineBatches } from "../line-reader.js";
import type { SourceItem } from "../source-item.js";
import { fastSocialRecord } from "./fast-social-record.js";
import { isJsonObject } from "./json-object.js";
import { type SocialReaderOptions, socialItemBySchema, socialRecordItem } from "./social-item.js";
import { jsonMessage, lineProblem, socialProblem } from "./social-problem.js";

/**
 * Longest line of vigil's social JSON lines: a post at its limits (40,000 characters of
 * text, each up to 6 bytes once JSON-escaped, and its URLs and tags) fits; a runaway line
 * is skipped without being held in memory.
 */
export const MAX_SOCIAL_LINE_BYTES = 1024 * 1024;

/**
 * Reads vigil's own social schema: JSON lines, one account (`"type": "account"`) or post
 * (`"type": "post"`) an object (see docs/social-schema.md). Blank lines are skipped; each
 * bad line is a problem naming it, and reading goes on.
 */
export async function* readSocialJsonl(
  input: Readable | AsyncIterable<Uint8Array>,
  options: SocialReaderOptions,
): AsyncGenerator<SourceItem> {
  const seen = new Set<string>();
  for await (const batch of readLineBatches(input, {
    maxLineBytes: MAX_SOCIAL_LINE_BYTES,
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  })) {
    for (const line of batch) {
      const result = lineItem(line, options, seen);
      if (result !== undefined) yield result;
    }
  }
}

/** The item one line gives, or `undefined` for a blank line or a repeated account. */
function lineItem(
  line: Line,
  options: SocialReaderOptions,
  seen: Set<string>,
): SourceItem | undefined {
  const item = `${options.name} line ${line.number}`;
  if ("error" in line) return lineProblem(item, line);
  const text = (line.number === 1 ? line.text.replace(/^\uFEFF/, "") : line.text).trim();
  if (text === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return socialProblem(item, "VIGIL_ERR_INPUT_JSON", `not JSON: ${jsonMessage(err)}`);
  }
  if (!isJsonObject(value)) {
    return socialProblem(item, "VIGIL_ERR_SOCIAL_RECORD", "not a JSON object");
  }
  const type = value.type;
  if (type !== "account" && type !== "post") {
    return socialProblem(
      item,
      "VIGIL_ERR_SOCIAL_RECORD",
      `"type" must be "account" or "post", not ${JSON.stringify(type)?.slice(0, 40) ?? "missing"}`,
    );
  }
  const context = {
    item,
    observedAt: options.observedAt,
    ...(type === "account" ? { seen } : {}),
  };
  // The record is checked with its `type` in place rather than copied without it first.
  const record = fastSocialRecord(type, value, "type");
  if (record !== undefined) return socialRecordItem(type, record, context);
  const { type: _, ...rest } = value;
  return socialItemBySchema(type, rest, context);
}
