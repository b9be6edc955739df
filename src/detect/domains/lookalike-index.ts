import { type DomainName, parseDomain, type Reason, type Watchlist } from "../../model/index.js";
import { AhoCorasick } from "./aho-corasick.js";
import { skeleton } from "./confusables.js";
import { DeletionIndex } from "./deletion-index.js";
import { readAsWords, wordCrosses } from "./dictionary.js";
import {
  bestEditScore,
  brandWithWordsWeight,
  editScoreBound,
  explainHit,
  hitScore,
  knownReason,
  type LookalikeRule,
  maxEdits,
  type RuleHit,
  round,
  suffixReason,
} from "./domains-features.js";
import { osaDistance, visualDistance } from "./edit-distance.js";
import {
  asciiSkeleton,
  classifyEdit,
  coarsen,
  coarseSkeleton,
  skeletonHashes,
} from "./edit-kind.js";
import { HashFilter } from "./hash-filter.js";
import { addsOnlyInfrastructure, wordsAreInfrastructure } from "./infrastructure-words.js";
import { NEWS_WORDS, stripNewsWords } from "./news-words.js";
import { hashString, smallHash } from "./string-hash.js";

/** A protected outlet as the index knows it. */
export interface ProtectedOutlet {
  id: string;
  name: string;
  domains: readonly string[];
  /** Other names it goes by (abbreviations, transliterations). */
  aliases?: readonly string[];
  threshold?: number;
}

/** A candidate judged to imitate one protected outlet. */
export interface LookalikeMatch {
  outlet: ProtectedOutlet;
  /** The protected domain it imitates most closely. */
  protectedDomain: string;
  rule: LookalikeRule;
  score: number;
  reasons: Reason[];
}

/** Most outlets reported for one candidate: past three, the name is just generic. */
export const MAX_OUTLETS_PER_CANDIDATE = 3;
/** Substring (combosquat) search only uses brands this long, so short ones do not match everywhere. */
export const MIN_SUBSTRING_BRAND = 6;
/** A hyphen-separated word of the label must be at least this long to count as the brand. */
export const MIN_WORD_BRAND = 3;

/**
 * Labels that are ordinary words news sites share. An outlet whose whole label is one of
 * them (news.com, post.com) is still protected against exact and near copies, but is not
 * searched for inside other names, where it would match everything.
 */
const GENERIC_WORDS = new Set(
  (
    "news,times,post,daily,live,breaking,today,world,media,online,press,herald,tribune,journal," +
    "report,radio,channel,network,magazine,weekly,local,city,county,politics,sports,weather," +
    "business,money,people,time,life,star,sun,mail,news24,info,review,observer,gazette,courier," +
    "record,express,standard,guardian,independent,national,global,digital,american,america," +
    "public,community,latest,update,updates,insider,first,free,voice,stream,streams,mirror,online"
  ).split(","),
);

interface BrandToken {
  /** The text compared: a registrable label, or an outlet name run together. */
  text: string;
  source: "label" | "name";
  outlet: number;
  /** Registrable protected domain this token stands for. */
  domain: string;
  suffix: string;
  /** `asciiSkeleton(text)`, computed once here rather than per candidate. */
  glance: string;
  /** `coarseSkeleton(text)`. */
  coarse: string;
}

/** A rule that fired against one brand token. */
interface Hit {
  hit: RuleHit;
  token: BrandToken;
}

/** What `LookalikeIndex.edited` needs to know of the candidate being checked. */
interface EditQuery {
  text: string;
  /** `text` without hyphens. */
  flat: string;
  viaSkeleton: boolean;
  threshold: number;
  /** Where hits go. */
  hits: Hit[];
  /** Brands found a typo away (skipped by the combosquat rules). */
  typoed: Set<string> | undefined;
  /** The English words the candidate reads as (null: none), once asked. */
  words: readonly string[] | null | undefined;
}

/**
 * Everything needed to judge a candidate domain against the watchlist, built once: maps
 * from label, hyphen-free label and outlet name to brands, a deletion-neighbourhood index
 * for edit distance and an Aho–Corasick automaton for brands inside longer names. The
 * cost of checking one candidate does not grow with the number of protected outlets.
 */
