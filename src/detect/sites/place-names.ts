/**
 * Small hand-written tables of place names for reading where a site says it is. Written
 * from public reference lists: the US states and their USPS codes (USPS Publication 28,
 * appendix B) and AP style abbreviations (AP Stylebook, "state names"); country names
 * and ISO 3166-1 alpha-2 codes (ISO 3166 Maintenance Agency), only of countries often
 * named in influence-operation reporting and their neighbours; a few cities per country;
 * ITU-T E.164 country calling codes for the same countries. Not a gazetteer: a place not
 * listed is simply not recognised, and no claim is read from it.
 */

/** A US state: its name, USPS code and AP style abbreviation (as datelines write it). */
interface UsState {
  name: string;
  usps: string;
  ap: string;
}

const STATES: readonly UsState[] = [
  { name: "Alabama", usps: "AL", ap: "Ala." },
  { name: "Alaska", usps: "AK", ap: "Alaska" },
  { name: "Arizona", usps: "AZ", ap: "Ariz." },
  { name: "Arkansas", usps: "AR", ap: "Ark." },
  { name: "California", usps: "CA", ap: "Calif." },
  { name: "Colorado", usps: "CO", ap: "Colo." },
  { name: "Connecticut", usps: "CT", ap: "Conn." },
  { name: "Delaware", usps: "DE", ap: "Del." },
  { name: "Florida", usps: "FL", ap: "Fla." },
  { name: "Georgia", usps: "GA", ap: "Ga." },
  { name: "Hawaii", usps: "HI", ap: "Hawaii" },
  { name: "Idaho", usps: "ID", ap: "Idaho" },
  { name: "Illinois", usps: "IL", ap: "Ill." },
  { name: "Indiana", usps: "IN", ap: "Ind." },
  { name: "Iowa", usps: "IA", ap: "Iowa" },
  { name: "Kansas", usps: "KS", ap: "Kan." },
  { name: "Kentucky", usps: "KY", ap: "Ky." },
  { name: "Louisiana", usps: "LA", ap: "La." },
  { name: "Maine", usps: "ME", ap: "Maine" },
  { name: "Maryland", usps: "MD", ap: "Md." },
  { name: "Massachusetts", usps: "MA", ap: "Mass." },
  { name: "Michigan", usps: "MI", ap: "Mich." },
  { name: "Minnesota", usps: "MN", ap: "Minn." },
  { name: "Mississippi", usps: "MS", ap: "Miss." },
  { name: "Missouri", usps: "MO", ap: "Mo." },
  { name: "Montana", usps: "MT", ap: "Mont." },
  { name: "Nebraska", usps: "NE", ap: "Neb." },
  { name: "Nevada", usps: "NV", ap: "Nev." },
  { name: "New Hampshire", usps: "NH", ap: "N.H." },
  { name: "New Jersey", usps: "NJ", ap: "N.J." },
  { name: "New Mexico", usps: "NM", ap: "N.M." },
  { name: "New York", usps: "NY", ap: "N.Y." },
  { name: "North Carolina", usps: "NC", ap: "N.C." },
  { name: "North Dakota", usps: "ND", ap: "N.D." },
  { name: "Ohio", usps: "OH", ap: "Ohio" },
  { name: "Oklahoma", usps: "OK", ap: "Okla." },
  { name: "Oregon", usps: "OR", ap: "Ore." },
  { name: "Pennsylvania", usps: "PA", ap: "Pa." },
  { name: "Rhode Island", usps: "RI", ap: "R.I." },
  { name: "South Carolina", usps: "SC", ap: "S.C." },
  { name: "South Dakota", usps: "SD", ap: "S.D." },
  { name: "Tennessee", usps: "TN", ap: "Tenn." },
  { name: "Texas", usps: "TX", ap: "Texas" },
  { name: "Utah", usps: "UT", ap: "Utah" },
  { name: "Vermont", usps: "VT", ap: "Vt." },
  { name: "Virginia", usps: "VA", ap: "Va." },
  { name: "Washington", usps: "WA", ap: "Wash." },
  { name: "West Virginia", usps: "WV", ap: "W.Va." },
  { name: "Wisconsin", usps: "WI", ap: "Wis." },
  { name: "Wyoming", usps: "WY", ap: "Wyo." },
  { name: "District of Columbia", usps: "DC", ap: "D.C." },
];

