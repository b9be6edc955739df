import { describe, expect, it } from "vitest";
import { type Finding, makeObservation, parseDomain, WatchlistSchema } from "../../model/index.js";
import { completeIds } from "../../watchlist/index.js";
import { DomainsDetector } from "./domains-detector.js";
import { PERMUTATION_RULES, permute } from "./permutations.js";

const detector = new DomainsDetector(
  completeIds(
    WatchlistSchema.parse({
      outlets: [
        { name: "Washington Post", domains: ["washingtonpost.com"] },
        { name: "Fox News", domains: ["foxnews.com"] },
        { name: "Der Spiegel", domains: ["spiegel.de"] },
        { name: "CNN", domains: ["cnn.com"] },
      ],
    }),
  ),
);

function top(domain: string): Finding | undefined {
  const observation = makeObservation({
    kind: "domain",
    value: domain,
    source: "test",
    observedAt: "2024-08-16T00:00:00.000Z",
  });
  return detector.detect([observation]).findings.sort((a, b) => b.score - a.score)[0];
}

describe("permute", () => {
  const all = permute("washingtonpost.com");

  it("produces every rule, each output a valid domain other than the original", () => {
    const rules = new Set(all.map((p) => p.rule));
    for (const rule of PERMUTATION_RULES) expect(rules, rule).toContain(rule);
    for (const p of all) {
      expect(parseDomain(p.domain).ok, p.domain).toBe(true);
      expect(p.domain).not.toBe("washingtonpost.com");
    }
    expect(new Set(all.map((p) => p.domain)).size).toBe(all.length);
  });

  it("keeps only the rules asked for", () => {
    const swaps = permute("washingtonpost.com", {
      rules: ["tld-swap"],
      tlds: ["pm", "ltd", "com"],
    });
    expect(swaps.map((p) => p.domain).sort()).toEqual(["washingtonpost.ltd", "washingtonpost.pm"]);
    expect(swaps.every((p) => p.rule === "tld-swap")).toBe(true);
  });

  it("gives IDN homoglyphs in punycode with their Unicode form", () => {
    const idn = all.filter((p) => p.rule === "idn-homoglyph");
    expect(idn.length).toBeGreaterThan(5);
    for (const p of idn) {
      expect(p.domain).toMatch(/^xn--/);
      expect(p.unicode).toBeDefined();
    }
  });

  it("refuses what is not a domain", () => {
    expect(() => permute("not a domain")).toThrow(RangeError);
  });

  // Self-consistency: what the generator calls a lookalike, the detector flags, with the
  // right outlet, at the default threshold (brands of 7+ letters; short brands are
  // scored down on purpose, see short-brand).
  it.each(["washingtonpost.com", "foxnews.com", "spiegel.de"])(
    "the detector flags every permutation of %s with the right outlet",
    (domain) => {
      const missed = permute(domain).filter((p) => {
        const f = top(p.domain);
        return f?.evidence.find((e) => e.type === "protected-domain")?.value !== domain;
      });
      expect(missed.map((p) => `${p.domain} (${p.rule})`)).toEqual([]);
    },
  );

  it("flags a short brand with news words (cnn-news.com, cnnbreaking.net)", () => {
    expect(top("cnn-news.com")?.target?.name).toBe("CNN");
    expect(top("cnnbreaking.net")?.target?.name).toBe("CNN");
    expect(top("cnnbreaking.net")?.reasons[0]?.feature).toContain('news word "breaking"');
  });
});
