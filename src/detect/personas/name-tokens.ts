import { skeleton } from "../domains/index.js";

/**
 * Words that decorate a display name without changing whose it is (`Dana Whitfield
 * (Official)`, `Dana Whitfield backup`): dropped before names are compared, so the
 * decoration neither hides a match nor makes one.
 */
const DECORATION = new Set([
  "official",
  "real",
  "the",
  "backup",
  "account",
  "new",
  "verified",
  "mr",
  "mrs",
  "ms",
  "dr",
]);

/** Words of a name at most this many are compared (a display name is 50 characters on X). */
export const MAX_NAME_TOKENS = 12;

/**
 * The words of a display name as a reader takes them: compatibility forms folded
 * (full-width, mathematical letters), letters from other scripts that pass for Latin
 * read as Latin (UTS #39 skeleton: Cyrillic `Dаna` → `dana`), marks dropped, lower-cased,
 * split on anything that is not a letter or digit (emoji, punctuation, hyphens), without
 * decoration words. `Vasquez-Moreau` gives two words.
 *
 * @example nameTokens("Dаna Whitfield ✔️ (Official)") // ["dana", "whitfield"]
 */
export function nameTokens(text: string): string[] {
  const read = readText(text);
  const out: string[] = [];
  for (const word of read.split(/[^\p{L}\p{N}]+/u)) {
    if (word === "" || DECORATION.has(word)) continue;
    out.push(word);
    if (out.length >= MAX_NAME_TOKENS) break;
  }
  return out;
}

/** The words in a fixed order, so `Whitfield Dana` and `Dana Whitfield` have one key. */
export function sortedKey(tokens: readonly string[]): string {
  return [...tokens].sort().join(" ");
}

/**
 * Whether the display name uses letters of another script (or look-alike symbols)
 * that read as the Latin ones: `Dаna` with Cyrillic `а` reads as `Dana`, but a reader
 * who sees it cannot tell, which is why it was written so.
 */
export function hasDisguisedLetters(text: string): boolean {
  if (isAscii(text)) return false;
  const plain = text.normalize("NFKC").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  for (const ch of plain) {
    if (!/\p{L}/u.test(ch)) continue;
    if (/\p{Script=Latin}/u.test(ch)) continue;
    // A letter of another script whose prototype is a Latin letter.
    if (/^[a-z]+$/.test(skeleton(ch))) return true;
  }
  return false;
}

/** Words of a bio compared at most (a bio is 160 characters on X). */
export const MAX_BIO_TOKENS = 400;

/** The set of words of a bio, read as `nameTokens` reads names (decoration kept). */
export function bioTokens(text: string): Set<string> {
  const out = new Set<string>();
  const read = readText(text);
  for (const word of read.split(/[^\p{L}\p{N}]+/u)) {
    if (word === "") continue;
    out.add(word);
    if (out.size >= MAX_BIO_TOKENS) break;
  }
  return out;
}

/** Jaccard similarity of two word sets: shared words over all words (1: the same words). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const w of small) if (large.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Text as a reader takes it: compatibility forms folded, then the UTS #39 skeleton. */
function readText(text: string): string {
  // The skeleton of ASCII is its lower case; most names and bios are ASCII.
  return isAscii(text) ? text.toLowerCase() : skeleton(text.normalize("NFKC"));
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7e) return false;
  return true;
}
