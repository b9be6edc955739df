import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { collectItems, streamOf } from "../../../test/support/source-items.js";
import { peekInput } from "./peek-input.js";
import { readSocial } from "./read-social.js";
import { detectSocialFormat, type SocialFormat } from "./social-format.js";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/social/${name}`, import.meta.url));
const OBSERVED_AT = "2024-10-06T00:00:00.000Z";

describe("detectSocialFormat", () => {
  it("tells every fixture's format from its first bytes", async () => {
    const expected: Record<string, SocialFormat> = {
      "vigil-social.jsonl": "jsonl",
      "x-v2-search.json": "x-v2",
      "x-v2-pages.jsonl": "x-v2",
      "telegram-channel.json": "telegram",
      "telegram-export.json": "telegram",
      "posts.csv": "csv",
      "messages.csv": "csv",
    };
    for (const [name, format] of Object.entries(expected)) {
      expect(detectSocialFormat(await readFile(fixture(name))), name).toBe(format);
    }
  });

  it("tells minified documents and byte-order marks apart too", () => {
    const detect = (text: string) => detectSocialFormat(Buffer.from(text));
    expect(detect('\uFEFF{"type":"post","platform":"x"}')).toBe("jsonl");
    expect(detect('{"name":"c","type":"public_channel","id":1,"messages":[]}')).toBe("telegram");
    expect(detect('{"data":[],"meta":{}}')).toBe("x-v2");
    expect(detect("tweetid\tuserid\ttweet_text\n")).toBe("csv");
    expect(detect("")).toBeUndefined();
    expect(detect("just some words\n")).toBeUndefined();
    expect(detect('{"hello": "world"}\n')).toBeUndefined();
    expect(detect("[1, 2]")).toBeUndefined();
  });
});

describe("readSocial", () => {
  it("reads each format it detects", async () => {
    const counts = async (name: string, extra = {}) => {
      const { observations } = await collectItems(
        readSocial(createReadStream(fixture(name)), {
          name,
          observedAt: OBSERVED_AT,
          ...extra,
        }),
      );
      return observations.length;
    };
    expect(await counts("vigil-social.jsonl")).toBe(5);
    expect(await counts("x-v2-search.json")).toBe(8);
    expect(await counts("telegram-channel.json")).toBe(5);
    expect(await counts("posts.csv", { platform: "x" })).toBe(8);
  });

  it("follows an explicit format, reporting records that do not fit it", async () => {
    const { observations, problems } = await collectItems(
      readSocial(createReadStream(fixture("vigil-social.jsonl")), {
        name: "v.jsonl",
        observedAt: OBSERVED_AT,
        format: "x-v2",
      }),
    );
    expect(observations).toEqual([]);
    expect(problems.length).toBeGreaterThan(5);
    expect(problems[0]).toMatchObject({ item: "v.jsonl line 1", code: "VIGIL_ERR_SOCIAL_FORMAT" });
  });

  it("reports an input it cannot place, and reads an empty one as nothing", async () => {
    const unknown = await collectItems(
      readSocial(streamOf("hello\nworld\n"), { name: "notes.txt", observedAt: OBSERVED_AT }),
    );
    expect(unknown.problems).toEqual([
      expect.objectContaining({ item: "notes.txt", code: "VIGIL_ERR_SOCIAL_FORMAT" }),
    ]);
    let bytes = 0;
    const empty = await collectItems(
      readSocial(streamOf("\n  \n"), {
        name: "empty.jsonl",
        observedAt: OBSERVED_AT,
        onBytes: (n) => (bytes += n),
      }),
    );
    expect(empty.observations).toEqual([]);
    expect(empty.problems).toEqual([]);
    expect(bytes).toBe(4);
  });

  it("reports bytes that are not UTF-8 by input and line, and keeps the other CSV rows", async () => {
    // \u0000 marks where a lone 0xff byte goes.
    const withBadByte = (text: string) =>
      Buffer.concat(
        text
          .split("\u0000")
          .flatMap((part, i) => [...(i > 0 ? [Buffer.from([0xff])] : []), Buffer.from(part)]),
      );
    const read = (name: string, text: string, extra: Record<string, unknown>) =>
      collectItems(
        readSocial(streamOf(withBadByte(text)), { name, observedAt: OBSERVED_AT, ...extra }),
      );
    const encoding = (item: string) => [
      expect.objectContaining({ item, code: "VIGIL_ERR_INPUT_ENCODING" }),
    ];
    // A whole document is refused: a JSON document cannot be trusted in part.
    const x = await read(
      "x.json",
      '{"data":[{"id":"1","author_id":"9","text":"bad \u0000","created_at":"2024-08-01T00:00:00.000Z"}],"includes":{"users":[{"id":"9","username":"a","name":"A"}]}}',
      { format: "x-v2" },
    );
    expect(x.observations).toEqual([]);
    expect(x.problems).toEqual(encoding("x.json line 1"));
    const telegram = await read(
      "t.json",
      '{"name":"c","type":"public_channel","id":1,"messages":[{"id":1,"type":"message","date":"2024-08-01T00:00:00","from":"A","from_id":"user9","text":"bad \u0000"}]}',
      { format: "telegram" },
    );
    expect(telegram.observations).toEqual([]);
    expect(telegram.problems).toEqual(encoding("t.json line 1"));
    const csv = await read(
      "p.csv",
      "id,account,created,text\n1,9,2024-08-01T00:00:00.000Z,bad \u0000\n2,9,2024-08-01T00:00:01.000Z,fine\n",
      { format: "csv", platform: "x" },
    );
    expect(csv.observations.map((o) => o.value)).toEqual(["x:post:2"]);
    expect(csv.problems).toEqual(encoding("p.csv line 2"));
  });

  it("counts every byte once for a progress bar, the peeked ones included", async () => {
    const text = await readFile(fixture("posts.csv"));
    let bytes = 0;
    await collectItems(
      readSocial(streamOf(text, 100), {
        name: "posts.csv",
        observedAt: OBSERVED_AT,
        platform: "x",
        onBytes: (n) => (bytes += n),
      }),
    );
    expect(bytes).toBe(text.length);
  });
});

describe("peekInput", () => {
  it("gives the head and replays it before the rest", async () => {
    const { head, input } = await peekInput(streamOf("abcdefghij", 3), 4);
    expect(Buffer.from(head).toString()).toBe("abcd");
    const chunks: string[] = [];
    for await (const c of input) chunks.push(Buffer.from(c).toString());
    expect(chunks.join("")).toBe("abcdefghij");
  });

  it("tells the source when the reader stops early", async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < 10; i++) yield Buffer.from("chunk");
      } finally {
        closed = true;
      }
    }
    const { input } = await peekInput(source(), 6);
    for await (const _ of input) break;
    expect(closed).toBe(true);
  });
});
