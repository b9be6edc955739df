/** CMS, theme and hosting markers of a page, and the server headers worth keeping. */
export interface SiteMarkers {
  /** Content management systems and site builders recognised. */
  cms: string[];
  /** WordPress themes named in asset paths (`/wp-content/themes/<name>/`). */
  themes: string[];
  /** WordPress plugins named in asset paths. */
  plugins: string[];
}

/** Themes and plugins kept: a page naming more is noise. */
export const MAX_MARKERS = 50;

const CMS_SIGNS: ReadonlyArray<[string, RegExp]> = [
  ["wordpress", /\/wp-content\/|\/wp-includes\/|<meta[^>]+generator[^>]+wordpress/i],
  ["drupal", /Drupal\.settings|\/sites\/default\/files\/|<meta[^>]+generator[^>]+drupal/i],
  ["joomla", /\/media\/jui\/|<meta[^>]+generator[^>]+joomla/i],
  ["ghost", /<meta[^>]+generator[^>]+ghost|\/ghost\/api\//i],
  ["blogger", /<meta[^>]+generator[^>]+blogger|blogger\.com\/static/i],
  ["wix", /static\.wixstatic\.com|<meta[^>]+generator[^>]+wix/i],
  ["squarespace", /static1\.squarespace\.com|<meta[^>]+generator[^>]+squarespace/i],
  ["shopify", /cdn\.shopify\.com/i],
  ["tilda", /tildacdn\.com|<meta[^>]+generator[^>]+tilda/i],
  ["hugo", /<meta[^>]+generator[^>]+hugo/i],
  ["jekyll", /<meta[^>]+generator[^>]+jekyll/i],
  ["nextjs", /\/_next\/static\//],
  ["gatsby", /<meta[^>]+generator[^>]+gatsby|\/page-data\/app-data\.json/i],
];

/** Finds CMS, theme and plugin markers in a page's HTML. */
export function findSiteMarkers(html: string): SiteMarkers {
  const cms = CMS_SIGNS.filter(([, pattern]) => pattern.test(html)).map(([name]) => name);
  const collect = (pattern: RegExp) => {
    const names = new Set<string>();
    for (const m of html.matchAll(pattern)) {
      if (names.size >= MAX_MARKERS) break;
      names.add((m[1] as string).toLowerCase());
    }
    return [...names].sort();
  };
  return {
    cms,
    themes: collect(/\/wp-content\/themes\/([\w.-]{1,100})\//g),
    plugins: collect(/\/wp-content\/plugins\/([\w.-]{1,100})\//g),
  };
}

/** Response headers that say what runs a site or what fronts it. */
const SERVER_HEADERS = [
  "server",
  "x-powered-by",
  "x-generator",
  "via",
  "x-served-by",
  "x-cache",
  "x-drupal-cache",
  "x-pingback",
  "cf-ray",
  "x-amz-cf-id",
  "x-vercel-id",
  "x-nf-request-id",
  "x-hosted-by",
  "content-type",
  "content-language",
  "strict-transport-security",
  "content-security-policy",
  "link",
];
/** Longest header value kept. */
const MAX_HEADER_VALUE = 500;

/**
 * The server headers of an answer worth keeping for fingerprints, plus the names (not
 * values: they may be session secrets) of the cookies it sets.
 */
export function serverHeaders(headers: ReadonlyArray<[string, string]>): {
  headers: Record<string, string>;
  cookieNames: string[];
} {
  const out: Record<string, string> = {};
  const cookies = new Set<string>();
  for (const [name, value] of headers) {
    if (name === "set-cookie") {
      const cookie = value.split("=")[0]?.trim();
      if (cookie !== undefined && cookie !== "" && cookies.size < MAX_MARKERS)
        cookies.add(cookie.slice(0, 100));
    } else if (SERVER_HEADERS.includes(name) && out[name] === undefined) {
      out[name] = value.slice(0, MAX_HEADER_VALUE);
    }
  }
  return { headers: out, cookieNames: [...cookies].sort() };
}
