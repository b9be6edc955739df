/**
 * Site rules on hand-made pages: clones of a protected outlet, fake-outlet signs
 * (language-model leftovers, copied and rewritten articles, young domains, both sides of
 * divisive issues, boilerplate about pages, no authors), and the reasons adding up.
 */
import { describe, expect, it } from "vitest";
import {
  analyzeSitePages,
  articleStance,
  combineReasons,
  DEFAULT_DIVISIVE_ISSUES,
  findArticleCopies,
  findClones,
  judgeFakeOutlets,
  LookalikeIndex,
  makeObservation,
  type SitePage,
  sitePageOf,
} from "../src/index.js";
import { sitePage as page } from "./support/site-pages.js";

const OUTLET_HTML = `<!doctype html><html><head><title>Bayport news | The Harbor Ledger</title>
<meta property="og:site_name" content="The Harbor Ledger"></head>
<body class="ledger page"><header class="masthead site-header"><nav class="primary-nav nav-list">
<a class="nav-link" href="https://twitter.com/hl">X</a><a class="nav-link" href="https://facebook.com/hl">F</a><a class="nav-link" href="https://youtube.com/hl">Y</a></nav></header>
<main class="main container"><article class="story"><h1 class="story-headline">Audit matches count</h1>
<div class="story-body article-body">${"<p class='story-paragraph'>County officials completed a hand count of paper ballots and the results matched the machine tally.</p>".repeat(6)}</div></article></main>
<footer class="site-footer footer-links copyright">© Ledger</footer></body></html>`;

const words = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => `word${(i * 7919 + seed * 104729) % 5000}`).join(" ");

function textPage(url: string, text: string, extra: Partial<SitePage["page"]> = {}): SitePage {
  const host = new URL(url).hostname;
  return {
    observationId: `obs-${url}`,
    url,
    host,
    site: host,
    capturedAt: "2024-08-20T12:00:00.000Z",
    page: { article: { title: "t", text, length: text.length }, ...extra },
  };
}

const index = new LookalikeIndex([
  { id: "harbor-ledger", name: "The Harbor Ledger", domains: ["harborledger.example"] },
]);

describe("clones", () => {
  it("finds a lookalike-domain page copying the outlet's page, with the outlet named", () => {
    const real = page("https://harborledger.example/", OUTLET_HTML, { favicon: { mmh3: 7 } });
    const clone = page(
      "https://harborledger-news.example/",
      OUTLET_HTML.replace("Audit matches count", "Ballots discarded"),
      { favicon: { mmh3: 7 } },
    );
    const [match] = findClones([real, clone], index);
    expect(match?.outlet.name).toBe("The Harbor Ledger");
    expect(match?.reference.url).toBe("https://harborledger.example/");
    const rules = match?.reasons.map((r) => r.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        "same-dom-structure",
        "css-vocabulary",
        "favicon-copied",
        "outlet-name-copied",
        "lookalike-brand-with-words",
      ]),
    );
    const sum = match?.reasons.reduce((s, r) => s + r.weight, 0) ?? 0;
    expect(sum).toBeCloseTo(match?.score ?? -1, 2);
  });

  it("finds nothing without a capture of the real outlet, or when the page is unlike it", () => {
    const clone = page("https://harborledger-news.example/", OUTLET_HTML);
    expect(findClones([clone], index)).toEqual([]);
    const real = page("https://harborledger.example/", OUTLET_HTML);
    const unlike = page(
      "https://harborledger-news.example/",
      `<html><body><div><span>parked domain ${words(50, 1)}</span></div></body></html>`,
    );
    expect(findClones([real, unlike], index)).toEqual([]);
  });

  it("does not call an unrelated domain with the same template a clone", () => {
    const real = page("https://harborledger.example/", OUTLET_HTML);
    const other = page("https://gardening-weekly.example/", OUTLET_HTML);
    expect(findClones([real, other], index)).toEqual([]);
  });
});

