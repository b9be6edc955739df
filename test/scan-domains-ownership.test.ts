/**
 * `vigil scan domains --check-ownership` end to end: the built CLI asks a loopback DNS
 * server (test/support/dns-server.ts) about fictional outlets under `.example` and
 * lookalikes under `.test`, and asks the outlets' name servers directly: an
 * authoritative one on 127.0.0.2 and an open resolver on 127.0.0.3, on one port
 * (`--name-server-port`, as real ones share 53). Nothing reaches real DNS.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { DomainsDetector } from "../src/detect/index.js";
import { type AskServer, DnsEnricher, type DnsRecordResolver } from "../src/enrich/index.js";
import { type Finding, makeObservation, WatchlistSchema } from "../src/model/index.js";
import { type DomainScanSummary, OwnershipCheck } from "../src/pipeline/index.js";
import { completeIds } from "../src/watchlist/index.js";
import { jsonOf, runCli } from "./support/cli-process.js";
import { type DnsTestServer, startDnsServer } from "./support/dns-server.js";
import { peekDatabase } from "./support/peek-database.js";
import { rdapDomain, rdapRoutes } from "./support/rdap-fixtures.js";
import { type SiteServer, startSiteServer } from "./support/site-server.js";

/** Both the outlet's domain and one lookalike are held at this corporate registrar. */
const MARKMONITOR = { name: "MarkMonitor Inc.", ianaId: "292" };
/** A retail registrar anyone can register at. */
const RETAIL = { name: "Cheap Names, LLC", ianaId: "4321" };

const WATCHLIST = `outlets:
  - name: Bluefield Ledger
    domains: [bluefield.example]
  - name: Harbour Gazette
    domains: [harbourgazette.example]
  - name: Northwind Courier
    domains: [northwindcourier.example]
`;

const CLOUDFLARE = ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"];

const ZONES = {
  "bluefield.example": {
    ns: ["ns1.bluefield.example", "ns2.bluefield.example"],
    mx: [{ exchange: "mx1.bluefield.example", priority: 10 }],
  },
  // The outlet's zone says where its name servers are: the authoritative test server.
  "ns1.bluefield.example": { a: ["127.0.0.2"] },
  "ns2.bluefield.example": { a: ["127.0.0.2"] },
  // The outlet's defensive registration, served by its own name servers: verified.
  "bluefield.test": { ns: ["ns1.bluefield.example", "ns2.bluefield.example"] },
  // An attacker's lookalike whose zone lists the outlet's name and mail servers, which
  // do not serve it: a claim, not evidence.
  "bluefieid.test": {
    ns: ["ns1.bluefield.example"],
    mx: [{ exchange: "mx1.bluefield.example", priority: 10 }],
  },
  // A lookalike the outlet's server answers for too, as a DNS provider serving the outlet
  // under vanity names answers for every customer's zone, but under the provider's
  // primary: no proof of who holds it.
  "bluefield-news.test": { ns: ["ns1.bluefield.example"] },
  "harbourgazette.example": {
    ns: CLOUDFLARE,
    mx: [{ exchange: "mx.gazette-mail.test", priority: 10 }],
  },
  // The outlet's mail servers (not a shared provider's): claimed, unverifiable.
  "harbourgazette.test": {
    ns: ["ns1.cheap-dns.test"],
    mx: [{ exchange: "mx.gazette-mail.test", priority: 5 }],
  },
  // The same Cloudflare name servers as the outlet: says nothing.
  "harbour-gazette.test": { ns: CLOUDFLARE },
  // This outlet's "name server" answers every question (an open resolver).
  "northwindcourier.example": { ns: ["ns.northwindcourier.example"] },
  "ns.northwindcourier.example": { a: ["127.0.0.3"] },
  "northwindcourier.test": { ns: ["ns.northwindcourier.example"] },
};

