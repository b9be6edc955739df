/**
 * Words that news lookalikes add to an outlet's name (cnn-news, foxnews-live,
 * nytimes-breaking, bild-today): the "dictionary" combosquats. A short brand is weak
 * evidence alone, but a short brand plus one of these is not a chance collision.
 */
export const NEWS_WORDS: ReadonlySet<string> = new Set([
  "news",
  "live",
  "breaking",
  "today",
  "daily",
  "politics",
  "online",
  "now",
  "update",
  "updates",
  "world",
  "us",
  "usa",
  "official",
  "24",
  "tv",
  "media",
  "report",
  "post",
  "times",
  "latest",
  "headlines",
  "press",
  "info",
]);

/**
 * The label left when news words are taken off its start and end (up to two), with
 * the words taken; empty when none is.
 */
export function stripNewsWords(
  label: string,
): ReadonlyArray<{ core: string; words: readonly string[] }> {
  // Most labels neither start nor end with a news word: answered without allocating.
  if (!startsOrEndsWithNewsWord(label)) return NONE_STRIPPED;
  const out: Array<{ core: string; words: string[] }> = [];
  const visit = (core: string, words: string[]) => {
    if (words.length > 0) out.push({ core, words });
    if (words.length === 2) return;
    for (const word of wordsAtEnds(core)) {
      if (core.length <= word.length) continue;
      if (core.startsWith(word)) visit(core.slice(word.length), [...words, word]);
      if (core.endsWith(word)) visit(core.slice(0, -word.length), [...words, word]);
    }
  };
  visit(label, []);
  return out;
}

const NONE_STRIPPED: ReadonlyArray<{ core: string; words: readonly string[] }> = [];

function startsOrEndsWithNewsWord(text: string): boolean {
  for (const word of wordsAtEnds(text)) {
    if (text.length > word.length && (text.startsWith(word) || text.endsWith(word))) return true;
  }
  return false;
}

/**
 * The news words that may start or end `text`, in NEWS_WORDS order: those whose first
 * letter is the text's first or whose last letter is its last. Most labels share an end
 * letter with few of them, so the prefix and suffix tests run a handful of times.
 */
function wordsAtEnds(text: string): readonly string[] {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  if (first >= END_CODES || last >= END_CODES) return wordsSharingEnds(first, last);
  const key = first * END_CODES + last;
  let words = AT_ENDS[key];
  if (words === undefined) {
    words = wordsSharingEnds(first, last);
    AT_ENDS[key] = words;
  }
  return words;
}

function wordsSharingEnds(first: number, last: number): readonly string[] {
  return [...NEWS_WORDS].filter(
    (w) => w.charCodeAt(0) === first || w.charCodeAt(w.length - 1) === last,
  );
}

/** Labels are ASCII (punycode): the pairs of end characters are cached up to code 127. */
const END_CODES = 128;
const AT_ENDS: Array<readonly string[] | undefined> = new Array(END_CODES * END_CODES);