describe("fake-outlet signs", () => {
  it("quotes language-model leftovers", () => {
    const p = textPage(
      "https://fake.example/a",
      `${words(80, 2)} As an AI language model, I cannot take sides. ${words(40, 3)}`,
    );
    const [v] = judgeFakeOutlets([p]);
    expect(v?.reasons[0]?.rule).toBe("ai-leftovers");
    expect(v?.reasons[0]?.feature).toContain("As an AI language model");
    expect(v?.techniques.map((t) => t.id)).toContain("T0085.001");
  });

  it("names the source of a copied article, the protected outlet's first", () => {
    const text = words(300, 4);
    const source = textPage("https://harborledger.example/story", text);
    const copy = textPage("https://copycat.example/story", `${text} extra words at the end`);
    const copies = findArticleCopies([source, copy], new Set(["harborledger.example"]));
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ kind: "near-copy", directionKnown: true });
    expect(copies[0]?.source.url).toBe("https://harborledger.example/story");
    const verdicts = judgeFakeOutlets([source, copy], {
      copies,
      protectedSites: new Set(["harborledger.example"]),
    });
    expect(verdicts.map((v) => v.site)).toEqual(["copycat.example"]);
    expect(verdicts[0]?.sources).toEqual([
      { url: "https://harborledger.example/story", site: "harborledger.example" },
    ]);
  });

  it("finds a rewrite (words kept, order changed) but not two different articles", () => {
    const base = Array.from({ length: 200 }, (_, i) => `term${i}`);
    const shuffled = [...base.slice(100), ...base.slice(0, 100)];
    for (let i = 0; i < shuffled.length; i += 10) shuffled[i] = `other${i}`;
    const a = textPage("https://a.example/x", base.join(" "), {
      publishedAt: "2024-08-01T00:00:00Z",
    });
    const b = textPage("https://b.example/x", shuffled.join(" "), {
      publishedAt: "2024-08-02T00:00:00Z",
    });
    const c = textPage("https://c.example/x", words(200, 9));
    const copies = findArticleCopies([a, b, c]);
    expect(copies.map((x) => [x.copy.site, x.source.site, x.kind])).toEqual([
      ["b.example", "a.example", "near-copy"],
    ]);
  });

  it("weighs a young domain when registration data is given", () => {
    const p = textPage("https://young.example/", words(100, 5));
    const [v] = judgeFakeOutlets(
      [
        p,
        {
          ...p,
          observationId: "x",
          url: "https://young.example/about",
          page: {
            article: {
              title: "About",
              text: "We are a team of passionate reporters dedicated to providing unbiased news. Our mission is to inform.",
              length: 100,
            },
          },
        },
      ],
      {
        infrastructure: new Map([["young.example", { createdAt: "2024-07-20T00:00:00Z" }]]),
      },
    );
    expect(v?.reasons.map((r) => r.rule).sort()).toEqual(["boilerplate-about", "young-domain"]);
  });

  it("marks a site using both sides' framing of a divisive issue, not one side only", () => {
    const left = textPage(
      "https://both.example/a",
      `${words(100, 6)} asylum seekers and undocumented immigrants face new immigration rules pushed by far-right politicians`,
    );
    const right = textPage(
      "https://both.example/b",
      `${words(100, 7)} illegal aliens cross as open borders fail, immigration out of control`,
    );
    expect(articleStance(left.page.article?.text ?? "", DEFAULT_DIVISIVE_ISSUES)?.stance).toBe(
      "left",
    );
    const [v] = judgeFakeOutlets([left, right], { divisiveIssues: DEFAULT_DIVISIVE_ISSUES });
    // Both sides (0.2) with no named author (0.15) pass the reporting bar; one side does not.
    expect(v?.reasons.map((r) => r.rule)).toEqual(["both-sides", "no-named-authors"]);
    expect(judgeFakeOutlets([right], { divisiveIssues: DEFAULT_DIVISIVE_ISSUES })).toEqual([]);
  });

  it("says nothing of a site with named authors and its own text", () => {
    const p = textPage("https://honest.example/a", words(200, 8), { author: "Jane Roe" });
    const q = textPage("https://honest.example/b", words(200, 10), { author: "Jane Roe" });
    expect(judgeFakeOutlets([p, q])).toEqual([]);
  });
});

describe("sitePageOf", () => {
  it("reads a stored snapshot with its DNS and RDAP facts, and a non-HTML capture as nothing", () => {
    const observation = (page: unknown) =>
      makeObservation({
        kind: "page",
        value: "https://www.young.example/",
        source: "url:https://www.young.example/",
        observedAt: "2024-08-20T12:00:00.000Z",
        data: {
          finalUrl: "https://www.young.example/",
          capturedAt: "2024-08-20T12:00:00.000Z",
          address: "198.51.100.9",
          page,
          dns: { a: ["198.51.100.9"], aaaa: [], ns: ["ns1.young.example"] },
          rdap: {
            outcome: "found",
            registrar: { name: "Reg" },
            created: "2024-08-01T00:00:00Z",
            nameservers: [],
            status: [],
          },
        },
      });
    const read = sitePageOf(observation({ title: "Young" }));
    expect(read).toMatchObject({
      host: "www.young.example",
      site: "young.example",
      address: "198.51.100.9",
      infrastructure: {
        registrar: "Reg",
        createdAt: "2024-08-01T00:00:00Z",
        nameServers: ["ns1.young.example"],
      },
    });
    expect(sitePageOf(observation(null))).toBeUndefined();
  });
});

describe("combineReasons", () => {
  it("gives reasons weights that add up to the noisy-or score", () => {
    const { score, reasons } = combineReasons([
      { rule: "a", feature: "", weight: 0.5, explanation: "" },
      { rule: "b", feature: "", weight: 0.5, explanation: "" },
    ]);
    expect(score).toBe(0.75);
    expect(reasons.map((r) => r.weight)).toEqual([0.5, 0.25]);
  });
});

describe("analyzeSitePages", () => {
  it("stores a network finding per site and a case with the links", () => {
    const html = (ga: string) =>
      `<html><head><script>gtag('config','${ga}')</script></head><body><p>${words(20, 1)}</p></body></html>`;
    const a = page("https://one.example/", html("G-NETWORK123"));
    const b = page("https://two.example/", html("G-NETWORK123"));
    const result = analyzeSitePages([a, b], {}, "2024-08-20T12:00:00.000Z");
    const network = result.findings.filter((f) => f.kind === "site-network");
    expect(network.map((f) => f.subject).sort()).toEqual(["one.example", "two.example"]);
    expect(network[0]?.reasons[0]?.rule).toBe("shared-google-analytics");
    expect(network[0]?.severity).toBe("low");
    expect(result.cases[0]).toMatchObject({ grouping: "site-network", key: "one.example" });
    expect(result.cases[0]?.rationale).toContain("G-NETWORK123");
  });
});
