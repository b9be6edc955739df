/**
 * bench/sites — site analysis throughput and network clustering (issue 6).
 *
 *   npm run bench:sites             # ~1 min on 2 cores
 *   npm run bench:sites -- --quick  # smaller run
 *
 * Compiled with bench/tsconfig.json; "vigil" is the built package (dist/), as a user
 * imports it. Everything runs on the calling thread, pinned to one CPU with taskset
 * (`--no-pin` to run unpinned).
 *  1. Pages per second from stored captures: seeded synthetic news pages (a few hundred
 *     KB each: navigation, article, inline scripts and styles, sidebars), extraction
 *     (`extractPage`) and detection (`analyzeSitePages`: clones, fake-outlet signs,
 *     networks) timed per stage, side by side with a bare linkedom parse of the same
 *     bytes (the floor any extractor pays) as a ratio. Target ≥ 30 pages/s.
 *  2. Network clustering of 10k, 30k and 100k sites with synthetic identifiers: planted
 *     networks (conclusive IDs, certificates, or only associative infrastructure together),
 *     1% of sites on one CDN address and 5% on one popular theme (neither in the built-in
 *     pattern lists, so only the discount stops them), shared-hosting addresses and name
 *     servers, registrar weeks. Time (target ≤ 10 s at 100k, near-linear), false merges
 *     (target 0), pairwise precision and recall of the planted networks.
 * Writes bench/results/sites-<date>.json and sites-latest.json (sites-quick-… for --quick).
 */
import { cpus, loadavg } from "node:os";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { parseHTML } from "linkedom";
import {
  analyzeSitePages,
  DEFAULT_DIVISIVE_ISSUES,
  extractPage,
  findSiteNetworks,
  LookalikeIndex,
  SITES_DETECTOR_VERSION,
  type SiteIdentifiers,
  type SitePage,
} from "vigil";
import { prng } from "../../test/support/random.js";
import { repoRoot, rerunPinned, writeResults } from "../support/bench-process.js";

const TARGET_PAGES_PER_SECOND = 30;
const TARGET_CLUSTER_SECONDS = 10;
const PROFILES = {
  full: { pages: 300, sizes: [10_000, 30_000, 100_000] },
  quick: { pages: 60, sizes: [10_000, 30_000] },
} as const;

const { values: args } = parseArgs({
  options: { quick: { type: "boolean" }, "no-pin": { type: "boolean" } },
});
// One core: the run re-starts itself under taskset, as the other benchmarks do.
if (args["no-pin"] !== true)
  rerunPinned((message) => process.stderr.write(`[bench:sites] ${message}\n`));
const profileName = args.quick === true ? "quick" : "full";
const profile = PROFILES[profileName];
const root = repoRoot(import.meta.url);

// ---------------------------------------------------------------- 1. pages per second

const WORDS = (
  "the county election officials said on monday voters ballots audit state board city council " +
  "mayor police budget school district court judge ruling governor campaign senate house bill " +
  "report record weather storm harbor port jobs economy prices housing market community residents " +
  "meeting public health hospital funding program federal local national statement spokesperson"
).split(" ");

function sentence(next: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(next() * WORDS.length)] as string);
  const s = out.join(" ");
  return `${s[0]?.toUpperCase()}${s.slice(1)}.`;
}

