import { domainToASCII } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type Finding,
  makeObservation,
  type Observation,
  type WatchlistInput,
  WatchlistSchema,
} from "../../model/index.js";
import { completeIds } from "../../watchlist/index.js";
import { DomainsDetector } from "./domains-detector.js";

const OBSERVED_AT = "2024-05-01T12:00:00.000Z";

const OUTLETS: NonNullable<WatchlistInput["outlets"]> = [
  { name: "Washington Post", domains: ["washingtonpost.com"] },
  { name: "Fox News", domains: ["foxnews.com"] },
  { name: "Der Spiegel", domains: ["spiegel.de"] },
  { name: "Bild", domains: ["bild.de"] },
  { name: "T-Online", domains: ["t-online.de"] },
  { name: "CBS", domains: ["cbs.com"] },
];

function watchlist(input: WatchlistInput = {}) {
  return completeIds(WatchlistSchema.parse({ outlets: OUTLETS, ...input }));
}

function observation(value: string, source = `test:${value}`): Observation {
  return makeObservation({ kind: "domain", value, source, observedAt: OBSERVED_AT });
}

function detectOne(detector: DomainsDetector, value: string): Finding[] {
  const result = detector.detect([observation(value)]);
  expect(result.problems).toEqual([]);
  return result.findings;
}

/** The single finding for `value`, which must exist. */
function finding(detector: DomainsDetector, value: string): Finding {
  const findings = detectOne(detector, value);
  expect(findings.length, `findings for ${value}`).toBeGreaterThan(0);
  return findings[0] as Finding;
}

const detector = new DomainsDetector(watchlist());

