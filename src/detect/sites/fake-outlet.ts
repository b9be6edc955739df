import type { DivisiveIssue, Reason, Technique } from "../../model/index.js";
import type { ArticleCopy } from "./article-copies.js";
import { claimedLocation, type LocationClaim } from "./claimed-location.js";
import { articleStance, issueMatchers, type Stance } from "./divisive-stance.js";
import { type LocationMismatch, locationMismatch } from "./location-mismatch.js";
import type { SiteInfrastructure, SitePage } from "./site-page.js";
import { combineReasons } from "./site-reasons.js";

/** Weights of the fake-outlet signs (combined by noisy-or, see `combineReasons`). */
export const FAKE_OUTLET_WEIGHTS = {
  /** Text a language model leaves when pasted unread. */
  aiLeftovers: 0.45,
  /** An article near-copied from another site. */
  copiedArticle: 0.3,
  /** An article rewritten from another site's (words kept, order changed). */
  rewrittenArticle: 0.25,
  /** Registered less than `YOUNG_DOMAIN_DAYS` before the capture. */
  youngDomain: 0.25,
  /** Registered less than a year before the capture. */
  recentDomain: 0.1,
  /** Both sides' framing of divisive issues in different articles. */
  bothSides: 0.2,
  /** An about page of stock phrases. */
  boilerplateAbout: 0.15,
  /** Articles and not one named author. */
  noAuthors: 0.15,
  /**
   * The domain's registrant (RDAP, not a privacy service) is in another country than the
   * one the site says it is in. Alone below `FAKE_OUTLET_MIN_SCORE`: a real outlet can be
   * registered by a foreign parent company.
   */
  claimedLocationRegistrant: 0.25,
  /**
   * The network the pages came from (RDAP IP, not a CDN's or cloud's) is registered in
   * another country than the one claimed: weaker, as outlets rent servers abroad.
   */
  claimedLocationNetwork: 0.15,
  /** Name or mail servers under another country's ccTLD: weakest, a DNS host's choice. */
  claimedLocationCcTld: 0.05,
} as const;

/** A site scoring below this is not reported as a fake outlet. */
export const FAKE_OUTLET_MIN_SCORE = 0.3;
export const YOUNG_DOMAIN_DAYS = 90;
/** Article pages a site needs before "no named authors" is said of it. */
export const MIN_ARTICLES_FOR_AUTHORS = 2;
/** Article text shorter than this is not an article (a home page's teaser list). */
export const MIN_ARTICLE_TEXT = 600;
/** Text scanned for language-model leftovers, per page. */
export const MAX_SCANNED_TEXT = 100_000;

/**
 * Phrases a language model writes that no editor would publish, and fragments of the
 * prompts operators paste by mistake (reported of the 2024 Iranian sites and of AI
 * "news" farms: "As an AI language model…", "Please rewrite this article from a
 * conservative perspective").
 */
