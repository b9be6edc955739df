/**
 * bench/domains — vigil's lookalike-domain detection side by side with dnstwist (issue 4).
 *
 *   npm run bench:domains                # full run, 3–6 min on 2 cores
 *   npm run bench:domains -- --quick     # smaller run, ~1 min
 *
 * The script runs `npm run build`, compiles bench/ (and the test/support module it shares)
 * with bench/tsconfig.json into bench/dist (git-ignored) and runs it with node --expose-gc.
 * "vigil" resolves to the package itself (its exports map, so dist/index.js), exactly as a
 * user's import would.
 *
 * Measures, through vigil's public API as built in dist/ (imported as "vigil"):
 *  1. names checked per second on one core against us-news-domains.csv, over ≥ 1,000,000
 *     seeded candidate names; index build time and memory; the same at 100 / 1,000 /
 *     5,000 protected outlets, to show whether cost stays flat as the watchlist grows (the
 *     fastest of three passes over the same names, the median beside it: see runDetect);
 *  2. for a sample of outlets, the time dnstwist takes to enumerate its permutations
 *     against the time vigil takes to build its index and check those same names, and
 *     vigil's recall on them by dnstwist fuzzer (threshold 0.5, and 0 to separate found
 *     from scored high enough);
 *  3. on the real lookalikes in ../shared/data, the share dnstwist's lists contain and the
 *     share vigil attributes to the right outlet.
 * Prints a table and writes bench/results/domains-<date>.json and domains-latest.json
 * (domains-quick-… for --quick).
 * All domains are strings: dnstwist runs with `--format list` only and nothing is resolved.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { DOMAINS_DETECTOR_VERSION, type Finding, type Watchlist } from "vigil";
import { repoRoot, rerunPinned, writeResults } from "../support/bench-process.js";
import {
  INTERNATIONAL_FILE,
  isBareRegistrable,
  protectedDomains,
  readLookalikes,
  readOutlets,
  resolveTarget,
  US_NEWS_FILE,
  watchlistOf,
} from "./bench-data.js";
import { generateCandidates, PERMUTATION_KINDS, shuffled } from "./candidate-names.js";
import {
  type Dnstwist,
  enumerateWithCli,
  findDnstwist,
  type Permutation,
  permutationsWithFuzzers,
  shippedTldDictionaries,
} from "./dnstwist.js";
import { BATCH_SIZE, buildDetector, decompose, exactHeap, runDetect } from "./measure.js";
import { formatTable, int, pct, ratio, secs, toJson } from "./report.js";

/** The issue's targets. */
const TARGET_NAMES_PER_SECOND = 200_000;
const TARGET_RECALL = 0.99;
/** Outlets the issue names, always in the dnstwist sample. */
const NAMED_OUTLETS = ["washingtonpost.com", "foxnews.com", "nytimes.com", "cnn.com"];
/** Watchlist sizes for the scaling rows (the full list is added last). */
const SCALE_SIZES = [100, 1_000, 5_000];
/** Share of candidates that are permutations of protected names. */
const PERMUTATION_SHARE = 0.1;
/** Names run before each timed run and not counted (see runDetect), from another seed. */
const WARMUP_NAMES = 200_000;
/**
 * Timed passes over the same names for the throughput figures: the fastest is reported,
 * the median and each pass beside it (see runDetect).
 */
const PASSES = 3;
/** Examples of missed permutations kept per fuzzer in the JSON (it stays small). */
const MAX_MISS_EXAMPLES = 6;

const PROFILES = {
  full: { names: 1_000_000, scaleNames: 200_000, decomposeNames: 200_000, sampleRandom: 20 },
  quick: { names: 100_000, scaleNames: 20_000, decomposeNames: 20_000, sampleRandom: 0 },
} as const;

const USAGE = `usage: npm run bench:domains -- [--quick] [--names N] [--seed N] [--data DIR] [--no-pin] [--no-write]
  --quick      100,000 names, the 4 named outlets only (default: 1,000,000 names, 24 outlets)
  --names N    candidate names for the headline throughput (at least 10,000)
  --seed N     seed for names, watchlist subsets and the outlet sample (default 4)
  --data DIR   the shared evaluation data (default ../shared/data beside the repository)
  --no-pin     do not pin the run to one CPU with taskset
  --no-write   print only, write no JSON (a --quick run writes domains-quick-*.json)`;

class UsageError extends Error {}

