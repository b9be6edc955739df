import type { Reason } from "../../model/index.js";

import { isEnglishWord, isPlaceName } from "./dictionary.js";
import { VISUAL_COSTS } from "./edit-distance.js";
import type { EditKind } from "./edit-kind.js";

/** The rules of this detector; each names one way a domain imitates a protected one. */
export type LookalikeRule =
  | "idn-homoglyph"
  | "homoglyph"
  | "tld-swap"
  | "suffix-in-label"
  | "hyphenation"
  | "outlet-name"
  | EditKind
  | "edit-distance"
  | "brand-with-words"
  | "brand-in-subdomain"
  | "dot-insertion";

/**
 * Rules scored by how visually close the edited name is (one or two edits). A
 * `homoglyph` hit is one of them when it comes from an edit (it carries a visual
 * distance); from a whole-label skeleton match it has the fixed homoglyph weight.
 */
const EDIT_RULES = new Set<LookalikeRule>([
  "homoglyph",
  "omission",
  "insertion",
  "repetition",
  "transposition",
  "vowel-swap",
  "bitsquatting",
  "keyboard",
  "replacement",
  "edit-distance",
]);

/** One rule that fired for a candidate against one protected brand token. */
export interface RuleHit {
  rule: LookalikeRule;
  /** The protected text compared: a domain label or an outlet's name run together. */
  brand: string;
  /** The candidate text it was compared with (the label, or its IDN skeleton). */
  candidate: string;
  /** Rule-specific measure: visual distance for edits, brand coverage for combos. */
  measure?: number;
  /** For brand-with-words: the brand is a whole hyphen-separated word of the label. */
  wordBoundary?: boolean;
  /** For brand-with-words: the added words that are news words (cnn-news). */
  newsWords?: readonly string[];
  /** Suffix of the candidate and of the protected domain, for tld-swap and IDN. */
  suffixes?: readonly [string, string];
  /**
   * For edits: the English words the candidate reads as, one (lemonade for lemonde) or
   * several run together where the brand is not words (livejournal for licjournal).
   */
  ordinaryWords?: readonly string[];
  /** For brands found inside a label: an English word runs across the brand's edge. */
  insideWord?: boolean;
  /** For brand-with-words: every word added names web infrastructure (forbesimg). */
  infrastructure?: boolean;
}

/**
 * Base weights. A name identical to the brand under another suffix, or identical once
 * homoglyphs are read as Latin, is as strong as a name-only signal gets; edits and added
 * words weaken it in proportion to how much of the name changed.
 */
export const RULE_WEIGHTS = {
  "idn-homoglyph": 0.97,
  "tld-swap": 0.95,
  /** Reads the same once rn, vv, cl, 0, 1 are read as m, w, d, o, l. */
  homoglyph: 0.93,
  /** The brand with its suffix written into the label (washingtonpost-com.info). */
  "suffix-in-label": 0.9,
  hyphenation: 0.9,
  /** The outlet's name or an alias run together: its brand, under the outlet's spelling. */
  "outlet-name": 0.95,
  /**
   * Edits: multiplied by the square of the visual similarity (1 − visual distance /
   * brand length), since one plain change in a five-letter name is far more visible
   * than in ten.
   */
  edit: 0.95,
  /**
   * 0.35 + 0.55 × share of the label taken by the brand (and by news words added to
   * it: cnn-breaking is all brand and news word), + 0.05 on a word boundary.
   */
  "brand-with-words": 0.35,
  /** A dot inside the brand, so its head is a subdomain: was.hingtonpost.com. */
  "dot-insertion": 0.9,
  /**
   * The brand as a label or word left of an unrelated registrable domain; +0.1 when the
   * whole protected domain is spelled out there (washingtonpost.com.example.net).
   */
  "brand-in-subdomain": 0.85,
} as const;

/**
 * How much a brand of this length can be trusted. Short brands (`cbs`, `npr`, `abc`,
 * call signs like `wral`) collide with innocent names all the time, so the same rule on
 * a short brand is weaker evidence.
 */
