/**
 * Site enrichment against real local servers: DNS (a `dns2` server on loopback), RDAP (an
 * HTTP server on loopback, reached through the SSRF guard with the test-only allow option)
 * and TLS (an HTTPS server with a multi-domain certificate made by the test). Hostile RDAP
 * answers (huge, malformed, slow) give a clear per-domain outcome and the scan goes on.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ChromiumScreenshotter,
  certificateKeys,
  DnsEnricher,
  dnsResolver,
  loadRdapBootstrap,
  loadRdapIpBootstrap,
  type PageSnapshot,
  parseRdapBootstrap,
  parseRdapIpBootstrap,
  RdapEnricher,
  rdapBaseFor,
  rdapBaseForAddress,
  SafeFetcher,
  type SiteScanSummary,
} from "../src/index.js";
import { jsonOf, runCli } from "./support/cli-process.js";
import { type DnsTestServer, startDnsServer } from "./support/dns-server.js";
import { peekDatabase } from "./support/peek-database.js";
import { rdapDomain, rdapIpNetwork, rdapRoutes } from "./support/rdap-fixtures.js";
import { type SiteServer, startSiteServer } from "./support/site-server.js";
import { multiDomainTls } from "./support/tls-certificate.js";

const ZONES = {
  "www.daily-ledger.test": { a: ["203.0.113.7"], aaaa: ["2001:db8::7"], cname: [] },
  "daily-ledger.test": {
    a: ["203.0.113.7"],
    ns: ["ns2.cheaphost.test", "ns1.cheaphost.test"],
    mx: [
      { exchange: "mx2.cheaphost.test", priority: 20 },
      { exchange: "mx1.cheaphost.test", priority: 10 },
    ],
  },
  "cdn.daily-ledger.test": { cname: ["edge.cdn.test"] },
};

describe("DnsEnricher", () => {
  let dns: DnsTestServer;
  beforeAll(async () => {
    dns = await startDnsServer(ZONES, { slow: ["slow.test"] });
  });
  afterAll(async () => {
    await dns?.close();
  });

  it("reads A, AAAA, CNAME of the host and NS, MX of its domain, once per run", async () => {
    const enricher = new DnsEnricher({
      resolver: dnsResolver({ servers: [dns.server] }),
      reservedNames: "ask",
    });
    const facts = await enricher.lookup("WWW.Daily-Ledger.test.");
    expect(facts).toMatchObject({
      host: "www.daily-ledger.test",
      domain: "daily-ledger.test",
      a: ["203.0.113.7"],
      aaaa: ["2001:db8::7"],
      ns: ["ns1.cheaphost.test", "ns2.cheaphost.test"],
      mx: [
        { exchange: "mx1.cheaphost.test", priority: 10 },
        { exchange: "mx2.cheaphost.test", priority: 20 },
      ],
      errors: [],
    });
    expect((await enricher.lookup("cdn.daily-ledger.test")).cname).toEqual(["edge.cdn.test"]);
    const asked = dns.questions.length;
    await enricher.lookup("www.daily-ledger.test");
    expect(dns.questions.length).toBe(asked);
  });

  it("lists a look-up that times out as a temporary error, and a missing name as empty", async () => {
    const enricher = new DnsEnricher({
      resolver: dnsResolver({ servers: [dns.server], timeoutMs: 300 }),
      timeoutMs: 300,
      reservedNames: "ask",
    });
    const slow = await enricher.lookup("slow.test");
    expect(slow.a).toEqual([]);
    expect(slow.errors.find((e) => e.type === "A")).toMatchObject({
      code: "VIGIL_ERR_DNS_TIMEOUT",
      cause: "ETIMEOUT",
      temporary: true,
    });
    const missing = await enricher.lookup("nowhere.daily-ledger.test");
    expect(missing.a).toEqual([]);
    expect(missing.errors).toEqual([]);
  });

  it("asks nothing for special-use names unless told to", async () => {
    const before = dns.questions.length;
    const facts = await new DnsEnricher({
      resolver: dnsResolver({ servers: [dns.server] }),
    }).lookup("www.daily-ledger.test");
    expect(facts.skipped).toContain("special-use");
    expect(dns.questions.length).toBe(before);
  });
});

describe("RDAP", () => {
  let rdap: SiteServer;
  const fetcher = new SafeFetcher({ allowPrivate: ["127.0.0.1"] });
  beforeAll(async () => {
    rdap = await startSiteServer(
      rdapRoutes(
        { "daily-ledger.test": rdapDomain("daily-ledger.test") },
        {
          "/domain/huge.test": {
            headers: { "content-type": "application/rdap+json" },
            body: `{"x":"${"a".repeat(2 * 1024 * 1024)}"}`,
          },
          "/domain/malformed.test": {
            headers: { "content-type": "application/rdap+json" },
            body: '{"ldhName": "malformed.test", "entities": [',
          },
          "/domain/busy.test": { status: 503, body: "try later" },
          "/domain/deep.test": {
            headers: { "content-type": "application/rdap+json" },
            body: `${'{"roles":["registrar"],"entities":['.repeat(20_000)}${"]}".repeat(20_000)}`,
          },
          "/domain/slow.test": (_req, res) => {
            res.writeHead(200, { "content-type": "application/rdap+json" });
            res.write('{"ldhName":');
            // never finished: the enricher's time limit ends it
          },
          "/ip/198.51.100.9": { status: 503, body: "try later" },
        },
        {
          "203.0.113.7": rdapIpNetwork("203.0.113.0", "203.0.113.255", {
            name: "EXAMPLE-HOSTING-NL",
            country: "NL",
            holder: "Example Hosting B.V.",
            prefix: 24,
          }),
          "192.0.2.10": rdapIpNetwork("192.0.2.0", "192.0.2.255", {
            name: "EXAMPLE-NET-ARIN",
            country: "UNITED STATES",
            holder: "Example Networks, Inc.",
            prefix: 24,
            arin: true,
          }),
        },
      ),
    );
  });
  afterAll(async () => {
    await rdap?.close();
  });

  it("reads registrar, abuse contact, dates, statuses and the privacy proxy", async () => {
    const enricher = new RdapEnricher({ fetcher, baseUrl: rdap.url("/rdap") });
    const facts = await enricher.lookup("www.daily-ledger.test");
    // Queries go below the base URL's path (this fixture server serves no /rdap/ prefix).
    expect(facts).toMatchObject({
      domain: "daily-ledger.test",
      outcome: "not-found",
      url: rdap.url("/rdap/domain/daily-ledger.test"),
    });
    const direct = await new RdapEnricher({ fetcher, baseUrl: rdap.url("/") }).lookup(
      "www.daily-ledger.test",
    );
    expect(direct).toMatchObject({
      outcome: "found",
      ldhName: "daily-ledger.test",
      registrar: { name: "Example Registrar, LLC", ianaId: "9999", url: "https://registrar.test/" },
      abuse: { email: "abuse@registrar.test", phone: "+1.5555550100" },
      created: "2024-07-30T12:00:00.000Z",
      expires: "2025-07-30T12:00:00.000Z",
      updated: "2024-08-02T08:30:00.000Z",
      status: ["client transfer prohibited", "server hold"],
      nameservers: ["ns1.cheaphost.test", "ns2.cheaphost.test"],
      registrant: { name: "REDACTED FOR PRIVACY", country: "IS" },
      privacy: { proxied: true },
    });
  });

  it("gives hostile answers a clear outcome per domain and goes on", async () => {
    const enricher = new RdapEnricher({ fetcher, baseUrl: rdap.url("/"), timeoutMs: 1_500 });
    const [huge, malformed, busy, slow, missing, good, deep] = await Promise.all(
      [
        "huge.test",
        "malformed.test",
        "busy.test",
        "slow.test",
        "missing.test",
        "daily-ledger.test",
        "deep.test",
      ].map((d) => enricher.lookup(d)),
    );
    // Each failure has its own RDAP code; the fetch's code behind it is its `cause`.
    expect(huge).toMatchObject({
      outcome: "failed",
      code: "VIGIL_ERR_RDAP_BAD_ANSWER",
      cause: "VIGIL_ERR_WEB_LIMIT",
      temporary: false,
    });
    expect(malformed).toMatchObject({ outcome: "failed", code: "VIGIL_ERR_RDAP_BAD_ANSWER" });
    expect(JSON.stringify(malformed)).toContain("not JSON");
    expect(busy).toMatchObject({
      outcome: "failed",
      code: "VIGIL_ERR_RDAP_UNAVAILABLE",
      temporary: true,
    });
    expect(slow).toMatchObject({
      outcome: "failed",
      code: "VIGIL_ERR_RDAP_UNAVAILABLE",
      cause: "VIGIL_ERR_WEB_TIMEOUT",
      temporary: true,
    });
    expect(missing).toMatchObject({ outcome: "not-found", code: "VIGIL_ERR_RDAP_NOT_FOUND" });
    expect(good?.outcome).toBe("found");
    // 20,000 nested entities: read to a bounded depth, the rest ignored.
    expect(deep).toMatchObject({ outcome: "found", status: [] });
  });

  it("keeps the SSRF guard on: a loopback RDAP server is refused without the allow option", async () => {
    const guarded = new RdapEnricher({ fetcher: new SafeFetcher(), baseUrl: rdap.url("/") });
    expect(await guarded.lookup("daily-ledger.test")).toMatchObject({
      outcome: "failed",
      code: "VIGIL_ERR_RDAP_REFUSED",
      cause: "VIGIL_ERR_WEB_REFUSED",
    });
  });

  it("reads the hosting network of an address: name, country, range, holder, abuse contact", async () => {
    const enricher = new RdapEnricher({ fetcher, baseUrl: rdap.url("/") });
    const facts = await enricher.lookupAddress("203.0.113.7");
    expect(facts).toMatchObject({
      address: "203.0.113.7",
      outcome: "found",
      url: rdap.url("/ip/203.0.113.7"),
      handle: "EXAMPLE-HOSTING-NL-1",
      name: "EXAMPLE-HOSTING-NL",
      country: "NL",
      startAddress: "203.0.113.0",
      endAddress: "203.0.113.255",
      cidr: ["203.0.113.0/24"],
      organisation: "Example Hosting B.V.",
      organisationCountry: "NL",
      abuse: { email: "abuse@hosting.test", phone: "+31.205550100" },
    });
    const asked = rdap.requests.length;
    await enricher.lookupAddress("203.0.113.7");
    expect(rdap.requests.length).toBe(asked);
    // ARIN gives no `country` on the network: its holder's address label has it.
    const arin = await enricher.lookupAddress("192.0.2.10");
    expect(arin).toMatchObject({ outcome: "found", organisationCountry: "UNITED STATES" });
    expect(arin).not.toHaveProperty("country");
    expect(await enricher.lookupAddress("192.0.2.99")).toMatchObject({
      outcome: "not-found",
      temporary: false,
    });
    expect(await enricher.lookupAddress("198.51.100.9")).toMatchObject({
      outcome: "failed",
      temporary: true,
    });
    expect(await enricher.lookupAddress("not-an-address")).toMatchObject({
      outcome: "failed",
      code: "VIGIL_ERR_WEB_URL",
    });
  });

  it("finds a network's registry in the shipped IANA IP bootstrap files, longest prefix first", async () => {
    const shipped = loadRdapIpBootstrap();
    expect(rdapBaseForAddress(shipped, "8.8.8.8")).toBe("https://rdap.arin.net/registry/");
    expect(rdapBaseForAddress(shipped, "193.0.6.139")).toBe("https://rdap.db.ripe.net/");
    expect(rdapBaseForAddress(shipped, "1.1.1.1")).toBe("https://rdap.apnic.net/");
    expect(rdapBaseForAddress(shipped, "2a00:1450:4001::1")).toBe("https://rdap.db.ripe.net/");
    expect(rdapBaseForAddress(shipped, "2001:4860::8888")).toBe("https://rdap.arin.net/registry/");
    // Private and loopback space belongs to no registry.
    expect(rdapBaseForAddress(shipped, "10.1.2.3")).toBeUndefined();
    expect(rdapBaseForAddress(shipped, "127.0.0.1")).toBeUndefined();
    const own = parseRdapIpBootstrap({
      services: [
        [["198.0.0.0/8"], ["http://a.test/rdap", "https://a.test/rdap"]],
        [["198.51.100.0/24"], ["https://b.test/"]],
      ],
    });
    expect(rdapBaseForAddress(own, "198.1.2.3")).toBe("https://a.test/rdap/");
    expect(rdapBaseForAddress(own, "198.51.100.7")).toBe("https://b.test/");
    expect(() => parseRdapIpBootstrap({ services: [[["nope"], ["https://c.test/"]]] })).toThrow(
      /not a CIDR prefix/,
    );
    // Without a server for the address, nothing is fetched.
    const before = rdap.requests.length;
    const facts = await new RdapEnricher({ fetcher, ipBootstrap: own }).lookupAddress("10.0.0.1");
    expect(facts).toMatchObject({ outcome: "no-server", temporary: false });
    expect(rdap.requests.length).toBe(before);
  });

  it("finds servers in the shipped IANA bootstrap file, longest suffix first", () => {
    const shipped = loadRdapBootstrap();
    // IANA's whole registry for domains, not a subset: every TLD with an RDAP service.
    expect(shipped.servers.size).toBeGreaterThan(1100);
    expect(rdapBaseFor(shipped, "www.lookalike-news.com")).toBe(
      "https://rdap.verisign.com/com/v1/",
    );
    expect(rdapBaseFor(shipped, "mirror.net")).toBe("https://rdap.verisign.com/net/v1/");
    expect(rdapBaseFor(shipped, "civic-watch.org")).toBe(
      "https://rdap.publicinterestregistry.org/rdap/",
    );
    // New gTLDs favoured by throw-away news sites.
    expect(rdapBaseFor(shipped, "daily-ledger.app")).toBe("https://pubapi.registry.google/rdap/");
    expect(rdapBaseFor(shipped, "daily-ledger.xyz")).toBe("https://rdap.centralnic.com/xyz/");
    expect(rdapBaseFor(shipped, "daily-ledger.online")).toBe("https://rdap.radix.host/rdap/");
    expect(rdapBaseFor(shipped, "daily-ledger.news")).toBe(
      "https://rdap.identitydigital.services/rdap/",
    );
    // ccTLDs with RDAP, second-level registrations included.
    expect(rdapBaseFor(shipped, "local-news.co.uk")).toBe("https://rdap.nominet.uk/uk/");
    expect(rdapBaseFor(shipped, "journal.com.br")).toBe("https://rdap.registro.br/");
    expect(rdapBaseFor(shipped, "gazette.fr")).toBe("https://rdap.nic.fr/");
    // TLDs whose registry has no RDAP service in IANA's registry.
    expect(rdapBaseFor(shipped, "zeitung.de")).toBeUndefined();
    expect(rdapBaseFor(shipped, "x.test")).toBeUndefined();
    const own = parseRdapBootstrap({
      services: [
        [["net"], ["http://a.test/rdap", "https://a.test/rdap"]],
        [["sub.example.net"], ["https://b.test/"]],
      ],
    });
    expect(rdapBaseFor(own, "x.net")).toBe("https://a.test/rdap/");
    expect(rdapBaseFor(own, "www.sub.example.net")).toBe("https://b.test/");
  });

  it("says when no RDAP server is known, without fetching", async () => {
    const before = rdap.requests.length;
    const facts = await new RdapEnricher({ fetcher }).lookup("nowhere.test");
    expect(facts).toMatchObject({
      outcome: "no-server",
      code: "VIGIL_ERR_RDAP_NO_SERVER",
      temporary: false,
    });
    expect(rdap.requests.length).toBe(before);
  });
});

describe("screenshot failures", () => {
  it("say the browser is at fault when chromium does not start", async () => {
    // A program that exits at once stands in for a chromium that crashes at start.
    const shooter = new ChromiumScreenshotter({ executablePath: "/bin/false", timeoutMs: 10_000 });
    try {
      await expect(
        shooter.capture({
          url: "https://daily-ledger.test/",
          status: 200,
          body: Buffer.from("<p>x</p>"),
        }),
      ).rejects.toMatchObject({ code: "VIGIL_ERR_SCREENSHOT_BROWSER" });
    } finally {
      await shooter.close();
    }
  });
});

describe("certificate keys", () => {
  it("index a certificate by its SHA-256 and its sorted SANs, and spot several domains", () => {
    const keys = certificateKeys("AB:CD:EF", ["www.b.test", "A.test", "www.b.test", "*.c.test"]);
    expect(keys).toMatchObject({
      sha256: "abcdef",
      sans: ["*.c.test", "a.test", "www.b.test"],
      sanDomains: ["a.test", "b.test", "c.test"],
      multiDomain: true,
    });
    expect(certificateKeys("00", ["www.b.test", "a.test", "*.c.test"]).sansSha256).toBe(
      keys.sansSha256,
    );
  });
});

describe("vigil scan site with enrichment", () => {
  let site: SiteServer;
  let rdap: SiteServer;
  let dns: DnsTestServer;
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-enrich-"));
    dns = await startDnsServer(ZONES);
    rdap = await startSiteServer(
      rdapRoutes(
        { "daily-ledger.test": rdapDomain("daily-ledger.test") },
        {
          "/domain/evening-ledger.test": {
            headers: { "content-type": "application/rdap+json" },
            body: "<html>not json</html>",
          },
        },
      ),
    );
    site = await startSiteServer(
      { "/": { body: "<!doctype html><title>Daily Ledger</title><p>News</p>" } },
      {
        tls: multiDomainTls(["www.daily-ledger.test", "www.evening-ledger.test", "morning.test"]),
      },
    );
  });
  afterAll(async () => {
    await site?.close();
    await rdap?.close();
    await dns?.close();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("stores DNS, RDAP and certificate keys with each page, and shows them in --json", async () => {
    const run = await runCli(
      [
        "--db",
        join(dir, "v.db"),
        "scan",
        "site",
        site.url("/", "www.daily-ledger.test"),
        site.url("/", "www.evening-ledger.test"),
        "--resolve",
        "www.daily-ledger.test=127.0.0.1",
        "--resolve",
        "www.evening-ledger.test=127.0.0.1",
        "--allow-private-address",
        "127.0.0.1",
        "--dns-server",
        dns.server,
        "--rdap",
        rdap.url("/"),
        "--no-screenshot",
        "--no-robots",
        "--host-interval",
        "0",
        "--evidence-dir",
        join(dir, "evidence"),
        "--json",
      ],
      dir,
    );
    expect(run.code, run.stderr).toBe(0);
    const summary = jsonOf<SiteScanSummary>(run);
    const [daily, evening] = summary.reports;
    expect(daily).toMatchObject({
      outcome: "captured",
      dns: { a: ["203.0.113.7"], ns: ["ns1.cheaphost.test", "ns2.cheaphost.test"] },
      rdap: {
        outcome: "found",
        registrar: { name: "Example Registrar, LLC" },
        abuse: { email: "abuse@registrar.test" },
      },
      certificate: {
        sans: ["morning.test", "www.daily-ledger.test", "www.evening-ledger.test"],
        multiDomain: true,
      },
    });
    // The fixture RDAP server knows no network: the look-up says so with its own code.
    expect(daily?.network).toMatchObject({
      address: "127.0.0.1",
      outcome: "not-found",
      code: "VIGIL_ERR_RDAP_NOT_FOUND",
    });
    // A bad RDAP answer is that domain's outcome; its page is still captured.
    expect(evening).toMatchObject({
      outcome: "captured",
      rdap: { outcome: "failed", code: "VIGIL_ERR_RDAP_BAD_ANSWER" },
    });
    expect(evening?.certificate?.sha256).toBe(daily?.certificate?.sha256);

    const rows = peekDatabase(
      join(dir, "v.db"),
      (db) =>
        db.prepare("SELECT data FROM observations WHERE kind = 'page'").all() as Array<{
          data: string;
        }>,
      [],
    );
    const snapshots = rows.map((r) => JSON.parse(r.data) as PageSnapshot);
    const stored = snapshots.find((s) => s.host === "www.daily-ledger.test");
    expect(stored?.tls).toMatchObject({
      issuer: expect.stringContaining("CN=www.daily-ledger.test"),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      validFrom: expect.any(String),
      validTo: expect.any(String),
      multiDomain: true,
    });
    expect(stored?.rdap?.outcome).toBe("found");
    expect(stored?.dns?.mx[0]?.exchange).toBe("mx1.cheaphost.test");

    const verify = await runCli(["evidence", "verify", join(dir, "evidence")], dir);
    expect(verify.code, verify.stdout).toBe(0);
  });
});
