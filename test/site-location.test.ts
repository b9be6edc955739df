/**
 * Claimed location against infrastructure (issue 6, "mismatches between claimed location
 * and infrastructure"): what pages say of where their publisher is (JSON-LD, a US postal
 * address, "based in …", phone calling codes, place meta tags, datelines), and the
 * fake-outlet reason `claimed-location-mismatch` when the registrant's or hosting
 * network's country contradicts it. Pages are hand-written and read by the real extractor.
 */
import { describe, expect, it } from "vitest";
import {
  claimedLocation,
  countryCode,
  FAKE_OUTLET_WEIGHTS,
  judgeFakeOutlets,
  locationClues,
  phoneCountry,
  placeCountry,
  type SiteInfrastructure,
  type SitePage,
} from "../src/index.js";
import { prng } from "./support/random.js";
import { sitePage as page } from "./support/site-pages.js";

const html = (head: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The Coastal Courier</title>${head}</head><body>${body}</body></html>`;

const JSON_LD = `<script type="application/ld+json">${JSON.stringify({
  "@context": "https://schema.org",
  "@graph": [
    { "@type": "WebSite", name: "The Coastal Courier", url: "https://coastal-courier.example/" },
    {
      "@type": "NewsArticle",
      headline: "Port expansion approved",
      publisher: {
        "@type": ["NewsMediaOrganization", "Organization"],
        name: "The Coastal Courier",
        telephone: "+1 912 555 0100",
        address: {
          "@type": "PostalAddress",
          streetAddress: "22 River Street",
          addressLocality: "Savannah",
          addressRegion: "GA",
          postalCode: "31401",
          addressCountry: { "@type": "Country", name: "US" },
        },
      },
      // Where the story happened: not the publisher's address, never read.
      contentLocation: { "@type": "Place", address: { addressCountry: "FR" } },
    },
  ],
})}</script>`;

const ABOUT = `<article><h1>About us</h1><p>${"The Coastal Courier covers the city council, the port and the schools. ".repeat(6)}</p>
<p>The Coastal Courier is an independent newsroom based in Savannah, Georgia since 1998, serving the Lowcountry.</p></article>`;

describe("claimed location: what pages say", () => {
  it("reads the publisher's JSON-LD address and telephone, not the story's place", () => {
    const p = page("https://coastal-courier.example/", html(JSON_LD, "<p>Home</p>"));
    expect(p.page.contact?.organisations[0]).toMatchObject({
      type: "NewsMediaOrganization",
      name: "The Coastal Courier",
      locality: "Savannah",
      region: "GA",
      country: "US",
      telephone: "+1 912 555 0100",
    });
    const clues = locationClues(p);
    expect(clues.map((c) => [c.kind, c.country])).toEqual([
      ["json-ld", "US"],
      ["phone", "US"],
    ]);
    expect(clues[0]?.place).toBe("Savannah, GA, US");
    expect(clues[0]?.snippet).toContain("22 River Street");
    expect(claimedLocation([p])).toMatchObject({ country: "US", countries: ["US"] });
  });

  it("reads a US postal address and an international number in the footer", () => {
    const p = page(
      "https://coastal-courier.example/news/port",
      html(
        "",
        `<main><p>The council met on Monday.</p></main><footer><p>The Coastal Courier</p><p>22 River Street</p><p>Savannah, GA 31401</p><p>Newsroom: <a href="tel:+19125550100">(912) 555-0100</a></p></footer>`,
      ),
    );
    expect(p.page.contact?.texts[0]).toContain("Savannah, GA 31401");
    expect(p.page.contact?.phones).toEqual(["+19125550100"]);
    const clues = locationClues(p);
    expect(clues.find((c) => c.kind === "postal-address")).toMatchObject({
      country: "US",
      place: "Savannah, GA",
      url: "https://coastal-courier.example/news/port",
    });
    expect(clues.find((c) => c.kind === "phone")).toMatchObject({ country: "US", place: "+1" });
  });

  it("reads 'based in …' on an about page, but not in an ordinary story", () => {
    const about = page("https://coastal-courier.example/about-us", html("", ABOUT));
    const claim = claimedLocation([about]);
    expect(claim).toMatchObject({ country: "US", place: "Savannah, Georgia" });
    expect(claim?.clues[0]).toMatchObject({ kind: "based-in" });
    expect(claim?.clues[0]?.snippet).toContain("based in Savannah, Georgia");

    const story = page(
      "https://coastal-courier.example/news/think-tank",
      html(
        "",
        `<article><p>${"A report by a think tank headquartered in Moscow, Russia, says the port is at risk. ".repeat(8)}</p></article>`,
      ),
    );
    expect(claimedLocation([story])).toBeUndefined();
  });

  it("tells the US state of Georgia from the country", () => {
    expect(placeCountry("Savannah, Georgia")?.country).toBe("US");
    expect(placeCountry("Tbilisi, Georgia")?.country).toBe("GE");
    expect(placeCountry("Georgia")).toBeUndefined();
    expect(placeCountry("the heart of London")?.country).toBe("GB");
    expect(placeCountry("Paris, Texas")?.country).toBe("US");
    expect(placeCountry("Washington, D.C.")?.country).toBe("US");
    expect(placeCountry("downtown Tehran")?.country).toBe("IR");
    expect(countryCode("Georgia")).toBe("GE");
    expect(countryCode("uk")).toBe("GB");
    expect(countryCode("United States")).toBe("US");
    expect(countryCode("UNITED STATES")).toBe("US");
    expect(countryCode("EU")).toBeUndefined();
    expect(phoneCountry("+44 20 7946 0000")).toEqual({ country: "GB", code: "44" });
    expect(phoneCountry("+98 21 5555 0000")).toEqual({ country: "IR", code: "98" });
    expect(phoneCountry("+380 44 555 0000")).toEqual({ country: "UA", code: "380" });
    expect(phoneCountry("(912) 555-0100")).toBeUndefined();
  });

  it("reads place meta tags and a dateline, the dateline only backing another claim", () => {
    const p = page(
      "https://coastal-courier.example/news/storm",
      html(
        '<meta name="geo.region" content="US-GA"><meta name="geo.placename" content="Savannah">',
        `<article><p>SAVANNAH, Ga. (AP) — ${"The storm closed the port for two days, officials said on Monday. ".repeat(10)}</p></article>`,
      ),
    );
    const kinds = locationClues(p).map((c) => `${c.kind}:${c.country}`);
    expect(kinds).toEqual(expect.arrayContaining(["place-meta:US", "dateline:US"]));
    const foreignDateline = page(
      "https://coastal-courier.example/news/kyiv",
      html(
        "",
        `<article><p>KYIV, Ukraine — ${"Officials said on Monday. ".repeat(30)}</p></article>`,
      ),
    );
    expect(locationClues(foreignDateline)).toMatchObject([{ kind: "dateline", country: "UA" }]);
    // A dateline says where a story was reported: alone it claims nothing.
    expect(claimedLocation([foreignDateline])).toBeUndefined();
  });

  it("claims nothing for a site that names no place", () => {
    const p = page(
      "https://plain.example/",
      html(
        "",
        `<article><p>${"News of the day. ".repeat(40)}</p></article><footer>© 2024</footer>`,
      ),
    );
    expect(locationClues(p)).toEqual([]);
    expect(claimedLocation([p])).toBeUndefined();
  });

  it("keeps the strongest claim and lists the conflicting one", () => {
    const home = page("https://coastal-courier.example/", html(JSON_LD, "<p>Home</p>"));
    const contact = page(
      "https://coastal-courier.example/contact",
      html("", "<footer>Write to us: +44 20 7946 0000</footer>"),
    );
    const claim = claimedLocation([home, contact]);
    expect(claim).toMatchObject({ country: "US", countries: ["US", "GB"] });
    expect(claim?.conflicting).toMatchObject([{ kind: "phone", country: "GB", place: "+44" }]);
  });
});

const SITE = "coastal-courier.example";
const infra = (extra: Partial<SiteInfrastructure>): Map<string, SiteInfrastructure> =>
  new Map([[SITE, { registrar: "Example Registrar, LLC", ...extra }]]);
const pages = () => [
  page(`https://${SITE}/`, html(JSON_LD, "<p>Home</p>")),
  page(`https://${SITE}/about-us`, html("", ABOUT)),
];
const mismatch = (verdicts: ReturnType<typeof judgeFakeOutlets>) =>
  verdicts[0]?.reasons.find((r) => r.rule === "claimed-location-mismatch");

