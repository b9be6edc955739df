import { describe, expect, it } from "vitest";
import { prng } from "../../../test/support/random.js";
import {
  asciiSkeleton,
  classifyEdit,
  coarseSkeleton,
  replacementKind,
  skeletonHashes,
} from "./edit-kind.js";
import { hashString } from "./string-hash.js";

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

describe("asciiSkeleton, one pass", () => {
  /** The reading defined step by step: single characters, then rn, vv and cl in turn. */
  function stepwise(label: string): string {
    return label
      .replace(/0/g, "o")
      .replace(/[1i]/g, "l")
      .replace(/rn/g, "m")
      .replace(/vv/g, "w")
      .replace(/cl/g, "d");
  }

  it("reads the same as replacing each look-alike in turn (seeded random labels)", () => {
    const rand = prng(39);
    const alphabet = "rnvcl1i0o-ab";
    for (let k = 0; k < 5000; k++) {
      let label = "";
      const length = 1 + Math.floor(rand() * 12);
      for (let i = 0; i < length; i++) label += alphabet[Math.floor(rand() * alphabet.length)];
      expect(asciiSkeleton(label), label).toBe(stepwise(label));
    }
  });
});

describe("skeletonHashes", () => {
  it("hashes both skeletons as hashString of the built strings would (seeded random labels)", () => {
    const rand = prng(40);
    const alphabet = "rnvcl1i0o-abej9qé";
    for (let k = 0; k < 5000; k++) {
      let label = "";
      const length = Math.floor(rand() * 14);
      for (let i = 0; i < length; i++) label += alphabet[Math.floor(rand() * alphabet.length)];
      const { glance, coarse } = skeletonHashes(label);
      expect(glance, label).toBe(hashString(asciiSkeleton(label)));
      expect(coarse, label).toBe(hashString(coarseSkeleton(label)));
    }
  });
});
