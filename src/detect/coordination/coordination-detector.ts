import {
  type Case,
  caseId,
  DEFAULT_DIVISIVE_ISSUES,
  type DivisiveIssue,
  type Evidence,
  type Finding,
  findingId,
  parseDomain,
  type Reason,
  severityFor,
  stableId,
  type Technique,
} from "../../model/index.js";
import { accountCommunities } from "./account-communities.js";
import {
  addCoActions,
  BEHAVIOURS,
  type Behaviour,
  chooseWindow,
  fdrThreshold,
  gapHistogram,
  groupByKey,
  type KeyGroups,
  MIN_CO_ACTIONS,
  shuffledTimes,
  timeOrder,
} from "./coordination-features.js";
import { LSH_BANDS } from "./lsh.js";
import { buildNarratives, type Narrative } from "./narratives.js";
import { findNearDuplicates } from "./near-duplicates.js";
import { PairFilter, PairTable } from "./pair-table.js";
import type { SocialCorpus } from "./social-corpus.js";

export const COORDINATION_DETECTOR_NAME = "coordination";
/** Bump when rules or weights change, so stored findings say which scoring made them. */
export const COORDINATION_DETECTOR_VERSION = "1.3.0";

/** Accounts a community needs to be reported. */
export const MIN_COMMUNITY_SIZE = 3;
/** Accounts listed per community in the result and the finding's evidence. */
export const MAX_LISTED_ACCOUNTS = 500;
/** Exemplar posts per community. */
const EXEMPLARS = 3;
/** Domains listed per community. */
const LISTED_DOMAINS = 10;
/** Days within which accounts created together count as a creation cluster. */
const CREATION_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * DISARM techniques the behaviours evidence, ids and names copied from the DISARM
 * framework's STIX bundle (DISARM.json, attack-pattern objects). DISARM has no
 * "create inauthentic accounts" technique in this release; accounts made in a batch
 * are named as an account asset (T0146).
 */
export const COORDINATION_TECHNIQUES = {
  copypasta: { framework: "DISARM", id: "T0084.001", name: "Use Copypasta" },
  reuse: { framework: "DISARM", id: "T0084", name: "Reuse Existing Content" },
  flood: { framework: "DISARM", id: "T0049", name: "Flood Information Space" },
  reposting: {
    framework: "DISARM",
    id: "T0049.003",
    name: "Bots Amplify via Automated Forwarding and Reposting",
  },
  hashtag: { framework: "DISARM", id: "T0049.002", name: "Flood Existing Hashtag" },
  crossPosting: { framework: "DISARM", id: "T0119", name: "Cross-Posting" },
  accounts: { framework: "DISARM", id: "T0146", name: "Account Asset" },
  wedge: { framework: "DISARM", id: "T0081.006", name: "Identify Wedge Issues" },
} as const satisfies Record<string, Technique>;

/** Score weight of each behaviour, times the share of a community's accounts showing it. */
export const BEHAVIOUR_WEIGHTS: Readonly<Record<Behaviour, number>> = {
  text: 0.3,
  repost: 0.15,
  url: 0.15,
  hashtag: 0.1,
  domain: 0.05,
};
/** Smallest z-score of an edge, whatever the false-discovery threshold says. */
const MIN_Z = 3;
/** Score weight of accounts created within days of each other, times their share. */
const CREATION_WEIGHT = 0.15;
/** Score weight of a densely connected community, times its density. */
const DENSITY_WEIGHT = 0.1;
/**
 * Score weight of a group whose accounts link to sites already flagged (a lookalike of a
 * protected outlet, a fake outlet), times the share of its accounts that do. Added only to
 * a group some behaviour already links: sharing a flagged link alone is not coordination.
 */
const FLAGGED_SITE_WEIGHT = 0.15;

const BEHAVIOUR_WORDS: Readonly<Record<Behaviour, string>> = {
  text: "posted the same or nearly the same text",
  repost: "reposted the same posts",
  url: "shared the same links",
  domain: "shared links to the same sites",
  hashtag: "used the same hashtags",
};