interface Options {
  mode: "full" | "quick";
  names: number;
  seed: number;
  dataDir: string;
  pin: boolean;
  write: boolean;
}

function parseOptions(argv: string[], root: string): Options {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const mode = values.quick ? "quick" : "full";
  const integer = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw)))
      throw new UsageError(`--${name} must be a whole number ≥ ${min}, got "${raw}"`);
    return Number(raw);
  };
  return {
    mode,
    names: integer("names", values.names, PROFILES[mode].names, 10_000),
    seed: integer("seed", values.seed, 4, 0),
    dataDir: values.data ?? join(root, "..", "shared", "data"),
    pin: !values["no-pin"],
    write: !values["no-write"],
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean" },
      names: { type: "string" },
      seed: { type: "string" },
      data: { type: "string" },
      "no-pin": { type: "boolean" },
      "no-write": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
}

const T0 = Date.now();
const log = (message: string) =>
  process.stderr.write(`[bench:domains ${((Date.now() - T0) / 1000).toFixed(0)} s] ${message}\n`);
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

async function main(): Promise<void> {
  const startedAt = Date.now();
  const root = repoRoot(import.meta.url);
  const argv = process.argv.slice(2);
  const options = parseOptions(argv, root);
  if (options.pin) rerunPinned(log);
  const profile = PROFILES[options.mode];

  const dnstwist = findDnstwist();
  if ("missing" in dnstwist) {
    console.error(dnstwist.missing);
    process.exit(1);
  }
  if (!exactHeap)
    log("run with node --expose-gc for exact heap figures (npm run bench:domains does)");
  const loadBefore = loadavg();

  const usOutlets = readOutlets(options.dataDir, US_NEWS_FILE);
  const intlOutlets = readOutlets(options.dataDir, INTERNATIONAL_FILE);
  const usWatchlist = watchlistOf(usOutlets);
  const usBare = protectedDomains(usWatchlist).filter(isBareRegistrable);

  // 1. Throughput and scaling --------------------------------------------------------
  log(`generating ${int(options.names)} candidate names (seed ${options.seed})`);
  const candidates = generateCandidates({
    count: options.names,
    seed: options.seed,
    permutationShare: PERMUTATION_SHARE,
    protectedDomains: usBare,
  });
  const warmup = generateCandidates({
    count: Math.min(WARMUP_NAMES, options.names),
    seed: options.seed + 1,
    permutationShare: PERMUTATION_SHARE,
    protectedDomains: usBare,
  }).names;
  const scaleNames = Math.min(profile.scaleNames, options.names);
  const subsetNames = candidates.names.slice(0, scaleNames);
  const order = shuffled(usWatchlist.outlets, options.seed);
  const scaling: Array<Record<string, number>> = [];
  for (const size of SCALE_SIZES.filter((s) => s < order.length)) {
    const watchlist = watchlistOf(order.slice(0, size));
    log(`watchlist of ${size} outlets: build, then twice ${int(scaleNames)} names`);
    const build = buildDetector(watchlist);
    const run = runDetect(build.detector, subsetNames, { warmup, passes: PASSES });
    // The same names hold permutations of all the outlets, so a small watchlist meets
    // few of them; names whose permutations are of this watchlist's own domains keep the
    // share of names near a protected one constant, and so compare the lookup alone.
    const ownNames = generateCandidates({
      count: scaleNames,
      seed: options.seed,
      permutationShare: PERMUTATION_SHARE,
      protectedDomains: protectedDomains(watchlist).filter(isBareRegistrable),
    }).names;
    const own = runDetect(build.detector, ownNames, { warmup, passes: PASSES });
    scaling.push(scaleRow(watchlist, build, run, own));
  }
  log(
    `full us-news watchlist (${usWatchlist.outlets.length} outlets): build, then ${int(options.names)} names`,
  );
  const full = buildDetector(usWatchlist);
  const headline = runDetect(full.detector, candidates.names, {
    warmup,
    checkpoint: scaleNames,
    passes: PASSES,
  });
  const checkpoint = headline.checkpoint ?? headline;
  // For the full list the names' permutations are already of its own domains.
  scaling.push(scaleRow(usWatchlist, full, checkpoint, checkpoint));
  log(`decomposing detect() on ${int(profile.decomposeNames)} names`);
  const parts = decompose(full.detector, candidates.names.slice(0, profile.decomposeNames));
  const byKind = flaggedByKind(candidates.kinds, headline.flagged);

  // 2. dnstwist's permutations of a sample of outlets -----------------------------------
  const sample = [
    ...NAMED_OUTLETS,
    ...shuffled(
      usBare.filter((d) => !NAMED_OUTLETS.includes(d)),
      options.seed + 1,
    ).slice(0, profile.sampleRandom),
  ];
  log(`dnstwist --format list on ${sample.length} outlets, one process each`);
  const cli = await enumerateWithCli(dnstwist, sample);
  const cliSeconds = cli.reduce((sum, r) => sum + r.ms, 0) / 1000;
  log("dnstwist fuzzer labels (Python API, format='list')");
  const labelled = await permutationsWithFuzzers(dnstwist, sample);
  const agreement = compareLists(cli, labelled);
  const inProcess = [...labelled.values()].reduce(
    (sum, r) => ({
      wall: sum.wall + ("ms" in r ? r.ms : 0) / 1000,
      cpu: sum.cpu + ("cpuMs" in r ? r.cpuMs : 0) / 1000,
    }),
    { wall: 0, cpu: 0 },
  );
  const sampleResult = sampleRecall(usOutlets, sample, cli, labelled);

  // 3. Real lookalikes ----------------------------------------------------------------
  log("real lookalikes: dnstwist lists of their targets, and vigil");
  const real = await realLookalikes(dnstwist, options.dataDir, usOutlets, intlOutlets);

  const result = {
    schema: "vigil-bench-domains/1",
    date: new Date(startedAt).toISOString(),
    mode: options.mode,
    seed: options.seed,
    command: ["npm run bench:domains", ...(argv.length > 0 ? ["--", ...argv] : [])].join(" "),
    notes: {
      namesPerSecond:
        "detect() on batches of 500 observations built (untimed) 100,000 names at a time, wall clock, one pinned CPU; the fastest of `passes` over the same names (median beside it)",
      withIngestPerSecond:
        "the same names with the time to build their observations (SHA-256 ids) added",
      timeRatio:
        "dnstwist wall time (one `dnstwist --format list` per outlet) / vigil index build + detect() of the same names",
      recall:
        "share of dnstwist's permutations (its *original left out) whose top finding names the outlet permuted",
      recallAtZero: "the same at threshold 0, counting a finding for that outlet at any rank",
      realLookalikes:
        "dnstwist: the name is in its list for one of the target outlet's domains; vigil: top finding names that outlet",
    },
    environment: {
      node: process.version,
      cpu: cpus()[0]?.model ?? "unknown",
      cpus: cpus().length,
      pinnedCpu: process.env.VIGIL_BENCH_CPU ?? null,
      loadAverageBefore: loadBefore.map((x) => round(x, 2)),
      loadAverageAfter: loadavg().map((x) => round(x, 2)),
      exactHeap,
      vigilCommit: gitHead(root),
      distSha256: distHash(root),
      detectorVersion: DOMAINS_DETECTOR_VERSION,
      dnstwist: { version: dnstwist.version, path: dnstwist.path },
    },
    throughput: {
      watchlist: {
        file: US_NEWS_FILE,
        outlets: usWatchlist.outlets.length,
        domains: protectedDomains(usWatchlist).length,
      },
      names: headline.names,
      permutationShare: PERMUTATION_SHARE,
      batchSize: BATCH_SIZE,
      build: {
        ms: round(full.ms, 1),
        heapUsedBytes: full.heapUsedBytes,
        rssBytes: full.rssBytes,
      },
      detectSeconds: round(headline.seconds, 2),
      namesPerSecond: Math.round(headline.namesPerSecond),
      detectCpuSeconds: round(headline.cpuSeconds, 2),
      namesPerCpuSecond: Math.round(headline.namesPerCpuSecond),
      medianNamesPerSecond: Math.round(headline.medianNamesPerSecond),
      passes: headline.passes.map((p) => Math.round(p.namesPerSecond)),
      ingestSeconds: round(headline.ingestSeconds, 2),
      withIngestPerSecond: Math.round(headline.withIngestPerSecond),
      target: TARGET_NAMES_PER_SECOND,
      shareOfTarget: round(headline.namesPerSecond / TARGET_NAMES_PER_SECOND),
      parsePerSecond: Math.round(parts.parsePerSecond),
      matchPerSecond: Math.round(parts.matchPerSecond),
      decomposedOn: parts.names,
      findings: headline.findings,
      problems: headline.problems,
      flagged: byKind,
    },
    scaling,
    dnstwistSample: {
      outlets: sample,
      permutations: sampleResult.names,
      dnstwistSeconds: round(cliSeconds, 2),
      dnstwistPerOutletMs: Object.fromEntries(cli.map((r) => [r.domain, Math.round(r.ms)])),
      /** Generation alone, inside one Python process (no interpreter start-up per outlet). */
      dnstwistInProcessSeconds: round(inProcess.wall, 2),
      dnstwistInProcessCpuSeconds: round(inProcess.cpu, 2),
      apiMatchesCli: agreement,
      vigil: sampleResult.vigil,
      timeRatio: round(cliSeconds / sampleResult.vigil.totalSeconds, 2),
      inProcessTimeRatio: round(inProcess.wall / sampleResult.vigil.totalSeconds, 2),
      recall: sampleResult.recall,
      byFuzzer: sampleResult.byFuzzer,
      byOutlet: sampleResult.byOutlet,
    },
    realLookalikes: real.json,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
  };

  printReport(result, sampleResult, real);
  if (options.write) {
    // A quick run must not replace the full run's figures.
    const prefix = options.mode === "quick" ? "domains-quick" : "domains";
    for (const path of writeResults(root, prefix, result.date, `${toJson(result)}\n`)) {
      log(`wrote ${relative(process.cwd(), path)}`);
    }
  }
}

