/*
 * Text normalisation and shingling for near-duplicate detection. Operators vary copies
 * of a text so they do not look pasted (a changed ending, an emoji, a shouted word, a
 * different link); normalising first makes such copies share most of their shingles.
 */

/** Characters of a post's text that are normalised; the rest is ignored. */
export const MAX_NORMALISED_CHARS = 4_000;
/** Shingles kept per post, so one long post cannot dominate the index or its memory. */
export const MAX_SHINGLES_PER_POST = 256;

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s]+/giu;
// A mention or hashtag: its words are behaviour of their own (hashtags are compared as
// co-hashtag bursts), so text similarity leaves them out.
const MENTION_PATTERN = /(?:^|(?<=[^\p{L}\p{N}_]))[@#][\p{L}\p{N}_]+/gu;
// Everything that is not a letter or digit separates words: punctuation, symbols and
// emoji alike. Combining marks are removed before this, so they never split a word.
const SEPARATORS = /[^\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;
/** Scripts written without spaces: shingled by characters, not words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\s]+/gu;

/**
 * Arabic letters that Persian writes with its own code points (and some keyboards mix):
 * Arabic yeh, alef maksura and kaf become Persian yeh and keheh; teh marbuta becomes heh;
 * alef with hamza or madda becomes bare alef; waw with hamza becomes waw. Arabic-Indic and
 * Persian digits become ASCII digits.
 */
const LETTER_VARIANTS: ReadonlyMap<string, string> = new Map([
  ["\u064a", "\u06cc"], // ي → ی
  ["\u0649", "\u06cc"], // ى → ی
  ["\u0643", "\u06a9"], // ك → ک
  ["\u0629", "\u0647"], // ة → ه
  ["\u0623", "\u0627"], // أ → ا
  ["\u0625", "\u0627"], // إ → ا
  ["\u0622", "\u0627"], // آ → ا
  ["\u0671", "\u0627"], // ٱ → ا
  ["\u0624", "\u0648"], // ؤ → و
  ["\u06c0", "\u0647"], // ۀ → ه
  ...Array.from({ length: 10 }, (_, d) => [String.fromCharCode(0x0660 + d), String(d)] as const),
  ...Array.from({ length: 10 }, (_, d) => [String.fromCharCode(0x06f0 + d), String(d)] as const),
]);
const VARIANT_PATTERN = new RegExp(`[${[...LETTER_VARIANTS.keys()].join("")}]`, "gu");
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Tatweel (a stretching stroke), zero-width joiners and non-joiners, the BOM: dropped. */
const INVISIBLE = /[\u0640\u200b-\u200d\u2060\ufeff]/gu;

/**
 * The comparable form of a post's text: URLs, mentions and hashtags removed, NFKC
 * (full-width and compatibility forms folded), lower case, diacritics and other
 * combining marks removed (é → e, Arabic harakat), Arabic letter variants folded to
 * their Persian forms, punctuation and emoji turned into spaces.
 *
 * @example normaliseText("BREAKING: Они лгут!!! 😡 https://t.co/x @bob") // "breaking они лгут"
 */
export function normaliseText(text: string): string {
  const head = text.length > MAX_NORMALISED_CHARS ? text.slice(0, MAX_NORMALISED_CHARS) : text;
  // Printable ASCII has no marks, compatibility forms, invisible characters or Arabic
  // variants: the Unicode passes would change nothing, and they are most of the cost.
  if (PRINTABLE_ASCII.test(head)) {
    return head
      .replace(URL_PATTERN, " ")
      .replace(MENTION_PATTERN, " ")
      .toLowerCase()
      .replace(SEPARATORS, " ")
      .trim();
  }
  return head
    .replace(URL_PATTERN, " ")
    .replace(MENTION_PATTERN, " ")
    .normalize("NFKD")
    .replace(MARKS, "")
    .normalize("NFKC")
    .toLowerCase()
    .replace(INVISIBLE, "")
    .replace(VARIANT_PATTERN, (c) => LETTER_VARIANTS.get(c) ?? c)
    .replace(SEPARATORS, " ")
    .trim();
}

/**
 * The words of a normalised text, with runs of Han, kana and Hangul split into single
 * characters, since those scripts do not separate words by spaces.
 */
export function textTokens(normalised: string): string[] {
  const out: string[] = [];
  for (const word of normalised.split(" ")) {
    if (word === "") continue;
    if (!CJK.test(word)) {
      out.push(word);
      continue;
    }
    for (const run of word.match(CJK_RUN) ?? []) {
      if (CJK.test(run)) for (const ch of run) out.push(ch);
      else out.push(run);
    }
  }
  return out;
}

/**
 * The shingles of a post as sorted, distinct 32-bit hashes: word pairs for scripts that
 * separate words, character pairs inside runs of Han, kana and Hangul. Pairs rather than
 * single words keep some word order (a reordered sentence still shares all its inner
 * pairs) without making one swapped word cost more than two shingles. A text of a single
 * word gives that word alone.
 */
export function shingleHashes(normalised: string): Uint32Array {
  return shingleHashesOfTokens(textTokens(normalised));
}

/** `shingleHashes` of the tokens `textTokens` gave, for callers that need both. */
export function shingleHashesOfTokens(tokens: readonly string[]): Uint32Array {
  const hashes: number[] = [];
  if (tokens.length === 1) hashes.push(hashString(tokens[0] as string, 0));
  for (let i = 0; i + 1 < tokens.length && hashes.length < MAX_SHINGLES_PER_POST * 2; i++) {
    const a = tokens[i] as string;
    const b = tokens[i + 1] as string;
    hashes.push(hashString(b, hashString(a, 0x9e3779b9)));
  }
  const sorted = Uint32Array.from(hashes).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i] as number;
  }
  return sorted.slice(0, Math.min(n, MAX_SHINGLES_PER_POST));
}

/** FNV-1a over UTF-16 code units from `seed`, finished with a murmur3 mix. */
export function hashString(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
