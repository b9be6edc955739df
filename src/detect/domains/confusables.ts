/**
 * A small confusable skeleton for IDN labels: non-Latin letters that render like Latin
 * ones, and Latin letters with marks reduced to their base. It covers the Cyrillic and
 * Greek homoglyphs seen in lookalike registrations; the full UTS #39 table can replace
 * it behind the same function.
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

/** Maps a Unicode label to the ASCII letters a reader would take it for. */
export function skeleton(label: string): string {
  let out = "";
  for (const ch of label.normalize("NFKD")) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x300 && code <= 0x36f) continue; // combining marks
    out += MAP[ch] ?? ch;
  }
  return out;
}