describe("DomainsDetector", () => {
  it("flags the Doppelganger pattern washingtonpost.pm as a TLD swap of the Post", () => {
    const f = finding(detector, "washingtonpost.pm");
    expect(f.kind).toBe("domain-lookalike");
    expect(f.subject).toBe("washingtonpost.pm");
    expect(f.target).toEqual({ type: "outlet", id: "washington-post", name: "Washington Post" });
    expect(f.reasons[0]?.rule).toBe("tld-swap");
    expect(f.score).toBeGreaterThanOrEqual(0.9);
    expect(f.severity).toBe("high");
    expect(f.techniques).toContainEqual(
      expect.objectContaining({ framework: "DISARM", id: "T0149.003" }),
    );
    expect(f.techniques).toContainEqual(
      expect.objectContaining({ framework: "ATT&CK", id: "T1583.001" }),
    );
    for (const reason of f.reasons) {
      expect(typeof reason.weight).toBe("number");
      expect(reason.explanation.length).toBeGreaterThan(0);
      expect(reason.feature.length).toBeGreaterThan(0);
    }
    expect(f.reasons[0]?.weight).toBeGreaterThan(0);
    expect(f.evidence).toContainEqual(
      expect.objectContaining({ type: "protected-domain", value: "washingtonpost.com" }),
    );
    expect(f.detector).toBe("domains");
    expect(f.observedAt).toBe(OBSERVED_AT);
    expect(f.observationIds).toEqual([observation("washingtonpost.pm").id]);
  });

  it("reads URLs and upper case like the bare name", () => {
    const f = finding(detector, "https://WashingtonPost.PM/world/2024/story.html");
    expect(f.subject).toBe("washingtonpost.pm");
    expect(f.reasons[0]?.rule).toBe("tld-swap");
  });

  it("flags fox-news.in as a hyphenation of Fox News", () => {
    const f = finding(detector, "fox-news.in");
    expect(f.target?.name).toBe("Fox News");
    expect(f.reasons[0]?.rule).toBe("hyphenation");
  });

  it("flags a hyphen dropped from the brand (tonline.de for t-online.de)", () => {
    const f = finding(detector, "tonline.de");
    expect(f.target?.name).toBe("T-Online");
    expect(f.reasons[0]?.rule).toBe("hyphenation");
  });

  it("flags foxnews-live.com as the brand with added words", () => {
    const f = finding(detector, "foxnews-live.com");
    expect(f.target?.name).toBe("Fox News");
    expect(f.reasons[0]?.rule).toBe("brand-with-words");
  });

  it("flags a confusable-letter typo as a homoglyph (spiegei.lol)", () => {
    const f = finding(detector, "spiegei.lol");
    expect(f.target?.name).toBe("Der Spiegel");
    expect(f.reasons[0]?.rule).toBe("homoglyph");
    expect(f.score).toBeGreaterThanOrEqual(0.8);
  });

  it("flags spiegell.lol against Der Spiegel as a repetition typo", () => {
    const f = finding(detector, "spiegell.lol");
    expect(f.target?.name).toBe("Der Spiegel");
    expect(f.reasons[0]?.rule).toBe("repetition");
  });

  it("scores a confusable swap above a plain letter swap of the same brand", () => {
    const confusable = finding(detector, "spiegei.lol").score;
    const plain = detectOne(detector, "spiegex.lol")[0]?.score ?? 0;
    expect(confusable).toBeGreaterThan(plain);
  });

  describe("IDN homoglyphs", () => {
    // "а" is CYRILLIC SMALL LETTER A (U+0430), not Latin a.
    const unicode = "wаshingtonpost.com";
    const punycode = domainToASCII(unicode);

    it("the test input really is a non-Latin spelling", () => {
      expect(unicode).not.toBe("washingtonpost.com");
      expect(punycode).toMatch(/^xn--/);
    });

    it.each([
      ["Unicode", unicode],
      ["punycode", punycode],
    ])(
      "flags the %s form as an IDN homoglyph and shows the Unicode in the evidence",
      (_, value) => {
        const f = finding(detector, value);
        expect(f.subject).toBe(punycode);
        expect(f.target?.name).toBe("Washington Post");
        expect(f.reasons[0]?.rule).toBe("idn-homoglyph");
        expect(f.score).toBeGreaterThanOrEqual(0.9);
        const candidate = f.evidence.find((e) => e.type === "candidate-domain");
        expect(candidate?.value).toBe(punycode);
        expect(candidate?.note).toContain(unicode);
      },
    );

    it("gives the Unicode and punycode forms the same finding id", () => {
      expect(finding(detector, unicode).id).toBe(finding(detector, punycode).id);
    });

    it("flags Greek homoglyphs too (fοxnews with omicron)", () => {
      const f = finding(detector, "fοxnews.com");
      expect(f.target?.name).toBe("Fox News");
      expect(f.reasons[0]?.rule).toBe("idn-homoglyph");
    });
  });

  describe("never flags what the watchlist owns or allows", () => {
    it.each([
      "washingtonpost.com",
      "www.washingtonpost.com",
      "WWW.WashingtonPost.com.",
      "https://www.washingtonpost.com/politics/",
      "live.foxnews.com",
      "edition.spiegel.de",
      "t-online.de",
      "cbs.com",
    ])("%s", (value) => {
      expect(detectOne(detector, value)).toEqual([]);
    });

    it("allow-listed domains and their subdomains", () => {
      const allowing = new DomainsDetector(
        watchlist({ settings: { domains: { allow: ["washingtonpost.pm", "fox-news.in"] } } }),
      );
      expect(detectOne(allowing, "washingtonpost.pm")).toEqual([]);
      expect(detectOne(allowing, "www.washingtonpost.pm")).toEqual([]);
      expect(detectOne(allowing, "fox-news.in")).toEqual([]);
      // Allowing one name does not allow its neighbours.
      expect(detectOne(allowing, "washingtonpost.ltd")).not.toEqual([]);
    });

    it("an organisation's domains", () => {
      const owning = new DomainsDetector(
        watchlist({ organisations: [{ name: "WP Company", domains: ["washingtonpost.pm"] }] }),
      );
      expect(detectOne(owning, "washingtonpost.pm")).toEqual([]);
    });
  });

  describe("thresholds", () => {
    it("respects a per-outlet threshold over the global one", () => {
      // bild.news is a TLD swap of a four-letter brand: flagged at the default 0.5.
      expect(finding(detector, "bild.news").score).toBeLessThan(0.8);
      const strict = new DomainsDetector(
        watchlist({
          outlets: OUTLETS.map((o) => (o.name === "Bild" ? { ...o, threshold: 0.8 } : o)),
        }),
      );
      expect(detectOne(strict, "bild.news")).toEqual([]);
      // Other outlets keep the global threshold.
      expect(detectOne(strict, "washingtonpost.pm")).not.toEqual([]);
    });

    it("respects a per-outlet threshold below the global one", () => {
      const strictGlobal = watchlist({ settings: { domains: { threshold: 0.99 } } });
      expect(detectOne(new DomainsDetector(strictGlobal), "foxnews.net")).toEqual([]);
      const foxLoose = watchlist({
        outlets: OUTLETS.map((o) => (o.name === "Fox News" ? { ...o, threshold: 0.5 } : o)),
        settings: { domains: { threshold: 0.99 } },
      });
      expect(detectOne(new DomainsDetector(foxLoose), "foxnews.net")).not.toEqual([]);
    });
  });

  it("trusts a short brand less: cbs.net scores below washingtonpost.net", () => {
    const cbs = finding(detector, "cbs.net");
    const post = finding(detector, "washingtonpost.net");
    expect(cbs.target?.name).toBe("CBS");
    expect(cbs.score).toBeLessThan(post.score);
    expect(cbs.reasons).toContainEqual(
      expect.objectContaining({ rule: "short-brand", weight: expect.any(Number) }),
    );
    expect(cbs.reasons.find((r) => r.rule === "short-brand")?.weight).toBeLessThan(0);
  });

  it("counts against a candidate under a registry-restricted suffix (foxnews.gov)", () => {
    // At the default threshold the penalty keeps it out altogether.
    expect(detectOne(detector, "foxnews.gov")).toEqual([]);
    const loose = new DomainsDetector(watchlist({ settings: { domains: { threshold: 0.1 } } }));
    const gov = finding(loose, "foxnews.gov");
    const net = finding(loose, "foxnews.net");
    const restricted = gov.reasons.find((r) => r.rule === "restricted-suffix");
    expect(restricted?.weight).toBeLessThan(0);
    expect(gov.score).toBeLessThan(net.score);
    expect(net.reasons.map((r) => r.rule)).not.toContain("restricted-suffix");
    for (const value of ["foxnews.mil", "foxnews.edu", "foxnews.gov.uk", "foxnews.ca.us"]) {
      expect(finding(loose, value).reasons.map((r) => r.rule)).toContain("restricted-suffix");
    }
  });

  it("gives stable finding ids across detector instances, distinct per outlet", () => {
    const again = new DomainsDetector(watchlist());
    const input = ["washingtonpost.pm", "fox-news.in", "foxnews-spiegel.com"];
    const first = detector.detect(input.map((v) => observation(v)));
    const second = again.detect(input.map((v) => observation(v, "another source")));
    expect(second.findings.map((f) => f.id)).toEqual(first.findings.map((f) => f.id));

    const both = first.findings.filter((f) => f.subject === "foxnews-spiegel.com");
    expect(new Set(both.map((f) => f.target?.name))).toEqual(new Set(["Fox News", "Der Spiegel"]));
    expect(new Set(both.map((f) => f.id)).size).toBe(2);
    expect(new Set(first.findings.map((f) => f.id)).size).toBe(first.findings.length);
  });

  it("reports an invalid observation as a problem and goes on with the rest", () => {
    const bad = [
      observation("not a domain", "line 1"),
      observation("x".repeat(10_000), "line 2"),
      observation("192.168.1.1", "line 3"),
      observation("-foxnews.com", "line 4"),
      observation("washingtonpost.pm", "line 5"),
    ];
    let result: ReturnType<DomainsDetector["detect"]> | undefined;
    expect(() => {
      result = detector.detect(bad);
    }).not.toThrow();
    expect(result?.problems.map((p) => p.item)).toEqual(["line 1", "line 2", "line 3", "line 4"]);
    for (const problem of result?.problems ?? []) {
      expect(problem.code).toBe("VIGIL_ERR_INPUT_DOMAIN");
      expect(problem.message.length).toBeGreaterThan(0);
    }
    expect(result?.findings.map((f) => f.subject)).toEqual(["washingtonpost.pm"]);
  });

  it("finds nothing in ordinary unrelated names", () => {
    for (const value of ["example.com", "wikipedia.org", "kernel.org", "bildung.de"]) {
      expect(detectOne(detector, value)).toEqual([]);
    }
  });

  it("explains every score: the reasons' weights add up to it", () => {
    const loose = new DomainsDetector(watchlist({ settings: { domains: { threshold: 0 } } }));
    const values = [
      "washingtonpost.pm",
      "fox-news.in",
      "foxnews-live.com",
      "spiegell.lol",
      "spiegei.lol",
      "wаshingtonpost.com",
      "cbs.net",
      "bild.news",
      "foxnews.gov",
      "tonline.de",
      "foxnews-spiegel.com",
    ];
    const { findings } = loose.detect(values.map((v) => observation(v)));
    expect(findings.length).toBeGreaterThanOrEqual(values.length);
    for (const f of findings) {
      const sum = f.reasons.reduce((total, r) => total + r.weight, 0);
      expect(Math.abs(sum - f.score), `${f.subject}: ${JSON.stringify(f.reasons)}`).toBeLessThan(
        0.0025,
      );
    }
  });
});

