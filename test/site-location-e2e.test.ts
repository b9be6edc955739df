/**
 * Claimed location end to end, through the real CLI: a fictional "local newsroom" that says
 * it is based in Savannah, Georgia is captured from a loopback server; its registration
 * and the network of the address it came from are looked up at a loopback RDAP server
 * (`/domain/…` and `/ip/…`); `vigil scan site` lists the fake-outlet finding with the
 * `claimed-location-mismatch` reason, and `vigil analyze sites --json` gives the reason
 * with the claim, the page it is on, the registrant's and hosting network's countries.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, PageSnapshot } from "../src/index.js";
import { jsonOf, runCli } from "./support/cli-process.js";
import { peekDatabase } from "./support/peek-database.js";
import { rdapDomain, rdapIpNetwork, rdapRoutes } from "./support/rdap-fixtures.js";
import { type SiteServer, startSiteServer } from "./support/site-server.js";

const HOST = "www.savannah-herald.test";
const SITE = "savannah-herald.test";

const page = (title: string, head: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} - Savannah Herald</title>${head}</head>
<body><nav><a href="/">Home</a> <a href="/about-us">About us</a></nav>${body}
<footer><p>Savannah Herald</p><p>14 Bay Street</p><p>Savannah, GA 31401</p><p><a href="tel:+19125550147">(912) 555-0147</a></p></footer></body></html>`;

const HOME = page(
  "Port vote delayed",
  "",
  `<article><h1>Port vote delayed</h1><p>Certainly! Here is the rewritten article from a conservative perspective.</p>
<p>${"The county commission delayed its vote on the port expansion on Monday after residents packed the meeting to object to the plan. ".repeat(6)}</p></article>`,
);
const ABOUT = page(
  "About us",
  `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsMediaOrganization","name":"Savannah Herald","address":{"@type":"PostalAddress","addressLocality":"Savannah","addressRegion":"Georgia","addressCountry":"US"}}</script>`,
  `<article><h1>About us</h1><p>The Savannah Herald is an independent local newsroom based in Savannah, Georgia, covering the city council, the port and the schools for readers across Chatham County.</p>
<p>${"Our reporters live in the neighbourhoods they cover and answer to readers. ".repeat(5)}</p></article>`,
);

describe("claimed location against infrastructure, end to end", () => {
  let dir = "";
  let site: SiteServer;
  let rdap: SiteServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-location-"));
    site = await startSiteServer({ "/": { body: HOME }, "/about-us": { body: ABOUT } });
    rdap = await startSiteServer(
      rdapRoutes(
        {
          [SITE]: rdapDomain(SITE, "2024-06-11T08:40:00Z", {
            organisation: "Example Web Services Co.",
            country: "IR",
          }),
        },
        {},
        {
          // Every capture in the test comes from loopback: its "hosting network".
          "127.0.0.1": rdapIpNetwork("127.0.0.0", "127.255.255.255", {
            name: "EXAMPLE-HOSTING-NL",
            country: "NL",
            holder: "Example Hosting B.V.",
            prefix: 8,
          }),
        },
      ),
    );
  });
  /**
   * `vigil scan site` of `urls` on `host`, served from loopback: no DNS, no screenshots,
   * RDAP from the test's server.
   */
  const scanSite = (db: string, host: string, urls: string[]) =>
    runCli(
      [
        "--db",
        db,
        "scan",
        "site",
        ...urls,
        "--resolve",
        `${host}=127.0.0.1`,
        "--allow-private-address",
        "127.0.0.1",
        "--no-dns",
        "--rdap",
        rdap.url("/"),
        "--no-screenshot",
        "--no-robots",
        "--host-interval",
        "0",
        "--evidence-dir",
        join(dir, "evidence"),
      ],
      dir,
    );
  afterAll(async () => {
    await site?.close();
    await rdap?.close();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("finds the mismatch at capture, stores the network, and explains it in the analysis", async () => {
    const db = join(dir, "v.db");
    const scan = await scanSite(db, HOST, [site.url("/", HOST), site.url("/about-us", HOST)]);
    expect(scan.code, scan.stderr).toBe(0);
    // The human-readable table lists the site findings under the captures.
    expect(scan.stdout).toMatch(/FINDING\s+SCORE/);
    expect(scan.stdout).toMatch(/fake-outlet\s+\d\.\d\d\s+\w+\s+savannah-herald\.test/);
    expect(scan.stdout).toContain("claimed-location-mismatch");
    expect(scan.stdout).toMatch(/2 pages captured, 0 failed; 1 site finding \(1 new\)/);
    expect(rdap.requests.some((r) => r.startsWith("GET /ip/127.0.0.1 "))).toBe(true);

    const snapshots = peekDatabase(
      db,
      (d) =>
        d.prepare("SELECT data FROM observations WHERE kind = 'page'").all() as Array<{
          data: string;
        }>,
      [],
    ).map((r) => JSON.parse(r.data) as PageSnapshot);
    const about = snapshots.find((s) => s.finalUrl.endsWith("/about-us"));
    expect(about?.network).toMatchObject({
      address: "127.0.0.1",
      outcome: "found",
      name: "EXAMPLE-HOSTING-NL",
      country: "NL",
      organisation: "Example Hosting B.V.",
    });
    expect(about?.page?.contact?.organisations[0]).toMatchObject({
      type: "NewsMediaOrganization",
      locality: "Savannah",
    });

    const run = await runCli(["--db", db, "analyze", "sites", "--json"], dir);
    expect(run.code, run.stderr).toBe(0);
    const { fakeOutlets } = jsonOf<{ fakeOutlets: Finding[] }>(run);
    const outlet = fakeOutlets.find((f) => f.subject === SITE);
    const reason = outlet?.reasons.find((r) => r.rule === "claimed-location-mismatch");
    expect(reason?.feature).toMatch(/^claims US \(Savannah, Georgia, US\) but /);
    expect(reason?.feature).toContain("registrant country IR (Example Web Services Co.) +0.25");
    expect(reason?.feature).toContain(
      "hosting network EXAMPLE-HOSTING-NL, Example Hosting B.V. in NL (for 127.0.0.1) +0.15",
    );
    expect(reason?.feature).toContain(`json-ld on ${site.url("/about-us", HOST)}`);
    expect(reason?.explanation).toContain(
      "based in Savannah, Georgia, US, but its domain's registrant and hosting network are in IR and NL",
    );
    expect(outlet?.techniques.map((t) => t.id)).toContain("T0097.201");
    expect(outlet?.reasons.map((r) => r.rule)).toContain("ai-leftovers");

    // A site the RDAP server does not know: captured, and the look-up's code in a note.
    const other = await scanSite(db, "www.other-paper.test", [
      site.url("/", "www.other-paper.test"),
    ]);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).toMatch(
      /note: other-paper\.test: RDAP not-found: .+ \[VIGIL_ERR_RDAP_NOT_FOUND\]/,
    );
  });
});