export interface CoordinationOptions {
  /** Seed of the null model's shuffles and of Louvain: the same seed, the same result. */
  seed?: number;
  /** Jaccard similarity of shingle sets from which two texts are near-duplicates. */
  nearDuplicate?: number;
  /** Largest expected share of chance pairs among the edges kept (empirical FDR). */
  alpha?: number;
  /** Null-model replicates averaged. */
  nullReplicates?: number;
  /** Score from which a community becomes a finding. */
  threshold?: number;
  divisiveIssues?: readonly DivisiveIssue[];
  /**
   * Sites already flagged, by host or registrable domain (`washingtonpost.pm`): a group's
   * links to them are named with their finding, and weigh in its score.
   */
  knownSites?: ReadonlyMap<string, KnownSite>;
  /** When the analysis ran (findings' `observedAt`, cases' `createdAt`). */
  observedAt: string;
  onProgress?: (progress: { stage: string; done: number; total: number }) => void;
}

/** A site a stored finding flags, as the analysis links a group's links to it. */
export interface KnownSite {
  /** The finding's id and kind (`domain-lookalike`, …). */
  finding: string;
  kind: string;
  score: number;
  /** What the site imitates, when the finding names it (an outlet's name). */
  target?: string;
}

/** How each behaviour was tested: its window and threshold, and what came through. */
export interface BehaviourTest {
  behaviour: Behaviour;
  windowSeconds: number;
  /** Smallest pair weight kept (Infinity: nothing beat the null model). */
  threshold: number;
  observedPairs: number;
  nullPairs: number;
  keptEdges: number;
}

/** Accounts that act together more than chance allows, with why. */
export interface Community {
  id: string;
  size: number;
  score: number;
  flagged: boolean;
  reasons: Reason[];
  accounts: Array<{ account: string; handle?: string }>;
  behaviours: Array<{ behaviour: Behaviour; edges: number; coActions: number; accounts: number }>;
  exemplars: Array<{
    post: string;
    account: string;
    created: string;
    text: string;
    copies: number;
  }>;
  timeline: Array<{ day: string; posts: number }>;
  creation: { from: string; to: string; share: number; baselineShare: number } | undefined;
  domains: Array<{
    domain: string;
    posts: number;
    accounts: number;
    shareOfDomain: number;
    /** The stored finding that flags this site, when there is one. */
    flagged?: KnownSite;
  }>;
  narratives: string[];
}

export interface CoordinationResult {
  parameters: {
    seed: number;
    nearDuplicate: number;
    alpha: number;
    nullReplicates: number;
    minCoActions: number;
    threshold: number;
    nullModel: string;
    behaviours: BehaviourTest[];
  };
  stats: {
    accounts: number;
    posts: number;
    comparablePosts: number;
    candidatePairs: number;
    nearDuplicatePairs: number;
    /** Leader clusters of two posts or more: the keys of text co-posting. */
    nearDuplicateClusters: number;
    /** Connected components of near-duplicate pairs (chains of similar texts joined). */
    nearDuplicateComponents: number;
    edges: number;
    communities: number;
    flaggedAccounts: number;
  };
  communities: Community[];
  narratives: Narrative[];
  findings: Finding[];
  cases: Case[];
}

/**
 * Finds coordinated accounts and narratives in a whole corpus of posts: near-duplicate
 * texts (MinHash LSH), shared links, sites, hashtags and reposts, each within a time
 * window chosen from the data; a pair of accounts is an edge only where its co-actions
 * beat a null model (each account's own post times shuffled, seeded) at an empirical
 * false-discovery rate of `alpha`; communities of the edges (Louvain per connected
 * component, parts about as linked to each other as inside merged back) are scored and
 * explained, and become `coordinated-accounts` findings and cases. Pure and seeded.
 *
 * @example
 * const result = analyzeCoordination(corpus, { observedAt: new Date().toISOString() });
 * for (const c of result.communities) console.log(c.size, c.score, c.reasons);
 */