const SOA = (zone: string) => ({
  soa: { primary: "ns1.bluefield.example", admin: `hostmaster.${zone}`, serial: 7 },
});
/** What the outlet's own name server serves: its zone and its defensive registration. */
const AUTHORITATIVE = {
  "bluefield.example": SOA("bluefield.example"),
  "bluefield.test": SOA("bluefield.test"),
  "bluefield-news.test": {
    soa: { primary: "ns.provider-pool.test", admin: "dns.provider-pool.test", serial: 3 },
  },
};

describe("vigil scan domains --check-ownership", () => {
  let dns: DnsTestServer;
  let outletServer: DnsTestServer;
  let openResolver: DnsTestServer;
  let rdap: SiteServer;
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-ownership-"));
    // northwindcourer.test gets no answer at all: its look-ups time out.
    dns = await startDnsServer(ZONES, { slow: ["northwindcourer.test"] });
    outletServer = await startDnsServer(AUTHORITATIVE, {
      address: "127.0.0.2",
      unknown: "refused",
    });
    openResolver = await startDnsServer(
      {},
      { address: "127.0.0.3", port: outletServer.port, anySoa: true },
    );
    // RDAP: the outlet and one lookalike at the same corporate registrar, another
    // lookalike at a retail one (the outlet's too, in another test it would be nothing
    // either), and a registry failing for one name.
    rdap = await startSiteServer(
      rdapRoutes(
        {
          "harbourgazette.example": rdapDomain(
            "harbourgazette.example",
            undefined,
            undefined,
            MARKMONITOR,
          ),
          "harbourgazette.test": rdapDomain(
            "harbourgazette.test",
            undefined,
            undefined,
            MARKMONITOR,
          ),
          "harbour-gazette.test": rdapDomain("harbour-gazette.test", undefined, undefined, RETAIL),
        },
        { "/domain/bluefieid.test": { status: 503, body: "try later" } },
      ),
    );
    await writeFile(join(dir, "vigil.yaml"), WATCHLIST);
    await writeFile(
      join(dir, "names.txt"),
      [
        "bluefield.test",
        "bluefieid.test",
        "bluefield-news.test",
        "harbourgazette.test",
        "harbour-gazette.test",
        "northwindcourier.test",
        "northwindcourer.test",
        "unrelated-words.test",
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await dns?.close();
    await outletServer?.close();
    await openResolver?.close();
    await rdap?.close();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("scores down only what the outlet's server verifies, notes claims, reports a timeout", async () => {
    const db = join(dir, "v.db");
    const run = await runCli(
      [
        "--db",
        db,
        "scan",
        "domains",
        "names.txt",
        "--check-ownership",
        "--dns-server",
        dns.server,
        "--name-server-port",
        String(outletServer.port),
        "--rdap",
        rdap.url("/"),
        "--allow-private-address",
        "127.0.0.1",
        "--json",
      ],
      dir,
    );
    // The timeout is a problem of the run (exit 3), never fatal.
    expect(run.code, run.stderr).toBe(3);
    const summary = jsonOf<DomainScanSummary>(run);
    const bySubject = new Map(summary.topFindings.map((f) => [f.subject, f]));
    const reason = (subject: string, rule: string) =>
      bySubject.get(subject)?.reasons.find((r) => r.rule === rule);
    const owned = (subject: string) => reason(subject, "owned-by-outlet");
    const claimed = (subject: string) => reason(subject, "outlet-servers-claimed");

    // The outlet's own server, at the address its zone gives, serves bluefield.test.
    const verified = bySubject.get("bluefield.test");
    expect(owned("bluefield.test")).toMatchObject({ weight: -0.6 });
    expect(owned("bluefield.test")?.feature).toContain("127.0.0.2");
    expect(verified?.score).toBeLessThan(0.5);
    expect(verified?.severity).toBe("info");
    expect(verified?.evidence).toContainEqual(
      expect.objectContaining({ type: "owner-name-server", value: "ns1.bluefield.example" }),
    );

    // The attacker's zone lists the outlet's name and mail servers; the outlet's server
    // does not serve it: not scored down, the claim noted at weight 0.
    const attacker = bySubject.get("bluefieid.test");
    expect(attacker?.score).toBeGreaterThanOrEqual(0.5);
    expect(owned("bluefieid.test")).toBeUndefined();
    expect(claimed("bluefieid.test")).toMatchObject({ weight: 0 });
    expect(claimed("bluefieid.test")?.feature).toContain("mail server mx1.bluefield.example");
    expect(claimed("bluefieid.test")?.explanation).toContain("does not serve bluefieid.test");

    // Served by the outlet's server, but under another primary than the outlet's own zone.
    expect(bySubject.get("bluefield-news.test")?.score).toBeGreaterThanOrEqual(0.5);
    expect(owned("bluefield-news.test")).toBeUndefined();
    expect(claimed("bluefield-news.test")?.explanation).toContain(
      "names ns.provider-pool.test as primary for bluefield-news.test but ns1.bluefield.example for the outlet's own bluefield.example",
    );

    // The same non-shared mail servers as the outlet: claimed, never scored by itself;
    // but the registry names the outlet's corporate registrar for it: scored down.
    expect(owned("harbourgazette.test")).toBeUndefined();
    expect(claimed("harbourgazette.test")?.feature).toContain("mx.gazette-mail.test");
    expect(reason("harbourgazette.test", "held-at-outlet-registrar")).toMatchObject({
      weight: -0.5,
    });
    expect(reason("harbourgazette.test", "held-at-outlet-registrar")?.feature).toContain(
      "MarkMonitor (IANA id 292)",
    );
    expect(bySubject.get("harbourgazette.test")?.score).toBeLessThan(0.5);
    expect(bySubject.get("harbourgazette.test")?.evidence).toContainEqual(
      expect.objectContaining({ type: "registrar", value: "MarkMonitor Inc." }),
    );

    // A "name server" answering for anything (iana.org too) proves nothing.
    expect(bySubject.get("northwindcourier.test")?.score).toBeGreaterThanOrEqual(0.5);
    expect(owned("northwindcourier.test")).toBeUndefined();
    expect(claimed("northwindcourier.test")?.explanation).toContain("open resolver");

    // Shared name servers are no evidence: the lookalike keeps its name-only score.
    const lookalike = bySubject.get("harbour-gazette.test");
    expect(lookalike?.score).toBeGreaterThanOrEqual(0.5);
    expect(owned("harbour-gazette.test")).toBeUndefined();
    expect(claimed("harbour-gazette.test")).toBeUndefined();
    // A retail registrar (the outlet's is another) says nothing either.
    expect(reason("harbour-gazette.test", "held-at-outlet-registrar")).toBeUndefined();
    // A registry that fails is a problem of the run; the finding stays as it was.
    expect(summary.problems).toContainEqual(
      expect.objectContaining({
        item: "ownership check of bluefieid.test",
        code: "VIGIL_ERR_RDAP_UNAVAILABLE",
      }),
    );

    // The timed-out name stays as it was, and the run says why.
    const timedOut = bySubject.get("northwindcourer.test");
    expect(timedOut?.score).toBeGreaterThanOrEqual(0.5);
    expect(owned("northwindcourer.test")).toBeUndefined();
    expect(summary.problems).toContainEqual(
      expect.objectContaining({
        item: "ownership check of northwindcourer.test",
        code: "VIGIL_ERR_DNS_TIMEOUT",
      }),
    );
    // 10 domains, 4 name servers asked (bluefield.test's first server sufficed), 9
    // domains asked over RDAP (all but bluefield.test); bluefieid.test's failed RDAP
    // look-up leaves it not checked, as northwindcourer.test's DNS timeout does.
    expect(summary.ownership).toEqual({
      checked: 5,
      owned: 2,
      heldAtRegistrar: 1,
      claimed: 4,
      notChecked: 2,
      lookups: 23,
    });

    // Only the flagged names, their protected domains and the outlets' name servers were
    // asked; the servers directly, for SOA only, the control zone once per server.
    const asked = new Set(dns.questions.map((q) => q.split(" ")[1]));
    expect(asked.has("unrelated-words.test")).toBe(false);
    expect(new Set(dns.questions.map((q) => q.split(" ")[0]))).toEqual(
      new Set(["NS", "MX", "A", "AAAA"]),
    );
    expect(new Set(dns.questions.filter((q) => q.startsWith("A ")).map((q) => q.slice(2)))).toEqual(
      new Set(["ns1.bluefield.example", "ns.northwindcourier.example"]),
    );
    expect([...outletServer.questions].sort()).toEqual([
      "SOA bluefieid.test",
      "SOA bluefield-news.test",
      "SOA bluefield.example",
      "SOA bluefield.test",
      "SOA iana.org",
    ]);
    expect([...openResolver.questions].sort()).toEqual([
      "SOA iana.org",
      "SOA northwindcourier.test",
    ]);

    // Owned findings are stored, so `vigil findings` shows why, but join no case.
    const listed = await runCli(["--db", db, "findings", "--json"], dir);
    expect(listed.code, listed.stderr).toBe(0);
    const stored = jsonOf<Finding[]>(listed);
    expect(stored.find((f) => f.subject === "bluefield.test")?.reasons.at(-1)?.rule).toBe(
      "owned-by-outlet",
    );
    const cased = peekDatabase(
      db,
      (d) =>
        d
          .prepare("select f.subject from case_findings c join findings f on f.id = c.finding_id")
          .all()
          .map((r) => (r as { subject: string }).subject),
      [] as string[],
    );
    expect(cased.sort()).toEqual([
      "bluefieid.test",
      "bluefield-news.test",
      "harbour-gazette.test",
      "northwindcourer.test",
      "northwindcourier.test",
    ]);
  }, 60_000);

  it("asks nothing without --check-ownership, and refuses --dns-server without it", async () => {
    const before = dns.questions.length;
    const run = await runCli(
      ["--db", join(dir, "plain.db"), "scan", "domains", "names.txt", "--json"],
      dir,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(jsonOf<DomainScanSummary>(run).ownership).toBeUndefined();
    expect(dns.questions.length).toBe(before);
    const usage = await runCli(
      ["--db", join(dir, "plain.db"), "scan", "domains", "names.txt", "--dns-server", dns.server],
      dir,
    );
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--check-ownership");
  }, 60_000);
});

describe("OwnershipCheck (library)", () => {
  const watchlist = completeIds(WatchlistSchema.parse(parseYaml(WATCHLIST)));
  const detector = new DomainsDetector(watchlist);
  const findingsOf = (...names: string[]) =>
    detector.detect(
      names.map((value) =>
        makeObservation({
          kind: "domain",
          value,
          source: "test",
          observedAt: "2024-05-01T00:00:00Z",
        }),
      ),
    ).findings;
  /** A resolver that answers from ZONES and fails `failing` with `code`. */
  const resolver = (failing: string, code: string): DnsRecordResolver => {
    const answer = async <T>(
      name: string,
      pick: (z: (typeof ZONES)[keyof typeof ZONES]) => T[] | undefined,
    ) => {
      if (name === failing) throw Object.assign(new Error(`${code} ${name}`), { code });
      const zone = ZONES[name as keyof typeof ZONES];
      if (zone === undefined) throw Object.assign(new Error("no such name"), { code: "ENOTFOUND" });
      return pick(zone) ?? [];
    };
    return {
      resolveNs: (name: string) => answer(name, (z) => ("ns" in z ? z.ns : undefined)),
      resolveMx: (name: string) => answer(name, (z) => ("mx" in z ? z.mx : undefined)),
      resolve4: (name: string) => answer(name, (z) => ("a" in z ? z.a : undefined)),
      resolve6: async () => [],
    } as unknown as DnsRecordResolver;
  };
  /** Name servers asked directly: 127.0.0.2 serves AUTHORITATIVE, others `answer`. */
  const servers =
    (answer?: Awaited<ReturnType<AskServer>>): AskServer =>
    async ({ address, name }) => {
      if (answer !== undefined) return answer;
      const zone = AUTHORITATIVE[name as keyof typeof AUTHORITATIVE];
      return address === "127.0.0.2" && zone !== undefined
        ? { answered: true, soa: `${zone.soa.primary} ${zone.soa.admin} ${zone.soa.serial}` }
        : { answered: false, code: "EREFUSED", message: "refused" };
    };
  const enrichers = (failing = "", code = "") => ({
    dns: new DnsEnricher({
      resolver: resolver(failing, code),
      reservedNames: "ask",
      records: ["NS", "MX"],
    }),
    addresses: new DnsEnricher({
      resolver: resolver(failing, code),
      reservedNames: "ask",
      records: ["A", "AAAA"],
    }),
  });

  it("reports SERVFAIL as VIGIL_ERR_DNS_FAILED and leaves the finding as it was", async () => {
    const check = new OwnershipCheck({
      ...enrichers("bluefield.test", "ESERVFAIL"),
      askServer: servers(),
      watchlist,
    });
    const findings = findingsOf("bluefield.test");
    const reviewed = await check.review(findings);
    expect(reviewed.findings).toEqual(findings);
    expect(reviewed.cleared).toEqual([]);
    expect(reviewed.problems).toEqual([
      expect.objectContaining({
        item: "ownership check of bluefield.test",
        code: "VIGIL_ERR_DNS_FAILED",
      }),
    ]);
    expect(check.summary()).toMatchObject({ owned: 0, notChecked: 1 });
  });

  it("leaves the finding as it was when the outlet's server does not answer, one problem a domain", async () => {
    const check = new OwnershipCheck({
      ...enrichers(),
      askServer: servers({ answered: false, code: "ETIMEOUT", message: "no answer" }),
      watchlist,
    });
    const findings = findingsOf("bluefield.test", "bluefieid.test");
    const reviewed = await check.review(findings);
    expect(reviewed.cleared).toEqual([]);
    expect(reviewed.findings.map((f) => f.score)).toEqual(findings.map((f) => f.score));
    expect(
      reviewed.findings.every((f) => f.reasons.at(-1)?.rule === "outlet-servers-claimed"),
    ).toBe(true);
    // bluefield.test lists two servers under the outlet, both time out: one problem.
    expect(reviewed.problems.map((p) => [p.item, p.code]).sort()).toEqual([
      ["ownership check of bluefieid.test", "VIGIL_ERR_DNS_TIMEOUT"],
      ["ownership check of bluefield.test", "VIGIL_ERR_DNS_TIMEOUT"],
    ]);
    expect(check.summary()).toMatchObject({ owned: 0, claimed: 2, notChecked: 2 });
  });

  it("stops looking up at the budget, says so once, and leaves the rest as they were", async () => {
    const options = { ...enrichers(), askServer: servers(), watchlist };
    // Two domains and one name server for bluefield.test, then nothing.
    const check = new OwnershipCheck({ ...options, maxLookups: 3 });
    const first = await check.review(findingsOf("bluefield.test"));
    expect(first.cleared.map((f) => f.subject)).toEqual(["bluefield.test"]);
    expect(first.problems).toEqual([]);
    const reviewed = await check.review(findingsOf("harbourgazette.test", "harbour-gazette.test"));
    expect(reviewed.cleared).toEqual([]);
    expect(reviewed.findings.map((f) => f.subject).sort()).toEqual([
      "harbour-gazette.test",
      "harbourgazette.test",
    ]);
    expect(reviewed.problems.map((p) => p.code)).toEqual(["VIGIL_ERR_DNS_BUDGET"]);
    expect(check.summary()).toEqual({
      checked: 1,
      owned: 1,
      heldAtRegistrar: 0,
      claimed: 0,
      notChecked: 2,
      lookups: 3,
    });
    expect(() => new OwnershipCheck({ ...options, maxLookups: 0 })).toThrow(/at least 1/);
  });
});
