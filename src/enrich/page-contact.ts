/** A schema.org organisation's address and telephone, as a page's JSON-LD gives them. */
export interface ContactOrganisation {
  /** Its `@type` (`NewsMediaOrganization`, `Organization`, `LocalBusiness`, …). */
  type: string;
  name?: string;
  /** The address when it is written as one string. */
  address?: string;
  street?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  /** `addressCountry` as written: a code (`US`) or a name. */
  country?: string;
  telephone?: string;
}

/**
 * What a page says of where its publisher is, as written: nothing is judged here (the
 * site detectors read it, see `claimedLocation`), so a better reading needs no new capture.
 */
export interface PageContact {
  /** Organisations (the publisher) of the page's JSON-LD with an address or telephone. */
  organisations: ContactOrganisation[];
  /** Text of the page's `<address>`, `<footer>` and contact blocks, in page order. */
  texts: string[];
  /** Numbers of `tel:` links, as written. */
  phones: string[];
  /** Place meta tags: `geo.region`, `geo.placename`, `og:locality`, `business:contact_data:*`, … */
  meta: Record<string, string>;
}

/** JSON-LD nodes visited per page: a real page's graph has a few dozen. */
export const MAX_JSON_LD_NODES = 2_000;
/** How deep JSON-LD is walked (a publisher inside an article inside a graph is 4). */
export const MAX_JSON_LD_DEPTH = 16;
/** Organisations kept per page. */
export const MAX_CONTACT_ORGANISATIONS = 10;
/** Characters kept of one JSON-LD field. */
const MAX_CONTACT_FIELD = 200;

/** schema.org types of a publisher: Organization and its subtypes that carry an address. */
const ORGANISATION_TYPE = /organi[sz]ation|corporation|localbusiness|^ngo$|newsmedia/i;

/** Meta tags that name a place (Dublin Core geo tags, Open Graph, Facebook business tags). */
const PLACE_META = [
  "geo.region",
  "geo.placename",
  "geo.country",
  "og:locality",
  "og:region",
  "og:country-name",
  "og:postal-code",
  "og:phone_number",
  "business:contact_data:locality",
  "business:contact_data:region",
  "business:contact_data:country_name",
  "business:contact_data:postal_code",
  "business:contact_data:phone_number",
];

/**
 * Gathers a page's contact details from what the extractor collected: JSON-LD blocks
 * (parsed here, bounded in nodes and depth; a block that is not JSON is skipped), contact
 * texts, `tel:` links and meta tags. Undefined when the page has none.
 */
export function readContact(input: {
  jsonLd: readonly string[];
  texts: readonly string[];
  phones: readonly string[];
  metas: ReadonlyMap<string, string>;
}): PageContact | undefined {
  const organisations: ContactOrganisation[] = [];
  for (const block of input.jsonLd) {
    if (organisations.length >= MAX_CONTACT_ORGANISATIONS) break;
    let doc: unknown;
    try {
      // Some CMSs wrap the block in a comment or CDATA section.
      doc = JSON.parse(
        block.replace(/^\s*(?:<!--|\/\/\s*<!\[CDATA\[)|(?:-->|\/\/\s*\]\]>)\s*$/g, ""),
      );
    } catch {
      continue;
    }
    organisationsIn(doc, organisations);
  }
  const meta: Record<string, string> = {};
  for (const key of PLACE_META) {
    const value = input.metas.get(key);
    if (value !== undefined && value !== "") meta[key] = value.slice(0, MAX_CONTACT_FIELD);
  }
  const phones = input.phones.map((p) => decodeURIComponentSafe(p).trim()).filter((p) => p !== "");
  if (
    organisations.length === 0 &&
    input.texts.length === 0 &&
    phones.length === 0 &&
    Object.keys(meta).length === 0
  )
    return undefined;
  return { organisations, texts: [...input.texts], phones, meta };
}

/** Walks a JSON-LD document for organisations with an address or telephone. */
function organisationsIn(doc: unknown, out: ContactOrganisation[]): void {
  let budget = MAX_JSON_LD_NODES;
  const visit = (node: unknown, depth: number): void => {
    if (budget-- <= 0 || depth > MAX_JSON_LD_DEPTH || out.length >= MAX_CONTACT_ORGANISATIONS)
      return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    const types = [record["@type"]].flat().filter((t): t is string => typeof t === "string");
    const type = types.find((t) => ORGANISATION_TYPE.test(t));
    if (type !== undefined) {
      const org = organisationOf(record, type);
      if (org !== undefined) out.push(org);
    }
    for (const [key, value] of Object.entries(record)) {
      if (key === "@context" || typeof value !== "object" || value === null) continue;
      visit(value, depth + 1);
    }
  };
  visit(doc, 0);
}

function organisationOf(
  record: Record<string, unknown>,
  type: string,
): ContactOrganisation | undefined {
  const org: ContactOrganisation = { type: type.slice(0, MAX_CONTACT_FIELD) };
  set(org, "name", text(record.name));
  set(org, "telephone", text(record.telephone));
  // `location` is a Place whose `address` is the organisation's.
  const location = first(record.location);
  const address =
    first(record.address) ??
    (typeof location === "object" && location !== null
      ? first((location as Record<string, unknown>).address)
      : undefined);
  if (typeof address === "string") set(org, "address", text(address));
  else if (typeof address === "object" && address !== null) {
    const a = address as Record<string, unknown>;
    set(org, "street", text(a.streetAddress));
    set(org, "locality", text(a.addressLocality));
    set(org, "region", text(a.addressRegion));
    set(org, "postalCode", text(a.postalCode));
    // `addressCountry` is a code or name, or a Country with a `name`.
    const country = first(a.addressCountry);
    set(
      org,
      "country",
      typeof country === "object" && country !== null
        ? text((country as Record<string, unknown>).name)
        : text(country),
    );
  }
  return Object.keys(org).length > (org.name === undefined ? 1 : 2) ? org : undefined;
}

function set<K extends keyof ContactOrganisation>(
  org: ContactOrganisation,
  key: K,
  value: ContactOrganisation[K] | undefined,
): void {
  if (value !== undefined) org[key] = value;
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function text(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return undefined;
  const t = value.replace(/\s+/g, " ").trim();
  return t === "" ? undefined : t.slice(0, MAX_CONTACT_FIELD);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
