/**
 * bench/social — coordination and narratives on synthetic social data (issue 7).
 *
 *   npm run bench:social                       # 100k and 1M posts
 *   npm run bench:social -- --sizes 100000     # one size
 *   npm run bench:social -- --sizes 100000,1000000,3000000
 *
 * For each size, `vigil synth social` writes accounts, posts and ground truth (not timed);
 * then the built CLI runs `vigil scan social --json` end to end (read, store, analyse)
 * beside its peer, the same scan with `--no-coordination` (read and store only), each
 * under /usr/bin/time for wall time and peak RSS. From the JSON it measures precision and
 * recall of planted campaign accounts and the share of organic trending-hashtag and
 * viral-repost accounts flagged. On a 20,000-post sample it compares LSH with exact
 * all-pairs Jaccard: the share of the exact near-duplicate pairs whose posts LSH puts in
 * one connected component of verified pairs, and the speed ratio. The machine is shared:
 * the load average before each run is recorded beside its times. Prints a table and
 * writes bench/results/social-<date>.json and social-latest.json.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  COORDINATION_DETECTOR_VERSION,
  findNearDuplicates,
  jaccardSorted,
  SocialCorpus,
  type SocialTruth,
  SocialTruthSchema,
  synthSocial,
  timeOrder,
} from "vigil";
import { writeResults } from "../support/bench-process.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const CLI = join(ROOT, "dist", "cli", "main.js");
const NEAR_DUPLICATE = 0.5;
const LSH_SAMPLE = 20_000;

interface Timed {
  seconds: number;
  peakRssMb: number;
  stdout: string;
}

/** Runs the CLI under /usr/bin/time: wall seconds and peak resident memory of the child. */
function timedCli(args: readonly string[]): Timed {
  const result = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, CLI, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const last = result.stderr.trim().split("\n").at(-1) ?? "";
  const [seconds, kb] = last.split(" ").map(Number);
  if (result.status !== 0 && result.status !== 3) {
    throw new Error(
      `vigil ${args.join(" ")} failed (${result.status}): ${result.stderr.slice(-2000)}`,
    );
  }
  return {
    seconds: seconds ?? Number.NaN,
    peakRssMb: Math.round((kb ?? 0) / 1024),
    stdout: result.stdout,
  };
}

interface ScanJson {
  coordination: {
    communities: Array<{ flagged: boolean; accounts: Array<{ account: string }> }>;
    stats: Record<string, number>;
    parameters: { behaviours: unknown };
  };
}

function evaluate(truth: SocialTruth, scan: ScanJson) {
  const p = truth.platform;
  const planted = new Set(truth.campaigns.flatMap((c) => c.accounts.map((a) => `${p}:${a}`)));
  const linked = new Set(
    truth.impersonators.filter((i) => i.campaign).map((i) => `${p}:${i.account}`),
  );
  const flagged = new Set(
    scan.coordination.communities
      .filter((c) => c.flagged)
      .flatMap((c) => c.accounts.map((a) => a.account)),
  );
  const tp = [...flagged].filter((a) => planted.has(a)).length;
  const fp = [...flagged].filter((a) => !planted.has(a) && !linked.has(a)).length;
  const crowd = new Set([
    ...truth.trendingHashtags.flatMap((t) => t.accounts),
    ...truth.viralPosts.flatMap((v) => v.reposters),
  ]);
  const crowdFlagged = [...crowd].filter((a) => flagged.has(`${p}:${a}`)).length;
  return {
    precision: round(tp / Math.max(1, tp + fp)),
    recall: round(tp / Math.max(1, planted.size)),
    plantedAccounts: planted.size,
    flaggedAccounts: flagged.size,
    organicCrowdAccounts: crowd.size,
    organicCrowdFlaggedShare: round(crowdFlagged / Math.max(1, crowd.size)),
  };
}

/**
 * LSH against exact all-pairs Jaccard on the first `LSH_SAMPLE` comparable posts. The
 * quality measure: of the pairs exact all-pairs finds at Jaccard ≥ 0.5, the share whose
 * two posts end in one connected component of the pairs LSH verified (union-find), which
 * is how the analysis uses them. A pair counts whether LSH checked it directly or joined
 * it through other verified pairs; every verified pair is itself ≥ 0.5, so a component
 * never joins posts without a chain of true near-duplicates between them.
 */
