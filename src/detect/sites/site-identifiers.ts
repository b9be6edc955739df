/*
 * The identifiers that link web sites to one owner, how conclusive each is, and the
 * discount that keeps values shared by many unrelated sites (a CDN's address, a popular
 * theme, a hosting company's name servers) from merging them. See docs/sites.md
 * ("Networks") for the rule in prose.
 */
import { isSharedNameServer } from "../domains/index.js";
import { type SiteInfrastructure, type SitePage, siteOf } from "./site-page.js";

/** How much one shared value says about common ownership. */
export type LinkClass = "conclusive" | "associative";

/** A kind of identifier two sites can share. */
export type IdentifierKind =
  | "google-analytics"
  | "tag-manager"
  | "adsense"
  | "facebook-pixel"
  | "yandex-metrica"
  | "site-verification"
  | "bitcoin-wallet"
  | "ethereum-wallet"
  | "tls-certificate"
  | "tls-san-set"
  | "ip-address"
  | "name-servers"
  | "registrar-window"
  | "favicon"
  | "dom-template"
  | "css-vocabulary"
  | "cms-theme";

export interface IdentifierRule {
  class: LinkClass;
  /** Weight of a value shared by few sites (before the discount), 0..1. */
  weight: number;
  /**
   * Kinds of one family measure the same thing (a template gives the same DOM, CSS
   * classes and theme): between two sites only the strongest of a family counts.
   */
  family: string;
  /** What the value is, for explanations. */
  label: string;
}

/**
 * Base weights. Conclusive kinds are accounts or keys only the owner holds (an
 * analytics property, an ad publisher id, a verification token the owner pasted, a
 * wallet paid into, a certificate whose key serves both sites): one alone merges two
 * sites. Associative kinds are infrastructure or look that unrelated sites also share
 * by chance or by product choice: they merge only together (see `MERGE_THRESHOLD`).
 */
export const IDENTIFIER_RULES: Readonly<Record<IdentifierKind, IdentifierRule>> = {
  "google-analytics": {
    class: "conclusive",
    weight: 0.95,
    family: "google-analytics",
    label: "Google Analytics ID",
  },
  "tag-manager": {
    class: "conclusive",
    weight: 0.9,
    family: "tag-manager",
    label: "Google Tag Manager container",
  },
  adsense: { class: "conclusive", weight: 0.95, family: "adsense", label: "AdSense publisher ID" },
  "facebook-pixel": {
    class: "conclusive",
    weight: 0.9,
    family: "facebook-pixel",
    label: "Facebook pixel",
  },
  "yandex-metrica": {
    class: "conclusive",
    weight: 0.9,
    family: "yandex-metrica",
    label: "Yandex Metrica counter",
  },
  "site-verification": {
    class: "conclusive",
    weight: 0.95,
    family: "site-verification",
    label: "site-verification token",
  },
  "bitcoin-wallet": {
    class: "conclusive",
    weight: 0.95,
    family: "wallet",
    label: "Bitcoin wallet",
  },
  "ethereum-wallet": {
    class: "conclusive",
    weight: 0.9,
    family: "wallet",
    label: "Ethereum wallet",
  },
  "tls-certificate": {
    class: "conclusive",
    weight: 0.9,
    family: "certificate",
    label: "TLS certificate (same leaf)",
  },
  "tls-san-set": {
    class: "conclusive",
    weight: 0.85,
    family: "certificate",
    label: "multi-domain certificate naming the same sites",
  },
  "ip-address": { class: "associative", weight: 0.3, family: "address", label: "IP address" },
  "name-servers": {
    class: "associative",
    weight: 0.15,
    family: "name-servers",
    label: "name servers",
  },
  "registrar-window": {
    class: "associative",
    weight: 0.2,
    family: "registration",
    label: "registrar and registration week",
  },
  favicon: { class: "associative", weight: 0.3, family: "favicon", label: "favicon (mmh3)" },
  "dom-template": {
    class: "associative",
    weight: 0.25,
    family: "template",
    label: "DOM structure",
  },
  "css-vocabulary": {
    class: "associative",
    weight: 0.2,
    family: "template",
    label: "CSS class vocabulary",
  },
  "cms-theme": { class: "associative", weight: 0.1, family: "template", label: "CMS theme" },
};

/**
 * Two sites whose shared values combine (noisy-or across families, the strongest within
 * a family) to at least this are merged: any one conclusive value does it; associative
 * values need three or four families together (address + favicon + template = 0.63).
 */
export const MERGE_THRESHOLD = 0.6;