export class LookalikeIndex {
  readonly outlets: readonly ProtectedOutlet[];
  private readonly owned = new Set<string>();
  /** Hashes of `owned`: nearly every candidate is not owned, answered without the Set. */
  private readonly ownedFilter: HashFilter;
  private readonly allowed = new Set<string>();
  /** Registrable domains known to be legitimate (scored down, not ignored). */
  private readonly known = new Set<string>();
  private readonly byLabel = new Map<string, BrandToken[]>();
  private readonly byCompact = new Map<string, BrandToken[]>();
  private readonly byName = new Map<string, BrandToken[]>();
  /**
   * Labels by how they read at a glance (rn → m, vv → w, 0 → o, …), keyed by the
   * skeleton's hash so a candidate's is looked up without building it (verified on a hit).
   */
  private readonly bySkeleton = new Map<number, BrandToken[]>();
  /** Labels by their coarse reading, where several look-alike letters may differ (hashed too). */
  private readonly byCoarse = new Map<number, BrandToken[]>();
  /**
   * Brands matched one edit away (shorter than 8) and two edits away, in two indexes: a
   * short candidate queried two deletions deep would meet every short brand sharing two
   * of its letters, and each would then have to be verified.
   */
  private readonly nearEdits: DeletionIndex;
  private readonly farEdits: DeletionIndex;
  /**
   * For each protected label, the words the two deletion indexes report for it, in the
   * order they report them: a candidate that is a protected label under another suffix
   * (a tenth of what a feed flags) skips the hundred-odd probes that would each find its
   * own brand's keys again.
   */
  private readonly labelEdits = new Map<string, readonly string[]>();
  /**
   * The candidate `collect` is checking, as `edited` reads it: one state object and one
   * callback reused by every query, where a closure made for each candidate was a large
   * share of what checking a clean name allocated.
   */
  private readonly editQuery: EditQuery = {
    text: "",
    flat: "",
    viaSkeleton: false,
    threshold: 0,
    hits: NO_HITS,
    typoed: undefined,
    words: undefined,
  };
  /** Whether a brand reads as English words, memoised (brands are few, asked often). */
  private readonly brandIsWords = new Map<string, boolean>();
  private readonly visitEdit = (brand: string): void => this.edited(brand);
  private readonly substrings: AhoCorasick;
  private readonly substringTokens = new Map<string, BrandToken[]>();
  /**
   * Hashes of every key of the maps above: a candidate text missing here is in none of
   * them, found without touching the maps (each a cache miss away on a large watchlist).
   */
  private readonly keyFilter: HashFilter;

