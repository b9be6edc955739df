import { ENGLISH_WORDS_TEXT } from "./english-words.js";
import { PLACE_NAMES_TEXT } from "./place-names.js";
import { B, smallHash } from "./string-hash.js";

/** Longest word looked for when asking whether a word crosses a position. */
const MAX_WORD = 20;
/** Shortest word that counts: three-letter words are inside half of all labels. */
export const MIN_WORD = 4;

let words: ReadonlySet<string> | undefined;

/** Hashes built from the words, so slices are tested without being cut out. */
interface WordHashes {
  /** Every word's prefixes: a slice no word starts with is extended no further. */
  prefixes: ReadonlySet<number>;
  /** Every whole word: only a slice whose hash is here is cut out and looked up. */
  wholes: ReadonlySet<number>;
}

let hashes: WordHashes | undefined;

function dictionary(): ReadonlySet<string> {
  words ??= new Set(ENGLISH_WORDS_TEXT.split(" "));
  return words;
}

function wordHashes(): WordHashes {
  if (hashes === undefined) {
    const prefixes = new Set<number>();
    const wholes = new Set<number>();
    for (const word of dictionary()) {
      let h = 0;
      for (let i = 0; i < word.length; i++) {
        h = (Math.imul(h, B) + word.charCodeAt(i)) >>> 0;
        prefixes.add(smallHash(h));
      }
      wholes.add(smallHash(h));
    }
    hashes = { prefixes, wholes };
  }
  return hashes;
}

let places: ReadonlySet<string> | undefined;

/** Whether `text` names a city of 100,000 people or more, a country or a US state (cleveland). */
export function isPlaceName(text: string): boolean {
  places ??= new Set(PLACE_NAMES_TEXT.split(" "));
  return places.has(text);
}

/** Whether `text` is a common English word of four letters or more (lemonade, stripe). */
export function isEnglishWord(text: string): boolean {
  return text.length >= MIN_WORD && text.length <= MAX_WORD && dictionary().has(text);
}

/**
 * Whether an English word of four letters or more starts before position `at` of `text`
 * and ends after it: a brand found from there begins or ends inside an ordinary word
 * (lepoint in cradlepoint, thnews in kffhealthnews). From each start the slice grows only
 * while some word begins with it, so most starts stop after a letter or two.
 */
export function wordCrosses(text: string, at: number): boolean {
  const dict = dictionary();
  const { prefixes: starts, wholes: ends } = wordHashes();
  for (let start = Math.max(0, at - MAX_WORD + 1); start < at; start++) {
    const from = Math.max(at + 1, start + MIN_WORD);
    const to = Math.min(text.length, start + MAX_WORD);
    let h = 0;
    for (let end = start + 1; end <= to; end++) {
      h = (Math.imul(h, B) + text.charCodeAt(end - 1)) >>> 0;
      const hashed = smallHash(h);
      if (!starts.has(hashed)) break;
      if (end >= from && ends.has(hashed) && dict.has(text.slice(start, end))) return true;
    }
  }
  return false;
}

/** Most words a label is read as: past three, long labels split by chance. */
const MAX_SPLIT_WORDS = 3;

/**
 * The English words (four letters or more) `text` reads as, when it is one such word or
 * two or three run together (livejournal: live, journal); undefined otherwise. The split
 * with the fewest words, and of those the one whose first word is shortest.
 */
export function readAsWords(text: string): readonly string[] | undefined {
  if (isEnglishWord(text)) return [text];
  for (let count = 2; count <= MAX_SPLIT_WORDS; count++) {
    const words = splitInto(text, 0, count);
    if (words) return words;
  }
  return undefined;
}

/**
 * `text` from `from` as exactly `count` English words, or undefined. Each slice grows only
 * while some word begins with it, and is cut out only when its hash is a word's.
 */
function splitInto(text: string, from: number, count: number): string[] | undefined {
  const rest = text.length - from;
  if (count === 1 && (rest < MIN_WORD || rest > MAX_WORD)) return undefined;
  const dict = dictionary();
  const { prefixes: starts, wholes: ends } = wordHashes();
  const last =
    count === 1 ? text.length : Math.min(text.length - (count - 1) * MIN_WORD, from + MAX_WORD);
  let h = 0;
  for (let end = from + 1; end <= last; end++) {
    h = (Math.imul(h, B) + text.charCodeAt(end - 1)) >>> 0;
    const hashed = smallHash(h);
    if (!starts.has(hashed)) return undefined;
    if (end - from < MIN_WORD || (count === 1 && end < text.length) || !ends.has(hashed)) continue;
    const head = text.slice(from, end);
    if (!dict.has(head)) continue;
    if (count === 1) return [head];
    const tail = splitInto(text, end, count - 1);
    if (tail) return [head, ...tail];
  }
  return undefined;
}