export const AI_LEFTOVERS: readonly RegExp[] = [
  /\bas an ai(?: language)? model\b/i,
  /\bas an ai assistant\b/i,
  /\bi (?:cannot|can['’]t|can not|am unable to) (?:fulfill|fulfil|complete|comply with|assist with) (?:this|that|your) request\b/i,
  /\bi['’]m sorry,? but i (?:cannot|can['’]t)\b/i,
  /\bmy (?:knowledge|training) cut-?off\b/i,
  /\bas of my last (?:knowledge )?update\b/i,
  /\bregenerate response\b/i,
  /\b(?:please )?rewrite (?:this|the following) (?:article|text|news)\b/i,
  /\bhere is (?:a|the) rewritten (?:version|article)\b/i,
  /\b(?:from|with|in) an? (?:conservative|liberal|progressive|republican|democratic) (?:perspective|tone|stance|slant)\b/i,
  /\bcertainly!? here(?:['’]s| is) (?:a|the|your)\b/i,
];

/** Stock phrases of made-up "about us" pages. */
export const ABOUT_BOILERPLATE: readonly RegExp[] = [
  /\bteam of (?:passionate|dedicated|experienced)\b/i,
  /\bdedicated to (?:providing|bringing|delivering)\b/i,
  /\bour mission is to\b/i,
  /\bunbiased (?:news|reporting|information)\b/i,
  /\bwithout (?:bias|an agenda)\b/i,
  /\btrusted source\b/i,
  /\bstay informed\b/i,
  /\bdiverse (?:perspectives|viewpoints)\b/i,
  /\bcommitted to (?:delivering|providing)\b/i,
  /\bhigh-quality (?:content|journalism)\b/i,
  /\bwe strive to\b/i,
  /\blorem ipsum\b/i,
];
const ABOUT_PATH = /\/(?:about|about-us|who-we-are|our-story|mission)(?:[/.?#-]|$)/i;
/** Stock phrases an about page needs to count as boilerplate. */
export const MIN_BOILERPLATE_PHRASES = 2;

const T = (id: string, name: string): Technique => ({ framework: "DISARM", id, name });
/** Techniques every fake-outlet finding evidences; each rule adds its own. */
export const FAKE_OUTLET_TECHNIQUES: readonly Technique[] = [
  T("T0098.001", "Create Inauthentic News Sites"),
  T("T0097.202", "News Outlet Persona"),
];
export const RULE_TECHNIQUES: Readonly<Record<string, readonly Technique[]>> = {
  "ai-leftovers": [T("T0085.001", "Develop AI-Generated Text")],
  "copied-article": [T("T0084.002", "Plagiarise Content")],
  "rewritten-article": [
    T("T0084.002", "Plagiarise Content"),
    T("T0085.003", "Develop Inauthentic News Articles"),
  ],
  "both-sides": [T("T0081.006", "Identify Wedge Issues")],
  "boilerplate-about": [T("T0143.002", "Fabricated Persona")],
  "no-named-authors": [T("T0143.002", "Fabricated Persona")],
  "claimed-location-mismatch": [
    T("T0097.201", "Local Institution Persona"),
    T("T0143.002", "Fabricated Persona"),
  ],
};

/** The fake-outlet judgement of one site. */
export interface FakeOutletVerdict {
  site: string;
  score: number;
  reasons: Reason[];
  techniques: Technique[];
  /** Pages whose content fired a rule (observation ids). */
  observationIds: string[];
  /** Source articles named by the copy rules. */
  sources: Array<{ url: string; site: string }>;
  /** Where the site says it is, and the infrastructure elsewhere (when it fired). */
  location?: { claim: LocationClaim; mismatch?: LocationMismatch };
}

export interface FakeOutletContext {
  divisiveIssues?: readonly DivisiveIssue[];
  /** Registration facts per registrable domain (RDAP, when enriched). */
  infrastructure?: ReadonlyMap<string, SiteInfrastructure>;
  /** Copies found in the corpus (`findArticleCopies`). */
  copies?: readonly ArticleCopy[];
  /** Protected outlets' sites: never judged. */
  protectedSites?: ReadonlySet<string>;
}

/**
 * Judges each site of `pages` for the signs of a made-up news outlet: language-model
 * leftovers, articles copied or rewritten from other sites (naming the source), a young
 * domain (when registration data is given), both sides' framing of divisive issues, a
 * boilerplate about page, articles with no named author, a claimed location that the
 * registrant's or hosting network's country contradicts. Each sign is a weighted reason;
 * sites scoring `FAKE_OUTLET_MIN_SCORE` or more are returned, best first.
 */
export function judgeFakeOutlets(
  pages: readonly SitePage[],
  context: FakeOutletContext = {},
): FakeOutletVerdict[] {
  const bySite = new Map<string, SitePage[]>();
  for (const p of pages) {
    if (context.protectedSites?.has(p.site) === true) continue;
    const list = bySite.get(p.site);
    if (list === undefined) bySite.set(p.site, [p]);
    else list.push(p);
  }
  const copiesOf = new Map<string, ArticleCopy[]>();
  for (const c of context.copies ?? []) {
    const list = copiesOf.get(c.copy.site);
    if (list === undefined) copiesOf.set(c.copy.site, [c]);
    else list.push(c);
  }
  const issues = context.divisiveIssues ?? [];
  const matchers = issueMatchers(issues);
  const out: FakeOutletVerdict[] = [];
  for (const [site, sitePages] of bySite) {
    const parts: Reason[] = [];
    const fired = new Set<string>();
    const rules = new Set<string>();
    const add = (rule: string, reason: Omit<Reason, "rule">, pagesFired: SitePage[]) => {
      parts.push({ rule, ...reason });
      rules.add(rule);
      for (const p of pagesFired) fired.add(p.observationId);
    };
    const leftover = aiLeftover(sitePages);
    if (leftover !== undefined)
      add(
        "ai-leftovers",
        {
          feature: `"${leftover.quote}" on ${leftover.page.url}`,
          weight: FAKE_OUTLET_WEIGHTS.aiLeftovers,
          explanation:
            "The site published a language model's reply or the prompt given to it: its text is generated and not read by an editor.",
        },
        [leftover.page],
      );
    const sources: Array<{ url: string; site: string }> = [];
    const copies = copiesOf.get(site) ?? [];
    const near = copies.find((c) => c.kind === "near-copy");
    const rewrite = copies.find((c) => c.kind === "rewrite");
    for (const c of [near, rewrite]) {
      if (c === undefined) continue;
      sources.push({ url: c.source.url, site: c.source.site });
      const count = copies.filter((x) => x.kind === c.kind).length;
      const also = count > 1 ? ` (and ${count - 1} more)` : "";
      add(
        c.kind === "near-copy" ? "copied-article" : "rewritten-article",
        {
          feature: `${c.copy.url} ${c.kind === "near-copy" ? "copies" : "rewrites"} ${c.source.url} (word pairs ${c.pairs}, words ${c.words})${also}`,
          weight:
            c.kind === "near-copy"
              ? FAKE_OUTLET_WEIGHTS.copiedArticle
              : FAKE_OUTLET_WEIGHTS.rewrittenArticle,
          explanation: c.directionKnown
            ? `The article is ${c.kind === "near-copy" ? "a near copy" : "a rewrite"} of ${c.source.site}'s, published there first: the site passes others' reporting off as its own.`
            : `The article is ${c.kind === "near-copy" ? "a near copy" : "a rewrite"} of ${c.source.site}'s; which came first is not known.`,
        },
        [c.copy],
      );
    }
    const registered = context.infrastructure?.get(site)?.createdAt;
    if (registered !== undefined) {
      const captured = Math.min(...sitePages.map((p) => Date.parse(p.capturedAt)));
      const days = (captured - Date.parse(registered)) / 86_400_000;
      if (Number.isFinite(days) && days >= 0 && days < 365)
        add(
          "young-domain",
          {
            feature: `registered ${registered.slice(0, 10)}, ${Math.floor(days)} days before capture`,
            weight:
              days < YOUNG_DOMAIN_DAYS
                ? FAKE_OUTLET_WEIGHTS.youngDomain
                : FAKE_OUTLET_WEIGHTS.recentDomain,
            explanation:
              "A news outlet with a domain this new has no track record; operations register theirs weeks before an election.",
          },
          [],
        );
    }
    if (issues.length > 0) {
      const sides = new Map<Stance, { page: SitePage; issue: string; cues: string[] }>();
      for (const p of sitePages) {
        const text = p.page.article?.text;
        if (text === undefined) continue;
        const s = articleStance(text, issues, matchers);
        if (s !== undefined && !sides.has(s.stance))
          sides.set(s.stance, { page: p, issue: s.issue.name, cues: s.cues });
      }
      const left = sides.get("left");
      const right = sides.get("right");
      if (left !== undefined && right !== undefined)
        add(
          "both-sides",
          {
            feature: `${left.page.url} (${left.issue}: ${left.cues.slice(0, 3).join(", ")}) and ${right.page.url} (${right.issue}: ${right.cues.slice(0, 3).join(", ")})`,
            weight: FAKE_OUTLET_WEIGHTS.bothSides,
            explanation:
              "The site uses one side's framing of divisive issues in some articles and the other side's in others: it addresses both audiences to inflame each.",
          },
          [left.page, right.page],
        );
    }
    const about = sitePages.find((p) => ABOUT_PATH.test(pathOf(p.url)));
    if (about !== undefined) {
      const text = `${about.page.article?.text ?? ""} ${about.page.description ?? ""}`;
      const phrases = ABOUT_BOILERPLATE.map((r) => r.exec(text)?.[0]).filter(
        (m): m is string => m !== undefined,
      );
      if (phrases.length >= MIN_BOILERPLATE_PHRASES)
        add(
          "boilerplate-about",
          {
            feature: `${about.url}: ${phrases
              .slice(0, 4)
              .map((x) => `"${x}"`)
              .join(", ")}`,
            weight: FAKE_OUTLET_WEIGHTS.boilerplateAbout,
            explanation:
              "The about page is stock phrases and names no editor, owner or address that could be checked.",
          },
          [about],
        );
    }
    const articles = sitePages.filter(
      (p) => (p.page.article?.length ?? 0) >= MIN_ARTICLE_TEXT && !ABOUT_PATH.test(pathOf(p.url)),
    );
    if (
      articles.length >= MIN_ARTICLES_FOR_AUTHORS &&
      articles.every((p) => !p.page.author && !p.page.article?.byline)
    )
      add(
        "no-named-authors",
        {
          feature: `${articles.length} article pages, none with an author or byline`,
          weight: FAKE_OUTLET_WEIGHTS.noAuthors,
          explanation: "No article names its author: there is no journalist to check.",
        },
        [],
      );
    const claim = claimedLocation(sitePages);
    const mismatch =
      claim === undefined
        ? undefined
        : locationMismatch(claim, context.infrastructure?.get(site), {
            registrant: FAKE_OUTLET_WEIGHTS.claimedLocationRegistrant,
            network: FAKE_OUTLET_WEIGHTS.claimedLocationNetwork,
            ccTld: FAKE_OUTLET_WEIGHTS.claimedLocationCcTld,
          });
    if (mismatch !== undefined) {
      const claimPages = sitePages.filter((p) => mismatch.claim.clues.some((c) => c.url === p.url));
      add("claimed-location-mismatch", mismatchReason(mismatch), claimPages);
    }
    if (parts.length === 0) continue;
    const { score, reasons } = combineReasons(parts);
    if (score < FAKE_OUTLET_MIN_SCORE) continue;
    const techniques = new Map<string, Technique>();
    for (const t of FAKE_OUTLET_TECHNIQUES) techniques.set(t.id, t);
    for (const rule of rules) for (const t of RULE_TECHNIQUES[rule] ?? []) techniques.set(t.id, t);
    out.push({
      site,
      score,
      reasons,
      techniques: [...techniques.values()],
      observationIds: [...fired].sort(),
      sources,
      ...(claim === undefined
        ? {}
        : { location: mismatch === undefined ? { claim } : { claim, mismatch } }),
    });
  }
  return out.sort((a, b) => b.score - a.score || (a.site < b.site ? -1 : 1));
}

/** The reason of a location mismatch: what the site claims, where, and what disagrees. */
function mismatchReason(m: LocationMismatch): Omit<Reason, "rule"> {
  const { claim } = m;
  const clue = claim.clues[0];
  const said =
    clue === undefined
      ? "nothing"
      : `${clue.kind} on ${clue.url}: "${clue.snippet}"${claim.clues.length > 1 ? ` (and ${claim.clues.length - 1} more: ${[...new Set(claim.clues.slice(1).map((c) => c.kind))].join(", ")})` : ""}`;
  const others =
    claim.countries.length > 1 ? `; it also names ${claim.countries.slice(1).join(", ")}` : "";
  const shows = m.shows.map((s) => `${s.detail} +${s.weight}`).join("; ");
  const ignored = m.ignored.length > 0 ? `; not counted: ${m.ignored.join("; ")}` : "";
  const where = [...new Set(m.shows.map((s) => s.country))].join(" and ");
  const place = claim.place.endsWith(claim.country)
    ? claim.place
    : `${claim.place} (${claim.country})`;
  return {
    feature: `claims ${claim.country} (${claim.place}) but ${shows}${others}${ignored}; claimed by ${said}`,
    weight: m.weight,
    explanation: `The site presents itself as based in ${place}, but its ${m.shows
      .map((s) =>
        s.source === "registrant"
          ? "domain's registrant"
          : s.source === "hosting-network"
            ? "hosting network"
            : "DNS",
      )
      .join(
        " and ",
      )} ${m.shows.length > 1 ? "are" : "is"} in ${where}: operations abroad pose as local outlets, and a real local newsroom is usually registered where it works.`,
  };
}

function aiLeftover(pages: readonly SitePage[]): { page: SitePage; quote: string } | undefined {
  for (const page of pages) {
    const p = page.page;
    const text = [p.title, p.description, p.article?.title, p.article?.text]
      .filter((t) => t !== undefined)
      .join("\n")
      .slice(0, MAX_SCANNED_TEXT);
    for (const pattern of AI_LEFTOVERS) {
      const m = pattern.exec(text);
      if (m !== null) {
        const from = Math.max(0, m.index - 40);
        const quote = text
          .slice(from, m.index + m[0].length + 60)
          .replace(/\s+/g, " ")
          .trim();
        return { page, quote: `${from > 0 ? "…" : ""}${quote}…` };
      }
    }
  }
  return undefined;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}
