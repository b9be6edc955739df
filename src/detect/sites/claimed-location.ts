import {
  AP_STATE_NAMES,
  cityCountry,
  countryCode,
  isUsState,
  nameCountry,
  phoneCountry,
  placeCountry,
  US_STATE_PATTERN,
} from "./place-names.js";
import type { SitePage } from "./site-page.js";

/** How a page says where its publisher is. */
export type LocationClueKind =
  | "json-ld"
  | "postal-address"
  | "based-in"
  | "place-meta"
  | "phone"
  | "dateline";

/** One place a page names as its publisher's. */
export interface LocationClue {
  kind: LocationClueKind;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** The place as written ("Savannah, Georgia", "+44"). */
  place: string;
  /** The page that says it. */
  url: string;
  /** The words that say it, cut to `MAX_SNIPPET_CHARS`. */
  snippet: string;
}

/** Where a site says it is, from all its pages. */
export interface LocationClaim {
  /** The country the site claims most strongly. */
  country: string;
  /** The place named by the strongest clue for it. */
  place: string;
  /** The clues for `country`, strongest first. */
  clues: LocationClue[];
  /** Every country the site claims (datelines aside), `country` first. */
  countries: string[];
  /** Clues for the other countries, when the site claims more than one. */
  conflicting: LocationClue[];
}

/**
 * How much each kind of clue says about where the publisher is. A schema.org address is
 * the publisher describing itself for machines; a postal address with a ZIP code and a
 * "based in …" phrase are written for readers; place meta tags are often a theme's
 * default; a phone number's calling code names a country only; a dateline says where a
 * story was reported, not where the outlet is, so it only backs another clue up.
 */
export const CLUE_STRENGTH: Readonly<Record<LocationClueKind, number>> = {
  "json-ld": 1,
  "postal-address": 0.9,
  "based-in": 0.8,
  "place-meta": 0.6,
  phone: 0.4,
  dateline: 0.2,
};

/** Characters of page text searched for claims per text (about pages can be long). */
export const MAX_CLAIM_TEXT = 20_000;
/** Characters of a clue's snippet. */
export const MAX_SNIPPET_CHARS = 200;
/** Clues kept per site claim. */
export const MAX_CLUES = 12;

