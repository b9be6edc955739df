import { describe, expect, it } from "vitest";
import { isEnglishWord, isPlaceName, readAsWords } from "./dictionary.js";

describe("readAsWords", () => {
  it("reads one word, or two or three run together, of four letters or more", () => {
    expect(readAsWords("lemonade")).toEqual(["lemonade"]);
    expect(readAsWords("livejournal")).toEqual(["live", "journal"]);
    expect(readAsWords("dailymail")).toEqual(["daily", "mail"]);
    expect(readAsWords("streamstreamstream")).toEqual(["stream", "stream", "stream"]);
  });

  it("does not read names with a part that is no word, or a word under four letters", () => {
    for (const text of ["licjournal", "tnonline", "foxnews", "washingtonpost", "thehill", ""]) {
      expect(readAsWords(text), text).toBeUndefined();
    }
  });

  it("stops at three words", () => {
    expect(readAsWords("livelivelivelive")).toBeUndefined();
  });
});

describe("isPlaceName", () => {
  it("knows large cities, countries and US states, folded to a–z", () => {
    for (const place of ["cleveland", "france", "ohio", "sandiego", "zurich"]) {
      expect(isPlaceName(place), place).toBe(true);
    }
    for (const other of ["spiegel", "nytimes", "licjournal"]) {
      expect(isPlaceName(other), other).toBe(false);
    }
    expect(isEnglishWord("cleveland")).toBe(false);
  });
});
