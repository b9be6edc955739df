import type { DivisiveIssue } from "../../model/index.js";
import { type SocialCorpus, TERM_TABLE_SIZE } from "./social-corpus.js";
import { hashString, normaliseText, textTokens } from "./text-normalise.js";

/** Posts a near-duplicate cluster needs to be a narrative. */
export const MIN_NARRATIVE_POSTS = 5;
/** Accounts a near-duplicate cluster needs to be a narrative. */
export const MIN_NARRATIVE_ACCOUNTS = 3;
/** Narratives reported, biggest first: the rest are counted only. */
export const MAX_NARRATIVES = 200;
/** Posts of a cluster read for its top terms and issues (a sample of big clusters). */
const MAX_POSTS_READ = 200;
/** Top terms kept per narrative, and the overlap of them that merges two clusters. */
const TOP_TERMS = 8;
const MERGE_OVERLAP = 0.5;
/** Share of a narrative's posts that must use an issue's keywords to mark it. */
const ISSUE_SHARE = 0.3;

/** A story pushed through many posts: near-duplicate clusters that share their top terms. */
export interface Narrative {
  id: string;
  /** Its most telling words (TF-IDF over the corpus). */
  topTerms: string[];
  posts: number;
  accounts: number;
  /** Near-duplicate clusters merged into it. */
  clusters: number;
  first: string;
  last: string;
  /** Posts per day (UTC). */
  volume: Array<{ day: string; posts: number }>;
  /** Communities whose accounts posted it, with their post counts. */
  communities: Array<{ community: string; posts: number }>;
  /** Share of its posts by accounts of flagged communities. */
  coordinatedShare: number;
  /** Divisive issues from the configuration whose keywords its posts use. */
  issues: Array<{ id: string; name: string; share: number }>;
  /** One post of it, as written. */
  exemplar: { post: string; text: string };
}

/**
 * Builds narratives from near-duplicate clusters: each cluster of at least
 * `MIN_NARRATIVE_POSTS` posts by `MIN_NARRATIVE_ACCOUNTS` accounts gets its top terms by
 * TF-IDF; clusters whose top terms overlap by half or more are one narrative (a topic
 * told in differently worded copies).
 */
