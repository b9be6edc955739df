import { describe, expect, it } from "vitest";
import { PairTable } from "./pair-table.js";

/** The same sums kept in a Map, as the reference. */
function reference(adds: ReadonlyArray<[number, number, number]>) {
  const sums = new Map<string, { weight: number; count: number }>();
  for (const [a, b, w] of adds) {
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    const entry = sums.get(key) ?? { weight: 0, count: 0 };
    entry.weight += w;
    entry.count += 1;
    sums.set(key, entry);
  }
  return sums;
}

function contents(table: PairTable) {
  const out = new Map<string, { weight: number; count: number }>();
  table.forEach((a, b, weight, count) => {
    expect(a).toBeLessThan(b);
    out.set(`${a}:${b}`, { weight, count });
  });
  return out;
}

describe("PairTable", () => {
  it("sums weights and counts per unordered pair, through many growths", () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const adds: Array<[number, number, number]> = [];
    for (let i = 0; i < 50_000; i++) {
      const a = next(3_000);
      let b = next(3_000);
      if (b === a) b = (a + 1) % 3_000;
      adds.push([a, b, (next(100) + 1) / 8]);
    }
    const table = new PairTable(4);
    for (const [a, b, w] of adds) table.add(a, b, w);
    const expected = reference(adds);
    expect(table.size).toBe(expected.size);
    expect(contents(table)).toEqual(expected);
    for (const [key, { weight }] of [...expected].slice(0, 500)) {
      const [a, b] = key.split(":").map(Number) as [number, number];
      expect(table.weight(b, a)).toBe(weight);
    }
    expect(table.weight(1, 1)).toBe(0);
  });

  it("clears to empty and is used again without losing pairs", () => {
    const table = new PairTable(2);
    for (let i = 0; i < 1_000; i++) table.add(i, i + 1, 1);
    table.clear();
    expect(table.size).toBe(0);
    expect(contents(table).size).toBe(0);
    expect(table.weight(0, 1)).toBe(0);
    table.add(5, 2, 0.5);
    table.add(2, 5, 0.25);
    expect(contents(table)).toEqual(new Map([["2:5", { weight: 0.75, count: 2 }]]));
  });

  it("keeps pairs of the largest account numbers exact", () => {
    const table = new PairTable();
    const top = (1 << 26) - 1;
    table.add(top, top - 1, 2);
    table.add(0, top, 3);
    expect(contents(table)).toEqual(
      new Map([
        [`${top - 1}:${top}`, { weight: 2, count: 1 }],
        [`0:${top}`, { weight: 3, count: 1 }],
      ]),
    );
  });
});
