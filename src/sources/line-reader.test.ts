import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { prng } from "../../test/support/random.js";
import { type Line, MAX_LINE_BYTES, readLineBatches, readLines } from "./line-reader.js";

const encode = (text: string) => new TextEncoder().encode(text);

async function* chunks(...parts: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? encode(part) : part;
}

async function collect(
  input: AsyncIterable<Uint8Array>,
  options?: Parameters<typeof readLines>[1],
): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of readLines(input, options)) out.push(line);
  return out;
}

/** Every split of `bytes` into chunks of `size` bytes. */
async function* sliced(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

describe("readLines", () => {
  it("splits LF and CRLF lines and numbers them from 1", async () => {
    expect(await collect(chunks("a.com\nb.com\r\nc.com\n"))).toEqual([
      { number: 1, text: "a.com" },
      { number: 2, text: "b.com" },
      { number: 3, text: "c.com" },
    ]);
  });

  it("keeps empty lines, so line numbers match the file", async () => {
    expect(await collect(chunks("a\n\r\n\nb\n"))).toEqual([
      { number: 1, text: "a" },
      { number: 2, text: "" },
      { number: 3, text: "" },
      { number: 4, text: "b" },
    ]);
  });

  it("reads a final line without a newline", async () => {
    expect(await collect(chunks("a.com\nb.com"))).toEqual([
      { number: 1, text: "a.com" },
      { number: 2, text: "b.com" },
    ]);
    expect(await collect(chunks(""))).toEqual([]);
  });

  it("joins lines and multi-byte characters split across chunks", async () => {
    const text = "bücher.de\r\nwаshingtonpost.com\n😀.ws\nlast";
    const bytes = encode(text);
    const expected = [
      { number: 1, text: "bücher.de" },
      { number: 2, text: "wаshingtonpost.com" },
      { number: 3, text: "😀.ws" },
      { number: 4, text: "last" },
    ];
    for (const size of [1, 2, 3, 5, 7, bytes.length]) {
      expect(await collect(sliced(bytes, size))).toEqual(expected);
    }
  });

  it("splits a CRLF whose CR and LF arrive in different chunks", async () => {
    expect(await collect(chunks("a\r", "\nb"))).toEqual([
      { number: 1, text: "a" },
      { number: 2, text: "b" },
    ]);
  });

  it("reads a Node stream, including string chunks", async () => {
    const lines = await collect(Readable.from(["a.com\nb.", "com\n"]));
    expect(lines).toEqual([
      { number: 1, text: "a.com" },
      { number: 2, text: "b.com" },
    ]);
  });

  it("reports every byte read", async () => {
    let total = 0;
    await collect(chunks("a\n", "bc\n", "d"), { onBytes: (n) => (total += n) });
    expect(total).toBe(6);
  });

  it("skips a 10 MB line fed in small chunks, reports it, and reads on", async () => {
    const LONG = 10 * 1024 * 1024;
    const CHUNK = 4096;
    let chunksFed = 0;
    async function* input(): AsyncGenerator<Uint8Array> {
      yield encode("first.com\nsecond.com\n");
      // A fresh buffer per chunk: a reader that kept the line would hold all of them.
      for (let sent = 0; sent < LONG; sent += CHUNK) {
        chunksFed++;
        yield new Uint8Array(CHUNK).fill(0x61);
      }
      yield encode("\nafter.com\r\nlast.com");
    }
    const lines = await collect(input());
    expect(chunksFed).toBe(LONG / CHUNK);
    expect(lines).toEqual([
      { number: 1, text: "first.com" },
      { number: 2, text: "second.com" },
      { number: 3, error: "too-long", message: expect.stringContaining(String(LONG)) },
      { number: 4, text: "after.com" },
      { number: 5, text: "last.com" },
    ]);
  });

  it("applies MAX_LINE_BYTES by default", async () => {
    const lines = await collect(
      chunks(`${"a".repeat(MAX_LINE_BYTES)}\n${"b".repeat(MAX_LINE_BYTES + 1)}\nc`),
    );
    expect(lines.map((l) => ("error" in l ? l.error : l.text.length))).toEqual([
      MAX_LINE_BYTES,
      "too-long",
      1,
    ]);
  });

  it("takes a line of exactly the limit and refuses one byte more", async () => {
    const max = 16;
    const lines = await collect(chunks(`${"a".repeat(max)}\n${"b".repeat(max + 1)}\nc\n`), {
      maxLineBytes: max,
    });
    expect(lines).toEqual([
      { number: 1, text: "a".repeat(max) },
      { number: 2, error: "too-long", message: expect.any(String) },
      { number: 3, text: "c" },
    ]);
  });

  it("reports a line of invalid UTF-8 and reads the others", async () => {
    const lines = await collect(
      chunks(
        "good.com\n",
        new Uint8Array([0x62, 0xe4, 0x64, 0x2e, 0x64, 0x65, 0x0a]),
        "also.com\n",
      ),
    );
    expect(lines).toEqual([
      { number: 1, text: "good.com" },
      { number: 2, error: "encoding", message: expect.stringContaining("UTF-8") },
      { number: 3, text: "also.com" },
    ]);
  });

  it("reports a line with a NUL byte as binary and reads the others", async () => {
    const lines = await collect(
      chunks("good.com\n", new Uint8Array([0x61, 0x00, 0x62, 0x0d, 0x0a]), "also.com"),
    );
    expect(lines).toEqual([
      { number: 1, text: "good.com" },
      { number: 2, error: "binary", message: expect.stringContaining("NUL") },
      { number: 3, text: "also.com" },
    ]);
  });

  it("recovers after a bad line whose invalid sequence is cut at a chunk edge", async () => {
    const lines = await collect(
      chunks(new Uint8Array([0x61, 0xf0, 0x9f]), new Uint8Array([0x0a]), "b\n"),
    );
    expect(lines).toEqual([
      { number: 1, error: "encoding", message: expect.any(String) },
      { number: 2, text: "b" },
    ]);
  });

  it("gives every line as the line-by-line rules say, however the input is cut (seeded)", async () => {
    // Pieces that stress the rules: BOMs (dropped at the start of each line), CR, NUL,
    // invalid and cut multi-byte sequences, blank and long lines.
    const pieces = [
      "a",
      "bücher",
      "😀",
      "\uFEFF",
      "\r",
      "\n",
      "\n",
      "\r\n",
      "\u2028",
      "x".repeat(40),
      new Uint8Array([0]),
      new Uint8Array([0xe4]),
      new Uint8Array([0xf0, 0x9f]),
      new Uint8Array([0xef, 0xbb, 0xbf]),
    ];
    const rand = prng(17);
    const max = 48;
    for (let round = 0; round < 300; round++) {
      const parts: Uint8Array[] = [];
      const count = Math.floor(rand() * 60);
      for (let i = 0; i < count; i++) {
        const piece = pieces[Math.floor(rand() * pieces.length)] as string | Uint8Array;
        parts.push(typeof piece === "string" ? encode(piece) : piece);
      }
      const bytes = Buffer.concat(parts);
      const expected = linesByDefinition(bytes, max);
      const size = 1 + Math.floor(rand() * 80);
      expect(await collect(sliced(bytes, size), { maxLineBytes: max })).toEqual(expected);
      const batched: Line[] = [];
      for await (const batch of readLineBatches(sliced(bytes, size), { maxLineBytes: max }))
        batched.push(...batch);
      expect(batched).toEqual(expected);
    }
  });
});

/** The lines of `bytes` by the rules `readLines` documents, one line at a time. */
function linesByDefinition(bytes: Uint8Array, max: number): Line[] {
  const lines: Line[] = [];
  let start = 0;
  let number = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl === -1 ? bytes.length : nl;
    const line = bytes.subarray(start, end);
    number++;
    const body = line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
    if (line.length > max)
      lines.push({
        number,
        error: "too-long",
        message: `line of ${line.length} bytes is longer than the limit of ${max}; skipped`,
      });
    else if (body.includes(0))
      lines.push({ number, error: "binary", message: "binary data (NUL byte), not text" });
    else {
      try {
        // A decoder drops a byte-order mark at the start of what it decodes: each line.
        lines.push({ number, text: new TextDecoder("utf-8", { fatal: true }).decode(body) });
      } catch {
        lines.push({ number, error: "encoding", message: "invalid UTF-8" });
      }
    }
    if (nl === -1) break;
    start = nl + 1;
  }
  return lines;
}