function scaleRow(
  watchlist: Watchlist,
  build: { ms: number; heapUsedBytes: number; rssBytes: number },
  run: { names: number; namesPerSecond: number; namesPerCpuSecond: number },
  own: { namesPerSecond: number; namesPerCpuSecond: number },
): Record<string, number> {
  return {
    outlets: watchlist.outlets.length,
    domains: protectedDomains(watchlist).length,
    buildMs: round(build.ms, 1),
    heapUsedBytes: build.heapUsedBytes,
    rssBytes: build.rssBytes,
    names: run.names,
    namesPerSecond: Math.round(run.namesPerSecond),
    namesPerCpuSecond: Math.round(run.namesPerCpuSecond),
    /** Names whose tenth of permutations is of this watchlist's own domains. */
    ownNamesPerSecond: Math.round(own.namesPerSecond),
    ownNamesPerCpuSecond: Math.round(own.namesPerCpuSecond),
  };
}

/** Share of names flagged (any outlet, threshold 0.5): benign-looking ones, and permutations by how they were made. */
function flaggedByKind(kinds: Uint8Array, flagged: Uint8Array) {
  const total = new Array<number>(PERMUTATION_KINDS.length + 1).fill(0);
  const hit = new Array<number>(PERMUTATION_KINDS.length + 1).fill(0);
  kinds.forEach((k, i) => {
    total[k] = (total[k] ?? 0) + 1;
    hit[k] = (hit[k] ?? 0) + (flagged[i] ?? 0);
  });
  const row = (k: number) => ({
    names: total[k] ?? 0,
    flagged: hit[k] ?? 0,
    share: round((hit[k] ?? 0) / Math.max(1, total[k] ?? 0)),
  });
  return {
    benign: row(0),
    permutations: Object.fromEntries(PERMUTATION_KINDS.map((kind, i) => [kind, row(i + 1)])),
  };
}

