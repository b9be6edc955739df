import { describe, expect, it } from "vitest";
import { FindingSchema, makeObservation, WatchlistSchema } from "../../model/index.js";
import { completeIds } from "../../watchlist/index.js";
import { DomainsDetector } from "./domains-detector.js";
import {
  HELD_AT_OUTLET_REGISTRAR_RULE,
  OUTLET_SERVERS_CLAIMED_RULE,
  OWNED_BY_OUTLET_RULE,
  OWNED_BY_OUTLET_WEIGHT,
  ownershipClaims,
  sameSoaPrimary,
  sharedCorporateRegistrar,
  soaPrimary,
  verifiedOwnership,
  withOwnership,
  withOwnershipClaims,
  withRegistrarOwnership,
} from "./ownership-evidence.js";
import { corporateRegistrar, isSharedMailServer, isSharedNameServer } from "./shared-providers.js";

const OUTLET = {
  domains: ["bloomberg.com"],
  ns: ["ns1.bloomberg.com", "ns2.bloomberg.com"],
  mx: ["mx1.bloomberg.com"],
};

describe("ownershipClaims", () => {
  it("claims a name server of the candidate lies under the outlet's domain", () => {
    expect(
      ownershipClaims({ ns: ["ns1.bloomberg.com", "dns.other-host.example"], mx: [] }, OUTLET),
    ).toEqual({ nsUnderOutlet: ["ns1.bloomberg.com"], mxUnderOutlet: [], sameMx: [], sameNs: [] });
  });

  it("claims a mail server lies under any of the outlet's domains", () => {
    const outlet = { domains: ["bloomberg.com", "bloomberg.net"], ns: [], mx: [] };
    expect(ownershipClaims({ ns: [], mx: ["mail.bloomberg.net"] }, outlet)).toMatchObject({
      nsUnderOutlet: [],
      mxUnderOutlet: ["mail.bloomberg.net"],
    });
  });

  it("does not read a host that merely ends in the outlet's name as under it", () => {
    expect(ownershipClaims({ ns: ["ns1.notbloomberg.com"], mx: [] }, OUTLET)).toBeUndefined();
  });

  it("claims the outlet's mail servers when the MX sets are equal and of no shared mail provider", () => {
    const outlet = {
      domains: ["news.example"],
      ns: [],
      mx: ["mx-a.mailhost.test", "mx-b.mailhost.test"],
    };
    expect(
      ownershipClaims({ ns: [], mx: ["mx-b.mailhost.test", "mx-a.mailhost.test"] }, outlet),
    ).toEqual({
      nsUnderOutlet: [],
      mxUnderOutlet: [],
      sameMx: ["mx-b.mailhost.test", "mx-a.mailhost.test"],
      sameNs: [],
    });
    // A subset is not the same set.
    expect(ownershipClaims({ ns: [], mx: ["mx-a.mailhost.test"] }, outlet)).toBeUndefined();
  });

  it("claims the outlet's name servers when the NS sets are equal and of no shared DNS provider", () => {
    const outlet = { domains: ["news.example"], ns: ["a.dns.own.test", "b.dns.own.test"], mx: [] };
    expect(
      ownershipClaims({ ns: ["b.dns.own.test", "a.dns.own.test"], mx: [] }, outlet),
    ).toMatchObject({
      sameNs: ["b.dns.own.test", "a.dns.own.test"],
    });
  });

  it("never counts shared DNS or mail providers, however equal the sets", () => {
    const cloudflare = ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"];
    const route53 = ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk"];
    const google = ["aspmx.l.google.com", "alt1.aspmx.l.google.com"];
    const microsoft = ["news-example.mail.protection.outlook.com"];
    const proofpoint = ["mx0a-001.pphosted.com"];
    for (const ns of [cloudflare, route53, ["ns1.dynect.net"], ["pdns1.ultradns.net"]]) {
      expect(
        ownershipClaims({ ns, mx: [] }, { domains: ["news.example"], ns, mx: [] }),
      ).toBeUndefined();
    }
    for (const mx of [google, microsoft, proofpoint, ["mx1.mimecast.com"], ["mx.yandex.net"]]) {
      expect(
        ownershipClaims({ ns: [], mx }, { domains: ["news.example"], ns: [], mx }),
      ).toBeUndefined();
    }
    // One shared host in the set spoils it.
    const mixed = ["mx.own-mail.test", "aspmx.l.google.com"];
    expect(
      ownershipClaims({ ns: [], mx: mixed }, { domains: ["news.example"], ns: [], mx: mixed }),
    ).toBeUndefined();
  });

  it("claims nothing for no matching hosts or empty answers", () => {
    expect(
      ownershipClaims({ ns: [], mx: [] }, { domains: ["news.example"], ns: [], mx: [] }),
    ).toBeUndefined();
    expect(
      ownershipClaims({ ns: ["ns1.registrar-parking.test"], mx: ["mx.elsewhere.test"] }, OUTLET),
    ).toBeUndefined();
  });

  it("compares names in lower case without trailing dots", () => {
    expect(
      ownershipClaims(
        { ns: ["NS1.Bloomberg.COM."], mx: [] },
        { ...OUTLET, domains: ["Bloomberg.com."] },
      ),
    ).toMatchObject({
      nsUnderOutlet: ["ns1.bloomberg.com"],
    });
    expect(
      ownershipClaims(
        { ns: [], mx: ["MX.Own-Mail.TEST."] },
        { domains: ["news.example"], ns: [], mx: ["mx.own-mail.test"] },
      ),
    ).toMatchObject({ sameMx: ["mx.own-mail.test"] });
  });

  it("knows the shared providers by their hosts", () => {
    expect(isSharedNameServer("NS-1.AWSDNS-01.ORG.")).toBe(true);
    expect(isSharedNameServer("ns1.bloomberg.com")).toBe(false);
    expect(isSharedMailServer("x.mail.protection.outlook.com")).toBe(true);
    expect(isSharedMailServer("mx.zoho.eu")).toBe(true);
    expect(isSharedMailServer("mx1.bloomberg.com")).toBe(false);
  });
});

