import { describe, expect, it } from "vitest";
import { prng } from "../../../test/support/random.js";
import { HashFilter } from "./hash-filter.js";

describe("HashFilter", () => {
  const next = prng(0xf17e);
  const random32 = () => Math.floor(next() * 2 ** 32) >>> 0;
  const keys = Array.from({ length: 20_000 }, random32);
  const filter = new HashFilter(keys);

  it("answers maybe for every key added", () => {
    for (const key of keys) expect(filter.has(key)).toBe(true);
  });

  it("lets about one absent key in fifty through at 16 bits a key", () => {
    const added = new Set(keys);
    let passed = 0;
    let asked = 0;
    for (let i = 0; i < 100_000; i++) {
      const h = random32();
      if (added.has(h)) continue;
      asked++;
      if (filter.has(h)) passed++;
    }
    expect(passed / asked).toBeLessThan(0.03);
  });

  it("holds at least 16 bits a key", () => {
    expect(filter.bytes * 8).toBeGreaterThanOrEqual(keys.length * 16);
  });
});
