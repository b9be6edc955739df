/**
 * Seeded candidate names for the throughput benchmark: mostly benign-looking names of the
 * shapes a day of new registrations has (words run together, hyphenated, pronounceable
 * nonsense, digits) across common suffixes, plus a share of typo-, homoglyph-, hyphen-,
 * word- and suffix-permutations of protected names. The same seed gives the same list,
 * so runs on different days and machines check the same input.
 */
import { domainToASCII } from "node:url";
import { prng } from "../../test/support/random.js";

/** Seeded Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const next = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const WORDS = (
  "home,shop,best,green,blue,red,river,lake,mountain,city,town,park,garden,house,auto,car," +
  "cars,travel,tour,hotel,food,cook,kitchen,cafe,coffee,tea,bread,pizza,burger,wine,beer," +
  "health,care,clinic,dental,smile,fit,yoga,sport,golf,bike,run,team,club,family,kids,baby," +
  "pet,dog,cat,horse,farm,fresh,organic,natural,pure,solar,energy,power,tech,data,cloud,web," +
  "net,soft,code,app,apps,dev,lab,labs,studio,design,art,photo,film,music,sound,game,games," +
  "play,fun,joy,happy,lucky,star,moon,sky,sun,ocean,sea,beach,island,north,south,east,west," +
  "smart,quick,easy,simple,prime,top,pro,plus,max,one,first,new,next,future,global,local," +
  "market,trade,deal,deals,sale,store,outlet,supply,parts,tools,build,craft,wood,stone,steel," +
  "gold,silver,diamond,jewel,fashion,style,beauty,hair,skin,spa,bridal,wedding,party,event," +
  "events,school,learn,study,academy,tutor,book,books,read,write,blog,story,law,legal,tax," +
  "money,bank,loan,credit,invest,capital,fund,insure,realty,estate,property,rent,build,roof," +
  "plumb,clean,repair,service,services,group,partners,consult,agency,media,digital,print," +
  "sign,cards,gift,gifts,box,pack,ship,move,storage,wave,light,bright,vision,point,path,way"
).split(",");

/** Suffixes with rough weights: .com dominates new registrations, then a long tail. */
const SUFFIXES: ReadonlyArray<readonly [string, number]> = [
  ["com", 46],
  ["net", 5],
  ["org", 5],
  ["info", 2],
  ["xyz", 3],
  ["online", 2],
  ["top", 3],
  ["site", 2],
  ["shop", 3],
  ["store", 1],
  ["io", 2],
  ["co", 2],
  ["app", 1],
  ["live", 1],
  ["life", 1],
  ["club", 1],
  ["de", 4],
  ["co.uk", 3],
  ["fr", 1],
  ["nl", 1],
  ["it", 1],
  ["es", 1],
  ["pl", 1],
  ["ru", 2],
  ["in", 1],
  ["us", 1],
  ["ca", 1],
  ["com.au", 1],
  ["com.br", 1],
  ["jp", 1],
];
const SUFFIX_TOTAL = SUFFIXES.reduce((sum, [, w]) => sum + w, 0);

const CONSONANTS = "bcdfghjklmnprstvwz";
const VOWELS = "aeiou";
const LETTERS = "abcdefghijklmnopqrstuvwxyz";
/** ASCII look-alikes an attacker types (o→0, l→1, m→rn …). */
const ASCII_GLYPHS: Readonly<Record<string, readonly string[]>> = {
  o: ["0"],
  l: ["1", "i"],
  i: ["1", "l"],
  m: ["rn", "nn"],
  w: ["vv"],
  e: ["3"],
  a: ["4"],
  s: ["5"],
  d: ["cl"],
};
/** Latin letters with a Cyrillic twin (U+0430 а, U+043E о …): IDN homographs. */
const CYRILLIC: Readonly<Record<string, string>> = {
  a: "а",
  c: "с",
  e: "е",
  o: "о",
  p: "р",
  x: "х",
  y: "у",
  i: "і",
};
const AFFIXES = ["news", "live", "online", "today", "the", "my", "info", "daily", "24", "now"];

/** How a generated permutation was made (reported so a miss can be traced). */
export const PERMUTATION_KINDS = [
  "tld-swap",
  "omission",
  "repetition",
  "transposition",
  "replacement",
  "insertion",
  "hyphenation",
  "ascii-homoglyph",
  "idn-homoglyph",
  "brand-with-words",
] as const;
export type PermutationKind = (typeof PERMUTATION_KINDS)[number];

export interface CandidateNames {
  /** ASCII (punycode) names, as a domain-list source hands them to the detector. */
  names: string[];
  /** 0 for a benign-looking name, 1 + index in PERMUTATION_KINDS for a permutation. */
  kinds: Uint8Array;
  benign: number;
  permutations: number;
}

/**
 * `count` names, `permutationShare` of them permutations of `protectedDomains` (bare
 * registrable names such as `washingtonpost.com`).
 */