/** Whether the Python API gives exactly the names the command line lists, per outlet. */
function compareLists(
  cli: ReadonlyArray<{ domain: string; names: string[] }>,
  labelled: Map<string, { permutations: Permutation[] } | { error: string }>,
): { equal: boolean; differences: number } {
  let differences = 0;
  for (const { domain, names } of cli) {
    const got = labelled.get(domain);
    const api = new Set(got && "permutations" in got ? got.permutations.map((p) => p.name) : []);
    const listed = new Set(names);
    for (const n of listed) if (!api.has(n)) differences++;
    for (const n of api) if (!listed.has(n)) differences++;
  }
  return { equal: differences === 0, differences };
}

interface FuzzerRow {
  fuzzer: string;
  permutations: number;
  rightOutlet: number;
  recall: number;
  foundAtZero: number;
  recallAtZero: number;
  missedExamples: string[];
}

interface SampleResult {
  names: number;
  vigil: { outlets: number; buildMs: number; detectSeconds: number; totalSeconds: number };
  recall: {
    permutations: number;
    flagged: number;
    rightOutlet: number;
    recall: number;
    foundAtZero: number;
    recallAtZero: number;
    target: number;
    /** Mean of the per-fuzzer recalls: a long name's thousands of homoglyphs do not drown the rest. */
    meanOverFuzzers: number;
    unparsed: number;
  };
  byFuzzer: FuzzerRow[];
  byOutlet: Array<{ outlet: string; permutations: number; rightOutlet: number; recall: number }>;
}

