/**
 * Hostile and malformed mail: each gets a clear per-message outcome, no crash, and no
 * message lost — broken MIME, 10,000 parts, 200 levels of nesting, invalid charsets, zip
 * bombs, sizes claimed far past what is sent, and mbox splitting with >From quoting.
 */
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  type EmailMessage,
  inspectZip,
  mailLimits,
  parseEmail,
  readEmail,
  readRawMessages,
} from "../src/index.js";
import { deepNesting, manyParts, message, withAttachments, zip } from "./support/mail-fixtures.js";

const limits = mailLimits();
async function parse(text: string | Buffer, custom = limits) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, "latin1");
  return parseEmail({ bytes, size: bytes.length }, custom, {});
}

async function readAll(input: Buffer | string, name = "input", extra = {}) {
  const items = [];
  for await (const item of readEmail(Readable.from([Buffer.from(input)]), {
    name,
    observedAt: "2024-07-01T00:00:00.000Z",
    ...extra,
  }))
    items.push(item);
  return items;
}

describe("hostile messages", () => {
  it("cuts 10,000 MIME parts at the part limit, says how many there were, and keeps the first", async () => {
    const started = Date.now();
    const { message: m, problems } = await parse(manyParts(10_000));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(m.outcome).toBe("limited");
    expect(m.limits).toContainEqual({ limit: "mime-parts", value: 10_000, max: 500 });
    expect(m.text).toContain("part 0");
    expect(problems[0]).toMatchObject({ code: "VIGIL_ERR_MAIL_LIMIT" });
    expect(problems[0]?.message).toContain("mime-parts 10000 over the limit of 500");
  });

  it("cuts 200 levels of nesting at the depth limit and still reads the sender", async () => {
    const { message: m } = await parse(deepNesting(200));
    expect(m.outcome).toBe("limited");
    expect(m.limits.find((l) => l.limit === "mime-depth")).toMatchObject({ value: 199, max: 20 });
    expect(m.from?.address).toBe("a@sender.example");
    expect(m.subject).toBe("deep");
  });

  it("reads broken MIME (no closing boundary, junk headers, bad base64) without failing", async () => {
    const broken =
      'From: x@y.example\r\nSubject: broken\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\n' +
      "--zz\r\nContent-Type: text/plain\r\nthis is not a header line\r\n\r\nhello\r\n" +
      "--zz\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64***\r\n";
    const { message: m } = await parse(broken);
    expect(["ok", "limited", "unparseable"]).toContain(m.outcome);
    expect(m.from?.address).toBe("x@y.example");
  });

  it("reads invalid and unknown charsets as text rather than failing", async () => {
    const { message: m } = await parse(
      message(
        {
          From: "=?x-no-such-charset?B?SGVsbG8=?= <a@b.example>",
          Subject: "=?utf-8?Q?caf=C3=A9_=FF=FE?=",
          "Content-Type": "text/plain; charset=x-bogus-8",
        },
        "bytes \xff\xfe\xfd and more",
      ),
    );
    expect(m.outcome).toBe("ok");
    expect(m.subject).toContain("caf");
    expect(m.text).toContain("bytes");
  });

  it("drops an over-long header field and an excess of header fields, naming the limit", async () => {
    const long = `From: a@b.example\r\nX-Long: ${"x".repeat(100_000)}\r\n${Array.from({ length: 1_500 }, (_, i) => `X-H${i}: v`).join("\r\n")}\r\nSubject: still read\r\n\r\nbody\r\n`;
    const { message: m } = await parse(long);
    expect(m.limits.map((l) => l.limit)).toEqual(
      expect.arrayContaining(["header-line-bytes", "header-fields"]),
    );
    expect(m.from?.address).toBe("a@b.example");
  });

  it("reports a zip bomb from its directory and never expands it", async () => {
    // 64 MiB of zeros deflates to ~64 KiB: ratio ~1000.
    const bomb = zip({ "zeros.bin": new Uint8Array(64 * 1024 * 1024) });
    const summary = inspectZip(bomb);
    expect(summary.bomb).toContain("archive-ratio");
    expect(summary.ratio).toBeGreaterThan(100);
    const nested = zip({
      "inner.zip": zip({ "a.zip": zip({ "b.zip": zip({ "c.zip": zip({ "x.txt": "x" }) }) }) }),
    });
    expect(inspectZip(nested).bomb).toContain("archive-depth");
    const { message: m } = await parse(
      withAttachments({ From: "a@b.example", Subject: "docs" }, "see attached", [
        { name: "docs.zip", type: "application/zip", bytes: bomb },
      ]),
    );
    expect(m.attachments[0]?.archive?.bomb).toContain("archive-ratio");
  });

  it("does not believe a 1 GB size claimed by Content-Length or by a zip directory", async () => {
    const claimed = message(
      { From: "a@b.example", Subject: "claims", "Content-Length": "1073741824" },
      "short body\n",
    );
    const { message: m } = await parse(claimed);
    expect(m.outcome).toBe("ok");
    expect(m.size).toBe(Buffer.byteLength(claimed));
    // A stored entry whose directory claims 1 GiB uncompressed.
    const small = zip({ "big.iso": "tiny" });
    const lying = Buffer.from(small);
    const cd = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    lying.writeUInt32LE(1024 * 1024 * 1024, cd + 24);
    const summary = inspectZip(lying);
    expect(summary.declaredSize).toBe(1024 * 1024 * 1024);
    expect(summary.bomb).toEqual(expect.arrayContaining(["archive-ratio", "archive-size"]));
  });

  it("keeps only the first bytes of a message past the size limit and still triages it", async () => {
    const big = message({ From: "a@b.example", Subject: "huge" }, "x".repeat(3 * 1024 * 1024));
    const items = await readAll(big, "big.eml", { limits: { maxMessageBytes: 1024 * 1024 } });
    expect(items[0]).toMatchObject({ problem: { code: "VIGIL_ERR_MAIL_LIMIT", item: "big.eml" } });
    const data = (items[1] as unknown as { observation: { data: EmailMessage } }).observation.data;
    expect(data.limits[0]).toMatchObject({ limit: "message-bytes", max: 1024 * 1024 });
    expect(data.size).toBe(Buffer.byteLength(big));
    expect(data.subject).toBe("huge");
  });

  it("survives random corruption of a real message structure (seeded)", async () => {
    const base = Buffer.from(
      withAttachments(
        { From: "Jo <jo@b.example>", Subject: "s", "Reply-To": "r@c.example" },
        "see https://x.example/a",
        [{ name: "a.zip", type: "application/zip", bytes: zip({ "a.lnk": "x", "b.txt": "y" }) }],
      ),
    );
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let i = 0; i < 300; i++) {
      const copy = Buffer.from(base);
      for (let j = 0; j < 1 + Math.floor(random() * 20); j++)
        copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
      const cut = copy.subarray(0, Math.floor(copy.length * (0.2 + random() * 0.8)));
      const { message: m } = await parse(cut);
      expect(["ok", "limited", "unparseable"]).toContain(m.outcome);
    }
  });
});

