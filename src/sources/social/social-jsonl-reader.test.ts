import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { collectItems, streamOf } from "../../../test/support/source-items.js";
import { MAX_SOCIAL_LINE_BYTES, readSocialJsonl } from "./social-jsonl-reader.js";

const FIXTURE = fileURLToPath(
  new URL("../../../test/fixtures/social/vigil-social.jsonl", import.meta.url),
);
const OBSERVED_AT = "2024-10-06T00:00:00.000Z";
const read = (input: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, name = "social.jsonl") =>
  collectItems(
    readSocialJsonl(input as AsyncIterable<Uint8Array>, { name, observedAt: OBSERVED_AT }),
  );

describe("readSocialJsonl", () => {
  it("reads accounts and posts, normalised, and names every bad line", async () => {
    const { observations, problems, data } = await read(
      createReadStream(FIXTURE),
      "vigil-social.jsonl",
    );
    expect(observations.map((o) => o.value)).toEqual([
      "x:account:1500000000000000002",
      "x:account:1840000000000000003",
      "x:post:1841000000000000004",
      "x:post:1841000000000000002",
      "telegram:post:1734102938/4",
    ]);
    expect(observations[0]).toMatchObject({
      kind: "account",
      source: "vigil-social.jsonl line 1",
      observedAt: OBSERVED_AT,
    });
    expect(data("account")[0]).toEqual({
      platform: "x",
      id: "1500000000000000002",
      handle: "dana_whitfield",
      displayName: "Dana Whitfield",
      bio: "Senior adviser. Views my own.",
      created: "2012-06-01T09:30:00.000Z",
      avatar: "avatars/dana-whitfield.jpg",
      followers: 98211,
      following: 1200,
      links: ["https://whitfield.example"],
      verified: true,
    });
    const [quote, repost, forwarded] = data("post");
    expect(quote).toMatchObject({ hashtags: ["HarborCount"], quoteOf: "1841000000000000001" });
    expect(repost).toMatchObject({ created: "2024-10-01T09:20:00.000Z", text: "", urls: [] });
    expect(forwarded).toMatchObject({
      created: "2024-10-02T03:05:30.000Z",
      forwardedFrom: "Северный Вестник",
    });
    expect(problems.map((p) => [p.item, p.code])).toEqual([
      ["vigil-social.jsonl line 4", "VIGIL_ERR_SOCIAL_RECORD"], // text is a number
      ["vigil-social.jsonl line 6", "VIGIL_ERR_SOCIAL_RECORD"], // type tweet
      ["vigil-social.jsonl line 7", "VIGIL_ERR_SOCIAL_RECORD"], // no type
      ["vigil-social.jsonl line 8", "VIGIL_ERR_SOCIAL_RECORD"], // unknown key
      ["vigil-social.jsonl line 10", "VIGIL_ERR_SOCIAL_RECORD"], // not a time
      ["vigil-social.jsonl line 11", "VIGIL_ERR_SOCIAL_RECORD"], // id with a space
      ["vigil-social.jsonl line 12", "VIGIL_ERR_SOCIAL_RECORD"], // hashtags not a list
      ["vigil-social.jsonl line 13", "VIGIL_ERR_SOCIAL_RECORD"], // negative followers
      ["vigil-social.jsonl line 14", "VIGIL_ERR_INPUT_JSON"],
      ["vigil-social.jsonl line 15", "VIGIL_ERR_SOCIAL_RECORD"], // an array
    ]);
    expect(problems[0]?.message).toContain("text");
    expect(problems[3]?.message).toContain("display_name");
    expect(problems[4]?.message).toContain("created");
    for (const p of problems) expect(p.message.length).toBeLessThan(300);
  });

  it("skips an account repeated in the same input, but not one that changed", async () => {
    const account = { type: "account", platform: "x", id: "7", handle: "a" };
    const { observations } = await read(
      streamOf(
        [account, account, { ...account, handle: "b" }].map((a) => JSON.stringify(a)).join("\n"),
      ),
    );
    expect(observations.map((o) => o.data.handle)).toEqual(["a", "b"]);
  });

  it("skips an oversize line without holding it, and a line of invalid UTF-8, and reads on", async () => {
    const post = (id: string) =>
      JSON.stringify({
        type: "post",
        platform: "x",
        id,
        account: "2",
        created: "2024-10-01T00:00:00Z",
        text: "hello",
      });
    const huge = JSON.stringify({
      type: "post",
      platform: "x",
      id: "9",
      account: "2",
      created: "2024-10-01T00:00:00Z",
      text: "y".repeat(MAX_SOCIAL_LINE_BYTES + 10),
    });
    const bytes = Buffer.concat([
      Buffer.from(`\uFEFF${post("1")}\n${huge}\n`),
      Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]),
      Buffer.from(`${post("2")}`),
    ]);
    const { observations, problems } = await read(streamOf(bytes, 4096));
    expect(observations.map((o) => o.value)).toEqual(["x:post:1", "x:post:2"]);
    expect(problems.map((p) => [p.item, p.code])).toEqual([
      ["social.jsonl line 2", "VIGIL_ERR_INPUT_TOO_LONG"],
      ["social.jsonl line 3", "VIGIL_ERR_INPUT_ENCODING"],
    ]);
  });

  it("refuses a post whose text is over the limit, naming the field", async () => {
    const { problems } = await read(
      streamOf(
        JSON.stringify({
          type: "post",
          platform: "x",
          id: "1",
          account: "2",
          created: "2024-10-01T00:00:00Z",
          text: "z".repeat(40_001),
        }),
      ),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        item: "social.jsonl line 1",
        code: "VIGIL_ERR_SOCIAL_RECORD",
        message: expect.stringContaining("text"),
      }),
    ]);
  });

  it("gives the same observation for the same post however its fields are written", async () => {
    const a = await read(
      streamOf(
        '{"type":"post","platform":"x","id":"1","account":"2","created":"2024-10-01T02:00:00+02:00","hashtags":["#a"]}',
      ),
    );
    const b = await read(
      streamOf(
        '{"hashtags":["a"],"created":"2024-10-01 00:00","account":"2","id":"1","platform":"X","type":"post","text":""}',
      ),
    );
    expect(a.observations[0]?.id).toBe(b.observations[0]?.id);
  });
});