export function lengthFactor(length: number): number {
  if (length <= 2) return 0.3;
  if (length === 3) return 0.55;
  if (length === 4) return 0.7;
  if (length === 5) return 0.85;
  return 1;
}

/**
 * The most an edit of a brand this long can score: one look-alike letter, the cheapest
 * change (an IDN read through its skeleton scores as `idn-homoglyph`), with the
 * short-brand cut. Edits of brands whose best is below the threshold are not scored.
 */
export function bestEditScore(brandLength: number, viaSkeleton: boolean): number {
  return viaSkeleton
    ? RULE_WEIGHTS["idn-homoglyph"] * lengthFactor(brandLength)
    : editScoreBound(VISUAL_COSTS.confusable, brandLength);
}

/** The most an edit at this visual distance can score, before any cut but short-brand. */
export function editScoreBound(measure: number, brandLength: number): number {
  return (
    RULE_WEIGHTS.edit * Math.max(0, 1 - measure / brandLength) ** 2 * lengthFactor(brandLength)
  );
}

/** Base weight of brand-with-words: by the share of the label the brand (and news words) take. */
export function brandWithWordsWeight(coverage: number, wordBoundary: boolean): number {
  return RULE_WEIGHTS["brand-with-words"] + 0.55 * coverage + (wordBoundary ? 0.05 : 0);
}

/** Most edits allowed between a brand label and a candidate label. */
export function maxEdits(brandLength: number): number {
  // Three-letter brands are matched one edit away (cnn0, ann), but score far below the
  // default threshold (short-brand): shown when asked for, never by default.
  if (brandLength <= 2) return 0;
  return brandLength < 8 ? 1 : 2;
}

/** Scores one hit and explains the score as reasons whose weights add up to it. */
export function scoreHit(hit: RuleHit): { score: number; reasons: Reason[] } {
  return { score: hitScore(hit), reasons: explainHit(hit) };
}

/** The score of one hit alone, before suffix and known-domain adjustments. */
export function hitScore(hit: RuleHit): number {
  let weight = baseWeight(hit);
  for (const cut of CUTS) weight *= cut.factor(hit);
  return round(Math.max(0, Math.min(1, weight)));
}

/**
 * Two plain edits turn one word into another far more often than they disguise it
 * (optonline for bdtonline, syndigo for sandiego), and lookalike tools and operations
 * mostly change one character; so a two-edit match keeps this share of its weight.
 * Look-alike letters, doubled letters and hyphens are cheap in the visual distance
 * and are not cut: two of them still read as the brand.
 */
export const TWO_EDITS_FACTOR = 0.75;
/**
 * Share kept when the candidate is itself an ordinary English word (lemonade, mountain,
 * stripe), or words run together beside a brand that is not (livejournal beside
 * licjournal): people register words for their meaning, so the closeness to a brand is
 * more likely chance.
 */
export const ORDINARY_WORD_FACTOR = 0.6;
/** Share kept when the brand's edge falls inside an English word (cradlepoint). */
export const INSIDE_WORD_FACTOR = 0.6;
/** Share kept by brand-with-words when the brand is an ordinary English word or a place name. */
export const WORD_BRAND_FACTOR = 0.6;
/** Share kept by brand-with-words when the words added name web infrastructure (cnn-static). */
export const INFRASTRUCTURE_FACTOR = 0.6;
/** Share kept when one digit replaces another (news18 for news10). */
export const OTHER_NUMBER_FACTOR = 0.6;

const DIGIT = /^[0-9]$/;

/** Whether the candidate differs from the brand only in one digit replaced by another. */
function changesOnlyADigit(hit: RuleHit): boolean {
  const { brand, candidate } = hit;
  if (brand.length !== candidate.length || !EDIT_RULES.has(hit.rule)) return false;
  let at = -1;
  for (let i = 0; i < brand.length; i++) {
    if (brand[i] === candidate[i]) continue;
    if (at !== -1) return false;
    at = i;
  }
  return at !== -1 && DIGIT.test(brand[at] as string) && DIGIT.test(candidate[at] as string);
}