/**
 * Vigil on dnstwist's permutations of the sample: the time to build the index for the
 * sample's outlets and check every listed name; then recall by fuzzer at threshold 0.5
 * (the top finding names the outlet the permutation was made from) and at threshold 0
 * (any finding names it).
 */
function sampleRecall(
  usOutlets: ReturnType<typeof readOutlets>,
  sample: readonly string[],
  cli: ReadonlyArray<{ domain: string; names: string[] }>,
  labelled: Map<string, { permutations: Permutation[] } | { error: string }>,
): SampleResult {
  const sampleOutlets = usOutlets.filter((o) => o.domains.some((d) => sample.includes(d)));
  const watchlist = watchlistOf(sampleOutlets);
  const outletOf = new Map<string, string>();
  for (const o of watchlist.outlets) for (const d of o.domains) outletOf.set(d, o.id ?? "");

  // The same names dnstwist listed, in its order, with the outlet each came from.
  const names: string[] = [];
  const source: string[] = [];
  for (const { domain, names: listed } of cli) {
    for (const n of listed) {
      names.push(n);
      source.push(domain);
    }
  }
  const build = buildDetector(watchlist);
  const top: Array<Finding | undefined> = new Array(names.length);
  const run = runDetect(build.detector, names, {
    onFinding: (i, f) => {
      const best = top[i];
      if (!best || f.score > best.score) top[i] = f;
    },
  });
  const zero = buildDetector(watchlistOf(sampleOutlets, 0));
  const targetsAtZero: Array<Set<string> | undefined> = new Array(names.length);
  runDetect(zero.detector, names, {
    onFinding: (i, f) => {
      const set = targetsAtZero[i] ?? new Set<string>();
      set.add(f.target?.id ?? "");
      targetsAtZero[i] = set;
    },
  });

  const fuzzerOf = new Map<string, string>();
  for (const [domain, got] of labelled) {
    if ("permutations" in got)
      for (const p of got.permutations) fuzzerOf.set(`${domain} ${p.name}`, p.fuzzer);
  }
  const rows = new Map<string, FuzzerRow>();
  const perOutlet = new Map<string, { permutations: number; rightOutlet: number }>();
  let counted = 0;
  let flagged = 0;
  let right = 0;
  let rightAtZero = 0;
  names.forEach((name, i) => {
    const from = source[i] as string;
    const label = fuzzerOf.get(`${from} ${name}`) ?? "(not labelled)";
    if (label === "*original") return; // the outlet's own domain: never flagged, by design
    // dnstwist's homoglyph fuzzer makes both IDN names and ASCII ones (vv, rn, 0, 1), which
    // vigil meets with different rules (the IDN skeleton, edit distance): count them apart.
    const fuzzer =
      label === "homoglyph" ? `homoglyph/${name.includes("xn--") ? "idn" : "ascii"}` : label;
    const wanted = outletOf.get(from);
    const ok = wanted !== undefined && top[i]?.target?.id === wanted;
    const okZero = wanted !== undefined && (targetsAtZero[i]?.has(wanted) ?? false);
    counted++;
    if (top[i]) flagged++;
    if (ok) right++;
    if (okZero) rightAtZero++;
    const row = rows.get(fuzzer) ?? {
      fuzzer,
      permutations: 0,
      rightOutlet: 0,
      recall: 0,
      foundAtZero: 0,
      recallAtZero: 0,
      missedExamples: [],
    };
    row.permutations++;
    if (ok) row.rightOutlet++;
    else if (row.missedExamples.length < MAX_MISS_EXAMPLES) row.missedExamples.push(name);
    if (okZero) row.foundAtZero++;
    rows.set(fuzzer, row);
    const o = perOutlet.get(from) ?? { permutations: 0, rightOutlet: 0 };
    o.permutations++;
    if (ok) o.rightOutlet++;
    perOutlet.set(from, o);
  });
  const byFuzzer = [...rows.values()]
    .map((r) => ({
      ...r,
      recall: round(r.rightOutlet / r.permutations),
      recallAtZero: round(r.foundAtZero / r.permutations),
    }))
    .sort((a, b) => a.recall - b.recall || b.permutations - a.permutations);
  return {
    names: names.length,
    vigil: {
      outlets: watchlist.outlets.length,
      buildMs: round(build.ms, 1),
      detectSeconds: round(run.seconds, 3),
      totalSeconds: round(build.ms / 1000 + run.seconds, 3),
    },
    recall: {
      permutations: counted,
      flagged,
      rightOutlet: right,
      recall: round(right / counted, 4),
      foundAtZero: rightAtZero,
      recallAtZero: round(rightAtZero / counted, 4),
      target: TARGET_RECALL,
      meanOverFuzzers: round(
        byFuzzer.reduce((sum, r) => sum + r.recall, 0) / Math.max(1, byFuzzer.length),
        4,
      ),
      unparsed: run.problems,
    },
    byFuzzer,
    byOutlet: [...perOutlet].map(([outlet, o]) => ({
      outlet,
      ...o,
      recall: round(o.rightOutlet / Math.max(1, o.permutations)),
    })),
  };
}