  constructor(
    outlets: readonly ProtectedOutlet[],
    options: {
      allow?: readonly string[];
      owned?: readonly string[];
      known?: readonly string[];
    } = {},
  ) {
    this.outlets = outlets;
    for (const raw of [...(options.allow ?? [])]) {
      const parsed = parseDomain(raw);
      if (parsed.ok) this.allowed.add(parsed.domain.ascii);
    }
    for (const raw of options.known ?? []) {
      const parsed = parseDomain(raw);
      if (parsed.ok) this.known.add(parsed.domain.registrable);
    }
    for (const raw of options.owned ?? []) {
      const parsed = parseDomain(raw);
      if (parsed.ok) this.owned.add(parsed.domain.registrable);
    }
    outlets.forEach((outlet, index) => {
      let first: DomainName | undefined;
      for (const raw of outlet.domains) {
        const parsed = parseDomain(raw);
        if (!parsed.ok) continue; // the watchlist loader reports these
        const d = parsed.domain;
        this.owned.add(d.registrable);
        // A section of a portal (news.google.com, yahoo.com/news): the portal's name is
        // not the outlet's brand and is legitimately held under many suffixes, so it is
        // owned (never flagged) but not matched against.
        if (isSection(raw, d)) continue;
        first ??= d;
        const token: BrandToken = {
          text: d.label,
          source: "label",
          outlet: index,
          domain: d.registrable,
          suffix: d.suffix,
          glance: asciiSkeleton(d.label),
          coarse: coarseSkeleton(d.label),
        };
        push(this.byLabel, d.label, token);
        push(this.byCompact, compact(d.label), token);
        push(this.bySkeleton, smallHash(hashString(token.glance)), token);
        push(this.byCoarse, smallHash(hashString(token.coarse)), token);
        if (d.label.length >= MIN_SUBSTRING_BRAND && !GENERIC_WORDS.has(d.label)) {
          push(this.substringTokens, d.label, token);
        }
      }
      const { name: fullName, shortForms } = outletNames(outlet);
      for (const name of new Set([fullName, ...shortForms])) {
        // A full name is matched from six letters, like brands inside labels; a short
        // form the watchlist gives explicitly (RBK) from three, scored as a short brand.
        const min = name === fullName ? MIN_SUBSTRING_BRAND : MIN_WORD_BRAND;
        if (!first || name.length < min || GENERIC_WORDS.has(name)) continue;
        if (this.byCompact.has(name)) continue; // the name is a label already (Delfi, delfi.lt)
        const token: BrandToken = {
          text: name,
          source: "name",
          outlet: index,
          domain: first.registrable,
          suffix: first.suffix,
          glance: asciiSkeleton(name),
          coarse: coarseSkeleton(name),
        };
        push(this.byName, name, token);
        if (name.length >= MIN_SUBSTRING_BRAND) push(this.substringTokens, name, token);
      }
    });
    const labels = [...this.byLabel.keys()];
    this.nearEdits = new DeletionIndex(
      labels.filter((label) => maxEdits(label.length) === 1),
      1,
    );
    this.farEdits = new DeletionIndex(
      labels.filter((label) => maxEdits(label.length) === 2),
      2,
    );
    for (const label of labels) {
      const words: string[] = [];
      const add = (word: string) => {
        words.push(word);
      };
      this.nearEdits.forEachCandidate(label, add);
      this.farEdits.forEachCandidate(label, add);
      this.labelEdits.set(label, words);
    }
    this.substrings = new AhoCorasick(this.substringTokens.keys());
    this.ownedFilter = new HashFilter([...this.owned].map(hashString));
    this.keyFilter = new HashFilter([
      ...[this.byLabel, this.byCompact, this.byName].flatMap((map) =>
        [...map.keys()].map(hashString),
      ),
      ...this.bySkeleton.keys(),
      ...this.byCoarse.keys(),
    ]);
  }

  /** Builds the index for a validated watchlist (outlets and organisations' domains). */
  static fromWatchlist(watchlist: Watchlist): LookalikeIndex {
    const outlets: ProtectedOutlet[] = watchlist.outlets.map((o) => ({
      id: o.id ?? nameKey(o.name),
      name: o.name,
      domains: o.domains,
      aliases: o.aliases,
      ...(o.threshold === undefined ? {} : { threshold: o.threshold }),
    }));
    return new LookalikeIndex(outlets, {
      allow: watchlist.settings.domains.allow,
      owned: watchlist.organisations.flatMap((o) => o.domains),
      known: watchlist.settings.domains.known,
    });
  }

  /** Whether the domain is one the watchlist owns or allows (never flagged). */
  isOwnedOrAllowed(d: DomainName): boolean {
    return (
      (this.ownedFilter.has(hashString(d.registrable)) && this.owned.has(d.registrable)) ||
      (this.allowed.size > 0 && (this.allowed.has(d.ascii) || this.allowed.has(d.registrable)))
    );
  }

  /**
   * The protected outlets `d` imitates, best first, each with its score and reasons.
   * Pure and cheap: a few hash look-ups and one automaton pass. Matches scoring below
   * `threshold` (or the outlet's own threshold) are left out before they are explained.
   */
  match(d: DomainName, threshold = 0): readonly LookalikeMatch[] {
    if (this.isOwnedOrAllowed(d)) return NO_MATCHES;
    const hits: Hit[] = [];
    this.collect(d.label, d, false, hits, threshold);
    if (d.isIdn) {
      const read = skeleton(d.unicodeLabel);
      // Letters with no ASCII reading stay as they are: one or two of them are edits.
      if (read !== d.label) this.collect(read, d, true, hits, threshold);
    }
    if (d.subdomain !== "") this.collectSubdomain(d, hits);
    return this.rank(hits, d, threshold);
  }