/** A news article page of roughly `targetKb` KB, like a real outlet's (markup-heavy). */
function newsPage(seed: number, site: number, targetKb: number): { url: string; html: Buffer } {
  const next = prng(seed);
  const host = `site${site}.example`;
  const nav = Array.from(
    { length: 40 },
    (_, i) =>
      `<li class="nav-item menu-item menu-item-${i}"><a class="nav-link" href="/section-${i}/">Section ${i}</a><ul class="sub-menu">${Array.from({ length: 6 }, (_, j) => `<li class="menu-item"><a href="/section-${i}/${j}/">Topic ${j}</a></li>`).join("")}</ul></li>`,
  ).join("");
  const paragraphs = Array.from(
    { length: 25 },
    () => `<p class="story-paragraph">${sentence(next, 40)} ${sentence(next, 30)}</p>`,
  ).join("\n");
  const cards = (n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        `<div class="card card-${i % 5} teaser"><a class="card-link" href="/story/${Math.floor(next() * 1e6)}"><img class="card-img lazy" src="/img/${i}.jpg" alt="" loading="lazy"><h3 class="card-title">${sentence(next, 8)}</h3></a><p class="card-dek">${sentence(next, 15)}</p></div>`,
    ).join("");
  const inlineScript = `<script>window.__STATE__=${JSON.stringify({ items: Array.from({ length: 150 }, (_, i) => ({ id: i, t: sentence(next, 6) })) })};gtag('config','G-SITE${String(site).padStart(6, "0")}');</script>`;
  let html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${sentence(next, 8)} | Site ${site}</title>
<meta name="description" content="${sentence(next, 20)}"><meta property="og:site_name" content="Site ${site}">
<meta name="author" content="Reporter ${site}"><meta property="article:published_time" content="2024-08-0${1 + (seed % 9)}T10:00:00Z">
<link rel="stylesheet" href="/wp-content/themes/theme${site % 7}/style.css"><style>${".c{color:red}".repeat(400)}</style>
${inlineScript}</head><body class="single post-template theme-${site % 7}"><header class="site-header"><nav class="primary-nav"><ul class="menu">${nav}</ul></nav></header>
<main class="content"><article class="story"><h1 class="headline">${sentence(next, 10)}</h1><div class="byline">By Reporter ${site}</div><div class="article-body">${paragraphs}</div></article>
<aside class="rail">${cards(40)}</aside></main>`;
  while (html.length < targetKb * 1024) html += `<section class="more-news">${cards(30)}</section>`;
  html += `<footer class="site-footer"><a href="https://twitter.com/site${site}">X</a></footer></body></html>`;
  return { url: `https://${host}/story/${seed}`, html: Buffer.from(html) };
}

function pagesBench(count: number) {
  const pages = Array.from({ length: count }, (_, i) =>
    newsPage(1000 + i, i % 50, 200 + (i % 5) * 50),
  );
  const bytes = pages.reduce((s, p) => s + p.html.length, 0);
  // Warm-up: V8 optimises the extractor on the first pages.
  for (const p of pages.slice(0, 10)) extractPage(p.html, p.url, "text/html; charset=utf-8");

  let t = performance.now();
  for (const p of pages) parseHTML(p.html.toString("utf8"));
  const parseMs = performance.now() - t;

  t = performance.now();
  const sitePages: SitePage[] = pages.map((p, i) => {
    const host = new URL(p.url).hostname;
    return {
      observationId: `obs${i}`,
      url: p.url,
      host,
      site: host,
      capturedAt: "2024-08-20T12:00:00.000Z",
      address: `198.51.100.${i % 50}`,
      page: extractPage(p.html, p.url, "text/html; charset=utf-8"),
    };
  });
  const extractMs = performance.now() - t;

  const index = new LookalikeIndex([
    { id: "site0", name: "Site Zero", domains: ["site0.example"] },
  ]);
  t = performance.now();
  const analysis = analyzeSitePages(
    sitePages,
    { index, divisiveIssues: DEFAULT_DIVISIVE_ISSUES },
    "2024-08-20T12:00:00.000Z",
  );
  const detectMs = performance.now() - t;
  const totalMs = extractMs + detectMs;
  return {
    pages: count,
    meanKb: Math.round(bytes / count / 1024),
    parseOnlyMs: round(parseMs),
    extractMs: round(extractMs),
    detectMs: round(detectMs),
    extractPagesPerSecond: round((count * 1000) / extractMs),
    detectPagesPerSecond: round((count * 1000) / detectMs),
    pagesPerSecond: round((count * 1000) / totalMs),
    extractVsParseRatio: round(extractMs / parseMs),
    vsTarget: round((count * 1000) / totalMs / TARGET_PAGES_PER_SECOND),
    findings: analysis.findings.length,
  };
}

// ---------------------------------------------------------------- 2. networks

interface Synthetic {
  sites: SiteIdentifiers[];
  /** Planted network of each site, -1 for an unrelated site. */
  truth: Int32Array;
  planted: number;
}