export function generateCandidates(options: {
  count: number;
  seed: number;
  permutationShare: number;
  protectedDomains: readonly string[];
}): CandidateNames {
  const next = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const pickChar = (chars: string) => chars.charAt(Math.floor(next() * chars.length));
  const suffix = () => {
    let r = next() * SUFFIX_TOTAL;
    for (const [s, w] of SUFFIXES) {
      r -= w;
      if (r < 0) return s;
    }
    return "com";
  };
  const syllables = (n: number) => {
    let s = "";
    for (let i = 0; i < n; i++) {
      s += pickChar(CONSONANTS) + pickChar(VOWELS);
      if (next() < 0.3) s += pickChar(CONSONANTS);
    }
    return s;
  };
  const benignLabel = (): string => {
    const r = next();
    if (r < 0.35) return pick(WORDS) + pick(WORDS);
    if (r < 0.45) return pick(WORDS);
    if (r < 0.57) return `${pick(WORDS)}-${pick(WORDS)}`;
    if (r < 0.67) return pick(WORDS) + pick(WORDS) + pick(WORDS);
    if (r < 0.87) return syllables(2 + Math.floor(next() * 3));
    return pick(WORDS) + pick(WORDS) + String(Math.floor(next() * 1000));
  };
  const split = (domain: string) => {
    const dot = domain.indexOf(".");
    return { label: domain.slice(0, dot), suffix: domain.slice(dot + 1) };
  };
  const permute = (label: string, kind: PermutationKind): string => {
    const i = Math.floor(next() * label.length);
    switch (kind) {
      case "tld-swap":
        return label;
      case "omission":
        return label.length > 3 ? label.slice(0, i) + label.slice(i + 1) : `${label}s`;
      case "repetition":
        return label.slice(0, i + 1) + label.slice(i);
      case "transposition": {
        const j = Math.min(i, label.length - 2);
        return label.slice(0, j) + label.charAt(j + 1) + label.charAt(j) + label.slice(j + 2);
      }
      case "replacement":
        return label.slice(0, i) + pickChar(LETTERS) + label.slice(i + 1);
      case "insertion":
        return label.slice(0, i) + pickChar(LETTERS) + label.slice(i);
      case "hyphenation": {
        const j = 1 + Math.floor(next() * Math.max(1, label.length - 1));
        return `${label.slice(0, j)}-${label.slice(j)}`;
      }
      case "ascii-homoglyph": {
        const spots = [...label].flatMap((c, k) => (ASCII_GLYPHS[c] ? [k] : []));
        if (spots.length === 0) return `${label}1`;
        const k = pick(spots);
        const c = label.charAt(k);
        return label.slice(0, k) + pick(ASCII_GLYPHS[c] ?? [c]) + label.slice(k + 1);
      }
      case "idn-homoglyph": {
        const spots = [...label].flatMap((c, k) => (CYRILLIC[c] ? [k] : []));
        if (spots.length === 0) return `${label}-${pick(AFFIXES)}`;
        const k = pick(spots);
        return label.slice(0, k) + (CYRILLIC[label.charAt(k)] ?? "") + label.slice(k + 1);
      }
      case "brand-with-words":
        return next() < 0.5
          ? `${pick(AFFIXES)}${next() < 0.5 ? "-" : ""}${label}`
          : `${label}${next() < 0.5 ? "-" : ""}${pick(AFFIXES)}`;
    }
  };

  const names: string[] = new Array(options.count);
  const kinds = new Uint8Array(options.count);
  let permutations = 0;
  for (let n = 0; n < options.count; n++) {
    let name: string;
    if (next() < options.permutationShare && options.protectedDomains.length > 0) {
      const kindIndex = Math.floor(next() * PERMUTATION_KINDS.length);
      const kind = PERMUTATION_KINDS[kindIndex] as PermutationKind;
      const { label, suffix: own } = split(pick(options.protectedDomains));
      const swapSuffix = kind === "tld-swap" || next() < 0.5;
      let s = swapSuffix ? suffix() : own;
      if (kind === "tld-swap" && s === own) s = own === "com" ? "net" : "com";
      // Dropping or moving a letter of `c-span` can leave a label starting with a hyphen.
      name = `${permute(label, kind).replace(/^-+|-+$/g, "")}.${s}`;
      kinds[n] = 1 + kindIndex;
      permutations++;
    } else {
      const sub = next();
      const prefix =
        sub < 0.1 ? "www." : sub < 0.14 ? `${pick(["shop", "mail", "blog", "app"])}.` : "";
      name = `${prefix}${benignLabel()}.${suffix()}`;
    }
    // Names from a zone feed arrive in ASCII; IDN permutations become punycode here.
    names[n] = /^[ -~]*$/.test(name) ? name : domainToASCII(name) || name;
  }
  return { names, kinds, benign: options.count - permutations, permutations };
}
