import { type Observation, parseDomain } from "../../model/index.js";
import type { ItemProblem } from "../detector.js";

/** Identifier lists of a page, as the page extractor finds them (`TrackingIds`). */
export interface PageIdentifiers {
  googleAnalytics?: readonly string[];
  googleTagManager?: readonly string[];
  adsense?: readonly string[];
  facebookPixel?: readonly string[];
  yandexMetrica?: readonly string[];
  siteVerification?: readonly string[];
  bitcoin?: readonly string[];
  ethereum?: readonly string[];
}

/**
 * What the site detectors read of one page's extracted features: a structural subset of
 * `PageFeatures` (src/enrich), declared here so `detect/` does not import `enrich/`.
 */
export interface SitePageFeatures {
  title?: string;
  description?: string;
  openGraph?: Readonly<Record<string, string>>;
  author?: string;
  publishedAt?: string;
  article?: { title: string; byline?: string; text: string; length: number };
  links?: { hosts: readonly string[] };
  tracking?: PageIdentifiers;
  structure?: { hash: string; minhash: readonly number[] };
  cssClasses?: { hash: string; vocabulary: readonly string[] };
  markers?: { cms: readonly string[]; themes: readonly string[] };
  /** What the page says of where its publisher is (`PageContact`), as written. */
  contact?: {
    organisations: ReadonlyArray<{
      type: string;
      name?: string;
      address?: string;
      street?: string;
      locality?: string;
      region?: string;
      postalCode?: string;
      country?: string;
      telephone?: string;
    }>;
    texts: readonly string[];
    phones: readonly string[];
    meta: Readonly<Record<string, string>>;
  };
}

/** One captured page, as the site detectors see it. */
export interface SitePage {
  observationId: string;
  /** The page's final URL. */
  url: string;
  /** Host name of the final URL, lower case. */
  host: string;
  /** Registrable domain of `host`: the node of the network graph. */
  site: string;
  capturedAt: string;
  /** The address the page was fetched from. */
  address?: string;
  /** The leaf certificate: its SHA-256 fingerprint and the names it covers. */
  tls?: { fingerprint256: string; subjectAltNames: readonly string[] };
  favicon?: { mmh3: number; dhash?: string };
  page: SitePageFeatures;
  /** DNS and RDAP facts stored with the capture (the `dns` and `rdap` of the snapshot). */
  infrastructure?: SiteInfrastructure;
}

/**
 * Per-site facts from enrichers (DNS, RDAP), keyed by registrable domain. Optional:
 * each rule that needs one of them is skipped for a site that lacks it.
 */
export interface SiteInfrastructure {
  /** A, AAAA answers (the capture's own address is used besides). */
  addresses?: readonly string[];
  nameServers?: readonly string[];
  registrar?: string;
  /** RDAP registration date, ISO 8601. */
  createdAt?: string;
  /** MX hosts of the domain. */
  mailServers?: readonly string[];
  /**
   * The registrant as RDAP gives it. `proxied`: a privacy or proxy service stands in for
   * it, and the country given is the service's.
   */
  registrant?: { country?: string; organisation?: string; proxied: boolean };
  /** The network (RDAP IP query) of the address the pages were fetched from. */
  network?: SiteNetworkFacts;
}

/** The IP network a site's pages came from, as the regional registry's RDAP gives it. */
export interface SiteNetworkFacts {
  /** The address looked up. */
  address: string;
  /** The network's name (`CLOUDFLARENET`, `EXAMPLE-HOSTING-NL`). */
  name?: string;
  handle?: string;
  /** The organisation holding the network. */
  organisation?: string;
  /** The network's country (RFC 9083 §5.4), or else its organisation's. */
  country?: string;
}

/**
 * Reads a stored `page` observation (a `PageSnapshot` as `vigil scan site` stores it)
 * into a `SitePage`. Returns `undefined` for a capture that is not an HTML page (its
 * `page` is null) and a problem for data that is not a page snapshot at all.
 */
