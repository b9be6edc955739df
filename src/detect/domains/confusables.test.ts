import { domainToUnicode } from "node:url";
import { describe, expect, it } from "vitest";
import { skeleton } from "./confusables.js";

describe("skeleton", () => {
  it.each([
    // Cyrillic letters that look Latin
    ["wаshingtonpost", "washingtonpost"], // а U+0430
    ["fохnеws", "foxnews"], // о U+043E, х U+0445, е U+0435
    ["раураl", "paypal"], // р а у а
    ["ѕріеgеl", "spiegel"], // ѕ U+0455, і U+0456, е U+0435
    ["ԁw", "dw"], // ԁ U+0501
    // Greek letters that look Latin
    ["ταgesspiegel", "tagesspiegel"], // τ U+03C4, α U+03B1
    ["bιld", "bild"], // ι U+03B9
    ["fοxnews", "foxnews"], // ο U+03BF
    // Latin letters with marks, and those without a decomposition
    ["spïegel", "spiegel"],
    ["bíld", "bild"],
    ["lemonde", "lemonde"],
    ["lémondé", "lemonde"],
    ["ñytimes", "nytimes"],
    ["dıe-welt", "die-welt"], // dotless ı
    ["błld", "blld"], // ł
    ["føxnews", "foxnews"], // ø
    ["straße", "strasse"],
    // Full-width forms fold under NFKD
    ["ｆｏｘｎｅｗｓ", "foxnews"],
  ])("reads %j as %j", (input, expected) => {
    expect(skeleton(input)).toBe(expected);
  });

  it("leaves plain ASCII labels unchanged", () => {
    for (const label of ["washingtonpost", "t-online", "20minutes", "bbc"]) {
      expect(skeleton(label)).toBe(label);
    }
  });

  it("reads a punycode label's Unicode form as the brand it imitates", () => {
    const unicode = domainToUnicode("xn--wshingtonpost-w1k.com").split(".")[0] ?? "";
    expect(unicode).not.toBe("washingtonpost");
    expect(skeleton(unicode)).toBe("washingtonpost");
  });

  it("keeps letters it has no reading for, so unrelated scripts do not become Latin", () => {
    expect(skeleton("новости")).not.toMatch(/^[a-z]+$/);
    expect(skeleton("新闻")).toBe("新闻");
  });
});

describe("skeleton with the UTS #39 table", () => {
  it.each([
    ["ᴡashingtonpost", "washingtonpost"], // U+1D21 LATIN LETTER SMALL CAPITAL W
    ["աashingtonpost", "washingtonpost"], // U+0561 ARMENIAN SMALL LETTER AYB
    ["wɑshingtonpost", "washingtonpost"], // U+0251 LATIN SMALL LETTER ALPHA
    ["ⅽnn", "cnn"], // U+217D SMALL ROMAN NUMERAL ONE HUNDRED
    ["msnbс", "msnbc"], // Cyrillic es; the ASCII m stays an m
  ])("reads %s as %s", (input, expected) => {
    expect(skeleton(input)).toBe(expected);
  });
});
