import {
  jaccardSorted,
  MinHasher,
  normaliseText,
  shingleHashes,
  textTokens,
  writeBandKeys,
} from "../coordination/index.js";
import type { SitePage } from "./site-page.js";

/** An article of one site that copies or rewrites an article of another. */
export interface ArticleCopy {
  copy: SitePage;
  source: SitePage;
  kind: "near-copy" | "rewrite";
  /** Jaccard of the two texts' word pairs. */
  pairs: number;
  /** Jaccard of the two texts' distinct words of four letters or more. */
  words: number;
  /** Whether the source is known to be first (a protected outlet's, or published earlier). */
  directionKnown: boolean;
}

/** Shorter article texts are not compared: a teaser or a caption says nothing. */
export const MIN_ARTICLE_CHARS = 600;
/** Article text compared, in characters (the first ~3,000 words). */
export const MAX_COMPARED_CHARS = 20_000;
/** Word-pair Jaccard from which two articles are one text lightly edited. */
export const NEAR_COPY_PAIRS = 0.5;
/**
 * A rewrite (a model asked to "rewrite this article") keeps the words and names but not
 * their order: word Jaccard at least `REWRITE_WORDS` with some word pairs kept
 * (`REWRITE_PAIRS`). Two outlets reporting one event independently share names but
 * rarely half their vocabulary.
 */
export const REWRITE_WORDS = 0.45;
export const REWRITE_PAIRS = 0.1;
/** An LSH bucket larger than this is boilerplate (a footer, a cookie notice) and skipped. */
export const MAX_ARTICLE_BUCKET = 64;

interface Text {
  page: SitePage;
  pairs: Uint32Array;
  words: Uint32Array;
}

/**
 * Finds articles of one site that are near-copies or rewrites of articles of another
 * site in the corpus, with MinHash LSH over each article's distinct words (the
 * coordination detector's MinHash and band keys) and an exact check of each candidate.
 * The source is the protected outlet's article when one is, else the one published
 * first; when neither tells, the pair is reported both ways (`directionKnown` false).
 */
export function findArticleCopies(
  pages: readonly SitePage[],
  protectedSites: ReadonlySet<string> = new Set(),
): ArticleCopy[] {
  const texts: Text[] = [];
  const seen = new Set<string>();
  for (const page of pages) {
    const article = page.page.article;
    if (article === undefined || article.text.length < MIN_ARTICLE_CHARS) continue;
    const text = article.text.slice(0, MAX_COMPARED_CHARS);
    const key = `${page.site}\u0000${text.slice(0, 2000)}`;
    if (seen.has(key)) continue; // the same article captured twice on one site
    seen.add(key);
    let normalised = "";
    for (let i = 0; i < text.length; i += 4000)
      normalised += ` ${normaliseText(text.slice(i, i + 4000))}`;
    normalised = normalised.trim();
    const words = new Set<number>();
    for (const w of textTokens(normalised)) if (w.length >= 4) words.add(fnv1a(w));
    texts.push({
      page,
      pairs: shingleHashes(normalised),
      words: Uint32Array.from(words).sort(),
    });
  }
  if (texts.length < 2) return [];
  const hasher = new MinHasher(64, 7);
  const signature = new Uint32Array(64);
  const bands = 32;
  const keys = new Uint32Array(bands);
  const buckets = new Map<number, number[]>();
  texts.forEach((t, i) => {
    hasher.signature(t.words, signature);
    writeBandKeys(signature, 0, keys, 0);
    for (let b = 0; b < bands; b++) {
      const key = ((keys[b] as number) ^ Math.imul(b + 1, 0x9e3779b1)) >>> 0;
      const list = buckets.get(key);
      if (list === undefined) buckets.set(key, [i]);
      else if (list.length <= MAX_ARTICLE_BUCKET) list.push(i);
    }
  });
  const checked = new Set<number>();
  const out: ArticleCopy[] = [];
  for (const list of buckets.values()) {
    if (list.length < 2 || list.length > MAX_ARTICLE_BUCKET) continue;
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) {
        const i = list[x] as number;
        const j = list[y] as number;
        const a = texts[i] as Text;
        const b = texts[j] as Text;
        if (a.page.site === b.page.site) continue;
        const pairKey = i * texts.length + j;
        if (checked.has(pairKey)) continue;
        checked.add(pairKey);
        const words = jaccardSorted(a.words, 0, a.words.length, b.words, 0, b.words.length);
        // A near copy shares its words too: below the rewrite bar on words, it is neither.
        if (words < REWRITE_WORDS) continue;
        const pairs = jaccardSorted(a.pairs, 0, a.pairs.length, b.pairs, 0, b.pairs.length);
        const kind =
          pairs >= NEAR_COPY_PAIRS
            ? "near-copy"
            : words >= REWRITE_WORDS && pairs >= REWRITE_PAIRS
              ? "rewrite"
              : undefined;
        if (kind === undefined) continue;
        const order = firstOf(a.page, b.page, protectedSites);
        const base = { kind, pairs: round(pairs), words: round(words) } as const;
        if (order === undefined) {
          out.push({ copy: a.page, source: b.page, ...base, directionKnown: false });
          out.push({ copy: b.page, source: a.page, ...base, directionKnown: false });
        } else {
          const [source, copy] = order;
          out.push({ copy, source, ...base, directionKnown: true });
        }
      }
  }
  return out;
}

/** [source, copy] when it can be told which came first. */
function firstOf(
  a: SitePage,
  b: SitePage,
  protectedSites: ReadonlySet<string>,
): [SitePage, SitePage] | undefined {
  const pa = protectedSites.has(a.site);
  const pb = protectedSites.has(b.site);
  if (pa !== pb) return pa ? [a, b] : [b, a];
  const ta = Date.parse(a.page.publishedAt ?? "");
  const tb = Date.parse(b.page.publishedAt ?? "");
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta < tb ? [a, b] : [b, a];
  return undefined;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