  /** The lowest threshold a finding against these tokens' outlets is reported at. */
  private lowestOf(tokens: readonly BrandToken[], threshold: number): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const token of tokens) lowest = Math.min(lowest, this.thresholdOf(token, threshold));
    return lowest;
  }

  /** The threshold a finding against `token`'s outlet is reported at. */
  private thresholdOf(token: BrandToken, threshold: number): number {
    return this.outlets[token.outlet]?.threshold ?? threshold;
  }

  /** The tokens under `key`, with the filter answering most misses. */
  private tokens(map: Map<string, readonly BrandToken[]>, key: string): readonly BrandToken[] {
    return this.keyFilter.has(hashString(key)) ? (map.get(key) ?? NO_TOKENS) : NO_TOKENS;
  }

  /** `tokens` for a key whose filter answer is known (one hash for several maps). */
  private tokensIf(
    maybe: boolean,
    map: Map<string, readonly BrandToken[]>,
    key: string,
  ): readonly BrandToken[] {
    return maybe ? (map.get(key) ?? NO_TOKENS) : NO_TOKENS;
  }

  private shapeTokens(
    map: Map<number, readonly BrandToken[]>,
    hash: number,
  ): readonly BrandToken[] | undefined {
    return this.keyFilter.has(hash) ? map.get(hash) : undefined;
  }

  private collect(
    text: string,
    d: DomainName,
    viaSkeleton: boolean,
    hits: Hit[],
    threshold: number,
  ): void {
    const maybe = this.keyFilter.has(hashString(text));
    for (const token of this.tokensIf(maybe, this.byLabel, text)) {
      if (!viaSkeleton && d.suffix === token.suffix) continue;
      add(hits, token, {
        rule: viaSkeleton ? "idn-homoglyph" : "tld-swap",
        brand: token.text,
        candidate: text,
        suffixes: [d.suffix, token.suffix],
      });
    }
    for (const token of this.tokensIf(maybe, this.byName, text)) {
      add(hits, token, {
        rule: viaSkeleton ? "idn-homoglyph" : "outlet-name",
        brand: token.text,
        candidate: text,
      });
    }
    const flat = compact(text);
    const sameFlat =
      flat === text
        ? this.tokensIf(maybe, this.byCompact, flat)
        : this.tokens(this.byCompact, flat);
    for (const token of sameFlat) {
      if (token.text !== text)
        add(hits, token, { rule: "hyphenation", brand: token.text, candidate: text });
    }
    // The candidate the edit rules below (coarse homoglyphs, then `edited`) score.
    const query = this.editQuery;
    query.text = text;
    query.flat = flat;
    query.viaSkeleton = viaSkeleton;
    query.threshold = threshold;
    query.hits = hits;
    query.typoed = undefined;
    query.words = undefined;
    const hashed = skeletonHashes(text);
    const sameGlance = this.shapeTokens(this.bySkeleton, smallHash(hashed.glance));
    const sameCoarse = this.shapeTokens(this.byCoarse, smallHash(hashed.coarse));
    const glance = sameGlance || sameCoarse ? asciiSkeleton(text) : "";
    for (const token of sameGlance ?? NO_TOKENS) {
      if (token.glance !== glance) continue; // another skeleton with the same hash
      if (token.text === text || compact(token.text) === flat) continue;
      add(hits, token, {
        rule: viaSkeleton ? "idn-homoglyph" : "homoglyph",
        brand: token.text,
        candidate: text,
      });
    }
    // Several look-alike letters at once (nytincs): found coarsely, scored by how close
    // the two read.
    const coarse = sameCoarse ? coarsen(glance) : "";
    for (const token of sameCoarse ?? NO_TOKENS) {
      if (token.coarse !== coarse || token.text === text || token.glance === glance) continue;
      const measure = round(visualDistance(token.glance, glance), 2);
      const ordinaryWords = this.ordinaryWords(
        measure,
        token.text,
        this.thresholdOf(token, threshold),
      );
      add(hits, token, {
        rule: viaSkeleton ? "idn-homoglyph" : "homoglyph",
        brand: token.text,
        candidate: text,
        measure,
        ...(ordinaryWords ? { ordinaryWords } : {}),
      });
    }
    const withSuffix = withoutSuffixWord(text);
    if (withSuffix !== undefined) {
      for (const token of this.tokens(this.byLabel, withSuffix)) {
        add(hits, token, { rule: "suffix-in-label", brand: token.text, candidate: text });
      }
    }
    // A brand a typo away is a typo (spiegell), not the brand with words added, even
    // when the brand is still a substring; such brands skip the combosquat rules below.
    // Only a protected label has listed edits, and the key filter holds every such label.
    const known = maybe ? this.labelEdits.get(text) : undefined;
    if (known !== undefined) for (const brand of known) this.edited(brand);
    else {
      this.nearEdits.forEachCandidate(text, this.visitEdit);
      this.farEdits.forEachCandidate(text, this.visitEdit);
    }
    const typoed = query.typoed as Set<string> | undefined; // set by `edited`
    query.hits = NO_HITS;
    query.typoed = undefined;
    let wordHits: Set<string> | undefined;
    const words = text.includes("-") ? text.split("-") : NO_WORDS;
    for (const word of words) {
      if (word.length < MIN_WORD_BRAND || word === text || typoed?.has(word)) continue;
      for (const tokens of [this.tokens(this.byLabel, word), this.tokens(this.byName, word)]) {
        for (const token of tokens) {
          wordHits ??= new Set();
          wordHits.add(word);
          add(hits, token, {
            rule: "brand-with-words",
            brand: word,
            candidate: text,
            measure: explained(word, words, flat),
            wordBoundary: true,
            newsWords: words.filter((w) => w !== word && NEWS_WORDS.has(w)),
            ...(wordsAreInfrastructure(words, word) ? { infrastructure: true } : {}),
          });
        }
      }
    }
    for (const { pattern, end } of this.substrings.search(flat)) {
      if (pattern === flat || wordHits?.has(pattern) || typoed?.has(pattern)) continue;
      const tokens = this.substringTokens.get(pattern) ?? NO_TOKENS;
      if (tokens.length === 0) continue;
      // The cuts are looked for only when the hit could be reported: a cut cannot lift
      // a score, and one below the threshold is never shown with its reasons.
      const uncut = brandWithWordsWeight(pattern.length / flat.length, false);
      const reportable = uncut >= this.lowestOf(tokens, threshold);
      const insideWord =
        reportable && (wordCrosses(flat, end - pattern.length) || wordCrosses(flat, end));
      const infrastructure = reportable && addsOnlyInfrastructure(flat, end - pattern.length, end);
      for (const token of tokens) {
        add(hits, token, {
          rule: "brand-with-words",
          brand: pattern,
          candidate: text,
          measure: pattern.length / flat.length,
          ...(insideWord ? { insideWord } : {}),
          ...(infrastructure ? { infrastructure } : {}),
        });
      }
    }
    // Dictionary combosquats without a hyphen (cnnnews, bildlive, livefoxnews): the label
    // is a protected label once news words are taken off its ends.
    for (const { core, words: added } of stripNewsWords(flat)) {
      if (core.length < MIN_WORD_BRAND || wordHits?.has(core) || typoed?.has(core)) continue;
      if (GENERIC_WORDS.has(core) || NEWS_WORDS.has(core)) continue; // news.com.au + 24
      for (const token of this.tokens(this.byLabel, core)) {
        add(hits, token, {
          rule: "brand-with-words",
          brand: core,
          candidate: text,
          measure: (core.length + added.join("").length) / flat.length,
          newsWords: added,
        });
      }
    }
  }

  /** A brand the deletion indexes report for the candidate of `editQuery`: verified, then scored. */
  private edited(brand: string): void {
    const query = this.editQuery;
    const { text, flat, viaSkeleton } = query;
    if (brand === text || compact(brand) === flat) return;
    const distance = osaDistance(brand, text, 2);
    if (distance < 1 || distance > maxEdits(brand.length)) return;
    query.typoed ??= new Set();
    query.typoed.add(brand);
    const tokens = this.tokens(this.byLabel, brand);
    const lowest = this.lowestOf(tokens, query.threshold);
    // Most such hits are three-letter brands that no edit lifts to the threshold.
    if (bestEditScore(brand.length, viaSkeleton) < lowest) return;
    const measure = round(visualDistance(brand, text), 2);
    const rule: LookalikeRule = viaSkeleton
      ? "idn-homoglyph"
      : distance === 1
        ? (classifyEdit(brand, text) ?? "edit-distance")
        : "edit-distance";
    const ordinaryWords = this.ordinaryWords(measure, brand, lowest);
    for (const token of tokens) {
      add(query.hits, token, {
        rule,
        brand,
        candidate: text,
        measure,
        ...(ordinaryWords ? { ordinaryWords } : {}),
      });
    }
  }

  /**
   * The words the candidate of `editQuery` reads as, when they make it an ordinary name
   * beside `brand`: one English word (lemonade beside lemonde), or several run together
   * where the brand itself is not made of words (livejournal beside licjournal; dailymall
   * beside dailymail is not excused, the brand being words too). Looked for only when an
   * edit at `measure` could reach `lowest`, the threshold it is reported at (a cut cannot
   * lift a score), and once a candidate; none for IDN read through their skeleton.
   */
  private ordinaryWords(
    measure: number,
    brand: string,
    lowest: number,
  ): readonly string[] | undefined {
    if (editScoreBound(measure, brand.length) < lowest) return undefined;
    const query = this.editQuery;
    query.words ??= query.viaSkeleton ? null : (readAsWords(query.flat) ?? null);
    const words = query.words;
    if (words === null) return undefined;
    if (words.length === 1) return words;
    let brandIsWords = this.brandIsWords.get(brand);
    if (brandIsWords === undefined) {
      brandIsWords = readAsWords(compact(brand)) !== undefined;
      this.brandIsWords.set(brand, brandIsWords);
    }
    return brandIsWords ? undefined : words;
  }

  /**
   * The brand left of an unrelated registrable domain: a subdomain label or hyphenated
   * word equal to a protected label (www-nytimes.example.org), or the whole protected
   * domain spelled out in labels (washingtonpost.com.example.net), which is scored on
   * the full domain's length since it cannot occur by chance.
   */
  private collectSubdomain(d: DomainName, hits: Hit[]): void {
    const labels = d.subdomain.split(".");
    const joined = `${labels[labels.length - 1]}${d.label}`;
    for (const token of this.tokens(this.byLabel, joined)) {
      hits.push({
        token,
        hit: {
          rule: "dot-insertion",
          brand: token.text,
          candidate: `${labels[labels.length - 1]}.${d.label}`,
        },
      });
    }
    let seen: Set<BrandToken> | undefined;
    const check = (word: string, i: number) => {
      if (word.length < MIN_WORD_BRAND || word === "www") return;
      for (const token of this.tokens(this.byLabel, word)) {
        seen ??= new Set();
        if (seen.has(token)) continue;
        seen.add(token);
        const spelled = [word, ...labels.slice(i + 1)].join(".");
        const whole = spelled === token.domain || spelled.startsWith(`${token.domain}.`);
        hits.push({
          token,
          hit: {
            rule: "brand-in-subdomain",
            brand: whole ? token.domain : word,
            candidate: d.subdomain,
            measure: whole ? 1 : 0,
          },
        });
      }
    };
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i] as string;
      check(label, i);
      if (label.includes("-")) for (const word of label.split("-")) check(word, i);
    }
  }

  private rank(hits: Hit[], d: DomainName, threshold: number): readonly LookalikeMatch[] {
    if (hits.length === 0) return NO_MATCHES;
    const adjustments: Reason[] = [];
    const restricted = suffixReason(d.suffix);
    if (restricted) adjustments.push(restricted);
    if (this.known.has(d.registrable)) adjustments.push(knownReason());
    const best = new Map<
      number,
      { hit: RuleHit; token: BrandToken; score: number; others?: Set<LookalikeRule> }
    >();
    for (const { hit, token } of hits) {
      const score = round(
        Math.max(
          0,
          adjustments.reduce((sum, r) => sum + r.weight, hitScore(hit)),
        ),
      );
      const current = best.get(token.outlet);
      if (!current || score > current.score) {
        const others = current ? new Set(current.others) : undefined;
        others?.add(current?.hit.rule as LookalikeRule);
        best.set(token.outlet, { hit, token, score, ...(others ? { others } : {}) });
      } else if (hit.rule !== current.hit.rule) {
        current.others ??= new Set();
        current.others.add(hit.rule);
      }
    }
    const matches: LookalikeMatch[] = [];
    for (const { hit, token, score, others } of best.values()) {
      const outlet = this.outlets[token.outlet] as ProtectedOutlet;
      if (score < (outlet.threshold ?? threshold)) continue;
      const reasons = [...explainHit(hit), ...adjustments];
      for (const rule of others ?? []) {
        if (rule === hit.rule) continue;
        reasons.push({
          rule,
          feature: "also fired against the same outlet",
          weight: 0,
          explanation: "Listed for completeness: the strongest rule sets the score.",
        });
      }
      matches.push({ outlet, protectedDomain: token.domain, rule: hit.rule, score, reasons });
    }
    matches.sort((a, b) => b.score - a.score || a.outlet.name.localeCompare(b.outlet.name));
    return matches.slice(0, MAX_OUTLETS_PER_CANDIDATE);
  }
}