describe("verifiedOwnership", () => {
  const claims = {
    nsUnderOutlet: ["ns1.bloomberg.com", "ns2.bloomberg.com"],
    mxUnderOutlet: ["mx.bloomberg.com"],
    sameMx: [],
    sameNs: [],
  };
  const serves = {
    host: "ns1.bloomberg.com",
    address: "192.0.2.53",
    candidateSoa: "ns1.bloomberg.com hostmaster.bloomberg.com 7",
    outletSoa: "NS1.Bloomberg.com. hostmaster.bloomberg.com 2024",
    answersControl: false,
  };

  it("is verified when the outlet's server serves the zone and not the control zone", () => {
    expect(verifiedOwnership(claims, [serves])).toEqual({
      host: "ns1.bloomberg.com",
      address: "192.0.2.53",
      soa: "ns1.bloomberg.com hostmaster.bloomberg.com 7",
    });
    // The second listed server may be the one that confirms.
    expect(
      verifiedOwnership(claims, [
        { host: "ns1.bloomberg.com", address: "192.0.2.53", unverified: "it does not serve" },
        { ...serves, host: "NS2.Bloomberg.com." },
      ]),
    ).toMatchObject({ host: "ns2.bloomberg.com" });
  });

  it("is not verified by anything the candidate's zone alone says", () => {
    // The zone lists the outlet's name and mail servers, but no server was asked.
    expect(verifiedOwnership(claims, [])).toBeUndefined();
    // The outlet's server was asked and does not serve the zone.
    expect(
      verifiedOwnership(claims, [
        {
          host: "ns1.bloomberg.com",
          address: "192.0.2.53",
          unverified: "asked at 192.0.2.53, it does not serve bloomberq.com (EREFUSED)",
        },
      ]),
    ).toBeUndefined();
  });

  it("is not verified when the outlet's zone there names another primary (a DNS provider's pool)", () => {
    expect(
      verifiedOwnership(claims, [
        { ...serves, candidateSoa: "ns-17.provider.example dns.provider.example 3" },
      ]),
    ).toBeUndefined();
    // Nothing to compare with: the outlet's own zone was not answered.
    const { outletSoa: _, ...uncompared } = serves;
    expect(verifiedOwnership(claims, [uncompared])).toBeUndefined();
    expect(sameSoaPrimary("a.example. x 1", "A.Example x 2")).toBe(true);
    expect(sameSoaPrimary("", "")).toBe(false);
    expect(soaPrimary("  ns1.example.  admin 3")).toBe("ns1.example");
  });

  it("is not verified by a server that answers for anything (an open resolver)", () => {
    expect(verifiedOwnership(claims, [{ ...serves, answersControl: true }])).toBeUndefined();
    // A control question that got no answer cannot rule the resolver out.
    const { answersControl: _, ...unasked } = serves;
    expect(verifiedOwnership(claims, [unasked])).toBeUndefined();
  });

  it("is not verified by a server the zone does not list under the outlet's domain", () => {
    expect(
      verifiedOwnership(claims, [{ ...serves, host: "ns1.attacker-dns.example" }]),
    ).toBeUndefined();
    expect(verifiedOwnership({ ...claims, nsUnderOutlet: [] }, [serves])).toBeUndefined();
  });
});

