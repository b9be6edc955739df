import { describe, expect, it } from "vitest";
import { seededRandom } from "./coordination-features.js";
import { normaliseText, shingleHashes, textTokens } from "./text-normalise.js";

describe("normaliseText", () => {
  it("drops URLs, mentions, hashtags, punctuation, emoji and case (Latin)", () => {
    expect(normaliseText("BREAKING: They LIED!!! 😡 https://t.co/x @bob #Vote2024")).toBe(
      "breaking they lied",
    );
  });

  it("removes diacritics", () => {
    expect(normaliseText("Élection très contestée")).toBe("election tres contestee");
  });

  it("folds Cyrillic case and й/ё marks the same way for every copy", () => {
    expect(normaliseText("ВЫБОРЫ украдены!")).toBe("выборы украдены");
    expect(normaliseText("ещё")).toBe(normaliseText("еще"));
  });

  it("folds Arabic letter variants to Persian forms and drops harakat and tatweel", () => {
    // Arabic yeh and kaf, a fatha, a tatweel and ZWNJ against the Persian spelling.
    expect(normaliseText("كتابي")).toBe(normaliseText("کتابی"));
    expect(normaliseText("مَدرســه")).toBe(normaliseText("مدرسه"));
    expect(normaliseText("می\u200cخواهم")).toBe("میخواهم");
    expect(normaliseText("۱۲۳")).toBe("123");
  });

  it("keeps Chinese text and drops its full-width punctuation", () => {
    expect(normaliseText("选举被操纵了！！")).toBe("选举被操纵了");
  });
});

describe("shingles", () => {
  it("splits Han into characters and other scripts into words", () => {
    expect(textTokens(normaliseText("选举 fraud 被操纵"))).toEqual([
      "选",
      "举",
      "fraud",
      "被",
      "操",
      "纵",
    ]);
  });

  it("gives near-identical copies most of their shingles in common", () => {
    const a = shingleHashes(normaliseText("The election was stolen and the media hid it!"));
    const b = shingleHashes(
      normaliseText("the ELECTION was stolen and the media hid it 😡 http://x.co"),
    );
    expect([...a]).toEqual([...b]);
  });

  it("returns sorted distinct hashes", () => {
    const s = shingleHashes(normaliseText("a b a b a b c"));
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1] as number);
  });

  it("normalises plain ASCII the same way on its fast path (seeded strings)", () => {
    const random = seededRandom(5);
    const parts = [
      "Vote",
      "NOW",
      "it's",
      "@bob",
      "#Tag",
      "https://x.co/a?b=1",
      "www.ex.com",
      "!!",
      "--",
      "a1",
      "_x_",
      "(ok)",
      "?",
    ];
    for (let trial = 0; trial < 500; trial++) {
      const words = Array.from(
        { length: 1 + Math.floor(random() * 12) },
        () => parts[Math.floor(random() * parts.length)],
      );
      const text = words.join(random() < 0.5 ? " " : "  ");
      // A zero-width space is removed by the full path and keeps the text off the fast one.
      expect(normaliseText(text)).toBe(normaliseText(`${text}\u200b`));
    }
  });
});