export function analyzeCoordination(
  corpus: SocialCorpus,
  options: CoordinationOptions,
): CoordinationResult {
  const seed = options.seed ?? 1;
  const nearDuplicate = options.nearDuplicate ?? 0.5;
  const alpha = options.alpha ?? 0.01;
  const replicates = options.nullReplicates ?? 3;
  const threshold = options.threshold ?? 0.4;
  checkRange(nearDuplicate, "nearDuplicate", 0.05, 1);
  checkRange(alpha, "alpha", 0, 1);
  checkRange(replicates, "nullReplicates", 2, 20);
  checkRange(threshold, "threshold", 0, 1);
  const progress = options.onProgress;
  const c = corpus.columns();

  // 1. Near-duplicate texts: LSH candidates checked by exact Jaccard; leader clusters
  // (which do not chain) are the keys of text co-posting and the seeds of narratives.
  const order = timeOrder(c.postTime);
  const near = findNearDuplicates(c, nearDuplicate, order, (band) =>
    progress?.({ stage: "near-duplicates", done: band + 1, total: LSH_BANDS }),
  );
  const { clusterOf, clusters, candidatePairs, nearDuplicatePairs } = near;
  const clusterPosts = collectClusters(clusterOf, clusters);

  // 2. Each behaviour against the null model.
  const keyCounts: Record<Behaviour, number> = {
    text: clusters,
    repost: corpus.repostTargets.size,
    url: corpus.urls.size,
    domain: corpus.domains.size,
    hashtag: corpus.hashtags.size,
  };
  const nullTimes = Array.from({ length: replicates }, (_, r) => shuffledTimes(c, seed * 7919 + r));
  const nullOrders = nullTimes.map(timeOrder);
  const tests: BehaviourTest[] = [];
  const kept: Record<Behaviour, PairTable> = {} as Record<Behaviour, PairTable>;
  const edges = new PairTable();
  // One table for the observed times and each replicate, cleared between behaviours:
  // at millions of posts a table is hundreds of megabytes, and growing fresh ones for
  // every behaviour repeats those large allocations, each of which may set off a full
  // garbage collection of the corpus's heap.
  const pairTables = [c.postTime, ...nullTimes].map(() => new PairTable());
  BEHAVIOURS.forEach((behaviour, step) => {
    progress?.({ stage: "null model", done: step, total: BEHAVIOURS.length });
    const groups = groupByKey(c, behaviour, keyCounts[behaviour], clusterOf, order);
    const nullGroups = nullOrders.map((o) =>
      groupByKey(c, behaviour, keyCounts[behaviour], clusterOf, o, groups),
    );
    const observedGaps = gapHistogram(groups, c, c.postTime);
    const nullGaps = new Float64Array(observedGaps.length);
    nullGroups.forEach((g, r) => {
      const h = gapHistogram(g, c, nullTimes[r] as Float64Array);
      for (let j = 0; j < h.length; j++)
        nullGaps[j] = (nullGaps[j] as number) + (h[j] as number) / replicates;
    });
    const windowSeconds = chooseWindow(observedGaps, nullGaps);
    const fill = (r: number, only?: PairFilter) => {
      const table = pairTables[r] as PairTable;
      table.clear();
      const time = r === 0 ? c.postTime : (nullTimes[r - 1] as Float64Array);
      const g = r === 0 ? groups : (nullGroups[r - 1] as KeyGroups);
      addCoActions(g, c, time, windowSeconds * 1000, table, only);
      return table;
    };
    const observed = fill(0);
    const calibration = fill(1);
    // The other replicates are only asked for the weights of the pairs tested below (those
    // with MIN_CO_ACTIONS in the observed or the calibration table): a filter of those
    // pairs, small enough to stay in the CPU cache, drops every other co-action before it
    // reaches a table far bigger than the cache. The sums of the tested pairs are exact.
    const tested = new PairFilter([observed, calibration], MIN_CO_ACTIONS);
    const reference = nullTimes.slice(1).map((_, r) => fill(r + 2, tested));
    // The per-pair test: how far a pair's weight is above its mean weight in the reference
    // replicates, in units of Poisson noise. The calibration replicate, scored the same
    // way, shows how high chance alone scores, which sets the threshold (see fdrThreshold).
    // Co-actions are counted with their keys' weights: with w̄ the pair's mean weight of
    // one co-action, a Poisson count of mean m/w̄ has the weighted variance m·w̄, and one
    // co-action's w̄² is added so a pair the null model never pairs is not divided by 0.
    const zScore = (a: number, b: number, w: number, n: number) => {
      let mean = 0;
      for (const t of reference) mean += t.weight(a, b);
      mean /= reference.length;
      const unit = w / n;
      return (w - mean) / Math.sqrt(mean * unit + unit * unit);
    };
    const observedZ: number[] = [];
    observed.forEach((a, b, w, n) => {
      if (n >= MIN_CO_ACTIONS) observedZ.push(zScore(a, b, w, n));
    });
    const nullZ: number[] = [];
    calibration.forEach((a, b, w, n) => {
      if (n >= MIN_CO_ACTIONS) nullZ.push(zScore(a, b, w, n));
    });
    const t = Math.max(
      MIN_Z,
      fdrThreshold(Float64Array.from(observedZ), Float64Array.from(nullZ), 1, alpha),
    );
    const keptTable = new PairTable();
    observed.forEach((a, b, w, n) => {
      if (n < MIN_CO_ACTIONS) return;
      const z = zScore(a, b, w, n);
      if (z >= t) {
        keptTable.add(a, b, n);
        edges.add(a, b, z / t);
      }
    });
    const observedWeights = observedZ;
    const nullWeights = nullZ;
    kept[behaviour] = keptTable;
    tests.push({
      behaviour,
      windowSeconds,
      threshold: round(t),
      observedPairs: observedWeights.length,
      nullPairs: nullWeights.length,
      keptEdges: keptTable.size,
    });
  });

  // 3. Communities of the account network.
  progress?.({ stage: "communities", done: 0, total: 1 });
  const groupsOfAccounts = accountCommunities(edges, seed).filter(
    (m) => m.length >= MIN_COMMUNITY_SIZE,
  );
  const communityOf = new Int32Array(c.accounts).fill(-1);
  const baseline = creationBaseline(c.accountCreated);
  const communities: Community[] = groupsOfAccounts.map((members) =>
    describeCommunity(corpus, members, kept, clusterOf, baseline, threshold, options.knownSites),
  );
  communities.sort((a, b) => b.score - a.score || b.size - a.size);
  communities.forEach((community, index) => {
    if (!community.flagged) return;
    for (const { account } of community.accounts) {
      const a = corpus.accountKeys.get(account);
      if (a !== undefined) communityOf[a] = index;
    }
  });
  // Members past the listed cap still belong to their community.
  groupsOfAccounts.forEach((members) => {
    const first = corpus.accountKeys.values[members[0] as number];
    const index = communities.findIndex((x) => x.accounts[0]?.account === first);
    if (index >= 0 && communities[index]?.flagged === true)
      for (const a of members) communityOf[a] = index;
  });

  // 4. Narratives.
  progress?.({ stage: "narratives", done: 0, total: 1 });
  const { narratives } = buildNarratives(
    corpus,
    clusterPosts,
    communityOf,
    communities.map((x) => x.id),
    options.divisiveIssues ?? DEFAULT_DIVISIVE_ISSUES,
  );
  for (const n of narratives) {
    for (const { community } of n.communities) {
      communities.find((x) => x.id === community)?.narratives.push(n.id);
    }
  }

  // 5. Findings and cases.
  const findings: Finding[] = [];
  const cases: Case[] = [];
  for (const community of communities) {
    if (!community.flagged) continue;
    const finding = communityFinding(community, narratives, options.observedAt);
    findings.push(finding);
    cases.push({
      id: caseId("coordinated-community", community.id),
      title: `Coordinated network of ${community.size} accounts${community.accounts[0]?.handle ? ` around @${community.accounts[0].handle}` : ""}`,
      grouping: "coordinated-community",
      key: community.id,
      findingIds: [finding.id],
      rationale: `Accounts linked by behaviour that beats a time-shuffled null model: ${community.behaviours
        .filter((b) => b.edges > 0)
        .map((b) => b.behaviour)
        .join(", ")}.`,
      createdAt: options.observedAt,
    });
  }
  progress?.({ stage: "narratives", done: 1, total: 1 });
  return {
    parameters: {
      seed,
      nearDuplicate,
      alpha,
      nullReplicates: replicates,
      minCoActions: MIN_CO_ACTIONS,
      threshold,
      nullModel:
        "each account's post times shuffled among its own posts (seeded replicates); a pair's z = (weight − mean weight in replicates 2..R) / √(mean·w̄ + w̄²), w̄ its mean co-action weight; replicate 1 scored the same way gives chance z-scores, and the edge threshold is the smallest z at which those are at most alpha of the observed pairs (empirical FDR), at least 3",
      behaviours: tests,
    },
    stats: {
      accounts: c.accounts,
      posts: c.posts,
      comparablePosts: countOnes(c.comparable),
      candidatePairs,
      nearDuplicatePairs,
      nearDuplicateClusters: clusters,
      nearDuplicateComponents: near.components,
      edges: edges.size,
      communities: communities.length,
      flaggedAccounts: communities.filter((x) => x.flagged).reduce((n, x) => n + x.size, 0),
    },
    communities,
    narratives,
    findings,
    cases,
  };
}

