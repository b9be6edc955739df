import type { MailLimitHit } from "../../model/index.js";
import type { MailLimits } from "./mail-limits.js";

/** The message as it may be parsed, and the limits it went past. */
export interface GuardedMime {
  /** The raw bytes, cut at the first part or depth past a limit and closed cleanly. */
  raw: Buffer;
  hits: MailLimitHit[];
  /** Header fields of the top-level block as read (name lower-cased, value unfolded), for a message the parser cannot read. */
  topHeaders: Array<{ key: string; value: string }>;
}

/** One open level: a multipart (with its boundary) or an attached message (without). */
interface Level {
  boundary?: string;
}

/**
 * Walks the MIME structure of a raw message line by line — header blocks, multipart
 * boundaries, attached messages — without decoding anything, and enforces the limits the
 * parser does not (or enforces by refusing the whole message): parts, nesting depth,
 * header fields per block, bytes per header field and per message. Past the part or
 * depth limit the message is cut at that line and every open multipart is closed, so the
 * parser reads the first parts and the message is triaged on them; an over-long or
 * excess header field is left out. Counting goes on past a cut, so the report says how
 * many parts there were. Linear in the message: boundaries are looked up in a map.
 */
export function guardMime(input: Buffer, limits: MailLimits): GuardedMime {
  const hits = new Map<MailLimitHit["limit"], MailLimitHit>();
  const hit = (limit: MailLimitHit["limit"], value: number, max: number) => {
    const seen = hits.get(limit);
    if (seen === undefined) hits.set(limit, { limit, value, max });
    else seen.value = Math.max(seen.value, value);
  };
  const kept: Buffer[] = [];
  const topHeaders: Array<{ key: string; value: string }> = [];
  const stack: Level[] = [];
  /** Boundary → the stack positions holding it, innermost last. */
  const open = new Map<string, number[]>();
  let inHeaders = true;
  let topBlock = true;
  let fields = 0;
  let field: Buffer[] = [];
  let fieldBytes = 0;
  let blockType = "";
  let headerBytes = 0;
  let parts = 0;
  let maxDepthSeen = 0;
  /** Offset where output stopped (past a part or depth limit), or -1. */
  let cutAt = -1;

  const keep = (line: Buffer) => {
    if (cutAt < 0) kept.push(line);
  };
  const push = (level: Level) => {
    stack.push(level);
    maxDepthSeen = Math.max(maxDepthSeen, stack.length);
    if (level.boundary !== undefined) {
      const at = open.get(level.boundary);
      if (at === undefined) open.set(level.boundary, [stack.length - 1]);
      else at.push(stack.length - 1);
    }
  };
  const popTo = (length: number) => {
    while (stack.length > length) {
      const level = stack.pop() as Level;
      if (level.boundary !== undefined) {
        const at = open.get(level.boundary);
        at?.pop();
        if (at !== undefined && at.length === 0) open.delete(level.boundary);
      }
    }
  };
  /** Levels open where the message was cut, to be closed after the kept text. */
  let openAtCut: Level[] = [];
  const cut = (offset: number) => {
    if (cutAt >= 0) return;
    cutAt = offset;
    openAtCut = stack.slice();
  };
  const endField = () => {
    if (field.length === 0) return;
    const text = Buffer.concat(field).toString("latin1");
    field = [];
    const bytes = fieldBytes;
    fieldBytes = 0;
    fields++;
    headerBytes += bytes;
    if (bytes > limits.maxHeaderFieldBytes) {
      hit("header-line-bytes", bytes, limits.maxHeaderFieldBytes);
      return;
    }
    if (fields > limits.maxHeaderFields) {
      hit("header-fields", fields, limits.maxHeaderFields);
      return;
    }
    if (headerBytes > limits.maxHeaderBytes) {
      hit("header-bytes", headerBytes, limits.maxHeaderBytes);
      return;
    }
    const colon = text.indexOf(":");
    const key = colon > 0 ? text.slice(0, colon).trim().toLowerCase() : "";
    const value =
      colon > 0
        ? text
            .slice(colon + 1)
            .replace(/\r?\n[ \t]/g, " ")
            .trim()
        : "";
    if (key === "content-type") blockType = value;
    if (topBlock && key !== "") topHeaders.push({ key, value });
    keep(Buffer.from(text, "latin1"));
  };
  /** The header block ended: open what its Content-Type says the body holds. */
  const endBlock = (offset: number) => {
    endField();
    const type = blockType.toLowerCase();
    const depthBefore = stack.length;
    inHeaders = false;
    if (type.startsWith("multipart/")) {
      const boundary = boundaryOf(blockType);
      if (boundary !== undefined) push({ boundary });
    } else if (type.startsWith("message/rfc822") || type.startsWith("message/global")) {
      push({});
      inHeaders = true; // the attached message's own headers follow
    }
    if (stack.length > depthBefore && stack.length > limits.maxDepth) {
      hit("mime-depth", stack.length, limits.maxDepth);
      cut(offset);
    }
    blockType = "";
    fields = 0;
    topBlock = false;
  };

  let offset = 0;
  while (offset < input.length) {
    const nl = input.indexOf(0x0a, offset);
    const end = nl < 0 ? input.length : nl + 1;
    const line = input.subarray(offset, end);
    if (inHeaders) {
      const content = stripEol(line);
      if (content.length === 0) {
        endBlock(offset);
        keep(line);
      } else if ((line[0] === 0x20 || line[0] === 0x09) && field.length > 0) {
        fieldBytes += line.length;
        if (fieldBytes <= limits.maxHeaderFieldBytes) field.push(line);
      } else if (content.length >= 2 && content[0] === 0x2d && content[1] === 0x2d) {
        // A delimiter where headers were expected (a part without a blank line).
        if (!delimiter(line, content, offset)) startField(line);
      } else {
        startField(line);
      }
    } else if (line.length >= 3 && line[0] === 0x2d && line[1] === 0x2d) {
      if (!delimiter(line, stripEol(line), offset)) keep(line);
    } else {
      keep(line);
    }
    offset = end;
  }
  if (inHeaders) endField();

  function startField(line: Buffer) {
    endField();
    field = [line];
    fieldBytes = line.length;
  }

  /** Handles `line` if it is a delimiter of an open multipart; false if it is not one. */
  function delimiter(line: Buffer, content: Buffer, at: number): boolean {
    const text = content.toString("latin1").replace(/[ \t]+$/, "");
    let name = text.slice(2);
    let closing = false;
    let positions = open.get(name);
    if (positions === undefined && name.endsWith("--")) {
      name = name.slice(0, -2);
      closing = true;
      positions = open.get(name);
    }
    const position = positions?.[positions.length - 1];
    if (position === undefined) return false;
    // A delimiter of an outer multipart ends every level inside it (RFC 2046 §5.1.2).
    popTo(position + 1);
    endField();
    if (closing) {
      popTo(position);
      keep(line);
      inHeaders = false;
      return true;
    }
    parts++;
    if (parts > limits.maxParts) {
      hit("mime-parts", parts, limits.maxParts);
      cut(at);
    }
    keep(line);
    inHeaders = true;
    blockType = "";
    fields = 0;
    return true;
  }

  if (cutAt >= 0) {
    // Close what was open where the message was cut, innermost first, so the parser sees
    // a well-formed message made of the parts before the cut.
    const closers: string[] = [];
    for (const level of openAtCut) {
      if (level.boundary !== undefined) closers.unshift(`\r\n--${level.boundary}--\r\n`);
    }
    if (closers.length > 0) kept.push(Buffer.from(closers.join(""), "latin1"));
  }
  if (maxDepthSeen > limits.maxDepth) hit("mime-depth", maxDepthSeen, limits.maxDepth);
  const raw = hits.size === 0 ? input : Buffer.concat(kept);
  return { raw, hits: [...hits.values()], topHeaders };
}

function stripEol(line: Buffer): Buffer {
  let end = line.length;
  if (end > 0 && line[end - 1] === 0x0a) end--;
  if (end > 0 && line[end - 1] === 0x0d) end--;
  return line.subarray(0, end);
}

/** The `boundary` parameter of a Content-Type value (quoted or not), RFC 2046 §5.1.1. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]{1,200})"|([^\s;"]{1,200}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  return boundary === undefined || boundary === "" ? undefined : boundary;
}