/**
 * The names an outlet is matched by, run together as a label would spell them: its name
 * without bracketed parts, and the short forms given in brackets ("RBC-Ukraine (RBK)")
 * or as aliases.
 */
function outletNames(outlet: ProtectedOutlet): { name: string; shortForms: string[] } {
  const bracketed = [...outlet.name.matchAll(/\(([^()]*)\)/g)].map((m) => m[1] ?? "");
  return {
    name: nameKey(outlet.name.replace(/\([^()]*\)/g, " ")),
    shortForms: [...bracketed, ...(outlet.aliases ?? [])].map(nameKey).filter((n) => n !== ""),
  };
}

function isSection(raw: string, d: DomainName): boolean {
  return raw.includes("/") || (d.subdomain !== "" && d.subdomain !== "www");
}

/** Share of a label taken by the brand and the news words beside it. */
function explained(brand: string, words: readonly string[], flat: string): number {
  const news = words.filter((w) => w !== brand && NEWS_WORDS.has(w)).join("").length;
  return (brand.length + news) / flat.length;
}

/** Suffixes a label spells out at its end: washingtonpost-com, foxnewscom. */
const SUFFIX_WORDS = ["com", "net", "org", "co", "info", "us", "uk", "de", "fr", "it", "ru"];

/**
 * The label without a suffix written out at its end (and the hyphen before it), when at
 * least three characters are left; the longest such ending is taken off.
 */
