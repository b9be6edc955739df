import {
  type Case,
  caseId,
  type DivisiveIssue,
  type Evidence,
  type Finding,
  findingId,
  type Observation,
  parseDomain,
  type Reason,
  type Severity,
  severityFor,
  type Technique,
  type Watchlist,
} from "../../model/index.js";
import type { Detector, DetectResult, ItemProblem } from "../detector.js";
import { LookalikeIndex } from "../domains/index.js";
import { type ArticleCopy, findArticleCopies } from "./article-copies.js";
import { type FakeOutletVerdict, judgeFakeOutlets } from "./fake-outlet.js";
import { type CloneMatch, findClones } from "./site-clones.js";
import { IDENTIFIER_RULES, siteIdentifiers } from "./site-identifiers.js";
import { findSiteNetworks, type NetworkResult, type SiteNetwork } from "./site-networks.js";
import { isSitePage, type SiteInfrastructure, type SitePage, sitePageOf } from "./site-page.js";
import { combineReasons } from "./site-reasons.js";

export const SITES_DETECTOR_NAME = "sites";
/** Bump when rules or weights change, so stored findings say which scoring made them. */
export const SITES_DETECTOR_VERSION = "1.1.0";

const D = (id: string, name: string): Technique => ({ framework: "DISARM", id, name });
/** Techniques a clone of a protected outlet evidences. */
export const CLONE_TECHNIQUES: readonly Technique[] = [
  D("T0149.003", "Lookalike Domain"),
  D("T0097.202", "News Outlet Persona"),
  D("T0143.003", "Impersonated Persona"),
  D("T0152.004", "Website Asset"),
];
/** Techniques a network of sites run by one owner evidences. */
export const NETWORK_TECHNIQUES: readonly Technique[] = [
  D("T0152.004", "Website Asset"),
  D("T0149.001", "Domain Asset"),
];

/** Sites named in a network finding's evidence; the case lists all. */
export const MAX_NETWORK_EVIDENCE_SITES = 50;
/** Reasons per network finding: its strongest links. */
export const MAX_NETWORK_REASONS = 12;
/** Observation ids kept per finding. */
export const MAX_OBSERVATION_IDS = 50;

/** What the site detectors know besides the pages. */
export interface SitesContext {
  /** Protected outlets (for clones), built from the watchlist. */
  index?: LookalikeIndex;
  divisiveIssues?: readonly DivisiveIssue[];
  /** DNS and RDAP facts per registrable domain, when enriched. */
  infrastructure?: ReadonlyMap<string, SiteInfrastructure>;
  /**
   * Sites already flagged elsewhere (stored lookalike findings), by registrable domain,
   * with what flagged them: a network holding one is reported at its full severity.
   */
  flagged?: ReadonlyMap<string, string>;
}

/** Everything the site analysis found in one corpus of pages. */
export interface SitesAnalysis {
  pages: number;
  clones: CloneMatch[];
  fakeOutlets: FakeOutletVerdict[];
  copies: ArticleCopy[];
  networks: NetworkResult;
  findings: Finding[];
  cases: Case[];
}

/** The registrable domains the watchlist's outlets and organisations own. */
export function protectedSitesOf(index: LookalikeIndex | undefined): Set<string> {
  const out = new Set<string>();
  for (const outlet of index?.outlets ?? [])
    for (const raw of outlet.domains) {
      const parsed = parseDomain(raw);
      if (parsed.ok) out.add(parsed.domain.registrable);
    }
  return out;
}

/**
 * Runs every site rule over a corpus of pages: clones of protected outlets, fake-outlet
 * signs (with articles copied between the corpus's sites) and networks of sites linked
 * by shared identifiers. Pure; `observedAt` stamps the network findings and cases.
 */
