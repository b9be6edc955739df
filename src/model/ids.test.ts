import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prng } from "../../test/support/random.js";
import { canonicalJson, sha256Hex } from "./ids.js";

/** The definition canonicalJson must keep: JSON.stringify of the value with keys sorted. */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) {
        const inner = (v as Record<string, unknown>)[key];
        if (inner !== undefined) out[key] = sortKeys(inner);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

describe("canonicalJson", () => {
  it("writes what JSON.stringify writes once keys are sorted, on awkward values", () => {
    const values: unknown[] = [
      { b: 1, a: [3, undefined, () => 1, null, 'x\u2028"y'], c: undefined, d: () => 1 },
      [{ z: { y: { x: [] } } }, Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21, true],
      { date: new Date(0), nested: { "": "", é: "é", "1": 1, "10": 2, "2": 3 } },
      "plain",
      42,
      null,
    ];
    for (const value of values) expect(canonicalJson(value)).toBe(reference(value));
  });

  it("agrees with the definition on random nested data (seeded)", () => {
    const rand = prng(61);
    const make = (depth: number): unknown => {
      const r = rand();
      if (depth > 3 || r < 0.3) return [1.5, "s\n", true, null, undefined][Math.floor(rand() * 5)];
      if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => make(depth + 1));
      const out: Record<string, unknown> = {};
      for (let i = 0; i < 4; i++)
        out[String.fromCharCode(97 + Math.floor(rand() * 6))] = make(depth + 1);
      return out;
    };
    for (let k = 0; k < 500; k++) {
      const value = make(0);
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });
});

describe("sha256Hex", () => {
  it("is the hex SHA-256 of the UTF-8 text", () => {
    for (const text of ["", "abc", "é😀"]) {
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text).digest("hex"));
    }
  });
});
