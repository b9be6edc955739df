import { describe, expect, it } from "vitest";
import { prng } from "../../test/support/random.js";
import { isCanonicalSocialTime, normaliseSocialTime } from "./social-time.js";

describe("normaliseSocialTime", () => {
  it("reads the forms exports write, all to the same instant", () => {
    const at = "2024-10-05T14:03:00.000Z";
    for (const form of [
      "2024-10-05T14:03:00Z",
      "2024-10-05T14:03:00.000Z",
      "2024-10-05T16:03:00+02:00",
      "2024-10-05T09:03:00-0500",
      "2024-10-05T14:03:00",
      "2024-10-05 14:03",
      "2024-10-05 14:03:00 +00:00",
      "1728136980",
      "1728136980000",
      1728136980,
      1728136980000,
      "Sat Oct 05 14:03:00 +0000 2024",
    ]) {
      expect(normaliseSocialTime(form), String(form)).toBe(at);
    }
  });

  it("keeps fractions of a second to the millisecond", () => {
    expect(normaliseSocialTime("2024-10-05T14:03:00.123456Z")).toBe("2024-10-05T14:03:00.123Z");
    expect(normaliseSocialTime("1728136980.5")).toBe("2024-10-05T14:03:00.500Z");
  });

  it("takes a date alone as its midnight UTC", () => {
    expect(normaliseSocialTime("2013-12-10")).toBe("2013-12-10T00:00:00.000Z");
  });

  it("refuses what is not a time, or is outside 1990–2100", () => {
    for (const bad of [
      "",
      "yesterday",
      "2024-02-30",
      "2024-13-01",
      "2024-10-05T25:00:00Z",
      "2024-10-05T10:00:00+15:00",
      "1899-01-01",
      "2101-01-01",
      "0",
      -5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      "9".repeat(100),
      null,
      {},
    ]) {
      expect(normaliseSocialTime(bad), String(bad)).toBeUndefined();
    }
  });
});

describe("isCanonicalSocialTime", () => {
  it("is true exactly for the times normaliseSocialTime gives back unchanged (seeded)", () => {
    const rand = prng(23);
    const digit = () => String(Math.floor(rand() * 10));
    const pick = (items: readonly string[]) => items[Math.floor(rand() * items.length)] as string;
    const texts = [
      "1990-01-01T00:00:00.000Z",
      "1989-12-31T23:59:59.999Z",
      "2099-12-31T23:59:59.999Z",
      "2100-01-01T00:00:00.000Z",
      "2000-02-29T00:00:00.000Z",
      "2024-02-29T12:00:00.000Z",
      "2023-02-29T12:00:00.000Z",
      "2024-04-31T12:00:00.000Z",
      "2024-10-05t14:03:00.000z",
      "2024-10-05T14:03:00.000Z ",
      "2024-10-05 14:03:00.000Z",
    ];
    for (let i = 0; i < 20_000; i++) {
      // Mostly well-formed text with fields just in and out of range, so both answers come up.
      const two = (n: number) => String(Math.floor(rand() * n)).padStart(2, "0");
      const year = pick(["19", "20", "21"]) + digit() + digit();
      const fields = [year, "-", two(14), "-", two(33), "T", two(25), ":", two(61), ":", two(61)];
      fields.push(".", digit(), digit(), digit(), "Z");
      const at = Math.floor(rand() * fields.length);
      if (rand() < 0.1) fields[at] = pick(["x", "", "00", " ", "+", "Z", "1"]);
      texts.push(fields.join(""));
    }
    let canonical = 0;
    for (const text of texts) {
      // The space keeps normaliseSocialTime from taking its own shortcut, which uses
      // isCanonicalSocialTime: the time is read the long way, then compared.
      const expected = normaliseSocialTime(` ${text}`) === text;
      expect(isCanonicalSocialTime(text), text).toBe(expected);
      if (expected) canonical++;
    }
    expect(canonical).toBeGreaterThan(1000);
  });
});