export function analyzeSitePages(
  pages: readonly SitePage[],
  context: SitesContext,
  observedAt: string,
  options: { networks?: boolean } = {},
): SitesAnalysis {
  const protectedSites = protectedSitesOf(context.index);
  // Enrichment stored with the captures, overridden by what the caller passes.
  const infrastructure = new Map<string, SiteInfrastructure>();
  for (const p of pages)
    if (p.infrastructure !== undefined && !infrastructure.has(p.site))
      infrastructure.set(p.site, p.infrastructure);
  for (const [site, facts] of context.infrastructure ?? []) infrastructure.set(site, facts);
  const clones = context.index === undefined ? [] : findClones(pages, context.index);
  const copies = findArticleCopies(pages, protectedSites);
  const fakeOutlets = judgeFakeOutlets(pages, {
    copies,
    protectedSites,
    ...(context.divisiveIssues === undefined ? {} : { divisiveIssues: context.divisiveIssues }),
    infrastructure,
  });
  const networks =
    options.networks === false
      ? { networks: [], sites: 0, sharedValues: 0, ignored: [], pairsWeighed: 0 }
      : findSiteNetworks(siteIdentifiers(pages, infrastructure), { protectedSites });
  const findings: Finding[] = [];
  const firstSeen = new Map<string, string>();
  const pagesOf = new Map<string, string[]>();
  for (const p of pages) {
    const prior = firstSeen.get(p.site);
    if (prior === undefined || p.capturedAt < prior) firstSeen.set(p.site, p.capturedAt);
    const ids = pagesOf.get(p.site) ?? [];
    if (ids.length < MAX_OBSERVATION_IDS) ids.push(p.observationId);
    pagesOf.set(p.site, ids);
  }
  const findingsOfSite = new Map<string, Finding[]>();
  const keep = (site: string, f: Finding) => {
    findings.push(f);
    const list = findingsOfSite.get(site) ?? [];
    list.push(f);
    findingsOfSite.set(site, list);
  };
  for (const c of clones) keep(c.page.site, cloneFinding(c));
  for (const v of fakeOutlets)
    keep(v.site, fakeOutletFinding(v, firstSeen.get(v.site) ?? observedAt));
  const cases: Case[] = [];
  for (const network of networks.networks) {
    const flagged = new Map<string, string>();
    for (const site of network.sites) {
      const own = findingsOfSite.get(site)?.[0];
      const elsewhere = context.flagged?.get(site);
      if (own !== undefined) flagged.set(site, `${own.kind} ${own.score.toFixed(2)}`);
      else if (elsewhere !== undefined) flagged.set(site, elsewhere);
    }
    const members: Finding[] = [];
    for (const site of network.sites) {
      const f = networkFinding(network, site, flagged, {
        observedAt: firstSeen.get(site) ?? observedAt,
        observationIds: pagesOf.get(site) ?? [],
      });
      if (f !== undefined) members.push(f);
    }
    findings.push(...members);
    const related = network.sites.flatMap((s) => (findingsOfSite.get(s) ?? []).map((f) => f.id));
    cases.push(networkCase(network, [...members.map((f) => f.id), ...related], observedAt));
  }
  return { pages: pages.length, clones, fakeOutlets, copies, networks, findings, cases };
}

function cloneFinding(c: CloneMatch): Finding {
  const evidence: Evidence[] = [
    { type: "clone-page", value: c.page.url },
    { type: "reference-page", value: c.reference.url, note: `captured ${c.reference.capturedAt}` },
    {
      type: "protected-domain",
      value: c.lookalike.protectedDomain,
      note: `owned by ${c.outlet.name}`,
    },
  ];
  return {
    id: findingId(SITES_DETECTOR_NAME, c.page.host, evidence),
    kind: "site-clone",
    subject: c.page.host,
    target: { type: "outlet", id: c.outlet.id, name: c.outlet.name },
    score: c.score,
    severity: severityFor(c.score),
    reasons: c.reasons,
    techniques: [...CLONE_TECHNIQUES],
    evidence,
    detector: SITES_DETECTOR_NAME,
    detectorVersion: SITES_DETECTOR_VERSION,
    observedAt: c.page.capturedAt,
    observationIds: [c.page.observationId, c.reference.observationId],
  };
}

function fakeOutletFinding(v: FakeOutletVerdict, observedAt: string): Finding {
  const evidence: Evidence[] = [
    { type: "site", value: v.site },
    ...v.sources.map((s) => ({ type: "source-article", value: s.url, note: `on ${s.site}` })),
  ];
  return {
    id: findingId(SITES_DETECTOR_NAME, v.site, evidence),
    kind: "fake-outlet",
    subject: v.site,
    score: v.score,
    severity: severityFor(v.score),
    reasons: v.reasons,
    techniques: v.techniques,
    evidence,
    detector: SITES_DETECTOR_NAME,
    detectorVersion: SITES_DETECTOR_VERSION,
    observedAt,
    observationIds: v.observationIds.slice(0, MAX_OBSERVATION_IDS),
  };
}

const SEVERITY_ORDER: readonly Severity[] = ["info", "low", "medium", "high", "critical"];

/**
 * The finding of one site of a network: the links it takes part in as reasons (noisy-or,
 * so their weights add up to the score). A network with no flagged member is shown at
 * most `low`: sister sites of one owner are a lead, not a threat by themselves.
 */
