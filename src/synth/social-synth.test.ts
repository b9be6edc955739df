import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectItems } from "../../test/support/source-items.js";
import { readSocialJsonl } from "../sources/index.js";
import { synthSocial } from "./social-synth.js";
import { SocialTruthSchema } from "./social-truth.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vigil-synth-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SMALL = { accounts: 1_500, posts: 20_000, campaigns: 3, seed: 42 };

describe("synthSocial", () => {
  it("gives the same bytes for the same seed, and other bytes for another", async () => {
    const a = await synthSocial({ ...SMALL, outDir: join(dir, "a") });
    const b = await synthSocial({ ...SMALL, outDir: join(dir, "b") });
    const c = await synthSocial({ ...SMALL, seed: 43, outDir: join(dir, "c") });
    for (const file of ["accounts.jsonl", "posts.jsonl", "truth.json"]) {
      const first = await readFile(join(dir, "a", file));
      expect(first.equals(await readFile(join(dir, "b", file))), file).toBe(true);
      expect(first.equals(await readFile(join(dir, "c", file))), file).toBe(false);
    }
    expect(a.counts).toEqual(b.counts);
    expect(c.counts.posts).toBe(SMALL.posts);
  });

  it("writes valid records in time order, with the counts and planted accounts the truth gives", async () => {
    const out = join(dir, "shape");
    const result = await synthSocial({ ...SMALL, outDir: out });
    const accounts = await collectItems(
      readSocialJsonl(createReadStream(join(out, "accounts.jsonl")), {
        name: "a",
        observedAt: "2024-10-20T00:00:00Z",
      }),
    );
    const posts = await collectItems(
      readSocialJsonl(createReadStream(join(out, "posts.jsonl")), {
        name: "p",
        observedAt: "2024-10-20T00:00:00Z",
      }),
    );
    expect(accounts.problems).toEqual([]);
    expect(posts.problems).toEqual([]);
    expect(accounts.observations).toHaveLength(SMALL.accounts);
    expect(posts.observations).toHaveLength(SMALL.posts);
    expect(result.counts).toMatchObject({ accounts: SMALL.accounts, posts: SMALL.posts });

    const truth = SocialTruthSchema.parse(
      JSON.parse(await readFile(join(out, "truth.json"), "utf8")),
    );
    const accountData = accounts.data("account");
    const postData = posts.data("post");
    const byId = new Map(accountData.map((a) => [a.id as string, a]));
    const postIds = new Set(postData.map((p) => p.id as string));

    // Every post's account exists; references point to earlier posts; time never goes back.
    let last = "";
    for (const p of postData) {
      expect(byId.has(p.account as string)).toBe(true);
      expect(String(p.created) >= last).toBe(true);
      last = String(p.created);
      for (const ref of [p.repostOf, p.replyTo, p.quoteOf])
        if (ref !== undefined) expect(postIds.has(ref as string)).toBe(true);
    }

    // Campaigns: accounts created within a few days of each other, posting the campaign's links.
    expect(truth.campaigns).toHaveLength(SMALL.campaigns);
    expect(new Set(truth.campaigns.map((c) => c.language)).size).toBeGreaterThan(1);
    for (const campaign of truth.campaigns) {
      const created = campaign.accounts.map((id) => Date.parse(String(byId.get(id)?.created)));
      expect(Math.max(...created) - Math.min(...created)).toBeLessThanOrEqual(3 * 86_400_000);
      const members = new Set(campaign.accounts);
      const theirs = postData.filter((p) => members.has(p.account as string));
      const linked = theirs.filter((p) =>
        (p.urls as string[]).some((u) => campaign.domains.some((d) => u.includes(d))),
      );
      expect(linked.length).toBeGreaterThan(campaign.accounts.length / 2);
      expect(campaign.posts).toBeGreaterThan(campaign.accounts.length);
    }

    // Impersonators: handle differs from the genuine one, display name close, created later.
    expect(truth.impersonators.length).toBeGreaterThan(0);
    for (const imp of truth.impersonators) {
      const fake = byId.get(imp.account);
      const real = byId.get(imp.genuineAccount);
      expect(fake?.handle).not.toBe(real?.handle);
      expect(String(fake?.displayName)).toContain(String(real?.displayName));
      expect(String(fake?.created) > String(real?.created)).toBe(true);
    }

    // Organic crowds: many distinct, unplanted accounts.
    const planted = new Set([
      ...truth.campaigns.flatMap((c) => c.accounts),
      ...truth.impersonators.map((i) => i.account),
    ]);
    for (const trend of truth.trendingHashtags) {
      if (trend.posts > 0) expect(trend.accounts.some((a) => planted.has(a))).toBe(false);
    }
    expect(truth.trendingHashtags.some((t) => t.accounts.length > 20)).toBe(true);
    for (const viral of truth.viralPosts) {
      expect(viral.reposters.length).toBe(viral.reposts);
      expect(new Set(viral.reposters).size).toBe(viral.reposts);
      expect(postData.filter((p) => p.repostOf === viral.post).length).toBeGreaterThanOrEqual(
        viral.reposts,
      );
    }

    // Heavy-tailed activity: the busiest tenth of accounts writes far more than a tenth of posts.
    const perAccount = new Map<string, number>();
    for (const p of postData)
      perAccount.set(p.account as string, (perAccount.get(p.account as string) ?? 0) + 1);
    const sorted = [...perAccount.values()].sort((x, y) => y - x);
    const top = sorted.slice(0, Math.ceil(SMALL.accounts / 10)).reduce((s, n) => s + n, 0);
    expect(top / SMALL.posts).toBeGreaterThan(0.3);

    // A daily rhythm: the busiest hour has well over twice the posts of the quietest.
    const hours = new Array(24).fill(0);
    for (const p of postData) hours[new Date(String(p.created)).getUTCHours()]++;
    expect(Math.max(...hours)).toBeGreaterThan(2 * Math.min(...hours));

    // Scripts beside Latin, in organic and planted posts alike.
    const scripts = (re: RegExp) => postData.filter((p) => re.test(String(p.text))).length;
    expect(scripts(/\p{Script=Cyrillic}/u)).toBeGreaterThan(0);
    expect(scripts(/\p{Script=Arabic}/u)).toBeGreaterThan(0);
    expect(scripts(/\p{Script=Han}/u)).toBeGreaterThan(0);
  });

  it("refuses to overwrite, and options out of range", async () => {
    const out = join(dir, "once");
    await synthSocial({ ...SMALL, posts: 2_000, accounts: 300, campaigns: 1, outDir: out });
    await expect(synthSocial({ ...SMALL, outDir: out })).rejects.toThrow(/--force/);
    await expect(
      synthSocial({ ...SMALL, accounts: 30, outDir: join(dir, "x") }),
    ).rejects.toMatchObject({
      code: "VIGIL_ERR_SOCIAL_SYNTH",
    });
    await expect(
      synthSocial({ ...SMALL, posts: 50, outDir: join(dir, "y") }),
    ).rejects.toMatchObject({
      code: "VIGIL_ERR_SOCIAL_SYNTH",
    });
    await expect(synthSocial({ ...SMALL, seed: -1, outDir: join(dir, "z") })).rejects.toMatchObject(
      {
        code: "VIGIL_ERR_SOCIAL_SYNTH",
      },
    );
  });
});