function withoutSuffixWord(text: string): string | undefined {
  let keep = -1;
  for (const word of SUFFIX_WORDS) {
    if (!text.endsWith(word)) continue;
    let cut = text.length - word.length;
    if (cut > 3 && text.charCodeAt(cut - 1) === 0x2d /* - */) cut--;
    if (cut >= 3 && (keep < 0 || cut < keep)) keep = cut;
  }
  return keep < 0 ? undefined : text.slice(0, keep);
}

const NO_TOKENS: readonly BrandToken[] = [];

/** Placeholder for `EditQuery.hits` between queries (never written to). */
const NO_HITS: Hit[] = [];

/** What most candidates match: shared, so a clean name allocates no result. */
const NO_MATCHES: readonly LookalikeMatch[] = [];

/** The words of a label without hyphens: none to look up one by one. */
const NO_WORDS: readonly string[] = [];

/** A label without hyphens: fox-news and foxnews compare equal. */
function compact(label: string): string {
  return label.includes("-") ? label.replaceAll("-", "") : label;
}

function add(hits: Hit[], token: BrandToken, hit: RuleHit): void {
  hits.push({ token, hit });
}

/** An outlet's name as a label would spell it: "Der Tagesspiegel" → "dertagesspiegel". */
export function nameKey(name: string): string {
  return skeleton(name.toLowerCase()).replace(/[^a-z0-9]/g, "");
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