describe("issue 4 rules, one hand-written case each", () => {
  it.each([
    ["washingtonpost.com.co", "tld-swap"],
    ["washingtonpost-com.info", "suffix-in-label"],
    ["washingtonpostcom.net", "suffix-in-label"],
    ["washngtonpost.com", "omission"],
    ["washingtonposts.com", "insertion"],
    ["wasshingtonpost.com", "repetition"],
    ["wahsingtonpost.com", "transposition"],
    ["washingtanpost.com", "vowel-swap"],
    ["foxnewa.com", "keyboard"],
    ["fox-news.in", "hyphenation"],
    ["foxnevvs.com", "homoglyph"],
    ["f0xnews.com", "homoglyph"],
    ["foxnews-live.com", "brand-with-words"],
    ["washingtonpost.com.example.net", "brand-in-subdomain"],
    ["www-foxnews.example.org", "brand-in-subdomain"],
    ["was.hingtonpost.com", "dot-insertion"],
    ["vvashimgtompost.com", "homoglyph"], // vv for w and m for n twice
    ["washingƫonpost.com", "idn-homoglyph"], // U+01AB, which UTS #39 leaves alone
    ["wаshingtonpoxt.com", "idn-homoglyph"], // Cyrillic а plus a typo
  ])("%s → %s", (value, rule) => {
    const f = finding(detector, value);
    expect(f.reasons[0]?.rule, JSON.stringify(f.reasons)).toBe(rule);
    expect(f.score).toBeGreaterThanOrEqual(0.5);
    expect(f.reasons[0]?.explanation.length).toBeGreaterThan(20);
  });

  it("flags a bit flip of a longer brand as bitsquatting", () => {
    // "w" is 0x77, "v" 0x76: one bit apart.
    const f = finding(detector, "vashingtonpost.com");
    expect(f.reasons[0]?.rule).toBe("bitsquatting");
  });

  it("scores the whole protected domain in a subdomain above a bare word", () => {
    const whole = finding(detector, "foxnews.com.example.net").score;
    const word = finding(detector, "foxnews.example.net").score;
    expect(whole).toBeGreaterThan(word);
  });
});

