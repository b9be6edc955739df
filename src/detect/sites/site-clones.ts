import { parseDomain, type Reason } from "../../model/index.js";
import type { LookalikeIndex, LookalikeMatch, ProtectedOutlet } from "../domains/index.js";
import type { SitePage } from "./site-page.js";
import { combineReasons } from "./site-reasons.js";

/** A page on a lookalike domain that copies a protected outlet's page. */
export interface CloneMatch {
  page: SitePage;
  outlet: ProtectedOutlet;
  /** The outlet's page it resembles most. */
  reference: SitePage;
  lookalike: LookalikeMatch;
  /** Page similarity alone (the reasons other than the domain), 0..1. */
  similarity: number;
  score: number;
  reasons: Reason[];
}

/**
 * Weights of the clone rules. The domain's own lookalike score counts for a quarter at
 * most; the rest is how much of the real outlet's page was copied.
 */
export const CLONE_WEIGHTS = {
  /** × the lookalike score of the domain. */
  lookalikeDomain: 0.3,
  /** Same DOM structure hash (the same template), or × the MinHash agreement ≥ 0.5. */
  domStructure: 0.35,
  /** × the Jaccard of the CSS class vocabularies, when ≥ 0.3. */
  cssVocabulary: 0.3,
  /** The same favicon bytes (mmh3); a near picture (dHash within 10 bits) gets 0.75 of it. */
  favicon: 0.25,
  /** The title or site name names the outlet, or equals the real page's site name. */
  outletName: 0.15,
  /** × the Jaccard of outgoing link hosts (copied navigation and footer), when ≥ 0.5. */
  navigation: 0.1,
} as const;

/** A page resembling the outlet's less than this (without the domain) is not a clone. */
export const MIN_CLONE_SIMILARITY = 0.35;
/** Lookalike matches below this score are not considered (the page must do the rest). */
export const MIN_CLONE_LOOKALIKE_SCORE = 0.3;
/** Reference pages compared per outlet: the outlet's most structured pages. */
export const MAX_REFERENCES_PER_OUTLET = 20;
/** dHash bits that may differ for two favicons to count as the same picture. */
export const FAVICON_DHASH_BITS = 10;

/**
 * Finds clones of protected outlets among `pages`: a page whose domain is a lookalike of
 * an outlet (`LookalikeIndex.match`) and whose page resembles a captured page of that
 * outlet's own domains in the same corpus. Without a reference capture of the outlet
 * nothing is found: the domain alone is the domains detector's finding. One match per
 * host and outlet (its best page).
 */
export function findClones(pages: readonly SitePage[], index: LookalikeIndex): CloneMatch[] {
  const outletOf = new Map<string, ProtectedOutlet>();
  for (const outlet of index.outlets)
    for (const raw of outlet.domains) {
      const parsed = parseDomain(raw);
      if (parsed.ok) outletOf.set(parsed.domain.registrable, outlet);
    }
  const references = new Map<string, SitePage[]>();
  for (const p of pages) {
    const outlet = outletOf.get(p.site);
    if (outlet === undefined || p.page.structure === undefined) continue;
    const list = references.get(outlet.id) ?? [];
    if (list.length < MAX_REFERENCES_PER_OUTLET) list.push(p);
    references.set(outlet.id, list);
  }
  if (references.size === 0) return [];
  const best = new Map<string, CloneMatch>();
  const matchesOf = new Map<string, LookalikeMatch[]>();
  for (const p of pages) {
    if (outletOf.has(p.site)) continue;
    let matches = matchesOf.get(p.host);
    if (matches === undefined) {
      const parsed = parseDomain(p.host);
      matches = parsed.ok
        ? index
            .match(parsed.domain, MIN_CLONE_LOOKALIKE_SCORE)
            .filter((m) => references.has(m.outlet.id))
        : [];
      matchesOf.set(p.host, matches);
    }
    for (const m of matches) {
      for (const ref of references.get(m.outlet.id) ?? []) {
        const clone = judgeClone(p, ref, m);
        if (clone === undefined) continue;
        const key = `${p.host}\u0000${m.outlet.id}`;
        const prior = best.get(key);
        if (prior === undefined || clone.score > prior.score) best.set(key, clone);
      }
    }
  }
  return [...best.values()].sort(
    (a, b) => b.score - a.score || (a.page.host < b.page.host ? -1 : 1),
  );
}