function describeCommunity(
  corpus: SocialCorpus,
  members: readonly number[],
  kept: Record<Behaviour, PairTable>,
  clusterOf: Int32Array,
  baseline: (from: number) => number,
  threshold: number,
  knownSites: ReadonlyMap<string, KnownSite> | undefined,
): Community {
  const c = corpus.columns();
  const inside = new Set(members);
  const behaviours = BEHAVIOURS.map((behaviour) => {
    let edgeCount = 0;
    let coActions = 0;
    const active = new Set<number>();
    const table = kept[behaviour];
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const a = members[x] as number;
        const b = members[y] as number;
        const n = table.weight(a, b);
        if (n > 0) {
          edgeCount++;
          coActions += n;
          active.add(a);
          active.add(b);
        }
      }
    }
    return { behaviour, edges: edgeCount, coActions, accounts: active.size };
  });
  const reasons: Reason[] = [];
  for (const b of behaviours) {
    if (b.edges === 0) continue;
    const share = b.accounts / members.length;
    reasons.push({
      rule: `co-${b.behaviour}`,
      feature: `${b.accounts} of ${members.length} accounts, ${b.edges} pairs, ${b.coActions} co-actions`,
      weight: round(BEHAVIOUR_WEIGHTS[b.behaviour] * share),
      explanation: `${b.accounts} of the ${members.length} accounts ${BEHAVIOUR_WORDS[b.behaviour]} within minutes of each other, more often than the same accounts do when their post times are shuffled.`,
    });
  }
  // Creation dates: the densest window of CREATION_WINDOW_DAYS among the members.
  const created = members
    .map((a) => c.accountCreated[a] as number)
    .filter((t) => !Number.isNaN(t))
    .sort((x, y) => x - y);
  let creation: Community["creation"];
  if (created.length >= MIN_COMMUNITY_SIZE) {
    let best = 0;
    let bestFrom = 0;
    for (let i = 0, j = 0; i < created.length; i++) {
      while ((created[i] as number) - (created[j] as number) > CREATION_WINDOW_DAYS * DAY_MS) j++;
      if (i - j + 1 > best) {
        best = i - j + 1;
        bestFrom = j;
      }
    }
    const from = created[bestFrom] as number;
    const share = best / members.length;
    const baselineShare = baseline(from);
    creation = {
      from: new Date(from).toISOString(),
      to: new Date(created[bestFrom + best - 1] as number).toISOString(),
      share: round(share),
      baselineShare: round(baselineShare),
    };
    if (share >= 0.5 && share >= 10 * baselineShare) {
      reasons.push({
        rule: "created-together",
        feature: `${best} of ${members.length} accounts created ${creation.from.slice(0, 10)} – ${creation.to.slice(0, 10)}`,
        weight: round(CREATION_WEIGHT * share),
        explanation: `${best} of the accounts were created within ${CREATION_WINDOW_DAYS} days of each other, where ${(baselineShare * 100).toFixed(2)}% of all accounts were: they look made in one batch.`,
      });
    }
  }
  let internal = 0;
  for (const b of behaviours) internal = Math.max(internal, b.edges);
  const density = members.length > 1 ? internal / ((members.length * (members.length - 1)) / 2) : 0;
  if (density >= 0.2) {
    reasons.push({
      rule: "dense-network",
      feature: `${internal} of ${(members.length * (members.length - 1)) / 2} pairs linked`,
      weight: round(DENSITY_WEIGHT * Math.min(1, density)),
      explanation: `Most accounts of the group are linked to most others, as in a network run by one operator rather than a crowd.`,
    });
  }
  // Exemplars, timeline, domains.
  const copies = new Map<number, { post: number; n: number }>();
  const days = new Map<string, number>();
  const domains = new Map<number, { posts: number; accounts: Set<number> }>();
  const memberPosts: number[] = [];
  for (let i = 0; i < c.posts; i++) {
    const a = c.postAccount[i] as number;
    if (!inside.has(a)) continue;
    memberPosts.push(i);
    const day = new Date(c.postTime[i] as number).toISOString().slice(0, 10);
    days.set(day, (days.get(day) ?? 0) + 1);
    const k = clusterOf[i] as number;
    if (k >= 0) {
      const e = copies.get(k);
      if (e) e.n++;
      else copies.set(k, { post: i, n: 1 });
    }
    for (let j = c.urlStart[i] as number; j < (c.urlStart[i + 1] as number); j++) {
      const d = c.domainRefs[j] as number;
      const e = domains.get(d) ?? { posts: 0, accounts: new Set<number>() };
      e.posts++;
      e.accounts.add(a);
      domains.set(d, e);
    }
  }
  const domainTotals = domainPostCounts(corpus, domains);
  const flaggedSite = (d: number) =>
    knownSites === undefined
      ? undefined
      : knownSite(knownSites, corpus.domains.values[d] as string);
  if (reasons.length > 0 && knownSites !== undefined && knownSites.size > 0) {
    const linking = new Set<number>();
    const sites = new Map<string, KnownSite>();
    for (const [d, e] of domains) {
      const site = flaggedSite(d);
      if (site === undefined) continue;
      sites.set(corpus.domains.values[d] as string, site);
      for (const a of e.accounts) linking.add(a);
    }
    if (linking.size >= 2) {
      const named = [...sites].slice(0, 3).map(([host, site]) => {
        const what =
          site.target === undefined ? site.kind : `${site.kind}, imitates ${site.target}`;
        return `${host} (${what})`;
      });
      reasons.push({
        rule: "amplifies-flagged-sites",
        feature: `${linking.size} of ${members.length} accounts link to ${sites.size} flagged site${sites.size === 1 ? "" : "s"}: ${named.join(", ")}`,
        weight: round(FLAGGED_SITE_WEIGHT * (linking.size / members.length)),
        explanation: `Accounts of the group push links to sites vigil has already flagged as imitating outlets or as fake outlets; the site findings say why.`,
      });
    }
  }
  const score = round(
    Math.min(
      1,
      reasons.reduce((s, r) => s + r.weight, 0),
    ),
  );
  const id = stableId(
    "community",
    members.map((a) => corpus.accountKeys.values[a]),
  );
  const accountKey = (a: number) => corpus.accountKeys.values[a] as string;
  return {
    id,
    size: members.length,
    score,
    flagged: score >= threshold,
    reasons,
    accounts: members.slice(0, MAX_LISTED_ACCOUNTS).map((a) => {
      const handle = corpus.accountHandle[a];
      return handle === undefined ? { account: accountKey(a) } : { account: accountKey(a), handle };
    }),
    behaviours,
    exemplars: [...copies.values()]
      .sort((x, y) => y.n - x.n)
      .slice(0, EXEMPLARS)
      .map(({ post, n }) => ({
        post: corpus.postIds[post] as string,
        account: accountKey(c.postAccount[post] as number),
        created: new Date(c.postTime[post] as number).toISOString(),
        text: corpus.texts[post] ?? "",
        copies: n,
      })),
    timeline: [...days]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, posts]) => ({ day, posts })),
    creation,
    domains: [...domains]
      .sort((x, y) => y[1].accounts.size - x[1].accounts.size || y[1].posts - x[1].posts)
      .slice(0, LISTED_DOMAINS)
      .map(([d, e]) => {
        const flagged = flaggedSite(d);
        return {
          domain: corpus.domains.values[d] as string,
          posts: e.posts,
          accounts: e.accounts.size,
          shareOfDomain: round(e.posts / Math.max(1, domainTotals.get(d) ?? e.posts)),
          ...(flagged === undefined ? {} : { flagged }),
        };
      }),
    narratives: [],
  };
}