describe("known legitimate domains", () => {
  const known = new DomainsDetector(
    watchlist({
      settings: { domains: { threshold: 0.5, allow: [], known: ["foxnewsclub.com"] } },
    }),
  );

  it("scores a listed domain down with a known-legitimate reason, without hiding it", () => {
    const plain = finding(detector, "washingtonpost.pm").score;
    const listed = new DomainsDetector(
      watchlist({
        settings: { domains: { threshold: 0, allow: [], known: ["washingtonpost.pm"] } },
      }),
    );
    const f = finding(listed, "washingtonpost.pm");
    expect(f.reasons.map((r) => r.rule)).toContain("known-legitimate");
    expect(f.score).toBeCloseTo(plain - 0.4, 3);
  });

  it("drops below the default threshold when the rest of the evidence is not strong", () => {
    expect(detectOne(known, "foxnewsclub.com")).toEqual([]);
    expect(detectOne(known, "foxnewsclub.net")).toHaveLength(1);
  });
});

describe("three-letter brands", () => {
  it("are matched one edit away, but only reported when the threshold is lowered", () => {
    expect(detectOne(detector, "cbs0.com")).toEqual([]);
    const everything = new DomainsDetector(
      watchlist({ settings: { domains: { threshold: 0, allow: [], known: [] } } }),
    );
    const f = finding(everything, "cbs0.com");
    expect(f.target?.name).toBe("CBS");
    expect(f.reasons[0]?.rule).toBe("insertion");
    expect(f.score).toBeLessThan(0.5);
  });
});

