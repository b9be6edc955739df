import { isBitcoinAddress } from "./wallet-address.js";

/**
 * Identifiers that tie a site to its owner: analytics and ad accounts, site-ownership
 * verification tokens and crypto wallets. Two sites sharing one are most likely run by
 * the same people (the networks detector weighs them as conclusive links).
 */
export interface TrackingIds {
  googleAnalytics: string[];
  googleTagManager: string[];
  adsense: string[];
  facebookPixel: string[];
  yandexMetrica: string[];
  /** `google:<token>`, `yandex:<token>`, `bing:<token>`, `facebook:<token>`. */
  siteVerification: string[];
  bitcoin: string[];
  ethereum: string[];
}

/** Of each kind, the most kept: a page listing more is noise or an attack on the parser. */
export const MAX_IDS_PER_KIND = 50;
/** Text scanned for identifiers (inline scripts are where they live; they are small). */
export const MAX_SCANNED_CHARS = 4 * 1024 * 1024;

const PATTERNS: ReadonlyArray<[keyof TrackingIds, RegExp, (m: RegExpExecArray) => string]> = [
  ["googleAnalytics", /\bUA-\d{4,10}-\d{1,4}\b/g, (m) => m[0]],
  // GA4 measurement ids: G- and ten upper-case letters or digits, at least one digit.
  ["googleAnalytics", /\bG-(?=[A-Z]*\d)[A-Z0-9]{8,12}\b/g, (m) => m[0]],
  ["googleTagManager", /\bGTM-[A-Z0-9]{4,9}\b/g, (m) => m[0]],
  ["adsense", /\b(?:ca-)?pub-(\d{10,20})\b/g, (m) => `pub-${m[1]}`],
  ["facebookPixel", /fbq\(\s*['"]init['"]\s*,\s*['"]?(\d{10,20})/g, (m) => m[1] as string],
  [
    "facebookPixel",
    /facebook\.com\/tr\/?\?(?:[^"'\s]*&(?:amp;)?)?id=(\d{10,20})/g,
    (m) => m[1] as string,
  ],
  ["yandexMetrica", /\bym\(\s*(\d{5,12})\s*,\s*['"]init/g, (m) => m[1] as string],
  ["yandexMetrica", /mc\.yandex\.(?:ru|com)\/watch\/(\d{5,12})/g, (m) => m[1] as string],
  ["yandexMetrica", /\byaCounter(\d{5,12})\b/g, (m) => m[1] as string],
  ["ethereum", /\b0x[a-fA-F0-9]{40}\b/g, (m) => m[0].toLowerCase()],
];

const VERIFICATION_METAS: Readonly<Record<string, string>> = {
  "google-site-verification": "google",
  "yandex-verification": "yandex",
  "msvalidate.01": "bing",
  "facebook-domain-verification": "facebook",
};

/** Bitcoin candidates; each is kept only if its checksum holds. */
const BITCOIN = /\b(?:bc1[ac-hj-np-z02-9]{11,71}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b/g;

/**
 * Finds tracking and ownership identifiers in a page's HTML and its meta tags
 * (`name` → `content`). Each list is sorted and free of repeats.
 */
export function findTrackingIds(html: string, metas: ReadonlyMap<string, string>): TrackingIds {
  const text = html.length > MAX_SCANNED_CHARS ? html.slice(0, MAX_SCANNED_CHARS) : html;
  const found: Record<keyof TrackingIds, Set<string>> = {
    googleAnalytics: new Set(),
    googleTagManager: new Set(),
    adsense: new Set(),
    facebookPixel: new Set(),
    yandexMetrica: new Set(),
    siteVerification: new Set(),
    bitcoin: new Set(),
    ethereum: new Set(),
  };
  const add = (kind: keyof TrackingIds, value: string) => {
    if (found[kind].size < MAX_IDS_PER_KIND) found[kind].add(value);
  };
  for (const [kind, pattern, value] of PATTERNS) {
    for (const m of text.matchAll(pattern)) add(kind, value(m));
  }
  for (const m of text.matchAll(BITCOIN)) if (isBitcoinAddress(m[0])) add("bitcoin", m[0]);
  for (const [name, content] of metas) {
    const service = VERIFICATION_METAS[name];
    if (service === undefined) continue;
    for (const token of content.split(/[\s,]+/)) {
      if (/^[A-Za-z0-9_-]{6,100}$/.test(token)) add("siteVerification", `${service}:${token}`);
    }
  }
  const out = {} as TrackingIds;
  for (const kind of Object.keys(found) as Array<keyof TrackingIds>)
    out[kind] = [...found[kind]].sort();
  return out;
}