describe("fake outlet: claimed location against infrastructure", () => {
  // The score needs another sign to reach the reporting threshold: an AI leftover.
  const withLeftover = () => [
    ...pages(),
    page(
      `https://${SITE}/news/ai`,
      html(
        "",
        `<article><p>As an AI language model, I cannot ${"write this. ".repeat(60)}</p></article>`,
      ),
    ),
  ];

  it("reports a registrant in another country, with the claim, its page and the weight", () => {
    const verdicts = judgeFakeOutlets(withLeftover(), {
      infrastructure: infra({
        registrant: { country: "IR", organisation: "Example Web Services Co.", proxied: false },
      }),
    });
    const reason = mismatch(verdicts);
    // The reason's weight is what it added to the score (see combineReasons); the sign's own
    // weight is in its text and in the verdict.
    expect(verdicts[0]?.location?.mismatch?.weight).toBe(
      FAKE_OUTLET_WEIGHTS.claimedLocationRegistrant,
    );
    expect(reason?.weight).toBeGreaterThan(0);
    expect(reason?.feature).toContain(`+${FAKE_OUTLET_WEIGHTS.claimedLocationRegistrant}`);
    expect(reason?.feature).toContain("claims US (Savannah, GA, US)");
    expect(reason?.feature).toContain("registrant country IR (Example Web Services Co.)");
    expect(reason?.feature).toContain(`json-ld on https://${SITE}/`);
    expect(reason?.explanation).toContain("domain's registrant is in IR");
    expect(verdicts[0]?.techniques.map((t) => t.id)).toEqual(
      expect.arrayContaining(["T0097.202", "T0097.201", "T0143.002"]),
    );
    expect(verdicts[0]?.location?.mismatch?.shows[0]).toMatchObject({
      source: "registrant",
      country: "IR",
    });
  });

  it("reports the hosting network's country, weighing less than the registrant's", () => {
    const verdicts = judgeFakeOutlets(withLeftover(), {
      infrastructure: infra({
        network: {
          address: "198.51.100.20",
          name: "EXAMPLE-HOSTING-NL",
          organisation: "Example Hosting B.V.",
          country: "NL",
        },
      }),
    });
    const reason = mismatch(verdicts);
    expect(verdicts[0]?.location?.mismatch?.weight).toBe(
      FAKE_OUTLET_WEIGHTS.claimedLocationNetwork,
    );
    expect(FAKE_OUTLET_WEIGHTS.claimedLocationNetwork).toBeLessThan(
      FAKE_OUTLET_WEIGHTS.claimedLocationRegistrant,
    );
    expect(reason?.feature).toContain(
      "hosting network EXAMPLE-HOSTING-NL, Example Hosting B.V. in NL (for 198.51.100.20)",
    );
  });

  it("adds both up, and name servers under another country's ccTLD as a weak sign", () => {
    const verdicts = judgeFakeOutlets(withLeftover(), {
      infrastructure: infra({
        registrant: { country: "Iran", proxied: false },
        network: { address: "198.51.100.20", name: "EXAMPLE-HOSTING-NL", country: "NL" },
        nameServers: ["ns1.example-dns.ru", "ns2.example-dns.ru"],
      }),
    });
    const location = verdicts[0]?.location?.mismatch;
    expect(location?.shows.map((s) => `${s.source}:${s.country}`)).toEqual([
      "registrant:IR",
      "hosting-network:NL",
      "dns-cctld:RU",
    ]);
    const w = FAKE_OUTLET_WEIGHTS;
    expect(location?.weight).toBeCloseTo(
      1 -
        (1 - w.claimedLocationRegistrant) *
          (1 - w.claimedLocationNetwork) *
          (1 - w.claimedLocationCcTld),
      3,
    );
  });

  it("does not count a CDN's or cloud's network", () => {
    for (const network of [
      { address: "104.16.1.1", country: "US" },
      {
        address: "198.51.100.20",
        name: "CLOUDFLARENET",
        organisation: "Cloudflare, Inc.",
        country: "GB",
      },
      { address: "198.51.100.21", name: "AMAZON-02", country: "IE" },
      { address: "198.51.100.22", name: "SKYCA-3", organisation: "Fastly, Inc.", country: "DE" },
    ]) {
      const verdicts = judgeFakeOutlets(withLeftover(), { infrastructure: infra({ network }) });
      expect(mismatch(verdicts), network.name ?? network.address).toBeUndefined();
      if (network.name !== undefined) expect(verdicts[0]?.location?.claim.country).toBe("US");
    }
  });

  it("does not count a privacy service's country", () => {
    const verdicts = judgeFakeOutlets(withLeftover(), {
      infrastructure: infra({
        registrant: { country: "IS", organisation: "Withheld for Privacy ehf", proxied: true },
      }),
    });
    expect(mismatch(verdicts)).toBeUndefined();
  });

  it("gives no reason when the infrastructure is where the site says it is", () => {
    const verdicts = judgeFakeOutlets(withLeftover(), {
      infrastructure: infra({
        registrant: { country: "US", proxied: false },
        network: { address: "198.51.100.20", name: "EXAMPLE-HOSTING-US", country: "US" },
        nameServers: ["ns1.example-dns.us"],
      }),
    });
    expect(verdicts[0]?.location?.claim.country).toBe("US");
    expect(mismatch(verdicts)).toBeUndefined();
  });

  it("gives no reason to a site that claims nothing, whatever its infrastructure", () => {
    const quiet = [
      page(`https://${SITE}/`, html("", "<p>Home</p>")),
      page(
        `https://${SITE}/news/ai`,
        html(
          "",
          `<article><p>As an AI language model, I cannot ${"write this. ".repeat(60)}</p></article>`,
        ),
      ),
    ];
    const verdicts = judgeFakeOutlets(quiet, {
      infrastructure: infra({ registrant: { country: "IR", proxied: false } }),
    });
    expect(verdicts[0]?.location).toBeUndefined();
    expect(mismatch(verdicts)).toBeUndefined();
  });

  it("counts no mismatch for a country the site itself names", () => {
    const contact = page(
      `https://${SITE}/contact`,
      html("", "<footer>London desk: +44 20 7946 0000</footer>"),
    );
    const verdicts = judgeFakeOutlets([...withLeftover(), contact], {
      infrastructure: infra({ registrant: { country: "GB", proxied: false } }),
    });
    expect(verdicts[0]?.location?.claim.countries).toEqual(["US", "GB"]);
    expect(mismatch(verdicts)).toBeUndefined();
  });

  it("alone, a registrant mismatch is not enough to report a site", () => {
    const verdicts = judgeFakeOutlets(pages(), {
      infrastructure: infra({ registrant: { country: "IR", proxied: false } }),
    });
    expect(verdicts).toEqual([]);
  });
});