/** Pages whose text says who the publisher is: about, contact, masthead, imprint. */
export const CONTACT_PATH =
  /\/(?:about|about-us|who-we-are|our-story|mission|contact|contact-us|masthead|imprint|impressum|legal)(?:[/.?#-]|$)/i;

/** "Savannah, GA 31401", "Savannah, Georgia 31401-1234": a US city, state and ZIP code. */
const POSTAL_ADDRESS = new RegExp(
  String.raw`\b([A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*){0,3}),? +(${US_STATE_PATTERN})\.?,? +(\d{5})(?:-\d{4})?\b`,
  "g",
);
/**
 * "based in …", "headquartered in …", "located in …", "from our newsroom in …", "our
 * offices are in …": the place is what follows, up to the end of the sentence (a dot
 * followed by a letter, as in "D.C." or "St.Louis", does not end it).
 */
const PLACE_PHRASE =
  /\b(?:(?:based|headquartered|located|published|operating|registered)\s+(?:in|out\s+of)|(?:from|in|at)\s+our\s+(?:newsroom|office|offices|studio|studios|headquarters|bureau)\s+in|(?:newsroom|offices?|headquarters|studios?)\s+(?:is|are)\s+in)\s+((?:[^.;:!?()\n"“”]|\.(?=\S)){2,80})/gi;
/** Words that end the place of a phrase ("Savannah, Georgia since 1998" → "Savannah, Georgia"). */
const PLACE_END =
  /(?:^|\s)(?:and|since|for|with|where|who|which|that|but|to|from|we|our|is|are|was|serving|covering|reporting|bringing|providing|in\s+\d)\b.*$/is;
/** An international phone number in text: `+` and 7 to 15 digits. */
const PHONE = /(?:^|[^\w+])(\+\s?\d[\d\s.()-]{5,22}\d)/g;
/** "SAVANNAH, Ga. (AP) — …", "MOSCOW — …" at the start of an article. */
const DATELINE =
  /^\s*([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})(?:, ([A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*){0,2}))? ?(?:\([^)]{1,40}\) ?)?[—–-]{1,2} /;

/**
 * Every place one page names as its publisher's: schema.org organisations' addresses
 * (JSON-LD), US postal addresses and "based in …" phrases in its address, footer and
 * contact blocks (and in the whole text of an about or contact page), international
 * phone numbers, place meta tags, and its dateline. Ordinary article text is not read
 * for phrases: "a Moscow-based think tank" in a story is not the outlet's address.
 */
export function locationClues(page: SitePage): LocationClue[] {
  const out: LocationClue[] = [];
  // Stored features are read as they were written, but checked: a page is hostile input.
  const contact = page.page.contact;
  const organisations = listOf(contact?.organisations).filter(
    (o) => typeof o === "object" && o !== null && typeof o.type === "string",
  );
  const add = (kind: LocationClueKind, country: string, place: string, snippet: string) =>
    out.push({ kind, country, place: place.slice(0, 100), url: page.url, snippet: clip(snippet) });
  for (const raw of organisations) {
    const org = {
      type: raw.type,
      name: stringOf(raw.name),
      address: stringOf(raw.address),
      street: stringOf(raw.street),
      locality: stringOf(raw.locality),
      region: stringOf(raw.region),
      postalCode: stringOf(raw.postalCode),
      country: stringOf(raw.country),
      telephone: stringOf(raw.telephone),
    };
    const named = `${org.type}${org.name === undefined ? "" : ` "${org.name}"`}`;
    const parts = [org.street, org.locality, org.region, org.postalCode, org.country].filter(
      (p): p is string => p !== undefined,
    );
    const written = org.address ?? parts.join(", ");
    const country =
      (org.country === undefined ? undefined : countryCode(org.country)) ??
      (org.region === undefined ? undefined : regionCountry(org.region)) ??
      (org.locality === undefined ? undefined : cityCountry(org.locality)) ??
      (org.address === undefined ? undefined : addressCountry(org.address));
    if (country !== undefined && written !== "") {
      const place = [org.locality, org.region, org.country].filter((p) => p !== undefined);
      add(
        "json-ld",
        country,
        place.length > 0 ? place.join(", ") : written,
        `${named} address: ${written}`,
      );
    }
    if (org.telephone !== undefined) phone(org.telephone, `${named} telephone: ${org.telephone}`);
  }
  const texts = listOf(contact?.texts).filter((t) => typeof t === "string");
  if (CONTACT_PATH.test(pathOf(page.url))) {
    if (typeof page.page.article?.text === "string") texts.push(page.page.article.text);
    if (typeof page.page.description === "string") texts.push(page.page.description);
  }
  for (const raw of texts) {
    const text = raw.slice(0, MAX_CLAIM_TEXT);
    for (const m of text.matchAll(POSTAL_ADDRESS)) {
      const state = (m[2] as string).replace(/\s+/g, " ");
      add("postal-address", "US", `${m[1]}, ${state}`, around(text, m.index, m[0].length));
    }
    for (const m of text.matchAll(PLACE_PHRASE)) {
      const phrase = (m[1] as string).replace(/\s+/g, " ").replace(PLACE_END, "").trim();
      const found = placeCountry(phrase);
      if (found !== undefined)
        add("based-in", found.country, found.place, around(text, m.index, m[0].length));
    }
    for (const m of text.matchAll(PHONE)) {
      const number = m[1] as string;
      phone(number, around(text, m.index + m[0].indexOf(number), number.length));
    }
  }
  for (const number of listOf(contact?.phones))
    if (typeof number === "string") phone(number, `tel: link ${number}`);
  const meta = typeof contact?.meta === "object" && contact.meta !== null ? contact.meta : {};
  for (const [key, value] of Object.entries(meta)) {
    if (typeof value !== "string") continue;
    let country: string | undefined;
    if (key === "geo.region") {
      const code = /^([A-Za-z]{2})(?:-|$)/.exec(value.trim())?.[1];
      country = code === undefined ? undefined : countryCode(code);
    } else if (/country/.test(key)) country = countryCode(value);
    else if (/placename|locality/.test(key)) country = cityCountry(value);
    else if (/region/.test(key)) country = regionCountry(value);
    else if (/phone/.test(key)) phone(value, `<meta ${key}> ${value}`);
    if (country !== undefined) add("place-meta", country, value, `<meta ${key}="${value}">`);
  }
  const article = page.page.article?.text;
  if (typeof article === "string") {
    const m = DATELINE.exec(article.slice(0, 200));
    if (m !== null) {
      const city = (m[1] as string).trim();
      const where = m[2]?.trim();
      const country =
        where === undefined
          ? cityCountry(city)
          : AP_STATE_NAMES.has(where)
            ? "US"
            : (nameCountry(where) ?? cityCountry(where));
      if (country !== undefined)
        add("dateline", country, where === undefined ? city : `${city}, ${where}`, m[0]);
    }
  }
  return out;

  function phone(number: string, snippet: string): void {
    const found = phoneCountry(number);
    if (found !== undefined) add("phone", found.country, `+${found.code}`, snippet);
  }
}

/**
 * Where a site says it is, from the clues of all its pages: each country is weighed by
 * the kinds of clue that name it (`CLUE_STRENGTH`, each kind once however many pages
 * repeat it) and the heaviest is the claim. Datelines never make a claim or a conflict:
 * they only back up a country claimed otherwise. Undefined when the site names no place.
 */
export function claimedLocation(pages: readonly SitePage[]): LocationClaim | undefined {
  const byCountry = new Map<string, LocationClue[]>();
  const seen = new Set<string>();
  for (const page of pages) {
    for (const clue of locationClues(page)) {
      const key = `${clue.kind}\u0000${clue.country}\u0000${clue.place.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = byCountry.get(clue.country) ?? [];
      list.push(clue);
      byCountry.set(clue.country, list);
    }
  }
  const weighed: Array<{ country: string; weight: number; best: number; clues: LocationClue[] }> =
    [];
  for (const [country, clues] of byCountry) {
    const kinds = new Set(clues.map((c) => c.kind));
    if (kinds.size === 1 && kinds.has("dateline")) continue;
    let weight = 0;
    for (const kind of kinds) weight += CLUE_STRENGTH[kind];
    const sorted = [...clues].sort((a, b) => CLUE_STRENGTH[b.kind] - CLUE_STRENGTH[a.kind]);
    weighed.push({
      country,
      weight,
      best: CLUE_STRENGTH[sorted[0]?.kind ?? "dateline"],
      clues: sorted,
    });
  }
  if (weighed.length === 0) return undefined;
  weighed.sort(
    (a, b) => b.weight - a.weight || b.best - a.best || (a.country < b.country ? -1 : 1),
  );
  const [top, ...others] = weighed as [(typeof weighed)[number], ...typeof weighed];
  return {
    country: top.country,
    place: top.clues[0]?.place ?? top.country,
    clues: top.clues.slice(0, MAX_CLUES),
    countries: weighed.map((w) => w.country),
    conflicting: others
      .flatMap((o) => o.clues.filter((c) => c.kind !== "dateline"))
      .slice(0, MAX_CLUES),
  };
}

/** A region as JSON-LD or meta write it: a US state (name, code, `US-GA`), or a country. */
function regionCountry(region: string): string | undefined {
  const t = region.trim();
  if (/^US-[A-Z]{2}$/i.test(t) || isUsState(t)) return "US";
  return nameCountry(t);
}

const ONE_POSTAL_ADDRESS = new RegExp(POSTAL_ADDRESS.source);

/** The country of a written address: a US postal address, or its last parts. */
function addressCountry(address: string): string | undefined {
  if (ONE_POSTAL_ADDRESS.test(address)) return "US";
  return placeCountry(address.replace(/\b\d[\d -]*\b/g, ""))?.country;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function listOf<T>(value: readonly T[] | undefined): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function around(text: string, index: number, length: number): string {
  const from = Math.max(0, index - 60);
  const to = Math.min(text.length, index + length + 40);
  return `${from > 0 ? "…" : ""}${text.slice(from, to)}${to < text.length ? "…" : ""}`;
}

function clip(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, MAX_SNIPPET_CHARS);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}
