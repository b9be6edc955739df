import { describe, expect, it } from "vitest";
import { asciiSkeleton, classifyEdit, replacementKind } from "./edit-kind.js";

describe("classifyEdit", () => {
  it.each([
    ["washingtonpost", "washngtonpost", "omission"],
    ["washingtonpost", "washingtonposts", "insertion"],
    ["washingtonpost", "wasshingtonpost", "repetition"],
    ["washingtonpost", "washingtonpostt", "repetition"],
    ["washingtonpost", "wahsingtonpost", "transposition"],
    ["washingtonpost", "washingtanpost", "vowel-swap"],
    ["washingtonpost", "washingtonpist", "vowel-swap"],
  ])("%s → %s is %s", (brand, candidate, kind) => {
    expect(classifyEdit(brand, candidate)).toBe(kind);
  });

  it("names keyboard neighbours, bit flips and homoglyph letters", () => {
    expect(classifyEdit("foxnews", "foxnewa")).toBe("keyboard"); // a sits next to s
    expect(classifyEdit("foxnews", "foxneww")).toBe("keyboard"); // w sits above s
    expect(classifyEdit("cnn", "con")).toBe("bitsquatting"); // n 0x6e, o 0x6f
    expect(classifyEdit("bild", "blld")).toBe("homoglyph");
    expect(classifyEdit("nytimes", "nyt1mes")).toBe("homoglyph");
    expect(classifyEdit("spiegel", "spiegxl")).toBe("replacement");
  });

  it("is undefined unless exactly one edit apart", () => {
    expect(classifyEdit("spiegel", "spiegel")).toBeUndefined();
    expect(classifyEdit("spiegel", "spigl")).toBeUndefined();
    expect(classifyEdit("spiegel", "sipegle")).toBeUndefined();
  });

  it("prefers the most telling name for a replacement", () => {
    expect(replacementKind("o", "0")).toBe("homoglyph");
    expect(replacementKind("a", "e")).toBe("vowel-swap");
    expect(replacementKind("q", "w")).toBe("keyboard");
    expect(replacementKind("b", "c")).toBe("bitsquatting");
  });
});

describe("asciiSkeleton", () => {
  it("reads multi-letter look-alikes as the letter they imitate", () => {
    expect(asciiSkeleton("nbcnevvs")).toBe(asciiSkeleton("nbcnews"));
    expect(asciiSkeleton("rnsnbc")).toBe(asciiSkeleton("msnbc"));
    expect(asciiSkeleton("c1nn")).toBe(asciiSkeleton("clnn"));
    expect(asciiSkeleton("f0xnews")).toBe(asciiSkeleton("foxnews"));
    expect(asciiSkeleton("clailymail")).toBe(asciiSkeleton("dailymail"));
  });

  it("keeps different-looking names apart", () => {
    expect(asciiSkeleton("foxnews")).not.toBe(asciiSkeleton("fixnews"));
  });
});
