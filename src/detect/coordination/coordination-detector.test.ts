import { describe, expect, it } from "vitest";
import { WatchlistSchema } from "../../model/index.js";
import { analyzeCoordination } from "./coordination-detector.js";
import { fdrThreshold, seededRandom } from "./coordination-features.js";
import { SocialCorpus } from "./social-corpus.js";

const START = Date.parse("2024-10-01T00:00:00Z");
const HOUR = 3_600_000;
const SEEDS = [
  "The count in the northern districts was stopped at midnight and nobody will tell us why",
  "Foreign observers were sent home before the ballots were counted in three states",
  "Our pensions are cut while the government sends billions abroad every single month",
];
const WORDS =
  "coffee rain bus city park dog book music game friend lunch train movie garden beach".split(" ");

/** 6 accounts posting copies of the same texts a minute apart, and 120 ordinary accounts. */
function corpus(): SocialCorpus {
  const random = seededRandom(3);
  const c = new SocialCorpus();
  const posts: Array<{ account: string; at: number; text: string; hashtags: string[] }> = [];
  for (let a = 0; a < 6; a++)
    c.addAccount({
      platform: "x",
      id: `op${a}`,
      handle: `op${a}`,
      links: [],
      created: new Date(START - 30 * 24 * HOUR + a * HOUR).toISOString(),
    });
  for (let a = 0; a < 120; a++)
    c.addAccount({
      platform: "x",
      id: `u${a}`,
      handle: `u${a}`,
      links: [],
      created: new Date(START - Math.floor(random() * 3000) * 24 * HOUR).toISOString(),
    });
  for (let wave = 0; wave < 12; wave++) {
    const at = START + wave * 20 * HOUR;
    const seed = SEEDS[wave % SEEDS.length] as string;
    for (let a = 0; a < 6; a++)
      posts.push({
        account: `op${a}`,
        at: at + a * 60_000 + Math.floor(random() * 20_000),
        text: `${seed}!!`,
        hashtags: ["truth"],
      });
  }
  // Operators post ordinary filler too, as real ones do to look real.
  for (let i = 0; i < 240; i++) {
    const words = Array.from({ length: 8 }, () => WORDS[Math.floor(random() * WORDS.length)]);
    posts.push({
      account: `op${i % 6}`,
      at: START + Math.floor(random() * 240 * HOUR),
      text: words.join(" "),
      hashtags: [],
    });
  }
  // Ordinary accounts: varied texts, a popular hashtag and a shared stock sentence now and then.
  for (let i = 0; i < 3_000; i++) {
    const words = Array.from({ length: 8 }, () => WORDS[Math.floor(random() * WORDS.length)]);
    posts.push({
      account: `u${Math.floor(random() * 120)}`,
      at: START + Math.floor(random() * 240 * HOUR),
      text: random() < 0.1 ? `${SEEDS[0]}` : words.join(" "),
      hashtags: random() < 0.3 ? ["news"] : [],
    });
  }
  posts.sort((x, y) => x.at - y.at);
  for (const [i, p] of posts.entries()) {
    c.addPost({
      platform: "x",
      id: `p${i}`,
      account: p.account,
      created: new Date(p.at).toISOString(),
      text: p.text,
      urls: [],
      hashtags: p.hashtags,
      mentions: [],
    });
  }
  return c;
}

describe("analyzeCoordination", () => {
  const result = analyzeCoordination(corpus(), { observedAt: "2024-11-01T00:00:00.000Z", seed: 5 });

  it("flags the accounts that co-post and nobody else", () => {
    const flagged = result.communities
      .filter((c) => c.flagged)
      .flatMap((c) => c.accounts.map((a) => a.account));
    expect(flagged.sort()).toEqual(["x:op0", "x:op1", "x:op2", "x:op3", "x:op4", "x:op5"]);
  });

  it("keeps no edge between ordinary accounts sharing a popular hashtag or stock text at chance times", () => {
    const ordinary = result.communities
      .flatMap((c) => c.accounts)
      .filter((a) => a.account.startsWith("x:u"));
    expect(ordinary).toEqual([]);
  });

  it("explains the finding: reasons adding up to the score, DISARM techniques, evidence", () => {
    const [finding] = result.findings;
    expect(finding?.kind).toBe("coordinated-accounts");
    const sum = finding?.reasons.reduce((s, r) => s + r.weight, 0) ?? 0;
    expect(Math.abs(sum - (finding?.score ?? 0))).toBeLessThan(0.01);
    expect(finding?.techniques.map((t) => t.id)).toContain("T0084.001");
    const accounts = result.findings.flatMap((f) => f.evidence.filter((e) => e.type === "account"));
    expect(accounts).toHaveLength(6);
    expect(result.cases).toHaveLength(result.findings.length);
  });

  it("records the windows and thresholds it chose, and is repeatable for a seed", () => {
    const text = result.parameters.behaviours.find((b) => b.behaviour === "text");
    expect(text?.windowSeconds).toBeLessThanOrEqual(3600);
    const again = analyzeCoordination(corpus(), {
      observedAt: "2024-11-01T00:00:00.000Z",
      seed: 5,
    });
    expect(again.findings.map((f) => f.id)).toEqual(result.findings.map((f) => f.id));
  });

  it("groups the copies into a narrative pushed by the community", () => {
    const pushed = result.narratives.filter((n) => n.coordinatedShare > 0.5);
    expect(pushed.length).toBeGreaterThanOrEqual(1);
    expect(pushed[0]?.communities[0]?.community).toBe(result.communities[0]?.id);
  });
});

describe("fdrThreshold", () => {
  it("is the lowest score where chance scores are at most alpha of the observed ones", () => {
    const observed = Float64Array.from([1, 2, 3, 10, 11, 12, 13]);
    const nulls = Float64Array.from([1, 2, 3, 2]);
    expect(fdrThreshold(observed, nulls, 1, 0.01)).toBe(10);
    expect(fdrThreshold(observed, Float64Array.from([]), 1, 0.01)).toBe(1);
    expect(fdrThreshold(Float64Array.from([1]), Float64Array.from([5]), 1, 0.01)).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});

describe("settings.social.divisiveIssues", () => {
  it("defaults to six issues and keeps older watchlists valid", () => {
    const issues = WatchlistSchema.parse({ settings: { domains: {} } }).settings.social
      .divisiveIssues;
    expect(issues.map((i) => i.id)).toEqual([
      "immigration",
      "abortion",
      "israel-gaza",
      "race",
      "election-integrity",
      "guns",
    ]);
    const own = WatchlistSchema.parse({
      settings: { social: { divisiveIssues: [{ id: "tax", name: "Taxes", keywords: ["tax"] }] } },
    });
    expect(own.settings.social.divisiveIssues).toHaveLength(1);
  });
});
