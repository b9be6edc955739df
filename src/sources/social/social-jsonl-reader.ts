import type { Readable } from "node:stream";
import { readLines } from "../line-reader.js";
import type { SourceItem } from "../source-item.js";
import { isJsonObject } from "./json-object.js";
import { type SocialReaderOptions, socialItem } from "./social-item.js";
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
  for await (const line of readLines(input, {
    maxLineBytes: MAX_SOCIAL_LINE_BYTES,
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  })) {
    const item = `${options.name} line ${line.number}`;
    if ("error" in line) {
      yield lineProblem(item, line);
      continue;
    }
    const text = (line.number === 1 ? line.text.replace(/^\uFEFF/, "") : line.text).trim();
    if (text === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      yield socialProblem(item, "VIGIL_ERR_INPUT_JSON", `not JSON: ${jsonMessage(err)}`);
      continue;
    }
    if (!isJsonObject(value)) {
      yield socialProblem(item, "VIGIL_ERR_SOCIAL_RECORD", "not a JSON object");
      continue;
    }
    const { type, ...record } = value;
    if (type !== "account" && type !== "post") {
      yield socialProblem(
        item,
        "VIGIL_ERR_SOCIAL_RECORD",
        `"type" must be "account" or "post", not ${JSON.stringify(type)?.slice(0, 40) ?? "missing"}`,
      );
      continue;
    }
    const result = socialItem(type, record, {
      item,
      observedAt: options.observedAt,
      ...(type === "account" ? { seen } : {}),
    });
    if (result !== undefined) yield result;
  }
}