export function buildNarratives(
  corpus: SocialCorpus,
  clusterPosts: ReadonlyArray<Int32Array>,
  communityOf: Int32Array,
  communityIds: readonly string[],
  issues: readonly DivisiveIssue[],
): { narratives: Narrative[]; candidates: number } {
  const columns = corpus.columns();
  const comparable = Math.max(1, countOnes(columns.comparable));
  const candidates: Array<{ posts: Int32Array; coordinated: number; terms: string[] }> = [];
  for (const posts of clusterPosts) {
    if (posts.length < MIN_NARRATIVE_POSTS) continue;
    const accounts = new Set<number>();
    let coordinated = 0;
    for (const p of posts) {
      const a = columns.postAccount[p] as number;
      accounts.add(a);
      if ((communityOf[a] as number) >= 0) coordinated++;
    }
    if (accounts.size < MIN_NARRATIVE_ACCOUNTS) continue;
    candidates.push({ posts, coordinated, terms: [] });
  }
  // Clusters pushed by flagged communities first, then the biggest: top terms are read
  // only for the kept ones, since a big corpus has tens of thousands of small clusters.
  candidates.sort((a, b) => b.coordinated - a.coordinated || b.posts.length - a.posts.length);
  const kept = candidates.slice(0, MAX_NARRATIVES * 2);
  for (const k of kept) k.terms = topTerms(corpus, k.posts, comparable);
  // Merge clusters with overlapping top terms (union-find over the kept clusters).
  const parent = kept.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  for (let i = 0; i < kept.length; i++) {
    for (let j = i + 1; j < kept.length; j++) {
      if (overlap(kept[i]?.terms ?? [], kept[j]?.terms ?? []) >= MERGE_OVERLAP) {
        parent[find(j)] = find(i);
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < kept.length; i++) {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), i]);
  }
  const issueMatchers = issues.map((issue) => ({
    issue,
    pattern: new RegExp(
      `(?<![\\p{L}\\p{N}])(?:${issue.keywords.map((k) => escapeRegExp(k.toLowerCase())).join("|")})(?![\\p{L}\\p{N}])`,
      "u",
    ),
  }));
  const narratives: Narrative[] = [];
  for (const members of groups.values()) {
    const posts = Int32Array.from(members.flatMap((i) => [...(kept[i]?.posts ?? [])])).sort();
    const accounts = new Set<number>();
    const days = new Map<string, number>();
    const byCommunity = new Map<number, number>();
    let coordinated = 0;
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const p of posts) {
      const a = columns.postAccount[p] as number;
      accounts.add(a);
      const t = columns.postTime[p] as number;
      first = Math.min(first, t);
      last = Math.max(last, t);
      const day = new Date(t).toISOString().slice(0, 10);
      days.set(day, (days.get(day) ?? 0) + 1);
      const c = communityOf[a] as number;
      if (c >= 0) {
        coordinated++;
        byCommunity.set(c, (byCommunity.get(c) ?? 0) + 1);
      }
    }
    const sample = samplePosts(posts, MAX_POSTS_READ);
    const texts = sample.map((p) => (corpus.texts[p] ?? "").toLowerCase());
    const matched = issueMatchers
      .map(({ issue, pattern }) => ({
        id: issue.id,
        name: issue.name,
        share: round(texts.filter((t) => pattern.test(t)).length / Math.max(1, texts.length)),
      }))
      .filter((m) => m.share >= ISSUE_SHARE);
    const lead = kept[members[0] as number];
    const exemplarPost = posts[0] as number;
    narratives.push({
      id: `narrative-${narratives.length + 1}`,
      topTerms: lead?.terms ?? [],
      posts: posts.length,
      accounts: accounts.size,
      clusters: members.length,
      first: new Date(first).toISOString(),
      last: new Date(last).toISOString(),
      volume: [...days]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, n]) => ({ day, posts: n })),
      communities: [...byCommunity]
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => ({ community: communityIds[c] ?? String(c), posts: n })),
      coordinatedShare: round(coordinated / posts.length),
      issues: matched,
      exemplar: {
        post: corpus.postIds[exemplarPost] ?? "",
        text: corpus.texts[exemplarPost] ?? "",
      },
    });
  }
  narratives.sort(
    (a, b) => b.coordinatedShare * b.posts - a.coordinatedShare * a.posts || b.posts - a.posts,
  );
  narratives.length = Math.min(narratives.length, MAX_NARRATIVES);
  narratives.forEach((n, i) => {
    n.id = `narrative-${i + 1}`;
  });
  return { narratives, candidates: candidates.length };
}

/** The `TOP_TERMS` words of a cluster with the highest TF-IDF against the whole corpus. */
function topTerms(corpus: SocialCorpus, posts: Int32Array, documents: number): string[] {
  const tf = new Map<string, number>();
  for (const p of samplePosts(posts, MAX_POSTS_READ)) {
    const seen = new Set<string>();
    for (const token of textTokens(normaliseText(corpus.texts[p] ?? ""))) {
      if (token.length < 2 && !/\p{Script=Han}/u.test(token)) continue;
      if (seen.has(token)) continue;
      seen.add(token);
      tf.set(token, (tf.get(token) ?? 0) + 1);
    }
  }
  const scored = [...tf].map(([term, n]) => {
    const df = corpus.termDf[hashString(term, 7) & (TERM_TABLE_SIZE - 1)] ?? 0;
    return { term, score: n * Math.log((documents + 1) / (df + 1)) };
  });
  scored.sort((a, b) => b.score - a.score || a.term.localeCompare(b.term));
  return scored.slice(0, TOP_TERMS).map((s) => s.term);
}

function samplePosts(posts: Int32Array, max: number): number[] {
  if (posts.length <= max) return [...posts];
  const step = posts.length / max;
  return Array.from({ length: max }, (_, i) => posts[Math.floor(i * step)] as number);
}

function overlap(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  let common = 0;
  for (const t of b) if (set.has(t)) common++;
  return common / (a.length + b.length - common);
}

function countOnes(flags: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i] as number;
  return n;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
