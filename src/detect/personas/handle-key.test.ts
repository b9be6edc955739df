import { describe, expect, it } from "vitest";
import { handleKey, handleTrick } from "./handle-key.js";
import { parseHandleRef } from "./handle-ref.js";
import { differenceHash, hammingDistance, isPerceptualHash } from "./perceptual-hash.js";

describe("handleKey", () => {
  it("gives lookalike handles the key of the genuine one", () => {
    const key = handleKey("danawhitfield");
    for (const h of [
      "@DanaWhitfield",
      "dana_whitfield",
      "dana.whitfield",
      "danawh1tfield",
      "danawhitfieId",
      "dаnawhitfield", // Cyrillic а
      "ｄａｎａwhitfield", // full-width
      "danawhitfiield",
      "danawhitfield2024",
    ]) {
      expect(handleKey(h), h).toBe(key);
    }
    expect(handleKey("rnarcus")).toBe(handleKey("marcus"));
    expect(handleKey("vvhitfield")).toBe(handleKey("whitfield"));
    expect(handleKey("hannahbrandt")).not.toBe(handleKey("hannahbrand"));
  });

  it("names the trick that made a lookalike", () => {
    expect(handleTrick("DanaWhitfield", "danawhitfield")).toBe("identical");
    expect(handleTrick("dana_whitfield", "danawhitfield")).toBe("separators");
    expect(handleTrick("dаnawhitfield", "danawhitfield")).toBe("confusable");
    expect(handleTrick("danawh1tfield", "danawhitfield")).toBe("digit-letter");
    expect(handleTrick("danawhitfiield", "danawhitfield")).toBe("doubled-letter");
    expect(handleTrick("danawhitfield24", "danawhitfield")).toBe("added-digits");
  });
});

describe("parseHandleRef", () => {
  it("reads handles as watchlists list them", () => {
    expect(parseHandleRef("@dana_w")).toEqual({ handle: "dana_w" });
    expect(parseHandleRef("dana_w")).toEqual({ handle: "dana_w" });
    expect(parseHandleRef("x:@dana_w")).toEqual({ platform: "x", handle: "dana_w" });
    expect(parseHandleRef("Twitter: dana_w")).toEqual({ platform: "x", handle: "dana_w" });
    expect(parseHandleRef("telegram:dana_w")).toEqual({ platform: "telegram", handle: "dana_w" });
    expect(parseHandleRef("https://x.com/dana_w")).toEqual({ platform: "x", handle: "dana_w" });
    expect(parseHandleRef("t.me/dana_w")).toEqual({ platform: "telegram", handle: "dana_w" });
  });

  it("skips text that is not a handle", () => {
    expect(parseHandleRef("dana w")).toBeUndefined();
    expect(parseHandleRef("https://example.org/dana")).toBeUndefined();
    expect(parseHandleRef("x:")).toBeUndefined();
    expect(parseHandleRef("a".repeat(101))).toBeUndefined();
  });
});

describe("perceptual hashes", () => {
  it("counts differing bits and checks the form", () => {
    expect(hammingDistance("ffffffffffffffff", "0000000000000000")).toBe(64);
    expect(hammingDistance("f0e1d2c3b4a59687", "f0e1d2c3b4a59686")).toBe(1);
    expect(isPerceptualHash("f0e1d2c3b4a59687")).toBe(true);
    expect(isPerceptualHash("F0E1")).toBe(false);
  });

  it("hashes a 9 × 8 grey thumbnail by its horizontal gradient", () => {
    const rising = Uint8Array.from({ length: 72 }, (_, i) => (i % 9) * 20);
    const falling = Uint8Array.from({ length: 72 }, (_, i) => 200 - (i % 9) * 20);
    expect(differenceHash(rising)).toBe("0000000000000000");
    expect(differenceHash(falling)).toBe("ffffffffffffffff");
    expect(() => differenceHash(new Uint8Array(10))).toThrow(RangeError);
  });
});
