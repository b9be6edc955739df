import { describe, expect, it } from "vitest";
import { extractPage } from "./page-features.js";

const STORY =
  "The county board certified the results on Monday after a hand count of every ballot. " +
  "Officials said the audit matched the machine count in all forty precincts, and the " +
  "canvass will be posted online by Friday. Observers from both parties attended. ";

function page(body: string): Buffer {
  return Buffer.from(
    `<!doctype html><html lang="en"><head><title>Results certified | The Ledger</title></head><body>${body}</body></html>`,
  );
}

const menu = `<nav>${Array.from({ length: 200 }, (_, i) => `<a href="/s${i}">Section ${i}</a>`).join("")}</nav>`;
const rail = `<aside>${Array.from({ length: 100 }, (_, i) => `<div class="card"><a href="/t${i}">Teaser ${i} about something else entirely</a></div>`).join("")}</aside>`;

describe("extractPage: article text", () => {
  it("reads the page's one declared article, not the menus and rails around it", () => {
    const html = page(
      `${menu}<article><h1>Results certified</h1><p>${STORY}</p><p>${STORY}</p></article>${rail}`,
    );
    const features = extractPage(html, "https://ledger.example/story");
    expect(features.article?.text).toContain("hand count of every ballot");
    expect(features.article?.text).not.toContain("Teaser 7");
    expect(features.article?.text).not.toContain("Section 12");
    expect(features.article?.title).toContain("Results certified");
  });

  it("reads the whole page when it declares no article, or several", () => {
    for (const body of [
      `${menu}<div class="story"><p>${STORY}</p><p>${STORY}</p></div>${rail}`,
      `${menu}<article><p>${STORY}</p><p>${STORY}</p></article><article><p>Short.</p></article>`,
    ]) {
      const features = extractPage(page(body), "https://ledger.example/story");
      expect(features.article?.text).toContain("hand count of every ballot");
    }
  });
});

describe("extractPage: pages without elements", () => {
  it("gives empty features for an empty or text-only page instead of failing", () => {
    for (const body of ["", "   ", "just text"]) {
      const features = extractPage(Buffer.from(body), "https://ledger.example/");
      expect(features.structure.elements).toBe(0);
      expect(features.title).toBeUndefined();
      expect(features.article).toBeUndefined();
      expect(features.limits).toEqual([]);
    }
  });
});
