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
  for await (const batch of readLineBatches(input, options)) yield* batch;
}

/**
 * `readLines` a chunk of input at a time: the lines each chunk completes, in order (an
 * empty batch when a chunk completes none). Each step of an async generator costs a
 * promise; a reader of a million lines that handles them in batches saves a million.
 */
export async function* readLineBatches(
  input: Readable | AsyncIterable<Uint8Array>,
  options: { maxLineBytes?: number; onBytes?: (n: number) => void } = {},
): AsyncGenerator<Line[]> {
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

  /** Adds bytes of the current line (up to, not including, its newline). */
  const add = (piece: Uint8Array) => {
    length += piece.length;
    if (!tooLong && length > max) {
      tooLong = true;
      parts = [];
    } else if (!tooLong) {
      parts.push(piece);
    }
  };

  /**
   * Whole lines `block` holds (its last without the newline), decoded in one go: the
   * common case of a chunk's middle lines. `undefined` when one of them needs the line
   * by line rules: decoding lines one at a time drops a byte-order mark at the start of
   * each, and a bad line must be reported on its own.
   */
  const wholeLines = (block: Uint8Array): Line[] | undefined => {
    if (block.length > max || block.includes(0)) return undefined;
    let text: string;
    try {
      text = decoder.decode(block);
    } catch {
      return undefined;
    }
    // A newline byte is never part of a multi-byte character, so each line of valid
    // UTF-8 text is valid on its own: splitting the text gives the lines.
    if (text.includes("\uFEFF")) return undefined;
    const texts = text.split("\n");
    const lines: Line[] = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i] as string;
      number++;
      lines[i] = { number, text: t.endsWith("\r") ? t.slice(0, -1) : t };
    }
    return lines;
  };

  for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    options.onBytes?.(buf.length);
    const batch: Line[] = [];
    const first = buf.indexOf(0x0a);
    if (first === -1) {
      add(buf);
      yield batch;
      continue;
    }
    add(buf.subarray(0, first));
    batch.push(finish());
    const last = buf.lastIndexOf(0x0a);
    if (last > first) {
      const block = buf.subarray(first + 1, last);
      const whole = wholeLines(block);
      if (whole !== undefined) for (const line of whole) batch.push(line);
      else {
        let start = first + 1;
        while (start <= last) {
          const nl = buf.indexOf(0x0a, start);
          add(buf.subarray(start, nl));
          batch.push(finish());
          start = nl + 1;
        }
      }
    }
    if (last + 1 < buf.length) add(buf.subarray(last + 1));
    yield batch;
  }
  if (length > 0) yield [finish()];
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