/**
 * The IDF-like discount, by class: a value shared by at most `fullUpTo` sites of the
 * corpus keeps its whole weight; from there its weight falls with the logarithm of the
 * number of sites sharing it, to nothing at `zeroFrom`:
 *
 *   discount(n) = 1                                   n ≤ fullUpTo
 *               = ln(zeroFrom / n) / ln(zeroFrom / fullUpTo)   fullUpTo < n < zeroFrom
 *               = 0                                   n ≥ zeroFrom
 *
 * An operator rarely runs more than a few dozen sites on one analytics account, while a
 * theme demo's leftover ID or a widget's key is pasted on hundreds. Operations put a
 * handful to a dozen sites on one server (the five 2024 Iranian sites shared theirs), so
 * associative values keep full weight up to ten sites; shared by fifty or more captured
 * sites, an address, name server or template is a host's or a product's.
 */
export const DISCOUNT: Readonly<Record<LinkClass, { fullUpTo: number; zeroFrom: number }>> = {
  conclusive: { fullUpTo: 20, zeroFrom: 200 },
  associative: { fullUpTo: 10, zeroFrom: 50 },
};

/** The discount of a value shared by `n` sites (see `DISCOUNT`). */
export function discount(n: number, linkClass: LinkClass): number {
  const { fullUpTo, zeroFrom } = DISCOUNT[linkClass];
  if (n <= fullUpTo) return 1;
  if (n >= zeroFrom) return 0;
  return Math.log(zeroFrom / n) / Math.log(zeroFrom / fullUpTo);
}

/** Values of one kind kept per site: more is noise or an attack on the index. */
export const MAX_VALUES_PER_KIND = 50;
/** A certificate naming more registrable domains than this is a CDN's or host's shared one. */
export const MAX_CERTIFICATE_SITES = 50;
/** Fewer distinct CSS classes than this is too little vocabulary to say anything. */
export const MIN_CSS_CLASSES = 10;
/** Registration dates are compared by this window (days), as `registrar|window index`. */
export const REGISTRATION_WINDOW_DAYS = 7;

/**
 * Content delivery networks' and big shared hosts' address ranges (IPv4 CIDR, IPv6
 * prefix): thousands of unrelated sites answer from them, so sharing one says nothing.
 * Cloudflare, Fastly, Akamai (part), Amazon CloudFront (part), Google Cloud CDN front ends.
 */
export const SHARED_ADDRESS_RANGES: readonly string[] = [
  "104.16.0.0/13",
  "104.24.0.0/14",
  "172.64.0.0/13",
  "162.158.0.0/15",
  "188.114.96.0/20",
  "190.93.240.0/20",
  "141.101.64.0/18",
  "108.162.192.0/18",
  "198.41.128.0/17",
  "173.245.48.0/20",
  "103.21.244.0/22",
  "103.22.200.0/22",
  "103.31.4.0/22",
  "197.234.240.0/22",
  "131.0.72.0/22",
  "151.101.0.0/16",
  "199.232.0.0/16",
  "23.235.32.0/20",
  "13.32.0.0/15",
  "13.224.0.0/14",
  "18.64.0.0/14",
  "52.84.0.0/15",
  "99.84.0.0/16",
  "23.32.0.0/11",
  "2606:4700:",
  "2803:f800:",
  "2a06:98c0:",
  "2a04:4e42:",
  "2600:9000:",
];

/** Free themes installed on a great many sites: sharing one says nothing. */
export const POPULAR_THEMES: ReadonlySet<string> = new Set([
  "twentytwentyfive",
  "twentytwentyfour",
  "twentytwentythree",
  "twentytwentytwo",
  "twentytwentyone",
  "twentytwenty",
  "twentynineteen",
  "twentyseventeen",
  "astra",
  "generatepress",
  "hello-elementor",
  "oceanwp",
  "kadence",
  "neve",
  "divi",
  "avada",
  "newspaper",
  "jnews",
  "colormag",
  "newsup",
  "blocksy",
  "sydney",
]);

/** One identifier value, `kind` + `value`, before it is shared. */
export interface SiteIdentifier {
  kind: IdentifierKind;
  value: string;
}

/** The identifiers of one site (registrable domain), from all its captured pages. */
export interface SiteIdentifiers {
  site: string;
  identifiers: SiteIdentifier[];
}

/** Why a value shared by several sites contributes nothing, or undefined when it counts. */
export function sharedPattern(kind: IdentifierKind, value: string): string | undefined {
  if (kind === "ip-address" && isSharedAddress(value)) return "a CDN or shared host's address";
  if (kind === "name-servers" && value.split(",").every((ns) => isSharedNameServer(ns)))
    return "a DNS provider's name servers";
  if (kind === "cms-theme" && POPULAR_THEMES.has(value.replace(/^[^:]*:/, "")))
    return "a popular free theme";
  return undefined;
}

const PARSED_RANGES = SHARED_ADDRESS_RANGES.filter((r) => r.includes("/")).map((r) => {
  const [base, bits] = r.split("/") as [string, string];
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { net: (ipv4ToInt(base) ?? 0) & mask, mask };
});
const V6_PREFIXES = SHARED_ADDRESS_RANGES.filter((r) => !r.includes("/"));

