import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { collectItems, streamOf } from "../../../test/support/source-items.js";
import { MAX_JSON_DOCUMENT_BYTES } from "./read-json-document.js";
import { readXV2 } from "./x-v2-reader.js";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/social/${name}`, import.meta.url));
const OBSERVED_AT = "2024-10-06T00:00:00.000Z";
const read = (input: AsyncIterable<Uint8Array>, name: string, knownSize?: number) =>
  collectItems(
    readXV2(input, {
      name,
      observedAt: OBSERVED_AT,
      ...(knownSize === undefined ? {} : { knownSize }),
    }),
  );

describe("readXV2", () => {
  it("reads a response document: users as accounts, posts and referenced posts as posts", async () => {
    const { observations, problems, data } = await read(
      createReadStream(fixture("x-v2-search.json")),
      "search.json",
    );
    expect(data("account").map((a) => a.handle)).toEqual([
      "harborwatch",
      "dana_whitfield",
      "real_danawhitfield",
    ]);
    expect(data("account")[0]).toEqual({
      platform: "x",
      id: "1500000000000000001",
      handle: "harborwatch",
      displayName: "Harbor City Watch",
      bio: "Independent election news for Harbor County.",
      created: "2019-03-04T10:00:00.000Z",
      avatar: "https://pbs.twimg.example/profile_images/1/harbor_normal.jpg",
      followers: 15230,
      following: 310,
      links: ["https://harborwatch.example"],
      verified: false,
    });
    expect(data("account")[1]?.links).toEqual([]);
    const posts = data("post");
    expect(posts.map((p) => p.id)).toEqual([
      "1841000000000000001",
      "1841000000000000002",
      "1841000000000000003",
      "1841000000000000004",
      "1830000000000000009",
    ]);
    expect(posts[0]).toEqual({
      platform: "x",
      id: "1841000000000000001",
      account: "1500000000000000001",
      created: "2024-10-01T09:15:02.000Z",
      text: "Polling stations in the north district close at 8pm. Details: https://t.co/xyz #HarborVotes",
      urls: ["https://elections.harbor.example/hours"],
      hashtags: ["HarborVotes"],
      mentions: [],
      lang: "en",
    });
    expect(posts[1]).toMatchObject({ repostOf: "1841000000000000001", mentions: ["harborwatch"] });
    expect(posts[2]).toMatchObject({ replyTo: "1841000000000000001" });
    // A long post: the whole text and its entities come from note_tweet.
    expect(posts[3]).toMatchObject({
      quoteOf: "1841000000000000001",
      urls: ["https://harbor-truth.example/count"],
      hashtags: ["HarborCount"],
    });
    expect(String(posts[3]?.text).length).toBeGreaterThan(280);
    expect(observations.find((o) => o.data.id === "1841000000000000003")?.source).toBe(
      "search.json data[2]",
    );
    expect(problems.map((p) => [p.item, p.code])).toEqual([
      ["search.json includes.users[3]", "VIGIL_ERR_SOCIAL_RECORD"],
      ["search.json data[4]", "VIGIL_ERR_SOCIAL_RECORD"],
      ["search.json data[5]", "VIGIL_ERR_SOCIAL_RECORD"],
    ]);
    expect(problems[0]?.message).toContain("public_metrics.followers_count");
    expect(problems[1]?.message).toContain("author_id: missing; request it with tweet.fields");
    expect(problems[2]?.message).toContain("id");
  });

  it("reads responses one a line, skipping repeated users, and names bad lines", async () => {
    const { problems, data } = await read(
      createReadStream(fixture("x-v2-pages.jsonl")),
      "pages.jsonl",
    );
    expect(data("account").map((a) => a.handle)).toEqual(["anna_k83749261", "li_wei_20240920"]);
    expect(data("post").map((p) => [p.lang, p.hashtags])).toEqual([
      ["ru", ["ПравдаОВыборах"]],
      ["zh", ["美国真相"]],
    ]);
    expect(problems.map((p) => [p.item, p.code])).toEqual([
      ["pages.jsonl line 2", "VIGIL_ERR_INPUT_JSON"],
      ["pages.jsonl line 6", "VIGIL_ERR_SOCIAL_RECORD"],
      ["pages.jsonl line 7", "VIGIL_ERR_SOCIAL_FORMAT"],
    ]);
    expect(problems[1]?.message).toContain("Not Found Error");
  });

  it("reads a one-line response without a final newline, in small chunks", async () => {
    const text = JSON.stringify(JSON.parse(await readFile(fixture("x-v2-search.json"), "utf8")));
    const { data, problems } = await read(streamOf(text, 7), "one-line.json");
    expect(data("post")).toHaveLength(5);
    expect(problems).toHaveLength(3);
    expect(problems[0]?.item).toBe("one-line.json line 1 includes.users[3]");
  });

  it("refuses a document over the size limit before reading it", async () => {
    let pulled = 0;
    async function* input(): AsyncGenerator<Uint8Array> {
      pulled++;
      yield Buffer.from('{\n "data": [\n');
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield Buffer.from(`${" ".repeat(64 * 1024 - 2)},\n`);
      }
    }
    const { problems, observations } = await read(
      input(),
      "huge.json",
      MAX_JSON_DOCUMENT_BYTES + 1,
    );
    expect(observations).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ item: "huge.json", code: "VIGIL_ERR_INPUT_TOO_LARGE" }),
    ]);
    // Only what telling the format took: the first 64 KiB.
    expect(pulled).toBeLessThanOrEqual(3);
  });

  it("names the line of a syntax error in a document", async () => {
    const { problems } = await read(
      streamOf('{\n  "data": [\n    {"id": "1",,}\n  ]\n}\n'),
      "bad.json",
    );
    expect(problems).toEqual([
      expect.objectContaining({ item: "bad.json line 3", code: "VIGIL_ERR_INPUT_JSON" }),
    ]);
  });

  it("says what it expected of a document that is not a response", async () => {
    const { problems } = await read(streamOf('{\n  "hello": "world"\n}\n'), "other.json");
    expect(problems).toEqual([
      expect.objectContaining({
        item: "other.json",
        code: "VIGIL_ERR_SOCIAL_FORMAT",
        message: expect.stringContaining("data or includes"),
      }),
    ]);
  });
});
