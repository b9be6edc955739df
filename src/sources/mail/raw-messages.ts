import type { Readable } from "node:stream";

/** One message as read from a file or stream, before any parsing. */
export interface RawMessage {
  /** 1-based position in its input (always 1 for a single message). */
  index: number;
  /** 1-based line of the input where the message starts (its From_ line in an mbox). */
  line: number;
  /** The bytes kept, at most `maxMessageBytes`. */
  bytes: Buffer;
  /** Bytes the message had (past the limit too). */
  size: number;
  /** Whether the input was read as an mbox. */
  mbox: boolean;
}

/** Bytes at the start of a line that tell a From_ line or a quoted `>From ` line. */
const LINE_HEAD = 6;
const FROM_ = Buffer.from("From ");
/** Bytes of a From_ line read to tell it from body text starting "From ". */
const MAX_FROM_LINE = 1024;
/**
 * A From_ line: `From sender date`, the date holding digits. Body text that starts with
 * "From " after a blank line (unquoted by a careless writer) rarely has a second word
 * followed by digits, so it is not taken for the start of a message.
 */
const FROM_LINE = /^From \S+ +[^\r\n]*\d/;

/**
 * Splits an input into messages: an mbox (it starts with a `From ` line) at every From_
 * line (`From sender date`) that follows a blank line or starts the input, with mboxrd quoting undone
 * (`>From ` → `From `, `>>From ` → `>From `); anything else is one message. Streams:
 * memory is bounded by `maxMessageBytes` per message, whatever the input's size. Bytes
 * past the limit are counted, not kept; a `Content-Length` header is never trusted.
 */
export async function* readRawMessages(
  stream: Readable,
  options: { maxMessageBytes: number; onBytes?: (n: number) => void },
): AsyncGenerator<RawMessage> {
  const max = options.maxMessageBytes;
  let mbox: boolean | undefined;
  let index = 0;
  let lineNo = 1;
  let kept: Buffer[] = [];
  let keptBytes = 0;
  let size = 0;
  let startLine = 1;
  let started = false;
  let atLineStart = true;
  let prevBlank = true;
  let skipping = false; // inside a From_ line, which is not part of the message
  let currentBlank = true;
  let pending: Buffer | undefined;

  const add = (segment: Buffer) => {
    size += segment.length;
    if (keptBytes >= max) return;
    const room = max - keptBytes;
    const part = segment.length <= room ? segment : segment.subarray(0, room);
    // Copy: the stream may reuse its chunk buffers.
    kept.push(Buffer.from(part));
    keptBytes += part.length;
  };
  const take = (): RawMessage => {
    let bytes = Buffer.concat(kept, keptBytes);
    // The blank line before the next From_ line separates messages; it is not content.
    if (mbox === true && bytes.length > 0 && bytes[bytes.length - 1] === 0x0a) {
      bytes = bytes.subarray(0, bytes.length - (bytes[bytes.length - 2] === 0x0d ? 2 : 1));
    }
    const message = { index, line: startLine, bytes, size, mbox: mbox === true };
    kept = [];
    keptBytes = 0;
    size = 0;
    return message;
  };

  for await (const chunk of stream) {
    let data = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : (chunk as Buffer);
    options.onBytes?.(data.length);
    if (pending !== undefined) {
      data = Buffer.concat([pending, data]);
      pending = undefined;
    }
    mbox ??= data.length >= FROM_.length ? data.subarray(0, 5).equals(FROM_) : undefined;
    if (mbox === undefined) {
      pending = data;
      continue;
    }
    let pos = 0;
    while (pos < data.length) {
      const nl = data.indexOf(0x0a, pos);
      const end = nl < 0 ? data.length : nl + 1;
      let segment = data.subarray(pos, end);
      if (
        atLineStart &&
        nl < 0 &&
        (segment.length < LINE_HEAD ||
          (startsWith(segment, FROM_) && segment.length < MAX_FROM_LINE))
      ) {
        pending = Buffer.from(segment);
        break;
      }
      if (atLineStart) {
        currentBlank = segment[0] === 0x0a || (segment[0] === 0x0d && segment[1] === 0x0a);
        if (mbox && prevBlank && isFromLine(segment)) {
          if (started) yield take();
          started = true;
          index++;
          startLine = lineNo;
          skipping = true;
        } else if (mbox && segment[0] === 0x3e && isQuotedFrom(segment)) {
          segment = segment.subarray(1);
        }
        if (!started && !mbox) {
          started = true;
          index = 1;
        }
      }
      if (!skipping) add(segment);
      atLineStart = nl >= 0;
      if (nl >= 0) {
        lineNo++;
        skipping = false;
        prevBlank = currentBlank;
      }
      pos = end;
    }
  }
  if (pending !== undefined) {
    // A tiny input, or a last line shorter than a From_ line.
    mbox ??= false;
    if (!started) {
      started = true;
      index = 1;
    }
    add(pending);
  }
  if (started && (size > 0 || mbox === true)) yield take();
}

function isFromLine(segment: Buffer): boolean {
  return (
    startsWith(segment, FROM_) &&
    FROM_LINE.test(segment.toString("latin1", 0, Math.min(segment.length, MAX_FROM_LINE)))
  );
}

function startsWith(segment: Buffer, prefix: Buffer): boolean {
  return segment.length >= prefix.length && segment.subarray(0, prefix.length).equals(prefix);
}

/** `>From `, `>>From `, …: a line mboxrd quoted by one `>`. */
function isQuotedFrom(segment: Buffer): boolean {
  let i = 0;
  while (i < segment.length && segment[i] === 0x3e) i++;
  return i > 0 && startsWith(segment.subarray(i), FROM_);
}
