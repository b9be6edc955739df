import type { Readable } from "node:stream";
import { readLines } from "../line-reader.js";

/**
 * Longest CSV record, over all its lines: a row holding a post at its limits and its
 * author's profile fits. A quoted field left open would otherwise swallow the file.
 */
export const MAX_CSV_RECORD_CHARS = 1024 * 1024;
/** Most lines one record may span (quoted newlines in a post's text). */
export const MAX_CSV_RECORD_LINES = 5_000;

/** The raw text of one CSV record with the lines it spans, or why it could not be read. */
export type CsvRecordText =
  | { line: number; lastLine: number; text: string }
  | { line: number; lastLine: number; error: CsvRecordError; message: string };

/** Why a record could not be read: too long, not UTF-8, or a quote never closed. */
export type CsvRecordError = "too-long" | "encoding" | "unclosed";

/**
 * Splits CSV text into records with bounded memory: lines are joined while a quoted
 * field is open (RFC 4180 §2.6 allows line breaks in quoted fields), so a post's text may
 * span lines. A record over the limits, or with a line that is not UTF-8, is reported
 * with the lines it covers, and splitting goes on after it.
 */
export async function* readCsvRecords(
  input: Readable | AsyncIterable<Uint8Array>,
  options: { onBytes?: (n: number) => void; maxRecordChars?: number } = {},
): AsyncGenerator<CsvRecordText> {
  const maxChars = options.maxRecordChars ?? MAX_CSV_RECORD_CHARS;
  let parts: string[] = [];
  let chars = 0;
  let first = 0;
  let open = false;
  let broken: { error: CsvRecordError; message: string } | undefined;
  for await (const line of readLines(input, {
    maxLineBytes: maxChars,
    ...(options.onBytes ? { onBytes: options.onBytes } : {}),
  })) {
    if (!open) {
      first = line.number;
      parts = [];
      chars = 0;
      broken = undefined;
    }
    if ("error" in line) {
      // The quote state of a line not read is unknown: the record ends here.
      yield {
        line: first,
        lastLine: line.number,
        error: line.error === "too-long" ? "too-long" : "encoding",
        message: line.message,
      };
      open = false;
      continue;
    }
    const text = line.number === 1 ? line.text.replace(/^\uFEFF/, "") : line.text;
    if (quoteCount(text) % 2 === 1) open = !open;
    if (broken === undefined) {
      chars += text.length + 1;
      if (chars > maxChars || line.number - first + 1 > MAX_CSV_RECORD_LINES) {
        broken = {
          error: "too-long",
          message: `record longer than ${maxChars} characters or ${MAX_CSV_RECORD_LINES} lines (a quoted field left open?)`,
        };
        parts = [];
      } else parts.push(text);
    }
    if (open && broken !== undefined) {
      // Past the limit while a quote is open: end the record, as the rest cannot be trusted.
      open = false;
    }
    if (open) continue;
    if (broken !== undefined) yield { line: first, lastLine: line.number, ...broken };
    else yield { line: first, lastLine: line.number, text: parts.join("\n") };
  }
  if (open) {
    yield {
      line: first,
      lastLine: first + parts.length - 1,
      error: "unclosed",
      message: "a quoted field is not closed before the end of the input",
    };
  }
}

function quoteCount(text: string): number {
  let n = 0;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) n++;
  return n;
}