describe("evidence against a lookalike, one hand-written case each", () => {
  const outlets: NonNullable<WatchlistInput["outlets"]> = [
    { name: "Le Monde", domains: ["lemonde.fr"] },
    { name: "Le Point", domains: ["lepoint.fr"] },
    { name: "Stream", domains: ["stream.org"] },
    { name: "News 10", domains: ["news10.net"] },
    { name: "Bdt Online", domains: ["bdtonline.com"] },
    { name: "Washington Post", domains: ["washingtonpost.com"] },
    { name: "RBC-Ukraine (RBK)", domains: ["rbc.ua"] },
    { name: "Tagesschau", aliases: ["ARD Tagesschau"], domains: ["tagesschau.de"] },
    { name: "Forbes", domains: ["forbes.com"] },
    { name: "New York Times", domains: ["nytimes.com"] },
    { name: "LIC Journal", domains: ["licjournal.com"] },
    { name: "Daily Mail", domains: ["dailymail.co.uk"] },
    { name: "Cleveland.com", domains: ["cleveland.com"] },
    { name: "KRCR", domains: ["krcrtv.com"] },
    { name: "NBC 56", domains: ["nbc56.com"] },
  ];
  const loose = new DomainsDetector(
    completeIds(WatchlistSchema.parse({ outlets, settings: { domains: { threshold: 0 } } })),
  );
  const strict = new DomainsDetector(completeIds(WatchlistSchema.parse({ outlets })));
  const top = (value: string) => finding(loose, value);
  const rules = (f: Finding) => f.reasons.map((r) => r.rule);

  it.each([
    ["lemonade.com", "ordinary-word"], // an English word one letter from lemonde
    ["cradlepoint.com", "inside-word"], // lepoint inside "cradle…"
    ["play-stream.com", "word-brand"], // the brand is an ordinary word
    ["news18.com", "other-number"], // another channel, not a typo
    ["optonline.net", "two-edits"], // two plain changes from bdtonline
    ["forbesimg.com", "infrastructure-words"], // a host for the outlet's pictures
    ["nytimes-cdn.net", "infrastructure-words"],
    ["staticimgnytimes.com", "infrastructure-words"], // two such words run together
    ["livejournal.com", "ordinary-word"], // live + journal, beside licjournal
    ["clevelandclinic.org", "word-brand"], // the brand is a place name
  ])("%s is cut by %s and not reported at the default threshold", (value, rule) => {
    expect(rules(top(value))).toContain(rule);
    expect(detectOne(strict, value)).toEqual([]);
  });

  it("explains words run together and a place name as such", () => {
    const words = top("livejournal.com").reasons.find((r) => r.rule === "ordinary-word");
    expect(words?.feature).toBe(
      '"livejournal" reads as the English words "live", "journal", "licjournal" does not',
    );
    const place = top("clevelandclinic.org").reasons.find((r) => r.rule === "word-brand");
    expect(place?.feature).toBe('the brand "cleveland" is a place name');
  });

  it("does not excuse words run together when the brand is words too (dailymall)", () => {
    const f = finding(strict, "dailymall.com");
    expect(f.target?.name).toBe("Daily Mail");
    expect(rules(f)).not.toContain("ordinary-word");
  });

  it("counts a plain change of the first letter dearer than one inside the name", () => {
    // Readers identify a word by its first letter: rcrtv and abc56 do not pass for
    // krcrtv and nbc56, while krcrv and nbc5b might.
    expect(detectOne(strict, "rcrtv.com")).toEqual([]);
    expect(detectOne(strict, "abc56.net")).toEqual([]);
    expect(top("rcrtv.com").score).toBeLessThan(top("krcrv.com").score);
    expect(finding(strict, "krcrv.com").target?.name).toBe("KRCR");
    // A look-alike first letter is still cheap, and a long brand still flagged.
    expect(finding(strict, "1emonde.com").target?.name).toBe("Le Monde");
    expect(finding(detector, "goxnews.com").target?.name).toBe("Fox News");
  });

  it("scores down names under suffixes that only admit organisations registered there", () => {
    for (const value of ["nytimes.com.au", "nytimes.co.jp"]) {
      const f = top(value);
      const reason = f.reasons.find((r) => r.rule === "local-registrant-suffix");
      expect(reason?.weight, value).toBe(-0.3);
      expect(f.score, value).toBeCloseTo(0.95 - 0.3, 3);
    }
    expect(rules(top("nytimes.jp"))).not.toContain("local-registrant-suffix");
  });

  it("does not cut two cheap visual changes (vv for w, m for n)", () => {
    const f = finding(strict, "vvashimgtonpost.com");
    expect(rules(f)).not.toContain("two-edits");
  });

  it("does not count media, video or news words as infrastructure", () => {
    for (const value of ["forbesmedia.com", "nytimes-video.com", "nytimes-cdn-news.com"]) {
      expect(rules(top(value)), value).not.toContain("infrastructure-words");
      expect(detectOne(strict, value), value).not.toEqual([]);
    }
  });

  it("does not cut a brand standing at a word boundary (lepoint-news)", () => {
    expect(rules(top("lepoint-news.com"))).not.toContain("inside-word");
  });

  it("matches an outlet's short form given in brackets or as an alias", () => {
    const rbk = finding(strict, "rbk.media");
    expect(rbk.target?.name).toBe("RBC-Ukraine (RBK)");
    expect(rbk.reasons[0]?.rule).toBe("outlet-name");
    const alias = finding(strict, "ardtagesschau.online");
    expect(alias.target?.name).toBe("Tagesschau");
  });

  it("keeps the weights of every cut adding up to the score", () => {
    for (const value of [
      "lemonade.com",
      "cradlepoint.com",
      "news18.com",
      "optonline.net",
      "forbesimg.com",
      "livejournal.com",
      "clevelandclinic.org",
      "nytimes.com.au",
    ]) {
      const f = top(value);
      const sum = f.reasons.reduce((total, r) => total + r.weight, 0);
      expect(Math.abs(sum - f.score), value).toBeLessThan(0.0025);
    }
  });
});
