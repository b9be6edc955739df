import { describe, expect, it } from "vitest";
import { normaliseSocialTime } from "./social-time.js";

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
