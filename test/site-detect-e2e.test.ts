/**
 * End to end: the demo's fixture sites served from loopback, captured through the safe
 * fetcher (127.0.0.1 let through by the test-only allow option, fictional names mapped to
 * it), their registrations and hosting network looked up at the demo's own loopback RDAP
 * server, stored, then `analyzeSites` over the store finds the clone of the protected
 * outlet, the network of three fake outlets with the links that justify it, and the fake
 * "local newsroom in Savannah, Georgia" whose registrant is abroad.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveDemoSites } from "../src/cli/commands/demo-sites.js";
import {
  analyzeSites,
  openStore,
  type Store,
  scanSites,
  siteDetectors,
  staticResolver,
  type Watchlist,
  WatchlistSchema,
} from "../src/index.js";

const SITES_DIR = fileURLToPath(new URL("../data/demo/sites/", import.meta.url));

describe("site detection end to end", () => {
  let dir: string;
  let store: Store;
  let sites: Awaited<ReturnType<typeof serveDemoSites>>;
  let watchlist: Watchlist;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-site-e2e-"));
    store = await openStore({ path: join(dir, "vigil.db") });
    sites = await serveDemoSites(SITES_DIR);
    watchlist = WatchlistSchema.parse({ outlets: [sites.outlet] });
  });
  afterAll(async () => {
    await sites.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("captures the sites, then finds the clone and the network", async () => {
    const capture = await scanSites(sites.urls, {
      store,
      evidenceDir: join(dir, "evidence"),
      resolver: staticResolver(sites.hosts),
      allowPrivate: ["127.0.0.1"],
      robots: false,
      hostIntervalMs: 0,
      rdap: { baseUrl: sites.rdapUrl },
      detectors: siteDetectors(watchlist),
    });
    expect(capture.failed).toBe(0);
    expect(capture.captured).toBe(sites.urls.length);
    // The per-page detector sees the outlet and the clone in one batch.
    expect(capture.topFindings.map((f) => `${f.kind} ${f.subject}`)).toContain(
      "site-clone harborledger-news.example",
    );

    const summary = await analyzeSites({ store, watchlist });
    const analysis = summary.analysis;
    expect(summary.pages).toBe(sites.urls.length);
    const [network, ...others] = analysis?.networks.networks ?? [];
    expect(others).toHaveLength(0);
    expect(network?.sites).toEqual([
      "even-standard.example",
      "lakeview-sentinel.example",
      "prairie-dispatch.example",
    ]);
    const kinds = network?.links.filter((l) => l.decisive).map((l) => l.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(["google-analytics", "tls-certificate", "tls-san-set"]),
    );
    expect(network?.links.find((l) => l.kind === "google-analytics")?.value).toBe("G-4N8TW0RK7Z");

    const clone = analysis?.findings.find((f) => f.kind === "site-clone");
    expect(clone).toMatchObject({
      subject: "harborledger-news.example",
      target: { id: "harbor-ledger", name: "The Harbor Ledger" },
    });
    expect(clone?.techniques.map((t) => t.id)).toContain("T0149.003");

    const fakes = analysis?.findings.filter((f) => f.kind === "fake-outlet").map((f) => f.subject);
    expect(fakes).toEqual(
      expect.arrayContaining(["prairie-dispatch.example", "lakeview-sentinel.example"]),
    );

    // The Savannah "local newsroom": registered in Iran, hosted on a Dutch network.
    const lakeview = analysis?.findings.find(
      (f) => f.kind === "fake-outlet" && f.subject === "lakeview-sentinel.example",
    );
    const location = lakeview?.reasons.find((r) => r.rule === "claimed-location-mismatch");
    expect(location?.feature).toMatch(/^claims US \(Savannah, GA, US\) but registrant country IR/);
    expect(location?.feature).toContain("hosting network EXAMPLE-HOSTING-NL");
    expect(location?.feature).toContain("/about-us");
    // The other fake outlets' registrants hide behind a privacy service: not counted.
    for (const f of analysis?.findings.filter((x) => x.kind === "fake-outlet") ?? [])
      if (f.subject !== "lakeview-sentinel.example")
        expect(f.reasons.map((r) => r.rule)).not.toContain("claimed-location-mismatch");

    const stored = await store.listFindings({ kind: "site-network" });
    expect(stored.map((f) => f.subject).sort()).toEqual(network?.sites);
    const cases = await store.listCases();
    expect(cases.map((c) => c.title)).toEqual(
      expect.arrayContaining([
        "Clones of The Harbor Ledger",
        "Network of 3 sites: even-standard.example, lakeview-sentinel.example, prairie-dispatch.example",
      ]),
    );

    // Analysed again: the same findings and cases, nothing new.
    const again = await analyzeSites({ store, watchlist });
    expect(again.findingsAdded).toBe(0);
    expect(again.casesAdded).toBe(0);
  });
});