/** Country names and other spellings, by ISO 3166-1 alpha-2 code. */
const COUNTRIES: Readonly<Record<string, readonly string[]>> = {
  US: ["United States", "United States of America", "USA", "U.S.A.", "U.S.", "America"],
  GB: ["United Kingdom", "UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales"],
  CA: ["Canada"],
  MX: ["Mexico"],
  IE: ["Ireland", "Republic of Ireland"],
  FR: ["France"],
  DE: ["Germany", "Deutschland"],
  NL: ["Netherlands", "The Netherlands", "Holland"],
  BE: ["Belgium"],
  LU: ["Luxembourg"],
  CH: ["Switzerland"],
  AT: ["Austria"],
  IT: ["Italy"],
  ES: ["Spain"],
  PT: ["Portugal"],
  PL: ["Poland"],
  CZ: ["Czech Republic", "Czechia"],
  SK: ["Slovakia"],
  HU: ["Hungary"],
  RO: ["Romania"],
  BG: ["Bulgaria"],
  RS: ["Serbia"],
  HR: ["Croatia"],
  GR: ["Greece"],
  CY: ["Cyprus"],
  MT: ["Malta"],
  SE: ["Sweden"],
  NO: ["Norway"],
  DK: ["Denmark"],
  FI: ["Finland"],
  IS: ["Iceland"],
  EE: ["Estonia"],
  LV: ["Latvia"],
  LT: ["Lithuania"],
  BY: ["Belarus"],
  UA: ["Ukraine"],
  MD: ["Moldova"],
  RU: ["Russia", "Russian Federation"],
  // "Georgia" alone is a US state or this country: see `placeCountry`.
  GE: ["Republic of Georgia", "Sakartvelo"],
  AM: ["Armenia"],
  AZ: ["Azerbaijan"],
  KZ: ["Kazakhstan"],
  TR: ["Turkey", "Türkiye", "Turkiye"],
  IR: ["Iran", "Islamic Republic of Iran"],
  IQ: ["Iraq"],
  SY: ["Syria"],
  LB: ["Lebanon"],
  IL: ["Israel"],
  JO: ["Jordan"],
  EG: ["Egypt"],
  SA: ["Saudi Arabia"],
  AE: ["United Arab Emirates", "UAE"],
  QA: ["Qatar"],
  AF: ["Afghanistan"],
  PK: ["Pakistan"],
  IN: ["India"],
  CN: ["China", "People's Republic of China", "PRC"],
  HK: ["Hong Kong"],
  TW: ["Taiwan"],
  KP: ["North Korea", "DPRK"],
  KR: ["South Korea", "Republic of Korea"],
  JP: ["Japan"],
  SG: ["Singapore"],
  MY: ["Malaysia"],
  ID: ["Indonesia"],
  PH: ["Philippines"],
  VN: ["Vietnam", "Viet Nam"],
  TH: ["Thailand"],
  AU: ["Australia"],
  NZ: ["New Zealand"],
  BR: ["Brazil"],
  AR: ["Argentina"],
  CL: ["Chile"],
  CO: ["Colombia"],
  VE: ["Venezuela"],
  CU: ["Cuba"],
  PA: ["Panama"],
  BZ: ["Belize"],
  NG: ["Nigeria"],
  GH: ["Ghana"],
  KE: ["Kenya"],
  ZA: ["South Africa"],
  SC: ["Seychelles"],
};

/** ISO 3166-1 alpha-3 codes met in registration data, for the countries above that use them. */
const ALPHA3: Readonly<Record<string, string>> = {
  USA: "US",
  GBR: "GB",
  CAN: "CA",
  DEU: "DE",
  FRA: "FR",
  NLD: "NL",
  RUS: "RU",
  UKR: "UA",
  BLR: "BY",
  IRN: "IR",
  CHN: "CN",
  TUR: "TR",
  ISR: "IL",
  IND: "IN",
  ISL: "IS",
  PAN: "PA",
};