function networkFinding(
  network: SiteNetwork,
  site: string,
  flagged: ReadonlyMap<string, string>,
  at: { observedAt: string; observationIds: string[] },
): Finding | undefined {
  const parts: Reason[] = [];
  for (const link of network.links) {
    if (!link.sites.includes(site)) continue;
    const others = link.sites.filter((s) => s !== site);
    const rule = IDENTIFIER_RULES[link.kind];
    parts.push({
      rule: `shared-${link.kind}`,
      feature: `${rule.label} ${link.value} with ${list(others)} (on ${link.sharedBy} sites of the corpus)`,
      weight: link.weight,
      explanation:
        link.class === "conclusive"
          ? `The ${rule.label} belongs to one owner: sites carrying the same one are run by the same people.`
          : `A shared ${rule.label} is circumstantial: it counts together with other shared infrastructure.`,
    });
  }
  for (const c of network.combined) {
    if (!c.sites.includes(site)) continue;
    const other = c.sites[0] === site ? c.sites[1] : c.sites[0];
    parts.push({
      rule: "shared-infrastructure",
      feature: `with ${other}: ${c.values.map((v) => `${IDENTIFIER_RULES[v.kind].label} ${v.value.slice(0, 40)} (${v.weight})`).join(" + ")} = ${c.weight}`,
      weight: c.weight,
      explanation:
        "None of these is conclusive alone, but together they pass the merge threshold: the same host, look and template at once.",
    });
  }
  if (parts.length === 0) return undefined;
  parts.sort((a, b) => b.weight - a.weight);
  const { score, reasons } = combineReasons(parts.slice(0, MAX_NETWORK_REASONS));
  const flaggedHere = [...flagged].filter(([s]) => s !== site);
  if (flaggedHere.length > 0 || flagged.has(site))
    reasons.push({
      rule: "network-includes-flagged",
      feature: [...flagged]
        .map(([s, why]) => `${s} (${why})`)
        .join(", ")
        .slice(0, 1000),
      weight: 0,
      explanation: "The network holds sites already flagged as clones, fake outlets or lookalikes.",
    });
  const band = severityFor(score);
  const severity: Severity = flagged.size > 0 || SEVERITY_ORDER.indexOf(band) <= 1 ? band : "low";
  const others = network.sites.filter((s) => s !== site);
  const evidence: Evidence[] = [
    ...others.slice(0, MAX_NETWORK_EVIDENCE_SITES).map((s) => ({ type: "network-site", value: s })),
    ...network.links
      .filter((l) => l.sites.includes(site))
      .slice(0, MAX_NETWORK_REASONS)
      .map((l) => ({ type: "shared-identifier", value: `${l.kind}:${l.value}`.slice(0, 4096) })),
  ];
  return {
    id: findingId(SITES_DETECTOR_NAME, site, evidence),
    kind: "site-network",
    subject: site,
    score,
    severity,
    reasons,
    techniques: [...NETWORK_TECHNIQUES],
    evidence,
    detector: SITES_DETECTOR_NAME,
    detectorVersion: SITES_DETECTOR_VERSION,
    observedAt: at.observedAt,
    observationIds: at.observationIds,
  };
}

function networkCase(network: SiteNetwork, findingIds: string[], createdAt: string): Case {
  const lines = network.links
    .slice(0, 10)
    .map(
      (l) =>
        `${IDENTIFIER_RULES[l.kind].label} ${l.value.slice(0, 80)} on ${list(l.sites)} (${l.class}, ${l.weight})`,
    );
  for (const c of network.combined.slice(0, 5))
    lines.push(`${c.sites.join(" + ")}: shared infrastructure together ${c.weight}`);
  return {
    id: caseId("site-network", network.key),
    title: `Network of ${network.sites.length} sites: ${list(network.sites, 3)}`.slice(0, 500),
    grouping: "site-network",
    key: network.key,
    findingIds: [...new Set(findingIds)],
    rationale: `Sites linked by shared identifiers. ${lines.join("; ")}.`.slice(0, 4000),
    createdAt,
  };
}

function list(items: readonly string[], max = 5): string {
  return items.length <= max
    ? items.join(", ")
    : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

/**
 * The per-page site detector run by `vigil scan site`: clones (against the outlet's pages
 * captured in the same batch) and fake-outlet signs, on each batch of `page`
 * observations. Networks, and clones whose reference was captured in another run, need
 * the whole corpus: `vigil analyze sites`.
 */
export class SitesDetector implements Detector {
  readonly name = SITES_DETECTOR_NAME;
  readonly version = SITES_DETECTOR_VERSION;
  readonly kinds = ["page"] as const;
  readonly context: SitesContext;

  constructor(context: SitesContext) {
    this.context = context;
  }

  /** The detector for a validated watchlist (its outlets and divisive issues). */
  static fromWatchlist(watchlist: Watchlist): SitesDetector {
    return new SitesDetector({
      index: LookalikeIndex.fromWatchlist(watchlist),
      divisiveIssues: watchlist.settings.social.divisiveIssues,
    });
  }

  detect(observations: readonly Observation[]): DetectResult {
    const { pages, problems } = sitePagesOf(observations);
    const analysis = analyzeSitePages(pages, this.context, "", { networks: false });
    return { findings: analysis.findings, problems };
  }
}

/** `sitePageOf` over many observations: the pages, and a problem per unreadable one. */
export function sitePagesOf(observations: readonly Observation[]): {
  pages: SitePage[];
  problems: ItemProblem[];
} {
  const pages: SitePage[] = [];
  const problems: ItemProblem[] = [];
  for (const o of observations) {
    const read = sitePageOf(o);
    if (isSitePage(read)) pages.push(read);
    else if (read !== undefined) problems.push(read);
  }
  return { pages, problems };
}
