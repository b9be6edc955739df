/**
 * Site networks: which shared identifiers merge sites, and the discount that keeps values
 * shared by many unrelated sites (a CDN address, a popular theme) from merging them.
 */
import { describe, expect, it } from "vitest";
import {
  DISCOUNT,
  discount,
  findSiteNetworks,
  isSharedAddress,
  MERGE_THRESHOLD,
  type SiteIdentifiers,
  type SitePage,
  siteIdentifiers,
} from "../src/index.js";

const site = (
  name: string,
  ...ids: Array<[SiteIdentifiers["identifiers"][0]["kind"], string]>
) => ({
  site: name,
  identifiers: ids.map(([kind, value]) => ({ kind, value })),
});

describe("discount", () => {
  it("keeps full weight for few sites, falls logarithmically, and is zero from the cap", () => {
    expect(discount(2, "conclusive")).toBe(1);
    expect(discount(DISCOUNT.conclusive.fullUpTo, "conclusive")).toBe(1);
    expect(discount(DISCOUNT.conclusive.zeroFrom, "conclusive")).toBe(0);
    expect(discount(5_000, "conclusive")).toBe(0);
    const mid = discount(60, "conclusive");
    expect(mid).toBeGreaterThan(0);
    expect(mid).toBeLessThan(1);
    expect(discount(10, "associative")).toBe(1);
    expect(discount(11, "associative")).toBeLessThan(1);
    expect(discount(DISCOUNT.associative.zeroFrom, "associative")).toBe(0);
  });
});

describe("findSiteNetworks", () => {
  it("merges two sites through one shared Google Analytics ID, and says so", () => {
    const result = findSiteNetworks([
      site("a.example", ["google-analytics", "G-AAAA1111BB"]),
      site("b.example", ["google-analytics", "G-AAAA1111BB"]),
      site("c.example", ["google-analytics", "G-CCCC2222DD"]),
    ]);
    expect(result.networks).toHaveLength(1);
    const [network] = result.networks;
    expect(network?.sites).toEqual(["a.example", "b.example"]);
    expect(network?.links[0]).toMatchObject({
      kind: "google-analytics",
      class: "conclusive",
      value: "G-AAAA1111BB",
      sites: ["a.example", "b.example"],
      weight: 0.95,
      decisive: true,
    });
  });

  it("merges nothing through a CDN address shared by 1,000 unrelated sites", () => {
    const sites = Array.from({ length: 1_000 }, (_, i) =>
      site(`s${i}.example`, ["ip-address", "203.0.113.10"], ["google-analytics", `G-UNIQUE${i}X1`]),
    );
    const result = findSiteNetworks(sites);
    expect(result.networks).toHaveLength(0);
    expect(result.ignored[0]).toMatchObject({ kind: "ip-address", sharedBy: 1_000 });
  });

  it("gives nothing to a known CDN range or DNS provider even when few sites share it", () => {
    expect(isSharedAddress("104.16.5.5")).toBe(true);
    expect(isSharedAddress("2606:4700::6810:1")).toBe(true);
    expect(isSharedAddress("198.51.100.7")).toBe(false);
    const result = findSiteNetworks([
      site(
        "a.example",
        ["ip-address", "104.16.5.5"],
        ["name-servers", "ada.ns.cloudflare.com,bob.ns.cloudflare.com"],
        ["favicon", "1"],
        ["dom-template", "t"],
      ),
      site(
        "b.example",
        ["ip-address", "104.16.5.5"],
        ["name-servers", "ada.ns.cloudflare.com,bob.ns.cloudflare.com"],
        ["favicon", "1"],
        ["dom-template", "t"],
      ),
    ]);
    // Favicon 0.3 + template 0.25 alone: 0.475, under the threshold.
    expect(result.networks).toHaveLength(0);
  });

  it("merges nothing through a popular theme shared by 5% of sites", () => {
    const sites = Array.from({ length: 400 }, (_, i) =>
      site(
        `t${i}.example`,
        ...(i % 20 === 0
          ? ([
              ["cms-theme", "flavor-news"],
              ["dom-template", "popular-template"],
              ["css-vocabulary", "popular-css"],
            ] as Array<[SiteIdentifiers["identifiers"][0]["kind"], string]>)
          : []),
      ),
    );
    expect(findSiteNetworks(sites).networks).toHaveLength(0);
  });

  it("merges on associative links only when their families together pass the threshold", () => {
    const weak = findSiteNetworks([
      site(
        "a.example",
        ["ip-address", "198.51.100.7"],
        ["dom-template", "t1"],
        ["css-vocabulary", "c1"],
        ["cms-theme", "x"],
      ),
      site(
        "b.example",
        ["ip-address", "198.51.100.7"],
        ["dom-template", "t1"],
        ["css-vocabulary", "c1"],
        ["cms-theme", "x"],
      ),
    ]);
    // Address 0.3 and one template family (its strongest, 0.25): 0.475.
    expect(weak.networks).toHaveLength(0);
    const strong = findSiteNetworks([
      site("a.example", ["ip-address", "198.51.100.7"], ["dom-template", "t1"], ["favicon", "42"]),
      site("b.example", ["ip-address", "198.51.100.7"], ["dom-template", "t1"], ["favicon", "42"]),
    ]);
    expect(strong.networks).toHaveLength(1);
    const combined = strong.networks[0]?.combined[0];
    expect(combined?.sites).toEqual(["a.example", "b.example"]);
    expect(combined?.weight).toBeGreaterThanOrEqual(MERGE_THRESHOLD);
    expect(combined?.values.map((v) => v.kind).sort()).toEqual([
      "dom-template",
      "favicon",
      "ip-address",
    ]);
  });

  it("does not link sites through identifiers copied from a protected outlet", () => {
    const result = findSiteNetworks(
      [
        site("outlet.example", ["google-analytics", "G-OUTLET1234"]),
        site("clone-one.example", ["google-analytics", "G-OUTLET1234"]),
        site("clone-two.example", ["google-analytics", "G-OUTLET1234"]),
      ],
      { protectedSites: new Set(["outlet.example"]) },
    );
    expect(result.networks).toHaveLength(0);
    expect(result.ignored[0]?.why).toMatch(/protected/);
  });

  it("chains conclusive links into one network with every link listed", () => {
    const result = findSiteNetworks([
      site("a.example", ["adsense", "pub-1"]),
      site("b.example", ["adsense", "pub-1"], ["bitcoin-wallet", "bc1q"]),
      site("c.example", ["bitcoin-wallet", "bc1q"]),
    ]);
    expect(result.networks[0]?.sites).toEqual(["a.example", "b.example", "c.example"]);
    expect(result.networks[0]?.links.map((l) => l.kind).sort()).toEqual([
      "adsense",
      "bitcoin-wallet",
    ]);
  });
});