/** Cities named in "based in …" phrases and datelines, by country. */
const CITIES: Readonly<Record<string, readonly string[]>> = {
  US: [
    "New York City",
    "Los Angeles",
    "Chicago",
    "Houston",
    "Philadelphia",
    "Phoenix",
    "San Francisco",
    "Seattle",
    "Boston",
    "Atlanta",
    "Miami",
    "Dallas",
    "Denver",
    "Detroit",
    "Savannah",
    "Pittsburgh",
    "New Orleans",
    "Nashville",
    "Washington D.C.",
    "Washington, D.C.",
  ],
  GB: ["London", "Manchester", "Birmingham", "Edinburgh", "Glasgow"],
  CA: ["Toronto", "Montreal", "Vancouver", "Ottawa"],
  MX: ["Mexico City"],
  IE: ["Dublin"],
  FR: ["Paris", "Marseille", "Lyon"],
  DE: ["Berlin", "Munich", "Frankfurt", "Hamburg"],
  NL: ["Amsterdam", "Rotterdam", "The Hague"],
  BE: ["Brussels"],
  CH: ["Geneva", "Zurich"],
  AT: ["Vienna"],
  IT: ["Rome", "Milan"],
  ES: ["Madrid", "Barcelona"],
  PT: ["Lisbon"],
  PL: ["Warsaw"],
  CZ: ["Prague"],
  HU: ["Budapest"],
  RO: ["Bucharest"],
  BG: ["Sofia"],
  RS: ["Belgrade"],
  GR: ["Athens"],
  CY: ["Nicosia", "Limassol"],
  SE: ["Stockholm"],
  NO: ["Oslo"],
  DK: ["Copenhagen"],
  FI: ["Helsinki"],
  IS: ["Reykjavik", "Reykjavík"],
  EE: ["Tallinn"],
  LV: ["Riga"],
  LT: ["Vilnius"],
  BY: ["Minsk"],
  UA: ["Kyiv", "Kiev", "Kharkiv", "Odesa", "Odessa", "Lviv"],
  RU: ["Moscow", "Saint Petersburg", "St. Petersburg", "St Petersburg"],
  GE: ["Tbilisi", "Batumi", "Kutaisi", "Rustavi", "Gori", "Zugdidi", "Poti"],
  AM: ["Yerevan"],
  AZ: ["Baku"],
  TR: ["Istanbul", "Ankara"],
  IR: ["Tehran", "Teheran", "Qom", "Isfahan", "Mashhad"],
  IQ: ["Baghdad"],
  SY: ["Damascus"],
  LB: ["Beirut"],
  IL: ["Tel Aviv"],
  EG: ["Cairo"],
  SA: ["Riyadh"],
  AE: ["Dubai", "Abu Dhabi"],
  QA: ["Doha"],
  PK: ["Karachi", "Islamabad", "Lahore"],
  IN: ["New Delhi", "Delhi", "Mumbai", "Bangalore", "Bengaluru"],
  CN: ["Beijing", "Shanghai", "Shenzhen", "Guangzhou"],
  TW: ["Taipei"],
  KP: ["Pyongyang"],
  KR: ["Seoul"],
  JP: ["Tokyo"],
  PH: ["Manila"],
  VN: ["Hanoi", "Ho Chi Minh City"],
  TH: ["Bangkok"],
  AU: ["Sydney", "Melbourne"],
  BR: ["Sao Paulo", "São Paulo", "Rio de Janeiro", "Brasilia"],
  AR: ["Buenos Aires"],
  VE: ["Caracas"],
  CU: ["Havana"],
  NG: ["Lagos", "Abuja"],
  KE: ["Nairobi"],
  ZA: ["Johannesburg", "Cape Town"],
};

