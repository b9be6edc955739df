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
 * the words taken; undefined when none is.
 */
export function stripNewsWords(label: string): Array<{ core: string; words: string[] }> {
  const out: Array<{ core: string; words: string[] }> = [];
  const visit = (core: string, words: string[]) => {
    if (words.length > 0) out.push({ core, words });
    if (words.length === 2) return;
    for (const word of NEWS_WORDS) {
      if (core.length <= word.length) continue;
      if (core.startsWith(word)) visit(core.slice(word.length), [...words, word]);
      if (core.endsWith(word)) visit(core.slice(0, -word.length), [...words, word]);
    }
  };
  visit(label, []);
  return out;
}
