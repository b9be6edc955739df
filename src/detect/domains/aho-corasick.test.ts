import { describe, expect, it } from "vitest";
import { prng } from "../../../test/support/random.js";
import { AhoCorasick, type AhoCorasickHit } from "./aho-corasick.js";

function randomString(rand: () => number, alphabet: readonly string[], maxLength: number): string {
  const length = Math.floor(rand() * (maxLength + 1));
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

/** Every occurrence of every distinct pattern, found with `indexOf`. */
function naive(patterns: readonly string[], text: string): AhoCorasickHit[] {
  const hits: AhoCorasickHit[] = [];
  for (const pattern of new Set(patterns)) {
    if (pattern === "") continue;
    for (let at = text.indexOf(pattern); at >= 0; at = text.indexOf(pattern, at + 1)) {
      hits.push({ pattern, end: at + pattern.length });
    }
  }
  return sorted(hits);
}

function sorted(hits: readonly AhoCorasickHit[]): AhoCorasickHit[] {
  return [...hits].sort((x, y) => x.end - y.end || x.pattern.localeCompare(y.pattern));
}

describe("AhoCorasick", () => {
  it("finds a brand inside a longer label, with the index after it", () => {
    const ac = new AhoCorasick(["foxnews", "spiegel"]);
    expect(ac.search("breakingfoxnewslive")).toEqual([{ pattern: "foxnews", end: 15 }]);
  });

  it("finds overlapping occurrences and overlapping patterns", () => {
    const ac = new AhoCorasick(["aa", "abc", "bcd"]);
    expect(sorted(ac.search("aaabcd"))).toEqual([
      { pattern: "aa", end: 2 },
      { pattern: "aa", end: 3 },
      { pattern: "abc", end: 5 },
      { pattern: "bcd", end: 6 },
    ]);
  });

  it("reports a pattern that is a suffix of another at the same place", () => {
    const ac = new AhoCorasick(["washingtonpost", "post", "tonpost"]);
    expect(sorted(ac.search("washingtonpost"))).toEqual([
      { pattern: "post", end: 14 },
      { pattern: "tonpost", end: 14 },
      { pattern: "washingtonpost", end: 14 },
    ]);
  });

  it("reports a pattern reached only through a failure link", () => {
    // "she" fails over to "he" and must still report "he".
    const ac = new AhoCorasick(["he", "she", "his", "hers"]);
    expect(sorted(ac.search("ushers"))).toEqual([
      { pattern: "he", end: 4 },
      { pattern: "she", end: 4 },
      { pattern: "hers", end: 6 },
    ]);
  });

  it("finds nothing when no pattern occurs, including near misses", () => {
    const ac = new AhoCorasick(["spiegel", "foxnews"]);
    expect(ac.search("spiegexfoxnew")).toEqual([]);
    expect(ac.search("")).toEqual([]);
    expect(new AhoCorasick([]).search("anything")).toEqual([]);
  });

  it("ignores empty and duplicate patterns", () => {
    const ac = new AhoCorasick(["", "bild", "bild"]);
    expect(ac.search("bildbild")).toEqual([
      { pattern: "bild", end: 4 },
      { pattern: "bild", end: 8 },
    ]);
  });

  it("counts `end` in UTF-16 units, like String indices, across astral characters", () => {
    const ac = new AhoCorasick(["😀a", "b"]);
    const text = "x😀ab";
    expect(sorted(ac.search(text))).toEqual([
      { pattern: "😀a", end: 4 },
      { pattern: "b", end: 5 },
    ]);
    expect(text.slice(4 - "😀a".length, 4)).toBe("😀a");
  });

  it("agrees with an indexOf loop on random texts and patterns (seeded)", () => {
    const rand = prng(20240601);
    const alphabets: string[][] = [
      ["a", "b"],
      ["a", "b", "c"],
      ["a", "-", "😀"],
    ];
    for (let round = 0; round < 500; round++) {
      const alphabet = alphabets[round % alphabets.length] as string[];
      const patterns = Array.from({ length: 1 + Math.floor(rand() * 8) }, () =>
        randomString(rand, alphabet, 5),
      );
      const ac = new AhoCorasick(patterns);
      for (let t = 0; t < 5; t++) {
        const text = randomString(rand, alphabet, 40);
        expect(sorted(ac.search(text))).toEqual(naive(patterns, text));
      }
    }
  });
});

describe("AhoCorasick with more states than two bytes hold", () => {
  it("finds the same occurrences as an indexOf loop (seeded)", () => {
    const next = prng(0xac32);
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const word = (n: number) =>
      Array.from({ length: n }, () => letters[Math.floor(next() * letters.length)]).join("");
    // Over 65,535 states: the transition table needs four bytes a transition.
    const patterns = Array.from({ length: 9_000 }, () => word(16));
    const automaton = new AhoCorasick(patterns);
    expect(automaton.states).toBeGreaterThan(0xffff);
    for (let t = 0; t < 200; t++) {
      const source = patterns[Math.floor(next() * patterns.length)] as string;
      const text = `${word(3)}${source}${word(4)}`;
      const expected = patterns.flatMap((p) =>
        text.includes(p) ? [{ pattern: p, end: text.indexOf(p) + p.length }] : [],
      );
      const found = automaton.search(text).map((h) => ({ pattern: h.pattern, end: h.end }));
      expect(found).toEqual(expect.arrayContaining(expected));
      expect(found.some((h) => h.pattern === source)).toBe(true);
    }
  });
});
