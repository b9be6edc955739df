import { domainToASCII, domainToUnicode } from "node:url";
import { parseDomain } from "../../model/index.js";
import { NEIGHBOURS, VOWELS } from "./edit-kind.js";
import { NEWS_WORDS } from "./news-words.js";

/** The generators, named like the detector's rules, so each output says which it is. */
export const PERMUTATION_RULES = [
  "omission",
  "insertion",
  "repetition",
  "transposition",
  "vowel-swap",
  "keyboard",
  "bitsquatting",
  "homoglyph",
  "idn-homoglyph",
  "hyphenation",
  "tld-swap",
  "suffix-in-label",
  "brand-with-words",
] as const;
export type PermutationRule = (typeof PERMUTATION_RULES)[number];

export interface Permutation {
  /** ASCII (punycode) form, ready for a registry or a blocklist. */
  domain: string;
  /** How it displays, when it is an IDN. */
  unicode?: string;
  rule: PermutationRule;
}

/**
 * Suffixes tried by `tld-swap`: the common ones, country codes of the big audiences, and
 * the cheap new gTLDs that influence operations registered (Doppelganger used .pm, .ltd,
 * .top, .live, .today, .life, .pics, .beauty, .lol, .cam, .work, .world).
 */
export const DEFAULT_TLDS = [
  "com",
  "net",
  "org",
  "info",
  "biz",
  "co",
  "io",
  "us",
  "news",
  "online",
  "site",
  "website",
  "xyz",
  "top",
  "live",
  "today",
  "life",
  "world",
  "media",
  "press",
  "pm",
  "ltd",
  "pics",
  "beauty",
  "lol",
  "cam",
  "work",
  "club",
  "shop",
  "store",
  "link",
  "click",
  "icu",
  "cc",
  "tv",
  "me",
  "in",
  "ru",
  "su",
  "de",
  "fr",
  "it",
  "uk",
  "co.uk",
  "com.co",
  "co.com",
  "eu",
  "asia",
  "vip",
  "fun",
  "space",
  "pw",
  "ws",
  "bz",
  "la",
  "to",
  "wf",
  "re",
] as const;

/** Single characters and the look-alikes that replace them. */
const ASCII_LOOKALIKES: Record<string, readonly string[]> = {
  a: ["4"],
  b: ["6"],
  d: ["cl"],
  e: ["3"],
  g: ["9", "q"],
  i: ["1", "l"],
  l: ["1", "i"],
  m: ["rn", "nn"],
  o: ["0"],
  q: ["g"],
  s: ["5"],
  w: ["vv"],
  z: ["2"],
};
/** Non-Latin letters that display like Latin ones (Cyrillic, Greek). */
const UNICODE_LOOKALIKES: Record<string, readonly string[]> = {
  a: ["а", "α"],
  c: ["с"],
  e: ["е"],
  h: ["һ"],
  i: ["і"],
  j: ["ј"],
  k: ["κ"],
  o: ["о", "ο"],
  p: ["р", "ρ"],
  s: ["ѕ"],
  x: ["х"],
  y: ["у"],
  d: ["ԁ"],
  q: ["ԛ"],
  w: ["ԝ"],
  l: ["ӏ"],
};

const VALID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Outputs per domain at most: a guard against pathological inputs (very long labels). */
export const MAX_PERMUTATIONS = 200_000;

/**
 * Lookalikes of a protected domain that a defender may want to pre-register or
 * monitor, each with the rule that makes it, like dnstwist's fuzzers. The registrable
 * label is varied; the suffix is kept except for `tld-swap`, `suffix-in-label` and
 * the combosquats, which also try `tlds`.
 *
 * @example permute("washingtonpost.com", { rules: ["tld-swap"] })
 */