function lshQuality(postsFile: string) {
  const corpus = new SocialCorpus();
  const lines = readFileSync(postsFile, "utf8").split("\n");
  for (const line of lines) {
    if (line === "") continue;
    const post = JSON.parse(line);
    if (post.repostOf !== undefined || (post.text ?? "").length < 20) continue;
    corpus.addPost({ urls: [], hashtags: [], mentions: [], text: "", ...post });
    if (corpus.postCount >= LSH_SAMPLE) break;
  }
  const c = corpus.columns();
  const n = c.posts;
  const jac = (i: number, j: number) =>
    jaccardSorted(
      c.shingles,
      c.shingleStart[i] as number,
      c.shingleStart[i + 1] as number,
      c.shingles,
      c.shingleStart[j] as number,
      c.shingleStart[j + 1] as number,
    );
  let t = performance.now();
  const exact: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    if (c.comparable[i] === 0) continue;
    for (let j = i + 1; j < n; j++)
      if (c.comparable[j] === 1 && jac(i, j) >= NEAR_DUPLICATE) exact.push([i, j]);
  }
  const exactSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const near = findNearDuplicates(c, NEAR_DUPLICATE, timeOrder(c.postTime));
  const lshSeconds = (performance.now() - t) / 1000;
  let joined = 0;
  for (const [i, j] of exact) if (near.componentOf[i] === near.componentOf[j]) joined++;
  return {
    posts: n,
    measure:
      "share of exact all-pairs near-duplicate pairs (Jaccard >= 0.5) whose posts share a connected component of LSH-verified pairs",
    exactPairs: exact.length,
    recall: Math.round((joined / Math.max(1, exact.length)) * 1e5) / 1e5,
    lshChecks: near.candidatePairs,
    lshVerifiedPairs: near.nearDuplicatePairs,
    components: near.components,
    leaderClusters: near.clusters,
    exactSeconds: round(exactSeconds),
    lshSeconds: round(lshSeconds),
    speedRatio: round(exactSeconds / Math.max(1e-6, lshSeconds)),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sizes: { type: "string", default: "100000,1000000" } },
  });
  const sizes = values.sizes.split(",").map(Number);
  const work = mkdtempSync(join(tmpdir(), "vigil-bench-social-"));
  const runs = [];
  let lsh: ReturnType<typeof lshQuality> | undefined;
  try {
    for (const posts of sizes) {
      const accounts = Math.max(2_000, Math.round(posts / 20));
      const campaigns = Math.max(3, Math.min(30, Math.round(posts / 100_000)));
      const out = join(work, String(posts));
      await synthSocial({ accounts, posts, campaigns, seed: 7, outDir: out, force: true });
      const truth = SocialTruthSchema.parse(
        JSON.parse(readFileSync(join(out, "truth.json"), "utf8")),
      );
      const files = [join(out, "accounts.jsonl"), join(out, "posts.jsonl")];
      const loadBefore = loadavg().map(round);
      const peer = timedCli([
        "--db",
        join(out, "peer.db"),
        "scan",
        "social",
        ...files,
        "--json",
        "--no-progress",
        "--no-coordination",
      ]);
      const vigil = timedCli([
        "--db",
        join(out, "vigil.db"),
        "scan",
        "social",
        ...files,
        "--json",
        "--no-progress",
      ]);
      const scan = JSON.parse(vigil.stdout) as ScanJson;
      runs.push({
        posts,
        accounts,
        campaigns,
        loadAverageBefore: loadBefore,
        endToEndSeconds: vigil.seconds,
        peakRssMb: vigil.peakRssMb,
        storeOnlySeconds: peer.seconds,
        storeOnlyPeakRssMb: peer.peakRssMb,
        analysisOverheadRatio: round(vigil.seconds / Math.max(0.001, peer.seconds)),
        ...evaluate(truth, scan),
        stats: scan.coordination.stats,
        behaviours: scan.coordination.parameters.behaviours,
      });
      if (lsh === undefined) lsh = lshQuality(join(out, "posts.jsonl"));
      rmSync(out, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const result = {
    bench: "social",
    date: new Date().toISOString(),
    detectorVersion: COORDINATION_DETECTOR_VERSION,
    machine: { cpus: cpus().length, loadavg: loadavg().map(round), node: process.version },
    runs,
    lsh,
  };
  writeResults(ROOT, "social", result.date, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    "posts      accounts  end-to-end  peak RSS  store only  ratio  precision  recall  crowd flagged",
  );
  for (const r of runs) {
    console.log(
      `${String(r.posts).padEnd(10)} ${String(r.accounts).padEnd(9)} ${`${r.endToEndSeconds}s`.padEnd(11)} ${`${r.peakRssMb} MB`.padEnd(9)} ${`${r.storeOnlySeconds}s`.padEnd(11)} ${String(r.analysisOverheadRatio).padEnd(6)} ${String(r.precision).padEnd(10)} ${String(r.recall).padEnd(7)} ${(r.organicCrowdFlaggedShare * 100).toFixed(2)}%`,
    );
  }
  if (lsh !== undefined) {
    console.log(
      `LSH on ${lsh.posts} posts: ${lsh.recall} of ${lsh.exactPairs} exact near-duplicate pairs (Jaccard >= 0.5) in one component of verified pairs; ${lsh.lshSeconds}s vs ${lsh.exactSeconds}s all-pairs (${lsh.speedRatio}x)`,
    );
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

await main();