function syntheticSites(n: number, seed: number): Synthetic {
  const next = prng(seed);
  const sites: SiteIdentifiers[] = [];
  const truth = new Int32Array(n).fill(-1);
  const int = (k: number) => Math.floor(next() * k);
  let network = 0;
  let i = 0;
  const inNetworks = Math.floor(n * 0.03);
  // Planted networks of 3–8 sites: a third through one analytics or ad ID, a third
  // through a shared certificate and a wallet, a third through infrastructure only.
  while (i < inNetworks) {
    const size = 3 + int(6);
    const mode = network % 3;
    for (let k = 0; k < size && i < inNetworks; k++, i++) {
      const ids: SiteIdentifiers["identifiers"] = [
        { kind: "google-analytics", value: mode === 0 ? `G-NET${network}` : `G-OWN${i}` },
        {
          kind: "ip-address",
          value:
            mode === 2 ? `10.${network >> 8}.${network & 255}.1` : `172.16.${i >> 8}.${i & 255}`,
        },
      ];
      if (mode === 1) {
        ids.push({ kind: "tls-san-set", value: `net${network}-a.example,net${network}-b.example` });
        if (k % 2 === 0) ids.push({ kind: "bitcoin-wallet", value: `bc1net${network}` });
      }
      if (mode === 2) {
        ids.push({ kind: "favicon", value: `fav-net${network}` });
        ids.push({ kind: "dom-template", value: `tpl-net${network}` });
      }
      sites.push({ site: `net${network}-${k}.example`, identifiers: ids });
      truth[i] = network;
    }
    network++;
  }
  for (; i < n; i++) {
    const ids: SiteIdentifiers["identifiers"] = [{ kind: "google-analytics", value: `G-SOLO${i}` }];
    const r = next();
    // 1% on one CDN address; 20% on shared-hosting addresses of 10–40 sites; the rest alone.
    if (r < 0.01) ids.push({ kind: "ip-address", value: "198.18.0.1" });
    else if (r < 0.21)
      ids.push({
        kind: "ip-address",
        value: `192.0.2.${int(Math.max(1, Math.floor(n / 5000)))}-${int(250)}`,
      });
    else ids.push({ kind: "ip-address", value: `100.${i >> 16}.${(i >> 8) & 255}.${i & 255}` });
    // 5% on one popular theme (same template, classes and theme name).
    if (next() < 0.05) {
      ids.push({ kind: "cms-theme", value: "flavor-news-pro" });
      ids.push({ kind: "dom-template", value: "tpl-popular" });
      ids.push({ kind: "css-vocabulary", value: "css-popular" });
    } else ids.push({ kind: "dom-template", value: `tpl-${int(n)}` });
    ids.push({
      kind: "name-servers",
      value: `ns1.host${int(200)}.example,ns2.host${int(200)}.example`,
    });
    ids.push({ kind: "registrar-window", value: `registrar${int(20)}|${2800 + int(500)}` });
    // Default favicons of a few site builders, and many own ones.
    ids.push({ kind: "favicon", value: next() < 0.3 ? `fav-default-${int(5)}` : `fav-${i}` });
    sites.push({ site: `solo${i}.example`, identifiers: ids });
  }
  return { sites, truth, planted: network };
}

