import type { Readable } from "node:stream";

/** One line of input, or the reason it could not be read. */
export type Line =
  | { number: number; text: string }
  | { number: number; error: "too-long" | "encoding" | "binary"; message: string };

/**
 * A line longer than this is refused without being held in memory: a domain, or a CSV
 * row naming one, fits in a few hundred bytes.
 */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Splits a byte stream into lines (LF or CRLF) with bounded memory. A line over
 * `maxLineBytes` is skipped and reported, as is a line with a NUL byte or invalid UTF-8;
 * reading goes on with the next line.
 */
export async function* readLines(
  input: Readable | AsyncIterable<Uint8Array>,
  options: { maxLineBytes?: number; onBytes?: (n: number) => void } = {},
): AsyncGenerator<Line> {
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let parts: Uint8Array[] = [];
  /** Bytes of the current line so far, kept or not. */
  let length = 0;
  let tooLong = false;
  let number = 0;

  const finish = (): Line => {
    number++;
    if (tooLong) {
      const line: Line = {
        number,
        error: "too-long",
        message: `line of ${length} bytes is longer than the limit of ${max}; skipped`,
      };
      tooLong = false;
      length = 0;
      return line;
    }
    const bytes = concat(parts, length);
    parts = [];
    length = 0;
    const end =
      bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    const body = bytes.subarray(0, end);
    if (body.includes(0))
      return { number, error: "binary", message: "binary data (NUL byte), not text" };
    try {
      return { number, text: decoder.decode(body) };
    } catch {
      return { number, error: "encoding", message: "invalid UTF-8" };
    }
  };

  for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    options.onBytes?.(buf.length);
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(0x0a, start);
      const end = nl === -1 ? buf.length : nl;
      const piece = buf.subarray(start, end);
      length += piece.length;
      if (!tooLong && length > max) {
        tooLong = true;
        parts = [];
      } else if (!tooLong) {
        parts.push(piece);
      }
      if (nl === -1) break;
      yield finish();
      start = nl + 1;
    }
  }
  if (length > 0) yield finish();
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