describe("sharedCorporateRegistrar", () => {
  const markMonitor = { name: "MarkMonitor Inc.", ianaId: "292" };

  it("reads corporate registrars by how registries spell them", () => {
    expect(corporateRegistrar("MarkMonitor, Inc.")).toBe("MarkMonitor");
    expect(corporateRegistrar("CSC CORPORATE DOMAINS, INC.")).toBe("CSC Corporate Domains");
    expect(corporateRegistrar("Nom-iq Ltd. dba COM LAUDE")).toBe("Com Laude");
    expect(corporateRegistrar("NameCheap, Inc.")).toBeUndefined();
    expect(corporateRegistrar(undefined)).toBeUndefined();
  });

  it("is the corporate registrar both names are held at", () => {
    expect(
      sharedCorporateRegistrar(markMonitor, { name: "MarkMonitor, Inc.", ianaId: "292" }),
    ).toEqual({
      registrar: "MarkMonitor",
      ianaId: "292",
      candidateName: "MarkMonitor Inc.",
    });
    // Without IANA ids, the names decide.
    expect(sharedCorporateRegistrar({ name: "MarkMonitor Inc." }, markMonitor)).toMatchObject({
      registrar: "MarkMonitor",
    });
  });

  it("says nothing of a retail registrar, two registrars, or two ids", () => {
    const retail = { name: "Cheap Names, LLC", ianaId: "4321" };
    expect(sharedCorporateRegistrar(retail, retail)).toBeUndefined();
    expect(
      sharedCorporateRegistrar(markMonitor, { name: "CSC Corporate Domains", ianaId: "299" }),
    ).toBeUndefined();
    expect(
      sharedCorporateRegistrar(markMonitor, { name: "MarkMonitor Inc.", ianaId: "9" }),
    ).toBeUndefined();
    expect(sharedCorporateRegistrar(undefined, markMonitor)).toBeUndefined();
  });
});

describe("withOwnership and withOwnershipClaims", () => {
  const watchlist = completeIds(
    WatchlistSchema.parse({
      outlets: [{ name: "Bluefield", domains: ["bluefield-news.example"] }],
    }),
  );
  const [finding] = new DomainsDetector(watchlist).detect([
    makeObservation({
      kind: "domain",
      value: "bluefield-news.test",
      source: "test",
      observedAt: "2024-05-01T12:00:00.000Z",
    }),
  ]).findings;
  const verified = {
    host: "ns1.bluefield-news.example",
    address: "192.0.2.53",
    soa: "ns1.bluefield-news.example hostmaster.bluefield-news.example 3",
  };

  it("scores a verified finding down below the threshold, keeps its id and names the server", () => {
    expect(finding?.score).toBeGreaterThanOrEqual(0.9);
    if (finding === undefined) return;
    const owned = withOwnership(finding, verified, "bluefield-news.example");
    expect(owned.id).toBe(finding.id);
    expect(owned.score).toBeCloseTo(finding.score + OWNED_BY_OUTLET_WEIGHT, 3);
    expect(owned.score).toBeLessThan(0.5);
    expect(owned.severity).toBe("info");
    expect(owned.reasons.at(-1)).toMatchObject({ rule: OWNED_BY_OUTLET_RULE, weight: -0.6 });
    expect(owned.reasons.at(-1)?.feature).toContain("192.0.2.53");
    expect(owned.evidence).toContainEqual(
      expect.objectContaining({ type: "owner-name-server", value: "ns1.bluefield-news.example" }),
    );
    expect(owned.evidence.at(-1)?.note).toContain(verified.soa);
    expect(() => FindingSchema.parse(owned)).not.toThrow();
  });

  it("scores a name held at the outlet's corporate registrar down and names the registrar", () => {
    if (finding === undefined) return;
    const shared = { registrar: "MarkMonitor", ianaId: "292", candidateName: "MarkMonitor Inc." };
    const held = withRegistrarOwnership(finding, shared, "bluefield-news.example");
    expect(held.id).toBe(finding.id);
    expect(held.score).toBeLessThan(0.5);
    expect(held.reasons.at(-1)).toMatchObject({
      rule: HELD_AT_OUTLET_REGISTRAR_RULE,
      weight: -0.5,
    });
    expect(held.evidence.at(-1)).toMatchObject({ type: "registrar", value: "MarkMonitor Inc." });
    expect(() => FindingSchema.parse(held)).not.toThrow();
  });

  it("never scores below zero", () => {
    if (finding === undefined) return;
    expect(
      withOwnership({ ...finding, score: 0.3 }, verified, "bluefield-news.example").score,
    ).toBe(0);
  });

  it("notes unverified claims at weight 0 without changing score or severity", () => {
    if (finding === undefined) return;
    const claims = {
      nsUnderOutlet: ["ns1.bluefield-news.example"],
      mxUnderOutlet: ["mx.bluefield-news.example"],
      sameMx: [],
      sameNs: [],
    };
    const noted = withOwnershipClaims(
      finding,
      claims,
      [
        {
          host: "ns1.bluefield-news.example",
          address: "192.0.2.53",
          unverified: "asked at 192.0.2.53, it does not serve bluefield-news.test (EREFUSED)",
        },
      ],
      "bluefield-news.example",
    );
    expect(noted.score).toBe(finding.score);
    expect(noted.severity).toBe(finding.severity);
    expect(noted.evidence).toEqual(finding.evidence);
    const reason = noted.reasons.at(-1);
    expect(reason).toMatchObject({ rule: OUTLET_SERVERS_CLAIMED_RULE, weight: 0 });
    expect(reason?.feature).toContain("mail server mx.bluefield-news.example");
    expect(reason?.explanation).toMatch(/Unverified/);
    expect(reason?.explanation).toContain("does not serve");
    expect(() => FindingSchema.parse(noted)).not.toThrow();
  });
});
