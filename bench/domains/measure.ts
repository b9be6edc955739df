/**
 * Timing and memory of vigil's public API, on the calling thread only. Observations are
 * built before the timed passes (their SHA-256 ids belong to ingest, not detection), and
 * names are fed in batches of the pipeline's size.
 */
import {
  type DomainName,
  DomainsDetector,
  type Finding,
  makeObservation,
  type Observation,
  parseDomain,
  type Watchlist,
} from "vigil";

/** The pipeline's default batch: detect() is called with this many observations. */
export const BATCH_SIZE = 500;
const OBSERVED_AT = "2024-08-01T00:00:00.000Z";

type Gc = (options?: { type: "major" | "minor" }) => void;
const gc = (globalThis as { gc?: Gc }).gc;

/** Whether heap figures are taken after a full collection (node --expose-gc). */
export const exactHeap = gc !== undefined;

function settle(): NodeJS.MemoryUsage {
  gc?.();
  gc?.();
  return process.memoryUsage();
}

export interface BuildMeasure {
  detector: DomainsDetector;
  ms: number;
  /** heapUsed after a full GC, minus the same before: what the index keeps alive. */
  heapUsedBytes: number;
  rssBytes: number;
}

/** Builds the detector (and its index) for a watchlist, with time and memory. */
export function buildDetector(watchlist: Watchlist): BuildMeasure {
  const before = settle();
  const started = process.hrtime.bigint();
  const detector = new DomainsDetector(watchlist);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const after = settle();
  return {
    detector,
    ms,
    heapUsedBytes: after.heapUsed - before.heapUsed,
    rssBytes: after.rss - before.rss,
  };
}

export function observationsOf(names: readonly string[], from: number, to: number): Observation[] {
  const out: Observation[] = [];
  for (let i = from; i < to; i++) {
    out.push(
      makeObservation({
        kind: "domain",
        value: names[i] as string,
        source: `bench:${i}`,
        observedAt: OBSERVED_AT,
      }),
    );
  }
  return out;
}

/** Timing of one pass of detect() over the names. */
export interface DetectPass {
  seconds: number;
  namesPerSecond: number;
  /**
   * The same over CPU time (user + system of this process): on a machine other work
   * shares, wall time counts their turns too, CPU time does not.
   */
  cpuSeconds: number;
  namesPerCpuSecond: number;
  /** Seconds spent building the observations (ingest: SHA-256 ids and canonical JSON). */
  ingestSeconds: number;
  /** Names per second of ingest and detect together, as a feed is read end to end. */
  withIngestPerSecond: number;
  /** The same figures after the first `checkpoint` names, to compare runs of different lengths. */
  checkpoint?: {
    names: number;
    seconds: number;
    namesPerSecond: number;
    cpuSeconds: number;
    namesPerCpuSecond: number;
  };
}

/** The best pass (the least disturbed by other work), with every pass. */
export interface DetectRun extends DetectPass {
  names: number;
  passes: DetectPass[];
  /** Median names per second over the passes. */
  medianNamesPerSecond: number;
  findings: number;
  problems: number;
  /** Per name: 1 when at least one finding was reported. */
  flagged: Uint8Array;
}

/** Names whose observations are built (untimed) before each timed stretch of detect(). */
export const INGEST_CHUNK = 100_000;

/** The observations of `names[from, to)`, in batches of the pipeline's size. */
function batchesOf(names: readonly string[], from = 0, to = names.length): Observation[][] {
  const batches: Observation[][] = [];
  for (let i = from; i < to; i += BATCH_SIZE) {
    batches.push(observationsOf(names, i, Math.min(i + BATCH_SIZE, to)));
  }
  return batches;
}

/**
 * detect() over `names` in batches of the pipeline's size, `passes` times. The `warmup`
 * names are run first and not counted. V8 keeps optimising the detector's code over its
 * first 100,000–200,000 names (on 5,395 outlets, the first 200,000 names ran markedly
 * slower than the same or other names after them), so a short warm-up measures the
 * compiler as much as the detector; a watcher runs for millions of names.
 *
 * Observations are built INGEST_CHUNK names at a time before that stretch is timed, with a
 * young-generation collection after building. When each batch was built just before its
 * detect() call, the collections that building's garbage (a SHA-256 id and canonical JSON
 * a name) made necessary fell inside the timed calls as often as outside, so detection
 * was charged for part of ingest. Building all 1,000,000 first instead left a heap of a
 * gigabyte for collections during detection to mark, and a full collection after each
 * chunk slowed the names after it (one-off quick runs: 165,000 names/s against 207,000
 * with the young-generation collection). Ingest is timed on its own and reported with
 * detection as `withIngestPerSecond`.
 *
 * On a shared machine a pass is only ever slowed by other work, so the fastest pass is
 * the closest to the detector's own cost; the median and every pass are kept beside it.
 * Findings and flags are those of the first pass (every pass finds the same).
 */
