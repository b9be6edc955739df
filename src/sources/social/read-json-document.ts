import type { SourceItem } from "../source-item.js";
import { jsonMessage, socialProblem } from "./social-problem.js";

/**
 * Largest whole-file JSON input (an X API response, a Telegram `result.json`). These
 * formats are one JSON document, parsed whole, and a parsed document takes several times
 * its size in memory: larger exports should be split (Telegram Desktop exports a date
 * range; X responses can be written one a line, which is read as a stream).
 */
export const MAX_JSON_DOCUMENT_BYTES = 128 * 1024 * 1024;

/** The parsed document, or the problem that stopped it being read. */
export type JsonDocument = { value: unknown } | { failed: SourceItem };

/**
 * Reads a whole JSON document from an input, refusing it before reading when its known
 * size is over `maxBytes` and as soon as it grows past it otherwise. Invalid UTF-8 and
 * JSON syntax errors are problems naming the line where they are.
 */
export async function readJsonDocument(
  input: AsyncIterable<Uint8Array>,
  options: { name: string; maxBytes?: number; knownSize?: number; onBytes?: (n: number) => void },
): Promise<JsonDocument> {
  const max = options.maxBytes ?? MAX_JSON_DOCUMENT_BYTES;
  const tooLarge = (size: number | string) => ({
    failed: socialProblem(
      options.name,
      "VIGIL_ERR_INPUT_TOO_LARGE",
      `${size} bytes is more than the limit of ${max} for a JSON document; split it or convert it to JSON lines`,
    ),
  });
  if (options.knownSize !== undefined && options.knownSize > max)
    return tooLarge(options.knownSize);
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of input) {
    options.onBytes?.(chunk.length);
    length += chunk.length;
    if (length > max) return tooLarge(`more than ${max}`);
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks, length);
  let text: string;
  try {
    // The decoder drops a leading byte-order mark, as JSON.parse would not.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return {
      failed: socialProblem(
        `${options.name} line ${lineAt(bytes, firstInvalidUtf8(bytes))}`,
        "VIGIL_ERR_INPUT_ENCODING",
        "invalid UTF-8",
      ),
    };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAtText(text, Number(position[1])) : undefined;
    return {
      failed: socialProblem(
        line === undefined ? options.name : `${options.name} line ${line}`,
        "VIGIL_ERR_INPUT_JSON",
        `not JSON: ${jsonMessage(err)}`,
      ),
    };
  }
}

function lineAtText(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf("\n"); at !== -1 && at < offset; at = text.indexOf("\n", at + 1))
    line++;
  return line;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the start of the first line that is not valid UTF-8. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let start = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl === -1 ? bytes.length : nl;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return start;
    }
    start = end + 1;
  }
  return 0;
}
