import { describe, expect, it } from "vitest";
import { prng } from "../../test/support/random.js";
import { HANDLE_TRICKS, trickHandle } from "./handle-tricks.js";
import { paraphrase } from "./paraphrase.js";
import { SeededRandom } from "./seeded-random.js";
import { CAMPAIGN_SEEDS } from "./social-vocabulary.js";

/** Jaccard similarity of the sets of character 4-grams, lower-cased, letters only. */
function similarity(a: string, b: string): number {
  const grams = (s: string) => {
    const t = s.toLowerCase().replace(/[^\p{L}]+/gu, " ");
    const out = new Set<string>();
    for (let i = 0; i + 4 <= t.length; i++) out.add(t.slice(i, i + 4));
    return out;
  };
  const x = grams(a);
  const y = grams(b);
  let both = 0;
  for (const g of x) if (y.has(g)) both++;
  return both / (x.size + y.size - both);
}

describe("paraphrase", () => {
  it("varies copies of a seed text that stay near-duplicates of it, in every language", () => {
    const random = new SeededRandom(11);
    for (const [language, seeds] of Object.entries(CAMPAIGN_SEEDS)) {
      for (const seed of seeds) {
        const copies = Array.from({ length: 20 }, () =>
          paraphrase(seed, language as keyof typeof CAMPAIGN_SEEDS, random),
        );
        expect(new Set(copies).size, seed).toBeGreaterThan(10);
        const scores = copies.map((copy) => similarity(seed, copy)).sort((x, y) => x - y);
        // Most copies are close to the seed; a short seed with several swaps drifts further
        // (most of all in Chinese, where every swap changes several 4-grams of few).
        expect(scores[0], seed).toBeGreaterThan(0.15);
        expect(scores[scores.length >> 1], seed).toBeGreaterThan(0.55);
      }
    }
  });
});

describe("trickHandle", () => {
  it("makes a handle that differs from the original with every trick", () => {
    const random = new SeededRandom(5);
    for (const handle of ["danawhitfield", "priya_raman", "x", "tlindqvist"]) {
      for (const trick of HANDLE_TRICKS) {
        for (let i = 0; i < 20; i++) expect(trickHandle(handle, trick, random)).not.toBe(handle);
      }
    }
    expect(trickHandle("danawhitfield", "added-prefix", new SeededRandom(1))).toMatch(
      /^(real_?|the|iam|its|official_)danawhitfield$/,
    );
  });
});

describe("SeededRandom", () => {
  it("draws the tests' mulberry32 sequence, and forks repeatably", () => {
    const ours = new SeededRandom(0x5eed);
    const theirs = prng(0x5eed);
    for (let i = 0; i < 100; i++) expect(ours.next()).toBe(theirs());
    const a = new SeededRandom(3).fork("posts");
    const b = new SeededRandom(3).fork("posts");
    const c = new SeededRandom(3).fork("accounts");
    const draws = (r: SeededRandom) => Array.from({ length: 5 }, () => r.next());
    expect(draws(a)).toEqual(draws(b));
    expect(draws(new SeededRandom(3).fork("posts"))).not.toEqual(draws(c));
  });
});