export function runDetect(
  detector: DomainsDetector,
  names: readonly string[],
  options: {
    warmup?: readonly string[];
    checkpoint?: number;
    passes?: number;
    /** Called for each finding with the index of the name it is about (outside the timed region). */
    onFinding?: (index: number, finding: Finding) => void;
  } = {},
): DetectRun {
  for (const batch of batchesOf(options.warmup ?? [])) detector.detect(batch);
  const flagged = new Uint8Array(names.length);
  let findings = 0;
  let problems = 0;
  const passes: DetectPass[] = [];
  for (let pass = 0; pass < Math.max(1, options.passes ?? 1); pass++) {
    let ns = 0n;
    let ingestNs = 0n;
    let cpuMicros = 0;
    let checkpoint: DetectPass["checkpoint"];
    for (let from = 0; from < names.length; from += INGEST_CHUNK) {
      const built = process.hrtime.bigint();
      const batches = batchesOf(names, from, Math.min(from + INGEST_CHUNK, names.length));
      ingestNs += process.hrtime.bigint() - built;
      gc?.({ type: "minor" });
      batches.forEach((observations, b) => {
        const i = from + b * BATCH_SIZE;
        const end = i + observations.length;
        const cpu = process.cpuUsage();
        const started = process.hrtime.bigint();
        const result = detector.detect(observations);
        ns += process.hrtime.bigint() - started;
        const used = process.cpuUsage(cpu);
        cpuMicros += used.user + used.system;
        if (pass === 0) {
          findings += result.findings.length;
          problems += result.problems.length;
          flagFindings(observations, i, result.findings, flagged, options.onFinding);
        }
        if (
          options.checkpoint !== undefined &&
          checkpoint === undefined &&
          end >= options.checkpoint
        ) {
          const seconds = Number(ns) / 1e9;
          const cpuSeconds = cpuMicros / 1e6;
          checkpoint = {
            names: end,
            seconds,
            namesPerSecond: end / seconds,
            cpuSeconds,
            namesPerCpuSecond: end / cpuSeconds,
          };
        }
      });
    }
    const seconds = Number(ns) / 1e9;
    const ingestSeconds = Number(ingestNs) / 1e9;
    passes.push({
      seconds,
      namesPerSecond: names.length / seconds,
      cpuSeconds: cpuMicros / 1e6,
      namesPerCpuSecond: names.length / (cpuMicros / 1e6),
      ingestSeconds,
      withIngestPerSecond: names.length / (ingestSeconds + seconds),
      ...(checkpoint ? { checkpoint } : {}),
    });
  }
  const bySpeed = [...passes].sort((a, b) => b.namesPerSecond - a.namesPerSecond);
  const best = bySpeed[0] as DetectPass;
  const middle = bySpeed.length / 2;
  const medianNamesPerSecond = Number.isInteger(middle)
    ? ((bySpeed[middle - 1] as DetectPass).namesPerSecond +
        (bySpeed[middle] as DetectPass).namesPerSecond) /
      2
    : (bySpeed[Math.floor(middle)] as DetectPass).namesPerSecond;
  return {
    ...best,
    names: names.length,
    passes,
    medianNamesPerSecond,
    findings,
    problems,
    flagged,
  };
}

/** Marks the names a batch's findings are about (ids derive from content: a name listed twice shares one). */
function flagFindings(
  observations: readonly Observation[],
  offset: number,
  findings: readonly Finding[],
  flagged: Uint8Array,
  onFinding?: (index: number, finding: Finding) => void,
): void {
  const byId = new Map<string, number[]>();
  observations.forEach((o, k) => {
    byId.set(o.id, [...(byId.get(o.id) ?? []), offset + k]);
  });
  for (const f of findings) {
    for (const id of f.observationIds) {
      for (const at of byId.get(id) ?? []) {
        flagged[at] = 1;
        onFinding?.(at, f);
      }
    }
  }
}

/**
 * What detect() is made of: parseDomain alone, then index.match on names already parsed
 * (the per-candidate cost the index rewrite targets).
 */
export function decompose(
  detector: DomainsDetector,
  names: readonly string[],
): { names: number; parsePerSecond: number; matchPerSecond: number } {
  const parsed: DomainName[] = [];
  let started = process.hrtime.bigint();
  for (const name of names) {
    const r = parseDomain(name);
    if (r.ok) parsed.push(r.domain);
  }
  const parseSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  let matches = 0;
  started = process.hrtime.bigint();
  for (const d of parsed) matches += detector.index.match(d).length;
  const matchSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (matches < 0) throw new Error("unreachable"); // keeps the loop from being optimised away
  return {
    names: names.length,
    parsePerSecond: names.length / parseSeconds,
    matchPerSecond: parsed.length / matchSeconds,
  };
}
