import {
  discount,
  IDENTIFIER_RULES,
  type IdentifierKind,
  type LinkClass,
  MERGE_THRESHOLD,
  type SiteIdentifiers,
  sharedPattern,
} from "./site-identifiers.js";

/** One shared value that ties sites of a network together. */
export interface NetworkLink {
  kind: IdentifierKind;
  class: LinkClass;
  value: string;
  /** The network's sites that share it, sorted. */
  sites: string[];
  /** Sites of the whole corpus that share it (what the discount is computed on). */
  sharedBy: number;
  /** Its weight after the discount. */
  weight: number;
  /** Whether it merges sites on its own (weight ≥ `MERGE_THRESHOLD`). */
  decisive: boolean;
}

/** Two sites merged by associative values together, none decisive alone. */
export interface CombinedLink {
  sites: [string, string];
  /** Noisy-or of the strongest value of each family the two share. */
  weight: number;
  values: Array<{ kind: IdentifierKind; value: string; weight: number }>;
}

/** Sites run by one owner, as far as their shared identifiers show. */
export interface SiteNetwork {
  /** The first of `sites`: a stable name for the network. */
  key: string;
  sites: string[];
  /** Values shared inside the network, strongest first (at most `MAX_LINKS_LISTED`). */
  links: NetworkLink[];
  /** Pairs merged only by associative values together. */
  combined: CombinedLink[];
}

/** A shared value that merges nothing because many unrelated sites share it. */
export interface IgnoredValue {
  kind: IdentifierKind;
  value: string;
  sharedBy: number;
  why: string;
}

export interface NetworkResult {
  networks: SiteNetwork[];
  sites: number;
  /** Values shared by two sites or more. */
  sharedValues: number;
  /** The most widely shared values that were discounted to nothing, most shared first. */
  ignored: IgnoredValue[];
  /** Site pairs weighed through associative values (the work done beyond indexing). */
  pairsWeighed: number;
}

export interface NetworkOptions {
  /**
   * Registrable domains of protected outlets. They are not nodes, and a value seen on one
   * of them links nothing: a clone copies the real outlet's page with its analytics IDs,
   * and two unrelated copy-cats of one outlet must not merge through the outlet's IDs.
   */
  protectedSites?: ReadonlySet<string>;
  /** Values listed per network (default `MAX_LINKS_LISTED`). */
  maxLinks?: number;
}

/** Links listed per network; the network keeps all its sites. */
export const MAX_LINKS_LISTED = 50;
/** Combined pairs listed per network. */
export const MAX_COMBINED_LISTED = 20;
/** Ignored values reported. */
export const MAX_IGNORED_LISTED = 20;

/**
 * Clusters sites into networks through the identifiers they share. Each shared value is
 * weighed by its kind (`IDENTIFIER_RULES`) times the discount for the number of sites
 * sharing it (`discount`); a value matching a known CDN, DNS provider or popular-theme
 * pattern (`sharedPattern`) counts for nothing. Sites sharing a value that is decisive on
 * its own are merged at once (union–find over the value's sites, no pairs); values too
 * weak alone are weighed per pair of sites — within a family the strongest, across
 * families noisy-or — and pairs reaching `MERGE_THRESHOLD` are merged. Time is linear in
 * the number of (site, value) entries plus the pairs of the weak values, which the
 * discount bounds (no value below weight 0 has more than `DISCOUNT.*.zeroFrom` sites).
 */