export function sitePageOf(observation: Observation): SitePage | ItemProblem | undefined {
  const data = observation.data as Record<string, unknown>;
  const problem = (message: string): ItemProblem => ({
    item: observation.id,
    code: "VIGIL_ERR_WEB_CONTENT",
    message: `${observation.value.slice(0, 200)}: ${message}`,
  });
  if (observation.kind !== "page") return problem(`a ${observation.kind} observation, not a page`);
  const finalUrl = typeof data.finalUrl === "string" ? data.finalUrl : observation.value;
  let host: string;
  try {
    host = new URL(finalUrl).hostname.toLowerCase();
  } catch {
    return problem("its URL cannot be read");
  }
  const page = data.page;
  if (page === null || page === undefined) return undefined;
  if (typeof page !== "object") return problem("its page features are not an object");
  const site = siteOf(host);
  if (site === undefined) return problem(`host ${host} has no registrable domain`);
  const out: SitePage = {
    observationId: observation.id,
    url: finalUrl,
    host,
    site,
    capturedAt: typeof data.capturedAt === "string" ? data.capturedAt : observation.observedAt,
    page: page as SitePageFeatures,
  };
  if (typeof data.address === "string") out.address = data.address;
  const tls = data.tls as { fingerprint256?: unknown; subjectAltNames?: unknown } | undefined;
  if (
    tls !== undefined &&
    typeof tls.fingerprint256 === "string" &&
    Array.isArray(tls.subjectAltNames)
  ) {
    out.tls = {
      fingerprint256: tls.fingerprint256,
      subjectAltNames: tls.subjectAltNames.filter((n): n is string => typeof n === "string"),
    };
  }
  const favicon = data.favicon as { mmh3?: unknown; dhash?: unknown } | undefined;
  if (favicon !== undefined && typeof favicon.mmh3 === "number") {
    out.favicon = {
      mmh3: favicon.mmh3,
      ...(typeof favicon.dhash === "string" ? { dhash: favicon.dhash } : {}),
    };
  }
  const infrastructure = infrastructureOf(data.dns, data.rdap, data.network);
  if (infrastructure !== undefined) out.infrastructure = infrastructure;
  return out;
}

/**
 * Reads a snapshot's DNS facts (`a`, `aaaa`, `ns`, `mx`), RDAP domain facts (found:
 * registrar, created, registrant) and RDAP network facts (found: name, country).
 */
function infrastructureOf(
  dns: unknown,
  rdap: unknown,
  network: unknown,
): SiteInfrastructure | undefined {
  const strings = (x: unknown): string[] =>
    Array.isArray(x) ? x.filter((v): v is string => typeof v === "string") : [];
  const out: SiteInfrastructure = {};
  if (dns !== null && typeof dns === "object") {
    const d = dns as { a?: unknown; aaaa?: unknown; ns?: unknown; mx?: unknown };
    const addresses = [...strings(d.a), ...strings(d.aaaa)];
    if (addresses.length > 0) out.addresses = addresses;
    const ns = strings(d.ns);
    if (ns.length > 0) out.nameServers = ns;
    const mx = Array.isArray(d.mx)
      ? d.mx
          .map((m) => (m as { exchange?: unknown } | null)?.exchange)
          .filter((x): x is string => typeof x === "string")
      : [];
    if (mx.length > 0) out.mailServers = mx;
  }
  if (rdap !== null && typeof rdap === "object") {
    const r = rdap as {
      outcome?: unknown;
      registrar?: { name?: unknown };
      created?: unknown;
      nameservers?: unknown;
      registrant?: { country?: unknown; organisation?: unknown; name?: unknown };
      privacy?: { proxied?: unknown };
    };
    if (r.outcome === "found") {
      if (typeof r.registrar?.name === "string") out.registrar = r.registrar.name;
      if (typeof r.created === "string") out.createdAt = r.created;
      const ns = strings(r.nameservers);
      if (out.nameServers === undefined && ns.length > 0) out.nameServers = ns;
      const registrant = r.registrant;
      const proxied = r.privacy?.proxied === true;
      if (registrant !== undefined || proxied) {
        const organisation = registrant?.organisation ?? registrant?.name;
        out.registrant = {
          proxied,
          ...(typeof registrant?.country === "string" ? { country: registrant.country } : {}),
          ...(typeof organisation === "string" ? { organisation } : {}),
        };
      }
    }
  }
  if (network !== null && typeof network === "object") {
    const n = network as Record<string, unknown>;
    if (n.outcome === "found" && typeof n.address === "string") {
      const text = (x: unknown) => (typeof x === "string" && x !== "" ? x : undefined);
      const country = text(n.country) ?? text(n.organisationCountry);
      out.network = {
        address: n.address,
        ...(text(n.name) === undefined ? {} : { name: text(n.name) as string }),
        ...(text(n.handle) === undefined ? {} : { handle: text(n.handle) as string }),
        ...(text(n.organisation) === undefined
          ? {}
          : { organisation: text(n.organisation) as string }),
        ...(country === undefined ? {} : { country }),
      };
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Whether `sitePageOf` gave a page (not a problem, not a non-HTML capture). */
export function isSitePage(value: SitePage | ItemProblem | undefined): value is SitePage {
  return value !== undefined && "site" in value;
}

/** The registrable domain of a host name (`www.news.example` → `news.example`), if any. */
export function siteOf(host: string): string | undefined {
  const parsed = parseDomain(host);
  return parsed.ok ? parsed.domain.registrable : undefined;
}