/** A multiplicative cut of a hit's weight, explained as a negative reason. */
interface Cut {
  rule: string;
  /** Share of the weight kept (1: no cut). */
  factor(hit: RuleHit): number;
  feature(hit: RuleHit): string;
  explanation: string;
}

function hasNewsWords(hit: RuleHit): boolean {
  return hit.rule === "brand-with-words" && (hit.newsWords?.length ?? 0) > 0;
}

const CUTS: readonly Cut[] = [
  {
    rule: "short-brand",
    factor: (hit) => {
      // A short brand plus news words is not a chance collision: half the cut.
      const length = lengthFactor(hit.brand.length);
      return hasNewsWords(hit) ? (1 + length) / 2 : length;
    },
    feature: (hit) =>
      `brand "${hit.brand}" has ${hit.brand.length} characters${hasNewsWords(hit) ? " (cut halved: news words added)" : ""}`,
    explanation:
      "Short names collide with unrelated names by chance, so a match on them counts for less.",
  },
  {
    rule: "two-edits",
    factor: (hit) =>
      hit.rule === "edit-distance" && (hit.measure ?? 0) > 1 ? TWO_EDITS_FACTOR : 1,
    feature: (hit) => `two plain changes (visual distance ${hit.measure})`,
    explanation:
      "Two unrelated changes more often make a different word than disguise the brand; lookalikes mostly change one character.",
  },
  {
    rule: "ordinary-word",
    factor: (hit) => (hit.ordinaryWords ? ORDINARY_WORD_FACTOR : 1),
    feature: (hit) => {
      const words = hit.ordinaryWords ?? [];
      return words.length > 1
        ? `"${hit.candidate}" reads as the English words "${words.join('", "')}", "${hit.brand}" does not`
        : `"${hit.candidate}" is an English word`;
    },
    explanation:
      "Names that are ordinary words are registered for their meaning; their closeness to the brand is more likely chance.",
  },
  {
    rule: "word-brand",
    factor: (hit) =>
      hit.rule === "brand-with-words" && (isEnglishWord(hit.brand) || isPlaceName(hit.brand))
        ? WORD_BRAND_FACTOR
        : 1,
    feature: (hit) =>
      `the brand "${hit.brand}" is ${isEnglishWord(hit.brand) ? "an English word" : "a place name"}`,
    explanation:
      "Countless innocent names contain an ordinary word or a place (stream, cleveland); only a distinctive brand with words added points to the outlet.",
  },
  {
    rule: "other-number",
    factor: (hit) => (changesOnlyADigit(hit) ? OTHER_NUMBER_FACTOR : 1),
    feature: (hit) => `"${hit.candidate}" has another number than "${hit.brand}"`,
    explanation:
      "Readers notice numbers: news18 is not read as news10, and stations differ by channel number.",
  },
  {
    rule: "inside-word",
    factor: (hit) => (hit.insideWord ? INSIDE_WORD_FACTOR : 1),
    feature: (hit) =>
      `an English word in "${hit.candidate}" runs across the edge of "${hit.brand}"`,
    explanation:
      "The brand's letters are part of another word (lepoint in cradlepoint), not the brand with words added.",
  },
  {
    rule: "infrastructure-words",
    factor: (hit) => (hit.infrastructure ? INFRASTRUCTURE_FACTOR : 1),
    feature: (hit) =>
      `what "${hit.candidate}" adds to "${hit.brand}" names web infrastructure (static, img, cdn, …)`,
    explanation:
      "Outlets serve pictures, scripts and fonts from names like these, which readers never see; operations imitate the names readers see.",
  },
];

/**
 * The reasons for `hitScore`, whose weights add up to it: built only for matches that
 * are reported, since most hits on a busy stream score below the threshold.
 */