export function permute(
  domain: string,
  options: { rules?: readonly PermutationRule[]; tlds?: readonly string[] } = {},
): Permutation[] {
  const parsed = parseDomain(domain);
  if (!parsed.ok) throw new RangeError(`not a domain: ${parsed.message}`);
  const { label, suffix, registrable } = parsed.domain;
  const rules = new Set(options.rules ?? PERMUTATION_RULES);
  const tlds = options.tlds ?? DEFAULT_TLDS;
  const out = new Map<string, Permutation>();
  const add = (candidateLabel: string, rule: PermutationRule, withSuffix = suffix) => {
    if (out.size >= MAX_PERMUTATIONS) return;
    const unicode = `${candidateLabel}.${withSuffix}`;
    let ascii = unicode;
    if (!VALID.test(candidateLabel)) {
      if (rule !== "idn-homoglyph") return;
      ascii = domainToASCII(unicode);
      if (ascii === "") return;
    }
    if (ascii === registrable || out.has(ascii)) return;
    out.set(
      ascii,
      ascii === unicode
        ? { domain: ascii, rule }
        : { domain: ascii, unicode: domainToUnicode(ascii), rule },
    );
  };
  const n = label.length;
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

  if (rules.has("omission"))
    for (let i = 0; i < n; i++) add(label.slice(0, i) + label.slice(i + 1), "omission");
  if (rules.has("repetition"))
    for (let i = 0; i < n; i++) add(label.slice(0, i + 1) + label.slice(i), "repetition");
  if (rules.has("insertion")) {
    for (let i = 0; i <= n; i++) {
      for (const ch of insertable(label, i))
        add(label.slice(0, i) + ch + label.slice(i), "insertion");
    }
  }
  if (rules.has("transposition")) {
    for (let i = 0; i + 1 < n; i++) {
      if (label[i] !== label[i + 1])
        add(label.slice(0, i) + label[i + 1] + label[i] + label.slice(i + 2), "transposition");
    }
  }
  for (let i = 0; i < n; i++) {
    const c = label[i] as string;
    const swap = (to: string, rule: PermutationRule) =>
      add(label.slice(0, i) + to + label.slice(i + 1), rule);
    if (rules.has("vowel-swap") && VOWELS.has(c))
      for (const v of VOWELS) if (v !== c) swap(v, "vowel-swap");
    if (rules.has("keyboard")) for (const k of NEIGHBOURS.get(c) ?? []) swap(k, "keyboard");
    if (rules.has("bitsquatting")) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = String.fromCharCode(c.charCodeAt(0) ^ (1 << bit));
        if (alphabet.includes(flipped)) swap(flipped, "bitsquatting");
      }
    }
    if (rules.has("homoglyph")) for (const g of ASCII_LOOKALIKES[c] ?? []) swap(g, "homoglyph");
    if (rules.has("idn-homoglyph"))
      for (const g of UNICODE_LOOKALIKES[c] ?? []) swap(g, "idn-homoglyph");
    if (rules.has("hyphenation") && i > 0 && label[i - 1] !== "-" && c !== "-") {
      add(`${label.slice(0, i)}-${label.slice(i)}`, "hyphenation");
    }
  }
  if (rules.has("hyphenation") && label.includes("-"))
    add(label.replaceAll("-", ""), "hyphenation");
  if (rules.has("tld-swap"))
    for (const tld of tlds) if (tld !== suffix) add(label, "tld-swap", tld);
  if (rules.has("suffix-in-label")) {
    for (const tld of tlds) add(`${label}-${suffix.replaceAll(".", "-")}`, "suffix-in-label", tld);
  }
  if (rules.has("brand-with-words")) {
    for (const word of NEWS_WORDS) {
      for (const tld of [suffix, ...tlds.slice(0, 8)]) {
        add(`${label}-${word}`, "brand-with-words", tld);
        add(`${word}-${label}`, "brand-with-words", tld);
        add(`${label}${word}`, "brand-with-words", tld);
      }
    }
  }
  return [...out.values()];
}

/** Characters worth inserting at `i`: keyboard neighbours of the letters around it. */
function insertable(label: string, i: number): Set<string> {
  const out = new Set<string>();
  for (const c of [label[i - 1], label[i]]) {
    if (c === undefined) continue;
    for (const k of NEIGHBOURS.get(c) ?? []) out.add(k);
  }
  return out;
}
