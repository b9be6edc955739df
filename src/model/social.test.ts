import { describe, expect, it } from "vitest";
import {
  MAX_BIO_LENGTH,
  MAX_POST_HASHTAGS,
  MAX_POST_TEXT_LENGTH,
  SocialAccountSchema,
  SocialPostSchema,
  socialObservationValue,
} from "./social.js";

const POST = {
  platform: "x",
  id: "1841000000000000001",
  account: "1500000000000000001",
  created: "2024-10-01 09:15:02",
};

describe("social schemas", () => {
  it("normalise a post: time to UTC ISO, tags and mentions without # and @, defaults filled", () => {
    const post = SocialPostSchema.parse({
      ...POST,
      platform: " X ",
      hashtags: ["#HarborVotes", "elections"],
      mentions: ["@harbor_clerk"],
    });
    expect(post).toEqual({
      platform: "x",
      id: POST.id,
      account: POST.account,
      created: "2024-10-01T09:15:02.000Z",
      text: "",
      urls: [],
      hashtags: ["HarborVotes", "elections"],
      mentions: ["harbor_clerk"],
    });
  });

  it("keep Unicode handles and tags, so confusable handles stay visible", () => {
    const account = SocialAccountSchema.parse({
      platform: "x",
      id: "1",
      handle: "@dаna_whitfield",
    });
    expect(account.handle).toBe("dаna_whitfield");
    expect(SocialPostSchema.parse({ ...POST, hashtags: ["#ПравдаОВыборах"] }).hashtags).toEqual([
      "ПравдаОВыборах",
    ]);
  });

  it("refuse unknown keys, wrong types and values past the limits", () => {
    const bad = [
      { ...POST, colour: "red" },
      { ...POST, text: 42 },
      { ...POST, created: "soon" },
      { ...POST, id: "has space" },
      { ...POST, platform: "X Corp" },
      { ...POST, text: "x".repeat(MAX_POST_TEXT_LENGTH + 1) },
      { ...POST, hashtags: Array.from({ length: MAX_POST_HASHTAGS + 1 }, (_, i) => `t${i}`) },
      { ...POST, hashtags: ["two words"] },
      { ...POST, mentions: ["@"] },
      { ...POST, lang: "english please" },
      { ...POST, account: undefined },
    ];
    for (const post of bad)
      expect(SocialPostSchema.safeParse(post).success, JSON.stringify(post).slice(0, 80)).toBe(
        false,
      );
    for (const account of [
      { platform: "x", id: "1", followers: -1 },
      { platform: "x", id: "1", followers: 1.5 },
      { platform: "x", id: "1", bio: "b".repeat(MAX_BIO_LENGTH + 1) },
      { platform: "x", id: "1", display_name: "typo" },
      { platform: "x", id: "1", avatar: "a picture.jpg" },
    ]) {
      expect(SocialAccountSchema.safeParse(account).success, JSON.stringify(account)).toBe(false);
    }
  });

  it("name observations by platform, kind and id", () => {
    expect(socialObservationValue("account", "telegram", "channel42")).toBe(
      "telegram:account:channel42",
    );
    expect(socialObservationValue("post", "x", "1")).toBe("x:post:1");
  });
});