describe("mbox and inputs", () => {
  it("splits an mbox at From_ lines, undoes >From quoting and loses no message", async () => {
    const mbox =
      "From alice@example.org Mon Jul  1 10:00:00 2024\nFrom: alice@example.org\nSubject: one\n\nHello\n>From the start\n>>From deeper\n\n" +
      "From bob@example.org Mon Jul  1 11:00:00 2024\nFrom: bob@example.org\nSubject: two\n\nFrom here on it is body\n\n" +
      "From carol@example.org Mon Jul  1 12:00:00 2024\nContent-Type: multipart/mixed; boundary=broken\nSubject: three\n\n--broken\nno end\n";
    const raws = [];
    for await (const raw of readRawMessages(Readable.from([Buffer.from(mbox)]), {
      maxMessageBytes: 1024,
    }))
      raws.push(raw);
    expect(raws.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(raws[0]?.bytes.toString()).toContain("\nFrom the start\n>From deeper");
    expect(raws[1]?.bytes.toString()).toContain("From here on it is body");
    expect(raws[2]?.line).toBe(15);
    const items = await readAll(mbox, "inbox.mbox");
    const observations = items.filter((i) => "observation" in i);
    expect(observations).toHaveLength(3);
    expect(
      observations.map((o) => (o as { observation: { source: string } }).observation.source),
    ).toEqual([
      "inbox.mbox message 1 (line 1)",
      "inbox.mbox message 2 (line 9)",
      "inbox.mbox message 3 (line 15)",
    ]);
  });

  it("reads a message split across many tiny chunks the same as whole", async () => {
    const text =
      "From a@b Mon Jul  1 10:00:00 2024\nFrom: a@b.example\nSubject: x\n\nbody\n\nFrom c@d Mon Jul  1 10:00:00 2024\nFrom: c@d.example\n\nz\n";
    const chunks = [...Buffer.from(text)].map((b) => Buffer.from([b]));
    const raws = [];
    for await (const raw of readRawMessages(Readable.from(chunks), { maxMessageBytes: 1024 }))
      raws.push(raw.bytes.toString());
    const whole = [];
    for await (const raw of readRawMessages(Readable.from([Buffer.from(text)]), {
      maxMessageBytes: 1024,
    }))
      whole.push(raw.bytes.toString());
    expect(raws).toEqual(whole);
    expect(raws).toHaveLength(2);
  });
});
