import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { vigilError } from "../../../test/support/errors.js";
import { collectItems, streamOf } from "../../../test/support/source-items.js";
import { parseColumnMap } from "./csv-column-map.js";
import { MAX_CSV_RECORD_CHARS, readCsvRecords } from "./csv-records.js";
import { readSocialCsv, type SocialCsvOptions } from "./social-csv-reader.js";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/social/${name}`, import.meta.url));
const OBSERVED_AT = "2024-10-06T00:00:00.000Z";
const read = (
  input: AsyncIterable<Uint8Array>,
  name: string,
  options: Partial<SocialCsvOptions> = {},
) => collectItems(readSocialCsv(input, { name, observedAt: OBSERVED_AT, ...options }));

describe("readSocialCsv", () => {
  it("reads the columns of the X information-operations archive without a map", async () => {
    const { data, problems, observations } = await read(
      createReadStream(fixture("posts.csv")),
      "posts.csv",
      { platform: "x" },
    );
    // The row with a bad time still has a good account; the row cut short has neither.
    expect(data("account").map((a) => a.handle)).toEqual([
      "maryj83749261",
      "tomreyes_5521",
      "bad_time",
      "sam_ortiz",
    ]);
    expect(data("account")[1]).toEqual({
      platform: "x",
      id: "1840000000000000021",
      handle: "tomreyes_5521",
      displayName: "Tom Reyes",
      bio: "Veteran.\nFather of three.",
      created: "2024-09-21T00:00:00.000Z",
      followers: 9,
      following: 488,
      links: [],
    });
    const posts = data("post");
    expect(posts.map((p) => p.id)).toEqual([
      "1842000000000000101",
      "1842000000000000102",
      "1842000000000000103",
      "1842000000000000106",
    ]);
    expect(posts[0]).toEqual({
      platform: "x",
      id: "1842000000000000101",
      account: "1840000000000000020",
      created: "2024-10-05T07:00:00.000Z",
      text: "The county count was changed overnight and nobody reports it. #ElectionTruth",
      urls: ["https://daily-ledger-news.example/count"],
      hashtags: ["ElectionTruth"],
      mentions: [],
      lang: "en",
    });
    expect(posts[1]).toMatchObject({
      text: "Nobody reports it: the county count was changed overnight!!\nAsk why. #ElectionTruth",
      hashtags: ["ElectionTruth"],
      mentions: ["maryj83749261"],
    });
    expect(posts[2]).toMatchObject({ text: "", repostOf: "1842000000000000101" });
    expect(posts[3]).toMatchObject({
      hashtags: ["HarborVotes", "elections"],
      urls: ["https://harbor-gazette.example/live"],
      mentions: ["harbor_clerk"],
    });
    // A record spanning lines is named by its first line.
    expect(observations.find((o) => o.data.id === "1842000000000000103")?.source).toBe(
      "posts.csv line 6",
    );
    expect(problems.map((p) => [p.item, p.code])).toEqual([
      ["posts.csv line 8", "VIGIL_ERR_INPUT_CSV"],
      ["posts.csv line 9", "VIGIL_ERR_SOCIAL_RECORD"],
    ]);
    expect(problems[0]?.message).toBe("10 cells where the header has 17");
    expect(problems[1]?.message).toContain("created");
  });

  it("takes a column map, semicolons and a platform column", async () => {
    const { data, problems } = await read(
      createReadStream(fixture("messages.csv")),
      "messages.csv",
      { columnMap: parseColumnMap("id=msg_id,account=author,created=when,platform=kanal") },
    );
    expect(data("post").map((p) => [p.platform, p.id, p.account, p.created, p.text])).toEqual([
      ["telegram", "9001", "user77", "2024-10-05T07:00:00.000Z", "Erste Meldung zur Wahl"],
      ["telegram", "9002", "user78", "2024-10-05T06:01:00.000Z", "Zweite Meldung; mit Semikolon"],
    ]);
    // No profile columns: accounts are not made from the author column alone.
    expect(data("account")).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ item: "messages.csv line 4", code: "VIGIL_ERR_SOCIAL_RECORD" }),
    ]);
  });

  it("reads a list of accounts when there is no post id column", async () => {
    const { data, problems } = await read(
      streamOf(
        'account,handle,followers,verified\n11,@alpha,"1,204",yes\n12,beta,lots,no\n,gamma,1,no\n',
      ),
      "accounts.csv",
      { platform: "x" },
    );
    expect(data("account")).toEqual([
      { platform: "x", id: "11", handle: "alpha", followers: 1204, links: [], verified: true },
    ]);
    expect(problems.map((p) => [p.item, p.code])).toEqual([
      ["accounts.csv line 3", "VIGIL_ERR_SOCIAL_RECORD"],
      ["accounts.csv line 4", "VIGIL_ERR_SOCIAL_RECORD"],
    ]);
  });

  it("stops at a header it cannot use, saying which column or field is missing", async () => {
    const noPlatform = await read(
      streamOf("id,account,created,text\n1,2,2024-10-01,hi\n"),
      "a.csv",
    );
    expect(noPlatform.problems).toEqual([
      expect.objectContaining({
        item: "a.csv line 1",
        code: "VIGIL_ERR_SOCIAL_COLUMN_MAP",
        message: expect.stringContaining("--platform"),
      }),
    ]);
    const missing = await read(streamOf("msg,who\n1,2\n"), "b.csv", {
      platform: "x",
      columnMap: parseColumnMap("text=message"),
    });
    expect(missing.problems[0]?.message).toContain('no column "message"');
    const noTime = await read(streamOf("id,account,text\n1,2,hi\n"), "c.csv", { platform: "x" });
    expect(noTime.problems[0]?.message).toContain("created=COLUMN");
    expect(noTime.observations).toEqual([]);
  });

  it("skips a runaway quoted field and an oversize row, and reads the rows after them", async () => {
    const header = "id,account,created,text\n";
    const long = `2,9,2024-10-01,"${"x".repeat(MAX_CSV_RECORD_CHARS)}"\n`;
    const { data, problems } = await read(
      streamOf(
        `${header}1,9,2024-10-01,first\n${long}3,9,2024-10-01,third\n4,9,2024-10-01,"open\n`,
        1000,
      ),
      "big.csv",
      { platform: "x" },
    );
    expect(data("post").map((p) => p.id)).toEqual(["1", "3"]);
    expect(problems.map((p) => [p.item, p.code])).toEqual([
      ["big.csv line 3", "VIGIL_ERR_INPUT_TOO_LONG"],
      ["big.csv line 5", "VIGIL_ERR_INPUT_CSV"],
    ]);
  });
});

