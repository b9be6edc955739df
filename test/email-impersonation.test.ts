/**
 * Watchlist impersonation on a generated set (issue 5's evaluation, small size; the full
 * size runs in bench/email): a listed person's name on an outside address and their
 * address on a lookalike of their organisation's domain are caught; genuine mail from
 * their own addresses is not flagged.
 */
import { describe, expect, it } from "vitest";
import {
  EmailDetector,
  type EmailMessage,
  mailLimits,
  parseEmail,
  permute,
  WatchlistSchema,
} from "../src/index.js";
import { impersonationSet } from "./support/impersonation-set.js";

/** Lookalikes as a defender would list them to monitor: edits and look-alike letters. */
function lookalikes(domain: string): string[] {
  return permute(domain, {
    rules: ["omission", "repetition", "transposition", "homoglyph", "hyphenation"],
  }).map((p) => p.domain);
}

describe("watchlist impersonation on a generated set", () => {
  it("catches every impersonation and flags no genuine message", async () => {
    const set = impersonationSet({ seed: 3, people: 40, lookalikes });
    const detector = new EmailDetector(WatchlistSchema.parse(set.watchlist));
    const missed: string[] = [];
    const wrong: string[] = [];
    for (const c of set.cases) {
      const raw = Buffer.from(c.raw);
      const { message } = await parseEmail({ bytes: raw, size: raw.length }, mailLimits(), {});
      const assessment = detector.assess(message as EmailMessage);
      const flagged = assessment.verdict !== "clean";
      const why = `${c.id} ${c.kind}: ${assessment.verdict} ${assessment.score} ${assessment.reasons.map((r) => r.rule).join(",")}`;
      if (c.expectFlag && !flagged) missed.push(why);
      if (!c.expectFlag && flagged) wrong.push(why);
    }
    const kinds = new Set(set.cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(["genuine", "lookalike-domain", "name-elsewhere"]);
    expect(missed).toEqual([]);
    expect(wrong).toEqual([]);
  });
});