/** Country calling codes (ITU-T E.164) of the countries above; +1 is the North American plan. */
const CALLING_CODES: Readonly<Record<string, string>> = {
  "1": "US",
  "7": "RU",
  "20": "EG",
  "27": "ZA",
  "30": "GR",
  "31": "NL",
  "32": "BE",
  "33": "FR",
  "34": "ES",
  "36": "HU",
  "39": "IT",
  "40": "RO",
  "41": "CH",
  "43": "AT",
  "44": "GB",
  "45": "DK",
  "46": "SE",
  "47": "NO",
  "48": "PL",
  "49": "DE",
  "52": "MX",
  "53": "CU",
  "54": "AR",
  "55": "BR",
  "56": "CL",
  "57": "CO",
  "58": "VE",
  "60": "MY",
  "61": "AU",
  "62": "ID",
  "63": "PH",
  "64": "NZ",
  "65": "SG",
  "66": "TH",
  "81": "JP",
  "82": "KR",
  "84": "VN",
  "86": "CN",
  "90": "TR",
  "91": "IN",
  "92": "PK",
  "93": "AF",
  "98": "IR",
  "233": "GH",
  "234": "NG",
  "248": "SC",
  "254": "KE",
  "351": "PT",
  "352": "LU",
  "353": "IE",
  "354": "IS",
  "356": "MT",
  "357": "CY",
  "358": "FI",
  "359": "BG",
  "370": "LT",
  "371": "LV",
  "372": "EE",
  "373": "MD",
  "374": "AM",
  "375": "BY",
  "380": "UA",
  "381": "RS",
  "385": "HR",
  "420": "CZ",
  "421": "SK",
  "501": "BZ",
  "507": "PA",
  "850": "KP",
  "852": "HK",
  "886": "TW",
  "961": "LB",
  "962": "JO",
  "963": "SY",
  "964": "IQ",
  "966": "SA",
  "971": "AE",
  "972": "IL",
  "974": "QA",
  "994": "AZ",
  "995": "GE",
};

/** Country-code TLDs used as generic ones (`.io`, `.co`, `.tv` …): they say nothing of a country. */
export const GENERIC_CCTLDS: ReadonlySet<string> = new Set([
  "io",
  "co",
  "me",
  "tv",
  "ai",
  "cc",
  "ws",
  "fm",
  "to",
  "gg",
  "sh",
  "ly",
  "la",
  "nu",
  "tk",
  "ml",
  "ga",
  "cf",
  "gq",
  "pw",
  "vc",
  "im",
  "ac",
  "eu",
]);

const NOT_COUNTRIES = new Set(["EU", "AP", "ZZ", "XX", "AA", "QM", "QZ"]);

/** Lower-case name (and code) → alpha-2 of countries; US states → "US". */
const NAMES = new Map<string, string>();
for (const [code, names] of Object.entries(COUNTRIES))
  for (const name of names) NAMES.set(name.toLowerCase(), code);
for (const s of STATES) NAMES.set(s.name.toLowerCase(), "US");
const CITY_NAMES = new Map<string, string>();
for (const [code, names] of Object.entries(CITIES))
  for (const name of names) CITY_NAMES.set(name.toLowerCase(), code);
/** Case-sensitive abbreviations, read only after a comma ("Savannah, GA", "Savannah, Ga."). */
const ABBREVIATIONS = new Map<string, string>();
for (const s of STATES) {
  ABBREVIATIONS.set(s.usps, "US");
  ABBREVIATIONS.set(s.ap, "US");
}
const STATE_NAMES = new Set(STATES.map((s) => s.name.toLowerCase()));
const GEORGIAN_CITIES = new Set((CITIES.GE ?? []).map((c) => c.toLowerCase()));

/** USPS codes and names of the states, for the postal address pattern. */
export const US_STATE_PATTERN = [
  ...STATES.map((s) => s.usps),
  ...STATES.map((s) => s.name.replace(/ /g, "\\s+")),
].join("|");

/** AP abbreviations and names of the states, for the dateline pattern. */
export const AP_STATE_NAMES: ReadonlySet<string> = new Set([
  ...STATES.map((s) => s.ap),
  ...STATES.map((s) => s.name),
]);

/**
 * The ISO 3166-1 alpha-2 code of a country as registration data and JSON-LD write it: a
 * code (`us`, `GB`, `UK`, `USA`) or a listed name (`United States`, `Iran`). Undefined
 * when it is not recognised.
 */
export function countryCode(text: string): string | undefined {
  const t = text.trim().replace(/\s+/g, " ");
  if (/^[A-Za-z]{2}$/.test(t)) {
    const code = t.toUpperCase();
    // Registries write regions and placeholders in the country field too: RIPE's "EU",
    // APNIC's "AP", the user-assigned "ZZ" and "XX". None is a country.
    if (NOT_COUNTRIES.has(code)) return undefined;
    return code === "UK" ? "GB" : code;
  }
  if (/^[A-Za-z]{3}$/.test(t)) {
    const code = ALPHA3[t.toUpperCase()];
    if (code !== undefined) return code;
  }
  // In a country field, "Georgia" is the country, not the US state.
  if (t.toLowerCase() === "georgia") return "GE";
  const named = NAMES.get(t.toLowerCase());
  return named !== undefined && COUNTRIES[named] !== undefined ? named : undefined;
}

