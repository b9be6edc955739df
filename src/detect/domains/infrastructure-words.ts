/**
 * Words outlets put beside their brand to name their own web infrastructure: the hosts
 * that serve pictures, scripts, fonts and measurements (cnn-static, forbesimg,
 * reuters-cdn). Readers never type or see these names; influence operations imitate the
 * names readers see, and phishing borrows words of trust (login, secure, account), not
 * of plumbing. Chosen from how content delivery is commonly named, not from any list of
 * flagged names; "media", "video" and news words are left out, since a fake outlet may
 * well call itself brand-media or brand-video.
 */
export const INFRASTRUCTURE_WORDS: ReadonlySet<string> = new Set([
  "static",
  "statics",
  "img",
  "imgs",
  "image",
  "images",
  "cdn",
  "assets",
  "asset",
  "objects",
  "files",
  "cache",
  "api",
  "edge",
  "js",
  "css",
  "fonts",
  "origin",
  "storage",
  "metrics",
  "analytics",
  "tracking",
  "staging",
]);

/** Longest text read as infrastructure words (two of the longest words). */
const MAX_TEXT = 20;

/** Whether `text` is one infrastructure word or two run together (imgcdn). */
export function isInfrastructure(text: string): boolean {
  if (text.length === 0 || text.length > MAX_TEXT) return false;
  if (INFRASTRUCTURE_WORDS.has(text)) return true;
  for (let cut = 2; cut < text.length - 1; cut++) {
    if (INFRASTRUCTURE_WORDS.has(text.slice(0, cut)) && INFRASTRUCTURE_WORDS.has(text.slice(cut))) {
      return true;
    }
  }
  return false;
}

/**
 * Whether everything `label` adds to the brand at `[start, end)` is infrastructure words
 * (forbesimg, cbsnewsstatic, static-cnn), hyphens aside; false when nothing is added.
 */
export function addsOnlyInfrastructure(label: string, start: number, end: number): boolean {
  const parts = [label.slice(0, start), label.slice(end)]
    .flatMap((side) => side.split("-"))
    .filter((part) => part !== "");
  return parts.length > 0 && parts.every(isInfrastructure);
}

/**
 * Whether the hyphen-separated `words` of a label, but for `brand`, are all
 * infrastructure words (nytimes-cdn, static-cnn-img); false when none is left.
 */
export function wordsAreInfrastructure(words: readonly string[], brand: string): boolean {
  const added = words.filter((word) => word !== brand && word !== "");
  return added.length > 0 && added.every(isInfrastructure);
}