describe("readCsvRecords", () => {
  it("joins lines inside quotes, with escaped quotes, and numbers records by their first line", async () => {
    const records = [];
    for await (const r of readCsvRecords(streamOf('a,b\n1,"x\n""y""\nz"\n2,w\r\n', 3)))
      records.push(r);
    expect(records).toEqual([
      { line: 1, lastLine: 1, text: "a,b" },
      { line: 2, lastLine: 4, text: '1,"x\n""y""\nz"' },
      { line: 5, lastLine: 5, text: "2,w" },
    ]);
  });

  it("ends a record that grows past the limit while a quote is open", async () => {
    const records = [];
    for await (const r of readCsvRecords(streamOf('1,"abc\ndef\nghi\n2,ok\n'), {
      maxRecordChars: 8,
    }))
      records.push(r);
    expect(records).toEqual([
      expect.objectContaining({ line: 1, lastLine: 2, error: "too-long" }),
      { line: 3, lastLine: 3, text: "ghi" },
      { line: 4, lastLine: 4, text: "2,ok" },
    ]);
  });
});

describe("parseColumnMap", () => {
  it("reads pairs, also from repeated options", () => {
    expect(parseColumnMap(["text=message, created = timestamp", "id=msg_id"])).toEqual({
      text: "message",
      created: "timestamp",
      id: "msg_id",
    });
  });

  it("rejects unknown fields, empty columns and fields given twice", () => {
    expect(vigilError(() => parseColumnMap("txt=message")).code).toBe(
      "VIGIL_ERR_SOCIAL_COLUMN_MAP",
    );
    expect(vigilError(() => parseColumnMap("txt=message")).message).toContain(
      'unknown field "txt"',
    );
    expect(vigilError(() => parseColumnMap("text=")).message).toContain("names no column");
    expect(vigilError(() => parseColumnMap("text=a,text=b")).message).toContain("mapped twice");
  });
});