function networksBench(n: number) {
  const data = syntheticSites(n, n);
  const t = performance.now();
  const result = findSiteNetworks(data.sites);
  const ms = performance.now() - t;
  const indexOf = new Map(data.sites.map((s, i) => [s.site, i]));
  let foundPairs = 0;
  let truePairs = 0;
  let falseMerges = 0;
  let recovered = 0;
  for (const network of result.networks) {
    const byTruth = new Map<number, number>();
    for (const site of network.sites) {
      const label = data.truth[indexOf.get(site) as number] as number;
      // An unrelated site is its own group.
      const key = label === -1 ? -1 - (indexOf.get(site) as number) : label;
      byTruth.set(key, (byTruth.get(key) ?? 0) + 1);
    }
    if (byTruth.size > 1) falseMerges++;
    foundPairs += pairs(network.sites.length);
    for (const [label, count] of byTruth) if (label >= 0) truePairs += pairs(count);
    if (
      byTruth.size === 1 &&
      [...byTruth.keys()][0] !== undefined &&
      ([...byTruth.keys()][0] as number) >= 0
    )
      recovered++;
  }
  const plantedSizes = new Map<number, number>();
  for (const label of data.truth)
    if (label >= 0) plantedSizes.set(label, (plantedSizes.get(label) ?? 0) + 1);
  let plantedPairs = 0;
  for (const size of plantedSizes.values()) plantedPairs += pairs(size);
  return {
    sites: n,
    ms: round(ms),
    sitesPerSecond: Math.round((n * 1000) / ms),
    networksFound: result.networks.length,
    planted: data.planted,
    plantedRecoveredWhole: recovered,
    falseMerges,
    pairPrecision: foundPairs === 0 ? 1 : round(truePairs / foundPairs),
    pairRecall: plantedPairs === 0 ? 1 : round(truePairs / plantedPairs),
    pairsWeighed: result.pairsWeighed,
    ignored: result.ignored.slice(0, 3).map((x) => `${x.kind} ${x.value} ×${x.sharedBy}: ${x.why}`),
  };
}

function pairs(k: number): number {
  return (k * (k - 1)) / 2;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

// ---------------------------------------------------------------- run

const pagesResult = pagesBench(profile.pages);
// Warm-up of the clustering code on another seed, not counted.
findSiteNetworks(syntheticSites(10_000, 99).sites);
const networkResults = profile.sizes.map((n) => networksBench(n));
const first = networkResults[0];
const last = networkResults[networkResults.length - 1];
const scaling =
  first !== undefined && last !== undefined
    ? round(last.ms / last.sites / (first.ms / first.sites))
    : undefined;

const out = {
  bench: "sites",
  profile: profileName,
  detectorVersion: SITES_DETECTOR_VERSION,
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
  node: process.version,
  pages: pagesResult,
  networks: networkResults,
  /** Time per site at the largest size over time per site at the smallest: 1 is linear. */
  perSiteCostRatioLargestToSmallest: scaling,
  targets: {
    pagesPerSecond: TARGET_PAGES_PER_SECOND,
    clusterSecondsAt100k: TARGET_CLUSTER_SECONDS,
    falseMerges: 0,
  },
};

console.log(
  `\nbench/sites (${profileName}), detector ${SITES_DETECTOR_VERSION}, node ${process.version}, load ${loadavg()[0]?.toFixed(2)}\n`,
);
console.log(
  `pages: ${pagesResult.pages} synthetic news pages of ${pagesResult.meanKb} KB on average\n` +
    `  extraction   ${pagesResult.extractPagesPerSecond} pages/s (takes ${pagesResult.extractVsParseRatio}× the time of a bare linkedom parse into a DOM)\n` +
    `  detection    ${pagesResult.detectPagesPerSecond} pages/s\n` +
    `  both         ${pagesResult.pagesPerSecond} pages/s = ${pagesResult.vsTarget}× the target of ${TARGET_PAGES_PER_SECOND}\n`,
);
console.log(
  "networks:   sites   seconds   sites/s   found  planted  whole  false merges  precision  recall",
);
for (const r of networkResults)
  console.log(
    `         ${String(r.sites).padStart(7)}  ${(r.ms / 1000).toFixed(2).padStart(8)}  ${String(r.sitesPerSecond).padStart(8)}  ${String(r.networksFound).padStart(6)}  ${String(r.planted).padStart(7)}  ${String(r.plantedRecoveredWhole).padStart(5)}  ${String(r.falseMerges).padStart(12)}  ${r.pairPrecision.toFixed(2).padStart(9)}  ${r.pairRecall.toFixed(2).padStart(6)}`,
  );
console.log(`per-site cost, largest / smallest size: ${scaling} (1 = linear)`);
const stem = profileName === "quick" ? "sites-quick" : "sites";
const [written] = writeResults(root, stem, out.date, `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwrote ${relative(root, written as string)}`);