describe("siteIdentifiers", () => {
  const page = (url: string, extra: Partial<SitePage> = {}, tracking = {}): SitePage => {
    const host = new URL(url).hostname;
    return {
      observationId: url,
      url,
      host,
      site: host.replace(/^www\./, ""),
      capturedAt: "2024-08-20T00:00:00.000Z",
      page: { tracking },
      ...extra,
    };
  };

  it("cuts Universal Analytics IDs to the account and counts certificates naming the site", () => {
    const [a, b] = siteIdentifiers([
      page(
        "https://a.example/",
        { tls: { fingerprint256: "AA", subjectAltNames: ["a.example", "b.example"] } },
        { googleAnalytics: ["UA-123456-1"] },
      ),
      page(
        "https://www.b.example/",
        { tls: { fingerprint256: "BB", subjectAltNames: ["other.example"] } },
        { googleAnalytics: ["UA-123456-7"] },
      ),
    ]);
    expect(a?.identifiers).toEqual(
      expect.arrayContaining([
        { kind: "google-analytics", value: "UA-123456" },
        { kind: "tls-certificate", value: "AA" },
        { kind: "tls-san-set", value: "a.example,b.example" },
      ]),
    );
    expect(b?.identifiers).toEqual([{ kind: "google-analytics", value: "UA-123456" }]);
  });

  it("reads name servers and the registration window from enrichment", () => {
    const [a] = siteIdentifiers(
      [page("https://a.example/")],
      new Map([
        [
          "a.example",
          {
            nameServers: ["NS1.Host.example."],
            registrar: "Reg Inc",
            createdAt: "2024-07-01T00:00:00Z",
          },
        ],
      ]),
    );
    expect(a?.identifiers.map((i) => i.kind).sort()).toEqual(["name-servers", "registrar-window"]);
  });
});
