import { describe, expect, it } from "vitest";
import { prng } from "../../../test/support/random.js";
import { osaDistance, VISUAL_COSTS, visualDistance } from "./edit-distance.js";

function randomWord(rand: () => number, alphabet: string, maxLength: number): string {
  const length = Math.floor(rand() * (maxLength + 1));
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

/** Textbook OSA (restricted Damerau–Levenshtein) on a full matrix, for comparison. */
function referenceOsa(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

describe("osaDistance", () => {
  it.each([
    ["", "", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["spiegel", "spiegel", 0],
    ["kitten", "sitting", 3],
    ["flaw", "lawn", 2],
    ["foxnews", "foxnew", 1],
    ["foxnews", "foxnevs", 1],
    ["foxnews", "fox-news", 1],
  ])("osaDistance(%j, %j) = %i", (a, b, expected) => {
    expect(osaDistance(a, b)).toBe(expected);
    expect(osaDistance(b, a)).toBe(expected);
  });

  it("counts swapping two neighbouring letters as one edit", () => {
    expect(osaDistance("ab", "ba")).toBe(1);
    expect(osaDistance("spiegel", "sipegel")).toBe(1);
    expect(osaDistance("washingtonpost", "washingtnopost")).toBe(1);
  });

  it("does not edit a substring twice (OSA, not full Damerau–Levenshtein)", () => {
    // Damerau–Levenshtein gives 2 (swap, then insert between); OSA forbids that.
    expect(osaDistance("ca", "abc")).toBe(3);
  });

  it("stops early once the distance must exceed max", () => {
    expect(osaDistance("abcdef", "uvwxyz", 2)).toBe(3);
    // A length difference alone already exceeds max.
    expect(osaDistance("a", "abcdefgh", 2)).toBe(3);
    // Within max: the exact value.
    expect(osaDistance("spiegel", "spigel", 2)).toBe(1);
    expect(osaDistance("spiegel", "spigl", 2)).toBe(2);
  });

  it("agrees with a textbook OSA, and with max only ever cutting above it (seeded)", () => {
    const rand = prng(0x5eed);
    for (let n = 0; n < 2000; n++) {
      const a = randomWord(rand, "abc-", 9);
      const b = randomWord(rand, "abc-", 9);
      const full = referenceOsa(a, b);
      expect(osaDistance(a, b)).toBe(full);
      const max = Math.floor(rand() * 4);
      const bounded = osaDistance(a, b, max);
      if (full <= max) expect(bounded).toBe(full);
      else expect(bounded).toBeGreaterThan(max);
    }
  });
});

describe("visualDistance", () => {
  it("is zero for the same label", () => {
    expect(visualDistance("washingtonpost", "washingtonpost")).toBe(0);
  });

  it("charges less for confusable letters (i/l, o/0, l/1) than for a plain substitution", () => {
    const plain = visualDistance("spiegel", "spiegex");
    expect(plain).toBe(1);
    expect(visualDistance("spiegel", "spiegei")).toBe(VISUAL_COSTS.confusable);
    expect(visualDistance("foxnews", "f0xnews")).toBe(VISUAL_COSTS.confusable);
    expect(visualDistance("bild", "bi1d")).toBe(VISUAL_COSTS.confusable);
    expect(visualDistance("spiegel", "spiegei")).toBeLessThan(plain);
    expect(visualDistance("foxnews", "f0xnews")).toBeLessThan(visualDistance("foxnews", "fyxnews"));
  });

  it("charges less for a doubled letter or a hyphen than for another inserted letter", () => {
    const plainInsert = visualDistance("spiegel", "spiegexl");
    expect(plainInsert).toBe(1);
    expect(visualDistance("spiegel", "spiegell")).toBe(VISUAL_COSTS.doubled);
    expect(visualDistance("spiegel", "sppiegel")).toBe(VISUAL_COSTS.doubled);
    expect(visualDistance("foxnews", "fox-news")).toBe(VISUAL_COSTS.hyphen);
    expect(visualDistance("t-online", "tonline")).toBe(VISUAL_COSTS.hyphen);
    for (const cheap of ["spiegell", "sppiegel", "spie-gel"]) {
      expect(visualDistance("spiegel", cheap)).toBeLessThan(plainInsert);
    }
  });

  it("charges less for swapped neighbours than for a plain substitution", () => {
    expect(visualDistance("spiegel", "sipegel")).toBe(VISUAL_COSTS.transposition);
    expect(VISUAL_COSTS.transposition).toBeLessThan(1);
  });

  it("charges more for dropping the brand's last letter than an inner one", () => {
    const inner = visualDistance("spiegel", "spegel");
    expect(inner).toBe(1);
    expect(visualDistance("spiegel", "spiege")).toBe(VISUAL_COSTS.lastLetterDeletion);
    expect(visualDistance("spiegel", "spiege")).toBeGreaterThan(inner);
    expect(visualDistance("mountain", "mountai")).toBeGreaterThan(
      visualDistance("mountain", "mountin"),
    );
  });

  it("charges more for a plain change of the first letter than for the last or an inner one", () => {
    expect(VISUAL_COSTS.firstLetter).toBeGreaterThan(VISUAL_COSTS.lastLetterDeletion);
    // replaced, dropped, or a letter put in front
    expect(visualDistance("nbc56", "abc56")).toBe(VISUAL_COSTS.firstLetter);
    expect(visualDistance("krcrtv", "rcrtv")).toBe(VISUAL_COSTS.firstLetter);
    expect(visualDistance("nytimes", "xnytimes")).toBe(VISUAL_COSTS.firstLetter);
    expect(visualDistance("tnonline", "fmonline")).toBe(
      VISUAL_COSTS.firstLetter + VISUAL_COSTS.confusable,
    );
    // the same change one letter in is an ordinary one
    expect(visualDistance("nbc56", "nac56")).toBe(1);
    // a look-alike first letter, or a doubled one, is not a plain change
    expect(visualDistance("lsm", "1sm")).toBe(VISUAL_COSTS.confusable);
    expect(visualDistance("nytimes", "nnytimes")).toBe(VISUAL_COSTS.doubled);
  });

  it("is directional: the brand is the first argument, so it is not symmetric", () => {
    // Dropping the brand's last letter is dear; adding one at the end of a shorter
    // "brand" is an ordinary insertion.
    expect(visualDistance("spiegel", "spiege")).toBe(1.5);
    expect(visualDistance("spiege", "spiegel")).toBe(1);
  });

  it("never exceeds the plain OSA distance by more than the first-letter surcharge (seeded)", () => {
    const rand = prng(42);
    for (let n = 0; n < 1000; n++) {
      const a = randomWord(rand, "ilo0-ab", 8);
      const b = randomWord(rand, "ilo0-ab", 8);
      const v = visualDistance(a, b);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v === 0).toBe(a === b);
      expect(v).toBeLessThanOrEqual(osaDistance(a, b) * VISUAL_COSTS.firstLetter);
    }
  });
});
