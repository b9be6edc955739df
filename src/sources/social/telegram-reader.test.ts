import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { collectItems, streamOf } from "../../../test/support/source-items.js";
import { readTelegramExport } from "./telegram-reader.js";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/social/${name}`, import.meta.url));
const OBSERVED_AT = "2024-10-06T00:00:00.000Z";
const read = (input: AsyncIterable<Uint8Array>, name: string) =>
  collectItems(readTelegramExport(input, { name, observedAt: OBSERVED_AT }));

describe("readTelegramExport", () => {
  it("reads a channel: posts with their links, tags, replies and forwards; the sender once", async () => {
    const { problems, data, observations } = await read(
      createReadStream(fixture("telegram-channel.json")),
      "result.json",
    );
    expect(data("account")).toEqual([
      {
        platform: "telegram",
        id: "channel1734102938",
        displayName: "Harbor City Watch",
        links: [],
      },
    ]);
    const posts = data("post");
    expect(posts.map((p) => p.id)).toEqual([
      "1734102938/2",
      "1734102938/3",
      "1734102938/4",
      "1734102938/7",
    ]);
    expect(posts[0]).toEqual({
      platform: "telegram",
      id: "1734102938/2",
      account: "channel1734102938",
      created: "2024-10-01T09:15:02.000Z",
      text: "Polling stations in the north district close at 8pm. Details: https://elections.harbor.example/hours #HarborVotes",
      urls: ["https://elections.harbor.example/hours"],
      hashtags: ["HarborVotes"],
      mentions: [],
    });
    expect(posts[1]).toMatchObject({
      text: "Read the full statement from @harbor_clerk on the recount.",
      urls: ["https://harborwatch.example/statement"],
      mentions: ["harbor_clerk"],
      replyTo: "1734102938/2",
    });
    expect(posts[2]).toMatchObject({ forwardedFrom: "Северный Вестник", hashtags: ["пересчёт"] });
    // No date_unixtime: the local date, read as UTC.
    expect(posts[3]?.created).toBe("2024-10-03T18:00:00.000Z");
    expect(observations.find((o) => o.data.id === "1734102938/3")?.source).toBe(
      "result.json messages[2]",
    );
    expect(problems.map((p) => [p.item, p.code])).toEqual([
      ["result.json messages[4]", "VIGIL_ERR_SOCIAL_RECORD"],
      ["result.json messages[5]", "VIGIL_ERR_SOCIAL_RECORD"],
      ["result.json messages[7]", "VIGIL_ERR_SOCIAL_RECORD"],
    ]);
    expect(problems[0]?.message).toContain("id");
    expect(problems[1]?.message).toContain("from_id: missing");
    expect(problems[2]?.message).toContain("created");
  });

  it("reads every chat of a whole-account export, with per-chat post ids", async () => {
    const { problems, data } = await read(
      createReadStream(fixture("telegram-export.json")),
      "export.json",
    );
    expect(data("post").map((p) => [p.id, p.account, p.replyTo])).toEqual([
      ["5550001/10", "user5550001", undefined],
      ["5550001/11", "user5550002", "5550001/10"],
      ["4440001/10", "user5550001", undefined],
      ["4440001/11", "user5550099", "4440001/10"],
    ]);
    // A deleted account has no name: the account is known by its id alone.
    expect(data("account")).toEqual([
      expect.objectContaining({ id: "user5550001", displayName: "Mara Lind" }),
      expect.objectContaining({ id: "user5550002", displayName: "Jonas Weber" }),
      { platform: "telegram", id: "user5550099", links: [] },
    ]);
    expect(problems).toEqual([
      expect.objectContaining({
        item: "export.json chats.list[2]",
        code: "VIGIL_ERR_SOCIAL_RECORD",
      }),
    ]);
  });

  it("refuses what is not an export, and a file that is not JSON, naming the line", async () => {
    expect((await read(streamOf('{"name": "x"}'), "a.json")).problems).toEqual([
      expect.objectContaining({ item: "a.json", code: "VIGIL_ERR_SOCIAL_FORMAT" }),
    ]);
    expect(
      (await read(streamOf('{\n "messages": [\n  {"id": 1\n ]\n}'), "b.json")).problems,
    ).toEqual([expect.objectContaining({ item: "b.json line 4", code: "VIGIL_ERR_INPUT_JSON" })]);
    const invalid = Buffer.concat([
      Buffer.from('{\n "messages": [],\n "name": "'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"\n}'),
    ]);
    expect((await read(streamOf(invalid), "c.json")).problems).toEqual([
      expect.objectContaining({ item: "c.json line 3", code: "VIGIL_ERR_INPUT_ENCODING" }),
    ]);
  });
});
