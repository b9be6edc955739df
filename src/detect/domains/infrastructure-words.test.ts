import { describe, expect, it } from "vitest";
import {
  addsOnlyInfrastructure,
  isInfrastructure,
  wordsAreInfrastructure,
} from "./infrastructure-words.js";

describe("infrastructure words", () => {
  it("reads one word or two run together", () => {
    expect(isInfrastructure("static")).toBe(true);
    expect(isInfrastructure("imgcdn")).toBe(true);
    expect(isInfrastructure("media")).toBe(false);
    expect(isInfrastructure("staticnews")).toBe(false);
    expect(isInfrastructure("")).toBe(false);
    expect(isInfrastructure("static".repeat(10))).toBe(false);
  });

  it("asks whether everything beside the brand is infrastructure", () => {
    expect(addsOnlyInfrastructure("forbesimg", 0, 6)).toBe(true);
    expect(addsOnlyInfrastructure("static-cnn-cdn", 7, 10)).toBe(true);
    expect(addsOnlyInfrastructure("forbesimgnews", 0, 6)).toBe(false);
    expect(addsOnlyInfrastructure("forbes", 0, 6)).toBe(false); // nothing added
    expect(wordsAreInfrastructure(["nytimes", "cdn"], "nytimes")).toBe(true);
    expect(wordsAreInfrastructure(["nytimes", "nytimes"], "nytimes")).toBe(false);
    expect(wordsAreInfrastructure(["nytimes", "cdn", "live"], "nytimes")).toBe(false);
  });
});