/**
 * Where a written place is ("Savannah, Georgia", "the heart of London", "Tbilisi, Georgia,
 * USA" …): the comma-separated parts are read from the most general (the last) back, each
 * as a whole or by its last one to three words, against the tables. "Georgia" is the
 * country after a Georgian city and the US state after any other place; alone it is not
 * read. USPS codes and AP abbreviations count only after a comma ("Savannah, GA").
 */
export function placeCountry(place: string): { country: string; place: string } | undefined {
  const parts = place
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i] as string;
    const found = partCountry(part, i > 0, parts[i - 1]);
    if (found !== undefined)
      return {
        country: found,
        place: parts
          .slice(0, i + 1)
          .join(", ")
          .slice(0, 100),
      };
  }
  return undefined;
}

function partCountry(part: string, afterComma: boolean, before?: string): string | undefined {
  if (afterComma) {
    const abbreviation = ABBREVIATIONS.get(part.replace(/\s+/g, ""));
    if (abbreviation !== undefined) return abbreviation;
  }
  const words = part.replace(/^the\s+/i, "").split(/\s+/);
  for (let n = Math.min(4, words.length); n >= 1; n--) {
    const tail = words
      .slice(words.length - n)
      .join(" ")
      .toLowerCase();
    for (const key of tail.endsWith(".") ? [tail, tail.slice(0, -1)] : [tail]) {
      if (key === "georgia") {
        // Alone, or as the end of a longer phrase, it cannot be told apart.
        if (n !== words.length || before === undefined) return undefined;
        return GEORGIAN_CITIES.has(lastWords(before)) ? "GE" : "US";
      }
      const country = NAMES.get(key) ?? CITY_NAMES.get(key);
      if (country !== undefined) return country;
    }
  }
  return undefined;
}

function lastWords(text: string): string {
  return text.trim().toLowerCase().split(/\s+/).slice(-2).join(" ").replace(/^the /, "");
}

/** Whether a region is a US state: its name, USPS code or AP abbreviation ("Georgia", "GA", "Ga."). */
export function isUsState(region: string): boolean {
  const t = region.trim().replace(/\s+/g, " ");
  return ABBREVIATIONS.has(t.replace(/ /g, "")) || STATE_NAMES.has(t.toLowerCase());
}

/** The country of a city listed here (for datelines and `geo.placename`). */
export function cityCountry(city: string): string | undefined {
  return CITY_NAMES.get(city.trim().toLowerCase().replace(/\s+/g, " "));
}

/** The country of a name (US state names give "US"), whole, case-insensitive. */
export function nameCountry(name: string): string | undefined {
  const key = name.trim().toLowerCase().replace(/\s+/g, " ");
  if (key === "georgia") return undefined;
  return NAMES.get(key);
}

/**
 * The country of an international number (`+44 20 …`, `+1.912…`, `tel:+98…`) by its
 * calling code (E.164 codes are prefix-free: the first 1–3 digits that are a code).
 * Undefined for a national number (no `+`) or a code not listed.
 */
export function phoneCountry(phone: string): { country: string; code: string } | undefined {
  const m = /^\s*(?:tel:)?\s*(?:\+|00)\s*([\d\s.()-]{6,24})/i.exec(phone);
  if (m === null) return undefined;
  const digits = (m[1] as string).replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return undefined;
  for (let n = 1; n <= 3; n++) {
    const code = digits.slice(0, n);
    const country = CALLING_CODES[code];
    if (country !== undefined) return { country, code };
  }
  return undefined;
}

/** The country of a country-code TLD (`.ru` → RU, `.uk` → GB); undefined for generic ones. */
export function ccTldCountry(tld: string): string | undefined {
  const t = tld.toLowerCase();
  if (!/^[a-z]{2}$/.test(t) || GENERIC_CCTLDS.has(t)) return undefined;
  if (t === "uk") return "GB";
  if (t === "su") return "RU";
  return t.toUpperCase();
}