/** How much `page` copies `ref` (a page of the outlet `m` names), or undefined when too little. */
export function judgeClone(
  page: SitePage,
  ref: SitePage,
  m: LookalikeMatch,
): CloneMatch | undefined {
  const parts: Array<Omit<Reason, "weight"> & { weight: number }> = [];
  const a = page.page;
  const b = ref.page;
  if (a.structure !== undefined && b.structure !== undefined) {
    if (a.structure.hash === b.structure.hash) {
      parts.push({
        rule: "same-dom-structure",
        feature: `DOM structure ${a.structure.hash.slice(0, 12)}… equal to ${ref.url}`,
        weight: CLONE_WEIGHTS.domStructure,
        explanation: `The page is built from exactly the same tag structure as ${ref.url}, the real outlet's page.`,
      });
    } else {
      const agree = minhashAgreement(a.structure.minhash, b.structure.minhash);
      if (agree >= 0.5)
        parts.push({
          rule: "similar-dom-structure",
          feature: `DOM structure ${pct(agree)} similar to ${ref.url}`,
          weight: CLONE_WEIGHTS.domStructure * agree,
          explanation: `About ${pct(agree)} of the page's tag paths are the real outlet's (MinHash estimate).`,
        });
    }
  }
  if (a.cssClasses !== undefined && b.cssClasses !== undefined) {
    const j = jaccardStrings(a.cssClasses.vocabulary, b.cssClasses.vocabulary);
    if (j >= 0.3 && Math.min(a.cssClasses.vocabulary.length, b.cssClasses.vocabulary.length) >= 5)
      parts.push({
        rule: "css-vocabulary",
        feature: `CSS class vocabulary Jaccard ${j.toFixed(2)} with ${ref.url} (${a.cssClasses.vocabulary.length} and ${b.cssClasses.vocabulary.length} classes)`,
        weight: CLONE_WEIGHTS.cssVocabulary * j,
        explanation:
          "The page uses the real outlet's own CSS class names: its style sheet was copied.",
      });
  }
  if (page.favicon !== undefined && ref.favicon !== undefined) {
    if (page.favicon.mmh3 === ref.favicon.mmh3)
      parts.push({
        rule: "favicon-copied",
        feature: `favicon mmh3 ${page.favicon.mmh3} equal to the outlet's`,
        weight: CLONE_WEIGHTS.favicon,
        explanation: "The site serves the real outlet's favicon, byte for byte.",
      });
    else if (
      page.favicon.dhash !== undefined &&
      ref.favicon.dhash !== undefined &&
      hamming(page.favicon.dhash, ref.favicon.dhash) <= FAVICON_DHASH_BITS
    )
      parts.push({
        rule: "favicon-look-alike",
        feature: `favicon dHash ${page.favicon.dhash} within ${hamming(page.favicon.dhash, ref.favicon.dhash)} bits of the outlet's`,
        weight: CLONE_WEIGHTS.favicon * 0.75,
        explanation: "The favicon is a near copy of the real outlet's picture.",
      });
  }
  const named = namesOutlet(page, ref, m.outlet);
  if (named !== undefined)
    parts.push({
      rule: "outlet-name-copied",
      feature: named,
      weight: CLONE_WEIGHTS.outletName,
      explanation: `The page presents itself as ${m.outlet.name}.`,
    });
  const hosts = jaccardStrings(a.links?.hosts ?? [], b.links?.hosts ?? []);
  if (hosts >= 0.5 && (a.links?.hosts.length ?? 0) >= 3)
    parts.push({
      rule: "navigation-copied",
      feature: `outgoing link hosts Jaccard ${hosts.toFixed(2)} with ${ref.url}`,
      weight: CLONE_WEIGHTS.navigation * hosts,
      explanation: "Its navigation and footer link to the same places as the real outlet's.",
    });
  const similarity = 1 - parts.reduce((rest, p) => rest * (1 - p.weight), 1);
  if (similarity < MIN_CLONE_SIMILARITY) return undefined;
  parts.unshift({
    rule: `lookalike-${m.rule}`,
    feature: `${page.host} imitates ${m.protectedDomain} (domain score ${m.score.toFixed(2)})`,
    weight: CLONE_WEIGHTS.lookalikeDomain * m.score,
    explanation: `The domain passes for ${m.outlet.name}'s ${m.protectedDomain}: ${m.reasons[0]?.explanation ?? m.rule}`,
  });
  const { score, reasons } = combineReasons(parts);
  return { page, outlet: m.outlet, reference: ref, lookalike: m, similarity, score, reasons };
}

function namesOutlet(page: SitePage, ref: SitePage, outlet: ProtectedOutlet): string | undefined {
  const own = [
    page.page.title,
    page.page.openGraph?.["og:site_name"],
    page.page.article?.title,
  ].filter((t): t is string => t !== undefined && t !== "");
  const names = [outlet.name, ...(outlet.aliases ?? [])].map((n) => n.toLowerCase());
  for (const text of own) {
    const lower = text.toLowerCase();
    const name = names.find((n) => n.length >= 3 && lower.includes(n));
    if (name !== undefined) return `"${text.slice(0, 120)}" names ${outlet.name}`;
  }
  const refSite = ref.page.openGraph?.["og:site_name"];
  if (refSite !== undefined && page.page.openGraph?.["og:site_name"] === refSite)
    return `og:site_name "${refSite.slice(0, 120)}" as on the real outlet`;
  if (ref.page.title !== undefined && page.page.title === ref.page.title)
    return `title "${ref.page.title.slice(0, 120)}" as on the real outlet`;
  return undefined;
}

/** Share of equal positions of two MinHash signatures: an estimate of their Jaccard. */
export function minhashAgreement(a: readonly number[], b: readonly number[]): number {
  const len = Math.min(a.length, b.length);
  if (len === 0) return 0;
  let same = 0;
  for (let i = 0; i < len; i++) if (a[i] === b[i]) same++;
  return same / len;
}

/** Jaccard similarity of two lists of strings, as sets. */
export function jaccardStrings(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  let common = 0;
  const seen = new Set<string>();
  for (const x of b) {
    if (seen.has(x)) continue;
    seen.add(x);
    if (set.has(x)) common++;
  }
  return common / (set.size + seen.size - common);
}

/** Bits that differ between two hex strings of equal length (Infinity when they cannot be compared). */
export function hamming(a: string, b: string): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    let x = Number.parseInt(a[i] as string, 16) ^ Number.parseInt(b[i] as string, 16);
    if (Number.isNaN(x)) return Number.POSITIVE_INFINITY;
    while (x !== 0) {
      bits += x & 1;
      x >>= 1;
    }
  }
  return bits;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