export function explainHit(hit: RuleHit): Reason[] {
  let weight = baseWeight(hit);
  const reasons: Reason[] = [
    {
      rule: hit.rule,
      feature: describeFeature(hit),
      weight: round(weight),
      explanation: explain(hit),
    },
  ];
  for (const cut of CUTS) {
    const factor = cut.factor(hit);
    if (factor >= 1) continue;
    reasons.push({
      rule: cut.rule,
      feature: cut.feature(hit),
      weight: -round(weight * (1 - factor)),
      explanation: cut.explanation,
    });
    weight *= factor;
  }
  return reasons;
}

/**
 * Suffixes whose registries only admit governments, the military, universities or
 * treaty bodies (RFC 1591, RFC 1480 for the .us locality names). A foreign operation
 * cannot simply register a name there, so a match under them is most likely innocent.
 */
const RESTRICTED_SUFFIX =
  /^(?:gov|mil|edu|int|(?:gov|mil|edu|ac|gouv|gob|go)\.[a-z]{2}|[a-z]{2}\.us|(?:lg|ed)\.jp)$/;

export const RESTRICTED_SUFFIX_WEIGHT = -0.5;

/**
 * Suffixes whose registries admit only organisations registered in the country, checked
 * against its company or business registers: JPRS's organisational .jp names (co.jp for
 * companies registered in Japan, or.jp, ne.jp, gr.jp, ad.jp; one name per organisation),
 * and auDA's com.au, net.au, org.au, asn.au and id.au (an Australian presence, and a
 * name matching or closely connected to the registrant). Open to anyone who sets up
 * there, so weaker than the restricted suffixes; second-level .jp and .au are not here.
 */
const LOCAL_REGISTRANT_SUFFIX = /^(?:(?:co|or|ne|gr|ad)\.jp|(?:com|net|org|asn|id)\.au)$/;

export const LOCAL_REGISTRANT_SUFFIX_WEIGHT = -0.3;

/** A negative reason when the candidate's suffix is registry-restricted or vetted. */
export function suffixReason(suffix: string): Reason | undefined {
  if (RESTRICTED_SUFFIX.test(suffix)) {
    return {
      rule: "restricted-suffix",
      feature: `suffix ".${suffix}" only admits vetted registrants`,
      weight: RESTRICTED_SUFFIX_WEIGHT,
      explanation:
        "Governments, universities and the military hold names here; an influence operation cannot register one at will.",
    };
  }
  if (LOCAL_REGISTRANT_SUFFIX.test(suffix)) {
    return {
      rule: "local-registrant-suffix",
      feature: `suffix ".${suffix}" only admits organisations registered in the country`,
      weight: LOCAL_REGISTRANT_SUFFIX_WEIGHT,
      explanation:
        "The registry checks the registrant against the country's company or business register; a foreign operation would first have to set up there under its own name.",
    };
  }
  return undefined;
}

export const KNOWN_LEGITIMATE_WEIGHT = -0.4;

/** A negative reason for a candidate on the configured list of known legitimate domains. */
export function knownReason(): Reason {
  return {
    rule: "known-legitimate",
    feature: "on the configured list of known legitimate domains",
    weight: KNOWN_LEGITIMATE_WEIGHT,
    explanation:
      "Established popular domains are rarely new lookalikes; scored down rather than ignored, since a known domain can still imitate.",
  };
}

function baseWeight(hit: RuleHit): number {
  if (EDIT_RULES.has(hit.rule) && hit.measure !== undefined) {
    return RULE_WEIGHTS.edit * Math.max(0, 1 - (hit.measure ?? 1) / hit.brand.length) ** 2;
  }
  if (hit.rule === "brand-in-subdomain") {
    return RULE_WEIGHTS["brand-in-subdomain"] + 0.1 * (hit.measure ?? 0);
  }
  if (hit.rule === "brand-with-words") {
    return brandWithWordsWeight(hit.measure ?? 0, hit.wordBoundary === true);
  }
  return RULE_WEIGHTS[hit.rule as keyof typeof RULE_WEIGHTS];
}