function communityFinding(
  community: Community,
  narratives: readonly Narrative[],
  observedAt: string,
): Finding {
  const techniques: Technique[] = [];
  const add = (t: Technique) => {
    if (!techniques.some((x) => x.id === t.id)) techniques.push(t);
  };
  const has = (b: Behaviour) => community.behaviours.some((x) => x.behaviour === b && x.edges > 0);
  if (has("text")) {
    add(COORDINATION_TECHNIQUES.copypasta);
    add(COORDINATION_TECHNIQUES.flood);
  }
  if (has("repost")) add(COORDINATION_TECHNIQUES.reposting);
  if (has("hashtag")) add(COORDINATION_TECHNIQUES.hashtag);
  if (has("url") || has("domain")) add(COORDINATION_TECHNIQUES.crossPosting);
  if (community.reasons.some((r) => r.rule === "created-together"))
    add(COORDINATION_TECHNIQUES.accounts);
  const pushed = narratives.filter((n) => community.narratives.includes(n.id));
  if (pushed.some((n) => n.issues.length > 0)) add(COORDINATION_TECHNIQUES.wedge);
  const evidence: Evidence[] = [
    ...community.accounts.map((a) => ({
      type: "account",
      value: a.account,
      ...(a.handle === undefined ? {} : { note: `@${a.handle}` }),
    })),
    ...community.exemplars.map((e) => ({
      type: "post",
      value: e.post,
      note: `${e.copies} near-identical posts by the group; ${e.text.slice(0, 200)}`,
    })),
    ...community.domains.slice(0, 5).map((d) => ({
      type: "amplified-domain",
      value: d.domain,
      note: `${d.posts} posts by ${d.accounts} accounts of the group${
        d.flagged === undefined
          ? ""
          : `; flagged: ${d.flagged.kind}${d.flagged.target === undefined ? "" : ` imitating ${d.flagged.target}`} (score ${d.flagged.score}, finding ${d.flagged.finding})`
      }`,
    })),
  ];
  const lead = community.accounts[0];
  const subject = `${community.size} accounts${lead?.handle ? ` around @${lead.handle}` : ""} (${community.id})`;
  return {
    id: findingId(COORDINATION_DETECTOR_NAME, subject, evidence),
    kind: "coordinated-accounts",
    subject,
    score: community.score,
    severity: severityFor(community.score),
    reasons: community.reasons,
    techniques,
    evidence,
    detector: COORDINATION_DETECTOR_NAME,
    detectorVersion: COORDINATION_DETECTOR_VERSION,
    observedAt,
    observationIds: [],
  };
}