export function findSiteNetworks(
  input: readonly SiteIdentifiers[],
  options: NetworkOptions = {},
): NetworkResult {
  const protectedSites = options.protectedSites ?? new Set<string>();
  const maxLinks = options.maxLinks ?? MAX_LINKS_LISTED;
  // Sites and values interned to numbers; a site given twice has its values joined.
  const siteIndex = new Map<string, number>();
  const siteNames: string[] = [];
  const valueIndex = new Map<string, number>();
  const valueKinds: IdentifierKind[] = [];
  const valueTexts: string[] = [];
  const valueSites: number[][] = [];
  const poisoned = new Set<number>();
  for (const { site, identifiers } of input) {
    const isProtected = protectedSites.has(site);
    let s = -1;
    if (!isProtected) {
      s = siteIndex.get(site) ?? -1;
      if (s === -1) {
        s = siteNames.length;
        siteIndex.set(site, s);
        siteNames.push(site);
      }
    }
    for (const { kind, value } of identifiers) {
      const key = `${kind}\u0000${value}`;
      let v = valueIndex.get(key);
      if (v === undefined) {
        v = valueKinds.length;
        valueIndex.set(key, v);
        valueKinds.push(kind);
        valueTexts.push(value);
        valueSites.push([]);
      }
      if (isProtected) {
        poisoned.add(v);
        continue;
      }
      const list = valueSites[v] as number[];
      if (list[list.length - 1] !== s) list.push(s);
    }
  }
  const n = siteNames.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[x] !== r) {
      const next = parent[x] as number;
      parent[x] = r;
      x = next;
    }
    return r;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };

  // Deduplicate each value's sites (a site joined from two inputs may repeat) and weigh it.
  const weights = new Float64Array(valueKinds.length);
  const ignored: IgnoredValue[] = [];
  let sharedValues = 0;
  for (let v = 0; v < valueKinds.length; v++) {
    let list = valueSites[v] as number[];
    if (list.length > 1) {
      list = [...new Set(list)];
      valueSites[v] = list;
    }
    if (list.length < 2) continue;
    sharedValues++;
    const kind = valueKinds[v] as IdentifierKind;
    const rule = IDENTIFIER_RULES[kind];
    const value = valueTexts[v] as string;
    const why = poisoned.has(v)
      ? "seen on a protected outlet's own site (copied)"
      : sharedPattern(kind, value);
    const w = why === undefined ? rule.weight * discount(list.length, rule.class) : 0;
    weights[v] = w;
    if (w === 0)
      ignored.push({
        kind,
        value,
        sharedBy: list.length,
        why: why ?? `shared by ${list.length} sites, too many to tell an owner`,
      });
  }

  // Decisive values: union their sites. Weak ones: weighed per pair, family by family.
  const byFamily = new Map<string, number[]>();
  for (let v = 0; v < valueKinds.length; v++) {
    const w = weights[v] as number;
    if (w <= 0) continue;
    const list = valueSites[v] as number[];
    if (w >= MERGE_THRESHOLD) {
      for (let i = 1; i < list.length; i++) union(list[0] as number, list[i] as number);
      continue;
    }
    const family = IDENTIFIER_RULES[valueKinds[v] as IdentifierKind].family;
    const values = byFamily.get(family) ?? [];
    values.push(v);
    byFamily.set(family, values);
  }
  /** 1 − combined weight of each weighed pair (key `a * n + b`, a < b). */
  const pairRest = new Map<number, number>();
  for (const values of byFamily.values()) {
    const strongest = new Map<number, number>();
    for (const v of values) {
      const w = weights[v] as number;
      const list = valueSites[v] as number[];
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const a = list[i] as number;
          const b = list[j] as number;
          const key = a < b ? a * n + b : b * n + a;
          if ((strongest.get(key) ?? 0) < w) strongest.set(key, w);
        }
      }
    }
    for (const [key, w] of strongest) pairRest.set(key, (pairRest.get(key) ?? 1) * (1 - w));
  }
  const combinedPairs: number[] = [];
  for (const [key, rest] of pairRest) {
    if (1 - rest >= MERGE_THRESHOLD - 1e-12) {
      const a = Math.floor(key / n);
      const b = key - a * n;
      if (find(a) !== find(b)) combinedPairs.push(key);
      union(a, b);
    }
  }

  // Networks: components of two sites or more, with the values shared inside each.
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const list = members.get(r);
    if (list === undefined) members.set(r, [i]);
    else list.push(i);
  }
  const links = new Map<number, NetworkLink[]>();
  for (let v = 0; v < valueKinds.length; v++) {
    const w = weights[v] as number;
    if (w <= 0) continue;
    const groups = new Map<number, number[]>();
    for (const s of valueSites[v] as number[]) {
      const r = find(s);
      const g = groups.get(r);
      if (g === undefined) groups.set(r, [s]);
      else g.push(s);
    }
    for (const [r, sites] of groups) {
      if (sites.length < 2) continue;
      const kind = valueKinds[v] as IdentifierKind;
      const list = links.get(r) ?? [];
      list.push({
        kind,
        class: IDENTIFIER_RULES[kind].class,
        value: valueTexts[v] as string,
        sites: sites.map((s) => siteNames[s] as string).sort(),
        sharedBy: (valueSites[v] as number[]).length,
        weight: round(w),
        decisive: w >= MERGE_THRESHOLD,
      });
      links.set(r, list);
    }
  }
  // The weak values of the sites in combined pairs, read in one pass (the pairs are few).
  const needed = new Set<number>();
  for (const key of combinedPairs) needed.add(Math.floor(key / n));
  const weakOf = new Map<number, number[]>();
  for (const values of byFamily.values())
    for (const v of values)
      for (const s of valueSites[v] as number[]) {
        if (!needed.has(s)) continue;
        const list = weakOf.get(s);
        if (list === undefined) weakOf.set(s, [v]);
        else list.push(v);
      }
  const combinedLink = (a: number, b: number): CombinedLink => {
    const best = new Map<string, { kind: IdentifierKind; value: string; weight: number }>();
    for (const v of weakOf.get(a) ?? []) {
      if (!(valueSites[v] as number[]).includes(b)) continue;
      const kind = valueKinds[v] as IdentifierKind;
      const family = IDENTIFIER_RULES[kind].family;
      const w = weights[v] as number;
      if ((best.get(family)?.weight ?? 0) < w)
        best.set(family, { kind, value: valueTexts[v] as string, weight: round(w) });
    }
    const values = [...best.values()].sort((x, y) => y.weight - x.weight);
    const rest = values.reduce((acc, x) => acc * (1 - x.weight), 1);
    const [x, y] = [siteNames[a] as string, siteNames[b] as string].sort() as [string, string];
    return { sites: [x, y], weight: round(1 - rest), values };
  };
  const combined = new Map<number, CombinedLink[]>();
  for (const key of combinedPairs) {
    const a = Math.floor(key / n);
    const b = key - a * n;
    const r = find(a);
    const list = combined.get(r) ?? [];
    if (list.length >= MAX_COMBINED_LISTED) continue;
    list.push(combinedLink(a, b));
    combined.set(r, list);
  }

  const networks: SiteNetwork[] = [];
  for (const [r, list] of members) {
    if (list.length < 2) continue;
    const sites = list.map((s) => siteNames[s] as string).sort();
    const networkLinks = (links.get(r) ?? []).sort(
      (x, y) => y.weight - x.weight || y.sites.length - x.sites.length,
    );
    networks.push({
      key: sites[0] as string,
      sites,
      links: networkLinks.slice(0, maxLinks),
      combined: combined.get(r) ?? [],
    });
  }
  networks.sort((x, y) => y.sites.length - x.sites.length || (x.key < y.key ? -1 : 1));
  ignored.sort((x, y) => y.sharedBy - x.sharedBy);
  return {
    networks,
    sites: n,
    sharedValues,
    ignored: ignored.slice(0, MAX_IGNORED_LISTED),
    pairsWeighed: pairRest.size,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