interface RealResult {
  json: Record<string, unknown>;
  lookalikes: number;
  vigilRight: number;
  dnstwistDefault: number;
  dnstwistTld: number | undefined;
  tldCount: number;
}

/**
 * The real lookalikes: is each in dnstwist's permutations of its target outlet's domains
 * (default fuzzers; then with the TLD dictionaries dnstwist ships, which turn on its
 * tld-swap fuzzer), and does vigil's top finding name that outlet (both outlet files as
 * the watchlist, threshold 0.5)?
 */
async function realLookalikes(
  dnstwist: Dnstwist,
  dataDir: string,
  usOutlets: ReturnType<typeof readOutlets>,
  intlOutlets: ReturnType<typeof readOutlets>,
): Promise<RealResult> {
  // The US list first, as `vigil watchlist import` of both files would: merging gives
  // shared outlets the international list's real names.
  const watchlist = watchlistOf([...usOutlets, ...intlOutlets]);
  const lookalikes = readLookalikes(dataDir);
  const targets = lookalikes.map((l) => resolveTarget(watchlist, l.target));
  const targetDomains = [
    ...new Set(targets.flatMap((o) => (o ? o.domains.filter((d) => !d.includes("/")) : []))),
  ];
  const lists = async (tldFile?: string) => {
    const got = await permutationsWithFuzzers(dnstwist, targetDomains, tldFile);
    return new Map(
      [...got].map(([d, r]) => [
        d,
        new Set("permutations" in r ? r.permutations.map((p) => p.name) : []),
      ]),
    );
  };
  const plain = await lists();
  const dictionaries = shippedTldDictionaries();
  let withTlds: Map<string, Set<string>> | undefined;
  if (dictionaries) {
    const dir = mkdtempSync(join(tmpdir(), "vigil-bench-"));
    try {
      const file = join(dir, "tlds.dict");
      writeFileSync(file, `${dictionaries.tlds.join("\n")}\n`);
      withTlds = await lists(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const build = buildDetector(watchlist);
  const top: Array<Finding | undefined> = new Array(lookalikes.length);
  runDetect(
    build.detector,
    lookalikes.map((l) => l.domain),
    {
      onFinding: (i, f) => {
        const best = top[i];
        if (!best || f.score > best.score) top[i] = f;
      },
    },
  );
  const contains = (lists: Map<string, Set<string>> | undefined, i: number) => {
    const outlet = targets[i];
    return outlet !== undefined && lists !== undefined
      ? outlet.domains.some((d) => lists.get(d)?.has(lookalikes[i]?.domain ?? "") ?? false)
      : false;
  };
  const rows = lookalikes.map((l, i) => ({
    domain: l.domain,
    target: l.target,
    outlet: targets[i]?.name ?? null,
    dnstwist: contains(plain, i),
    dnstwistWithTlds: withTlds ? contains(withTlds, i) : null,
    vigil: top[i]
      ? {
          outlet: top[i]?.target?.name ?? null,
          right: top[i]?.target?.id === targets[i]?.id,
          rule: top[i]?.reasons[0]?.rule ?? null,
          score: top[i]?.score ?? null,
        }
      : null,
  }));
  const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
  const vigilRight = count((r) => r.vigil?.right === true);
  const dnstwistDefault = count((r) => r.dnstwist);
  const dnstwistTld = withTlds ? count((r) => r.dnstwistWithTlds === true) : undefined;
  const n = rows.length;
  return {
    lookalikes: n,
    vigilRight,
    dnstwistDefault,
    dnstwistTld,
    tldCount: dictionaries?.tlds.length ?? 0,
    json: {
      watchlist: { files: [US_NEWS_FILE, INTERNATIONAL_FILE], outlets: watchlist.outlets.length },
      lookalikes: n,
      unresolvedTargets: rows.filter((r) => r.outlet === null).map((r) => r.target),
      targetDomains: targetDomains.length,
      vigil: { rightOutlet: vigilRight, share: round(vigilRight / n) },
      dnstwist: { contained: dnstwistDefault, share: round(dnstwistDefault / n) },
      dnstwistWithTlds: dictionaries
        ? {
            dictionaries: dictionaries.files,
            tlds: dictionaries.tlds.length,
            contained: dnstwistTld,
            share: round((dnstwistTld ?? 0) / n),
          }
        : null,
      both: count((r) => r.dnstwist && r.vigil?.right === true),
      onlyDnstwistWithTlds: rows
        .filter((r) => r.dnstwistWithTlds && r.vigil?.right !== true)
        .map((r) => r.domain),
      rows,
    },
  };
}

function printReport(
  result: {
    date: string;
    mode: string;
    seed: number;
    environment: { cpu: string; pinnedCpu: string | null; loadAverageBefore: number[] };
    throughput: {
      names: number;
      namesPerSecond: number;
      namesPerCpuSecond: number;
      medianNamesPerSecond: number;
      passes: number[];
      withIngestPerSecond: number;
      parsePerSecond: number;
      matchPerSecond: number;
      build: { ms: number; heapUsedBytes: number; rssBytes: number };
      watchlist: { outlets: number };
      flagged: ReturnType<typeof flaggedByKind>;
    };
    scaling: Array<Record<string, number>>;
    dnstwistSample: {
      outlets: string[];
      permutations: number;
      dnstwistSeconds: number;
      dnstwistInProcessSeconds: number;
      apiMatchesCli: { equal: boolean; differences: number };
    };
    durationSeconds: number;
  },
  sample: SampleResult,
  real: RealResult,
): void {
  const t = result.throughput;
  const s = result.dnstwistSample;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  /** A change in memory, signed: RSS can fall during a build when collections return pages. */
  const delta = (bytes: number) => `${bytes < 0 ? "−" : "+"}${mb(Math.abs(bytes))}`;
  const out: string[] = [];
  out.push(
    `bench/domains — vigil vs dnstwist (${result.mode} run, seed ${result.seed}, ${result.date.slice(0, 10)}; ` +
      `${result.environment.cpu}, ${result.environment.pinnedCpu === null ? "not pinned" : `pinned to CPU ${result.environment.pinnedCpu}`}, load ${result.environment.loadAverageBefore[0]})`,
    "",
  );
  out.push(
    formatTable(
      ["", "vigil", "dnstwist", "ratio"],
      [
        [
          `names checked per second, 1 core (${int(t.watchlist.outlets)} outlets, ${int(t.names)} names, fastest pass)`,
          int(t.namesPerSecond),
          "—",
          `${ratio(t.namesPerSecond / TARGET_NAMES_PER_SECOND)} of the 200,000 target`,
        ],
        [
          `  … median of the ${t.passes.length} passes (${t.passes.map(int).join(", ")})`,
          int(t.medianNamesPerSecond),
          "",
          `${ratio(t.medianNamesPerSecond / TARGET_NAMES_PER_SECOND)} of the target`,
        ],
        ["  … per CPU-second (other work on the core left out)", int(t.namesPerCpuSecond), "", ""],
        ["  … with building the observations (ingest) counted", int(t.withIngestPerSecond), "", ""],
        [
          `enumerate (dnstwist) vs build + check (vigil): ${s.outlets.length} outlets, ${int(s.permutations)} names`,
          secs(sample.vigil.totalSeconds),
          secs(s.dnstwistSeconds),
          faster(s.dnstwistSeconds / sample.vigil.totalSeconds),
        ],
        [
          "  … dnstwist generating in one Python process (no start-up per outlet)",
          "",
          secs(s.dnstwistInProcessSeconds),
          faster(s.dnstwistInProcessSeconds / sample.vigil.totalSeconds),
        ],
        [
          "recall on dnstwist's permutations, right outlet, threshold 0.5",
          pct(sample.recall.recall),
          "100% (its own)",
          `${ratio(sample.recall.recall)} (target ${pct(TARGET_RECALL)})`,
        ],
        ["  … found at threshold 0 (any rank)", pct(sample.recall.recallAtZero), "", ""],
        ["  … mean of the per-fuzzer recalls (0.5)", pct(sample.recall.meanOverFuzzers), "", ""],
        [
          `real lookalikes (${real.lookalikes}): right outlet (vigil) / in the list (dnstwist)`,
          `${pct(real.vigilRight / real.lookalikes)} (${real.vigilRight})`,
          `${pct(real.dnstwistDefault / real.lookalikes)} (${real.dnstwistDefault})`,
          ratioOf(real.vigilRight, real.dnstwistDefault),
        ],
        ...(real.dnstwistTld === undefined
          ? []
          : [
              [
                `  … dnstwist with its shipped TLD dictionaries (${real.tldCount} TLDs)`,
                "",
                `${pct(real.dnstwistTld / real.lookalikes)} (${real.dnstwistTld})`,
                ratioOf(real.vigilRight, real.dnstwistTld),
              ],
            ]),
      ],
    ),
  );
  out.push(
    "",
    `index build, ${int(t.watchlist.outlets)} outlets: ${t.build.ms.toFixed(0)} ms, heap ${delta(t.build.heapUsedBytes)}, rss ${delta(t.build.rssBytes)}; ` +
      `parseDomain ${int(t.parsePerSecond)}/s, index.match ${int(t.matchPerSecond)}/s on parsed names`,
    "",
    "cost as the watchlist grows: the same names for every size (a tenth permutations of all",
    `${int(t.watchlist.outlets)} outlets' domains), and names whose tenth of permutations is of that watchlist's own:`,
    formatTable(
      [
        "outlets",
        "domains",
        "build",
        "heap",
        "rss",
        "names",
        "names/s",
        "names/CPU-s",
        "own names/s",
        "own names/CPU-s",
      ],
      result.scaling.map((r) => [
        int(r.outlets ?? 0),
        int(r.domains ?? 0),
        `${(r.buildMs ?? 0).toFixed(0)} ms`,
        delta(r.heapUsedBytes ?? 0),
        delta(r.rssBytes ?? 0),
        int(r.names ?? 0),
        int(r.namesPerSecond ?? 0),
        int(r.namesPerCpuSecond ?? 0),
        int(r.ownNamesPerSecond ?? 0),
        int(r.ownNamesPerCpuSecond ?? 0),
      ]),
    ),
    "",
    `synthetic names flagged at 0.5: benign-looking ${pct(t.flagged.benign.share)} of ${int(t.flagged.benign.names)}; permutations by kind:`,
    formatTable(
      ["kind", "names", "flagged"],
      Object.entries(t.flagged.permutations).map(([k, r]) => [k, int(r.names), pct(r.share)]),
    ),
    "",
    `vigil on dnstwist's permutations by fuzzer (${s.outlets.length} outlets; Python API lists ${s.apiMatchesCli.equal ? "match" : `differ from (${s.apiMatchesCli.differences})`} the CLI's):`,
    formatTable(
      ["fuzzer", "permutations", "right outlet @0.5", "found @0", "missed, e.g."],
      sample.byFuzzer.map((r) => [
        r.fuzzer,
        int(r.permutations),
        pct(r.recall),
        pct(r.recallAtZero),
        r.missedExamples.slice(0, 3).join(" "),
      ]),
    ),
    "",
    `done in ${result.durationSeconds} s`,
  );
  console.log(out.join("\n"));
}

/** dnstwist's time over vigil's, said the way round it is. */
function faster(dnstwistOverVigil: number): string {
  return dnstwistOverVigil >= 1
    ? `vigil ${ratio(dnstwistOverVigil)} faster`
    : `vigil ${ratio(1 / dnstwistOverVigil)} slower`;
}

function ratioOf(vigil: number, dnstwist: number): string {
  return dnstwist === 0 ? "dnstwist has none" : `${ratio(vigil / dnstwist)}`;
}

/**
 * SHA-256 over every .js file in dist/: what was measured exactly, since HEAD does not say
 * whether the working tree had uncommitted changes when dist/ was built.
 */
function distHash(root: string): string {
  const dist = join(root, "dist");
  const hash = createHash("sha256");
  const files = readdirSync(dist, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".js"))
    .sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(dist, file)));
  }
  return hash.digest("hex");
}

/** The commit measured (read-only git), or null outside a checkout. */
function gitHead(root: string): string | null {
  const r = spawnSync("git", ["-C", root, "rev-parse", "HEAD"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`${err.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(
    `bench:domains failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  process.exit(1);
});
