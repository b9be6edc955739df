import { describe, expect, it } from "vitest";
import { prng } from "../../../test/support/random.js";
import { DeletionIndex, deletions, forEachDeletionHash, hashString } from "./deletion-index.js";
import { osaDistance } from "./edit-distance.js";

const ALPHABET = "abcde-";

function randomWord(rand: () => number, minLength: number, maxLength: number): string {
  const length = minLength + Math.floor(rand() * (maxLength - minLength + 1));
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return out;
}

/** Up to `edits` random insertions, deletions, substitutions or swaps of `word`. */
function mutate(rand: () => number, word: string, edits: number): string {
  let w = word;
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(rand() * (w.length + 1));
    const ch = ALPHABET[Math.floor(rand() * ALPHABET.length)] as string;
    switch (Math.floor(rand() * 4)) {
      case 0:
        w = w.slice(0, i) + ch + w.slice(i);
        break;
      case 1:
        w = w.slice(0, i) + w.slice(i + 1);
        break;
      case 2:
        w = w.slice(0, i) + ch + w.slice(i + 1);
        break;
      default:
        if (i + 1 < w.length) w = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
    }
  }
  return w;
}

describe("deletions", () => {
  it("holds the word and every string with up to `depth` characters removed", () => {
    expect([...deletions("abc", 1)].sort()).toEqual(["ab", "abc", "ac", "bc"]);
    expect(deletions("abc", 2)).toEqual(new Set(["abc", "ab", "ac", "bc", "a", "b", "c"]));
    expect(deletions("abc", 0)).toEqual(new Set(["abc"]));
  });
});

describe("DeletionIndex", () => {
  it("finds brands one typo away", () => {
    const index = new DeletionIndex(["spiegel", "foxnews", "washingtonpost"], 2);
    expect(index.candidates("spigel")).toContain("spiegel");
    expect(index.candidates("sipegel")).toContain("spiegel");
    expect(index.candidates("foxnevvs")).toContain("foxnews");
    expect(index.candidates("washingtnopost")).toContain("washingtonpost");
    expect(index.candidates("zzzzzz").size).toBe(0);
  });

  it("stores each word once however often it is given", () => {
    const once = new DeletionIndex(["spiegel"], 1);
    const thrice = new DeletionIndex(["spiegel", "spiegel", "spiegel"], 1);
    expect(thrice.size).toBe(once.size);
    expect([...thrice.candidates("spiegel")]).toEqual(["spiegel"]);
  });

  it("returns every word within OSA distance ≤ maxDeletes among its candidates (seeded)", () => {
    const rand = prng(7);
    for (let round = 0; round < 30; round++) {
      const maxDeletes = round % 3 === 0 ? 1 : 2;
      const words = Array.from({ length: 60 }, () => randomWord(rand, 1, 14));
      const index = new DeletionIndex(words, maxDeletes);
      for (let q = 0; q < 60; q++) {
        // Half the queries are near a stored word, half are arbitrary.
        const query =
          q % 2 === 0
            ? mutate(rand, words[Math.floor(rand() * words.length)] as string, maxDeletes)
            : randomWord(rand, 0, 16);
        const found = index.candidates(query);
        for (const word of words) {
          if (osaDistance(word, query) <= maxDeletes) {
            expect(found, `${word} for query ${query}`).toContain(word);
          }
        }
      }
    }
  });
});

describe("DeletionIndex gating", () => {
  it("still reports every word sharing a deletion with the query when the start and end gates cut probes (seeded)", () => {
    const rand = prng(0x6a7e);
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const word = (min: number, max: number) => {
      const length = min + Math.floor(rand() * (max - min + 1));
      let out = "";
      for (let i = 0; i < length; i++) out += letters[Math.floor(rand() * letters.length)];
      return out;
    };
    for (let round = 0; round < 20; round++) {
      const depth = round % 4 === 0 ? 1 : 2;
      const words = Array.from({ length: 80 }, () => word(5, 16));
      const index = new DeletionIndex(words, depth);
      const keysOf = new Map(words.map((w) => [w, deletions(w, depth)]));
      for (let q = 0; q < 80; q++) {
        // Letters inserted near either end change the first or last four letters of the
        // keys: the gated paths.
        const base = words[Math.floor(rand() * words.length)] as string;
        const insert = (w: string, from: number, to: number) => {
          const at = from + Math.floor(rand() * (to - from + 1));
          return `${w.slice(0, at)}${letters[Math.floor(rand() * letters.length)]}${w.slice(at)}`;
        };
        const twice = (from: (w: string) => number, to: (w: string) => number) => {
          const once = insert(base, from(base), to(base));
          return depth === 1 ? once : insert(once, from(once), to(once));
        };
        const query = [
          () =>
            twice(
              () => 0,
              (w) => w.length,
            ),
          () =>
            twice(
              () => 0,
              () => 6,
            ),
          () =>
            twice(
              (w) => Math.max(0, w.length - 6),
              (w) => w.length,
            ),
          () => word(3, 18),
        ][q % 4]?.() as string;
        const probes = deletions(query, depth);
        const found = index.candidates(query);
        for (const [w, keys] of keysOf) {
          if ([...keys].some((k) => probes.has(k))) expect(found, `${w} for ${query}`).toContain(w);
        }
      }
    }
  });
});

describe("forEachDeletionHash", () => {
  it("visits exactly the hashes of the deletion neighbourhood", () => {
    const next = prng(0xde1e7e);
    for (let round = 0; round < 300; round++) {
      const length = 1 + Math.floor(next() * 14);
      let word = "";
      for (let i = 0; i < length; i++) word += "abcde-1"[Math.floor(next() * 7)];
      for (const depth of [0, 1, 2]) {
        const seen = new Set<number>();
        forEachDeletionHash(word, depth, (h) => seen.add(h));
        const expected = new Set([...deletions(word, depth)].map(hashString));
        expect(seen, `${word} depth ${depth}`).toEqual(expected);
      }
    }
  });
});
