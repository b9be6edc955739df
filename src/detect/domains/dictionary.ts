import { ENGLISH_WORDS_TEXT } from "./english-words.js";

/** Longest word looked for when asking whether a word crosses a position. */
const MAX_WORD = 20;
/** Shortest word that counts: three-letter words are inside half of all labels. */
export const MIN_WORD = 4;

let words: ReadonlySet<string> | undefined;

function dictionary(): ReadonlySet<string> {
  words ??= new Set(ENGLISH_WORDS_TEXT.split(" "));
  return words;
}

/** Whether `text` is a common English word of four letters or more (lemonade, stripe). */
export function isEnglishWord(text: string): boolean {
  return text.length >= MIN_WORD && text.length <= MAX_WORD && dictionary().has(text);
}

/**
 * Whether an English word of four letters or more starts before position `at` of `text`
 * and ends after it: a brand found from there begins or ends inside an ordinary word
 * (lepoint in cradlepoint, thnews in kffhealthnews).
 */
export function wordCrosses(text: string, at: number): boolean {
  const dict = dictionary();
  for (let start = Math.max(0, at - MAX_WORD + 1); start < at; start++) {
    const from = Math.max(at + 1, start + MIN_WORD);
    const to = Math.min(text.length, start + MAX_WORD);
    for (let end = from; end <= to; end++) {
      if (dict.has(text.slice(start, end))) return true;
    }
  }
  return false;
}