const EDIT_WORDS: Record<EditKind, string> = {
  omission: "a letter left out",
  insertion: "a letter added",
  repetition: "a letter doubled",
  transposition: "two neighbouring letters swapped",
  "vowel-swap": "one vowel for another",
  bitsquatting: "one character a flipped bit away",
  keyboard: "a key next to the right one",
  homoglyph: "a look-alike character",
  replacement: "one letter replaced",
};

function describeFeature(hit: RuleHit): string {
  const pair = `"${hit.candidate}" for "${hit.brand}"`;
  switch (hit.rule) {
    case "tld-swap":
      return `label "${hit.candidate}" under ".${hit.suffixes?.[0]}" instead of ".${hit.suffixes?.[1]}"`;
    case "idn-homoglyph":
      return `IDN label reads as "${hit.candidate}"`;
    case "homoglyph":
      return hit.measure === undefined
        ? `${pair} reads the same at a glance`
        : `${pair}: ${EDIT_WORDS.homoglyph} (visual distance ${hit.measure})`;
    case "suffix-in-label":
      return `${pair} with the suffix written into the label`;
    case "hyphenation":
      return `"${hit.candidate}" is "${hit.brand}" with hyphens added or removed`;
    case "outlet-name":
      return `label "${hit.candidate}" is the outlet's name run together`;
    case "edit-distance":
      return `${pair}: ${hit.measure} (visual) edits`;
    case "brand-with-words": {
      const share = `${Math.round((hit.measure ?? 0) * 100)}% of "${hit.candidate}"`;
      const news = hit.newsWords ?? [];
      return news.length === 0
        ? `"${hit.brand}" takes ${share}`
        : `"${hit.brand}" with the news word${news.length > 1 ? "s" : ""} "${news.join('", "')}" takes ${share}`;
    }
    case "dot-insertion":
      return `"${hit.candidate}" is "${hit.brand}" with a dot inserted`;
    case "brand-in-subdomain":
      return `${hit.measure ? "the whole domain " : ""}"${hit.brand}" in the subdomain "${hit.candidate}"`;
    default:
      return `${pair}: ${EDIT_WORDS[hit.rule]} (visual distance ${hit.measure})`;
  }
}

function explain(hit: RuleHit): string {
  switch (hit.rule) {
    case "tld-swap":
      return "The outlet's exact name registered under another public suffix, the Doppelganger pattern (washingtonpost.pm).";
    case "idn-homoglyph":
      return "Letters from other scripts or with marks make the name look like the outlet's when displayed.";
    case "homoglyph":
      return hit.measure === undefined
        ? "Characters such as rn, vv, cl, 0 and 1 pass for m, w, d, o and l in a URL bar."
        : "A typo-squat with a look-alike character (i for l, 0 for o): readers miss it.";
    case "suffix-in-label":
      return "The outlet's full domain appears to be there, but the real suffix is another (washingtonpost-com.info).";
    case "hyphenation":
      return "The outlet's name with hyphens added or dropped reads the same at a glance (fox-news).";
    case "outlet-name":
      return "The label spells out the protected outlet's name.";
    case "edit-distance":
      return "Two small changes; look-alike letters, doubled letters and hyphens count as smaller changes.";
    case "brand-with-words":
      return "The outlet's name with extra words (combosquatting: foxnews-live).";
    case "dot-insertion":
      return "A dot inside the outlet's name makes its head a subdomain of a name the operator registered (was.hingtonpost.com).";
    case "brand-in-subdomain":
      return "The outlet's name placed left of an unrelated domain, so a reader who stops at the start of the host sees the outlet (washingtonpost.com.example.net).";
    default:
      return `A typo-squat: ${EDIT_WORDS[hit.rule]}, a change readers and typists miss.`;
  }
}

/** Rounds a weight or score for display and storage (3 places; 2 for distances). */
export function round(x: number, places = 3): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}