/** Whether an address is in `SHARED_ADDRESS_RANGES`. */
export function isSharedAddress(address: string): boolean {
  const v4 = ipv4ToInt(address);
  if (v4 !== undefined) return PARSED_RANGES.some((r) => (v4 & r.mask) >>> 0 === r.net >>> 0);
  const lower = address.toLowerCase();
  return V6_PREFIXES.some((p) => lower.startsWith(p));
}

function ipv4ToInt(address: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (m === null) return undefined;
  let out = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    out = out * 256 + octet;
  }
  return out >>> 0;
}

/**
 * The identifiers of each site in `pages` (grouped by registrable domain), with the
 * enrichers' facts where given. Universal Analytics IDs are cut to the account
 * (`UA-12345678-2` → `UA-12345678`): one account's properties belong to one owner.
 * A certificate counts for a site only when it names the site.
 */
export function siteIdentifiers(
  pages: readonly SitePage[],
  infrastructure?: ReadonlyMap<string, SiteInfrastructure>,
): SiteIdentifiers[] {
  const bySite = new Map<string, Map<IdentifierKind, Set<string>>>();
  const add = (site: string, kind: IdentifierKind, value: string) => {
    if (value === "") return;
    let kinds = bySite.get(site);
    if (kinds === undefined) {
      kinds = new Map();
      bySite.set(site, kinds);
    }
    let values = kinds.get(kind);
    if (values === undefined) {
      values = new Set();
      kinds.set(kind, values);
    }
    if (values.size < MAX_VALUES_PER_KIND) values.add(value);
  };
  for (const p of pages) {
    const t = p.page.tracking ?? {};
    const s = p.site;
    if (!bySite.has(s)) bySite.set(s, new Map());
    for (const id of t.googleAnalytics ?? []) add(s, "google-analytics", uaAccount(id));
    for (const id of t.googleTagManager ?? []) add(s, "tag-manager", id);
    for (const id of t.adsense ?? []) add(s, "adsense", id);
    for (const id of t.facebookPixel ?? []) add(s, "facebook-pixel", id);
    for (const id of t.yandexMetrica ?? []) add(s, "yandex-metrica", id);
    for (const id of t.siteVerification ?? []) add(s, "site-verification", id);
    for (const id of t.bitcoin ?? []) add(s, "bitcoin-wallet", id);
    for (const id of t.ethereum ?? []) add(s, "ethereum-wallet", id.toLowerCase());
    if (p.tls !== undefined) {
      const named = new Set<string>();
      for (const san of p.tls.subjectAltNames) {
        const site = siteOf(san.replace(/^\*\./, ""));
        if (site !== undefined) named.add(site);
      }
      if (named.has(s) && named.size <= MAX_CERTIFICATE_SITES) {
        add(s, "tls-certificate", p.tls.fingerprint256);
        if (named.size >= 2) add(s, "tls-san-set", [...named].sort().join(","));
      }
    }
    if (p.address !== undefined) add(s, "ip-address", p.address);
    if (p.favicon !== undefined) add(s, "favicon", String(p.favicon.mmh3));
    if (p.page.structure !== undefined) add(s, "dom-template", p.page.structure.hash);
    const css = p.page.cssClasses;
    if (css !== undefined && css.vocabulary.length >= MIN_CSS_CLASSES)
      add(s, "css-vocabulary", css.hash);
    for (const theme of p.page.markers?.themes ?? []) add(s, "cms-theme", theme);
  }
  for (const [site, info] of infrastructure ?? []) {
    if (!bySite.has(site)) continue;
    for (const a of info.addresses ?? []) add(site, "ip-address", a);
    if (info.nameServers !== undefined && info.nameServers.length > 0) {
      const ns = [...new Set(info.nameServers.map((n) => n.toLowerCase().replace(/\.$/, "")))];
      add(site, "name-servers", ns.sort().join(","));
    }
    if (info.registrar !== undefined && info.createdAt !== undefined) {
      const t = Date.parse(info.createdAt);
      if (!Number.isNaN(t)) {
        const window = Math.floor(t / (REGISTRATION_WINDOW_DAYS * 86_400_000));
        add(site, "registrar-window", `${info.registrar.trim().toLowerCase()}|${window}`);
      }
    }
  }
  const out: SiteIdentifiers[] = [];
  for (const [site, kinds] of bySite) {
    const identifiers: SiteIdentifier[] = [];
    for (const [kind, values] of kinds)
      for (const value of values) identifiers.push({ kind, value });
    out.push({ site, identifiers });
  }
  return out;
}

/** `UA-12345678-2` → `UA-12345678`; other IDs unchanged. */
export function uaAccount(id: string): string {
  const m = /^(UA-\d+)-\d+$/.exec(id);
  return m === null ? id : (m[1] as string);
}