function collectClusters(clusterOf: Int32Array, clusters: number): Int32Array[] {
  const sizes = new Int32Array(clusters);
  for (let i = 0; i < clusterOf.length; i++) {
    const k = clusterOf[i] as number;
    if (k >= 0) sizes[k] = (sizes[k] as number) + 1;
  }
  const out = Array.from({ length: clusters }, (_, k) => new Int32Array(sizes[k] as number));
  const fill = new Int32Array(clusters);
  for (let i = 0; i < clusterOf.length; i++) {
    const k = clusterOf[i] as number;
    if (k < 0) continue;
    (out[k] as Int32Array)[fill[k] as number] = i;
    fill[k] = (fill[k] as number) + 1;
  }
  return out;
}

/** Share of all accounts with a known creation date created within the window from `from`. */
function creationBaseline(created: Float64Array): (from: number) => number {
  const known = Float64Array.from(created.filter((t) => !Number.isNaN(t))).sort();
  return (from) => {
    if (known.length === 0) return 0;
    const lo = lowerBound(known, from);
    const hi = lowerBound(known, from + CREATION_WINDOW_DAYS * DAY_MS + 1);
    return (hi - lo) / known.length;
  };
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function domainPostCounts(
  corpus: SocialCorpus,
  wanted: ReadonlyMap<number, unknown>,
): Map<number, number> {
  const c = corpus.columns();
  const out = new Map<number, number>();
  for (let j = 0; j < c.domainRefs.length; j++) {
    const d = c.domainRefs[j] as number;
    if (wanted.has(d)) out.set(d, (out.get(d) ?? 0) + 1);
  }
  return out;
}

function countOnes(flags: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i] as number;
  return n;
}

function checkRange(value: number, name: string, min: number, max: number): void {
  if (!(value >= min && value <= max)) {
    throw new RangeError(`${name} must be from ${min} to ${max}, not ${value}`);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The flagged site a link's host belongs to: by host, then by registrable domain. */
function knownSite(sites: ReadonlyMap<string, KnownSite>, host: string): KnownSite | undefined {
  const exact = sites.get(host);
  if (exact !== undefined) return exact;
  const parsed = parseDomain(host);
  return parsed.ok ? sites.get(parsed.domain.registrable) : undefined;
}