describe("claimed location on hostile text", () => {
  // Words the patterns look for, mixed with noise: the worst case for backtracking.
  const PIECES = [
    "based in ",
    "headquartered in ",
    "from our newsroom in ",
    "Savannah",
    ", ",
    "Georgia",
    " GA ",
    "31401",
    "+1 ",
    "+44",
    "(",
    ")",
    "-",
    ".",
    "New York",
    "the heart of ",
    "St.",
    " ",
    "\n",
    "A",
    "Zz",
    "ñ",
    "🙂",
  ];

  it("never throws and stays fast on seeded random pages", () => {
    const next = prng(6);
    const text = (n: number) =>
      Array.from({ length: n }, () => PIECES[Math.floor(next() * PIECES.length)]).join("");
    const started = performance.now();
    for (let i = 0; i < 200; i++) {
      const p: SitePage = {
        observationId: `obs-${i}`,
        url: `https://fuzz.example/${i % 2 === 0 ? "about-us" : "news/x"}`,
        host: "fuzz.example",
        site: "fuzz.example",
        capturedAt: "2024-08-20T12:00:00.000Z",
        page: {
          description: text(50),
          article: { title: "t", text: text(4_000), length: 0 },
          contact: {
            organisations: [{ type: "Organization", address: text(30), telephone: text(5) }],
            texts: [text(400), text(400)],
            phones: [text(6)],
            meta: { "geo.region": text(3), "og:locality": text(3) },
          },
        },
      };
      for (const clue of locationClues(p)) {
        expect(clue.country).toMatch(/^[A-Z]{2}$/);
        expect(clue.snippet.length).toBeLessThanOrEqual(200);
      }
      placeCountry(text(20));
      phoneCountry(text(10));
    }
    // 200 pages of ~40 KB of adversarial text: well under a second on one core.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("reads malformed stored features without throwing", () => {
    const bad = {
      observationId: "obs-bad",
      url: "https://bad.example/contact",
      host: "bad.example",
      site: "bad.example",
      capturedAt: "2024-08-20T12:00:00.000Z",
      page: {
        contact: {
          organisations: [null, 7, { type: 3 }, { type: "Organization", country: 5 }],
          texts: "x",
          phones: {},
          meta: [],
        },
      },
    } as unknown as SitePage;
    expect(locationClues(bad)).toEqual([]);
  });
});
