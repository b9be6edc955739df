/**
 * The pipeline through the public API (`src/index.ts`): a failing batch is reported and
 * the others are stored whole; the in-process queue bounds concurrency and backlog; the
 * same observations ingested twice store nothing new.
 */
import { setImmediate as tick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import {
  completeIds,
  DomainsDetector,
  InProcessQueue,
  makeObservation,
  type Observation,
  type RunSummary,
  runPipeline,
  type SourceItem,
  type Store,
  WatchlistSchema,
} from "../src/index.js";
import { useTempStores } from "./support/temp-stores.js";

const OBSERVED_AT = "2024-08-16T12:00:00.000Z";
const NOW = () => new Date("2024-08-16T13:00:00.000Z");

const watchlist = completeIds(
  WatchlistSchema.parse({
    outlets: [
      { name: "The Washington Post", domains: ["washingtonpost.com"] },
      { name: "Fox News", domains: ["foxnews.com"] },
    ],
  }),
);

/** Suffixes under which `washingtonpost` is a lookalike, one observation (and finding) each. */
const SUFFIXES = ["pm", "ru", "co", "net", "org", "info", "top", "cam", "ltd", "in", "us", "me"];

/** Lookalike observations, each of which yields exactly one finding. */
function lookalikes(count: number): Observation[] {
  return SUFFIXES.slice(0, count).map((suffix, i) =>
    makeObservation({
      kind: "domain",
      value: `washingtonpost.${suffix}`,
      source: `candidates.txt line ${i + 1}`,
      observedAt: OBSERVED_AT,
    }),
  );
}

async function* source(observations: readonly Observation[]): AsyncGenerator<SourceItem> {
  for (const observation of observations) yield { observation };
}

const temp = useTempStores("vigil-pipeline-");

describe("runPipeline", () => {
  it("reports a batch the store rejects and stores the other batches whole", async () => {
    const store = await temp.fresh();
    let calls = 0;
    const persistBatch: Store["persistBatch"] = (batch) => {
      calls += 1;
      if (calls === 2) return Promise.reject(new Error("disk full (injected)"));
      return store.persistBatch(batch);
    };
    // The real store, except that its second batch write fails.
    const flaky = new Proxy(store, {
      get(target, property) {
        if (property === "persistBatch") return persistBatch;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    try {
      const observations = lookalikes(12);
      const summary = await runPipeline(source(observations), "test", {
        store: flaky,
        detectors: [new DomainsDetector(watchlist)],
        now: NOW,
        batchSize: 4,
      });

      // Three batches, then the failed batch's problems in a write of their own.
      expect(calls).toBe(4);
      expect(summary.status).toBe("failed");
      expect(summary.failedBatches).toBe(1);
      expect(summary.read).toBe(12);
      expect(summary.observationsAdded).toBe(8);
      expect(summary.findingsAdded).toBe(8);
      const failure = summary.problems.find((p) => p.code === "VIGIL_ERR_PIPELINE_JOB");
      expect(failure?.item).toBe("batch 2 (4 names from candidates.txt line 5 on)");
      expect(failure?.message).toContain("disk full (injected)");
      const storedProblems = await store.listProblems(summary.runId);
      expect(storedProblems.map((p) => p.item)).toContain(failure?.item);

      const stored = (await store.listFindings()).map((f) => f.subject).sort();
      const value = (o: Observation) => o.value;
      const expected = [...observations.slice(0, 4), ...observations.slice(8)].map(value).sort();
      expect(stored).toEqual(expected);
      expect((await store.counts()).observations).toBe(8);
      const [run] = await store.listRuns();
      expect(run?.id).toBe(summary.runId);
      expect(run?.status).toBe("failed");
      expect(run?.stats.failedBatches).toBe(1);
    } finally {
      await store.close();
    }
  });

  it("stores nothing new when the same observations are ingested again", async () => {
    const store = await temp.fresh();
    try {
      const run = (): Promise<RunSummary> =>
        runPipeline(source(lookalikes(10)), "test", {
          store,
          detectors: [new DomainsDetector(watchlist)],
          now: NOW,
          batchSize: 3,
        });
      const first = await run();
      expect(first.status).toBe("ok");
      expect(first.observationsAdded).toBe(10);
      expect(first.findingsAdded).toBe(10);
      expect(first.casesAdded).toBe(1);
      const before = await store.counts();

      const second = await run();
      expect(second.status).toBe("ok");
      expect(second.findings).toBe(10);
      expect(second.observationsAdded).toBe(0);
      expect(second.findingsAdded).toBe(0);
      expect(second.casesAdded).toBe(0);
      const after = await store.counts();
      expect(after).toEqual(before);
      const cases = await store.listCases();
      expect(cases).toHaveLength(1);
      expect(cases[0]?.findingIds).toHaveLength(10);
    } finally {
      await store.close();
    }
  });
});

/** A promise with its resolve function, to hold a job open until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("InProcessQueue", () => {
  it("never runs more than `concurrency` handlers at once", async () => {
    let running = 0;
    let peak = 0;
    const handled: number[] = [];
    const queue = new InProcessQueue<number>(
      async (job) => {
        running += 1;
        peak = Math.max(peak, running);
        // Uneven durations, so jobs finish out of order and slots are refilled unevenly.
        for (let i = 0; i < (job % 4) + 1; i++) await tick();
        handled.push(job);
        running -= 1;
      },
      { concurrency: 3, maxQueued: 2, onError: (_job, err) => expect.fail(String(err)) },
    );
    for (let job = 0; job < 30; job++) await queue.add(job);
    await queue.drain();
    expect(peak).toBe(3);
    expect(running).toBe(0);
    expect(handled.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it("makes `add` wait while the backlog is full", async () => {
    const gates = Array.from({ length: 6 }, gate);
    const started: number[] = [];
    const queue = new InProcessQueue<number>(
      async (job) => {
        started.push(job);
        await gates[job]?.promise;
      },
      { concurrency: 2, maxQueued: 2, onError: (_job, err) => expect.fail(String(err)) },
    );
    // Two jobs run, two wait: the queue is full.
    for (let job = 0; job < 4; job++) await queue.add(job);
    expect(started).toEqual([0, 1]);

    let accepted = false;
    const adding = queue.add(4).then(() => {
      accepted = true;
    });
    for (let i = 0; i < 5; i++) await tick();
    expect(accepted).toBe(false);

    gates[0]?.open();
    await adding;
    expect(accepted).toBe(true);
    expect(started).toEqual([0, 1, 2]);

    for (const g of gates) g.open();
    await queue.drain();
    expect(started.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("reports a handler that throws and goes on with the next job", async () => {
    const failed: number[] = [];
    const handled: number[] = [];
    const queue = new InProcessQueue<number>(
      async (job) => {
        if (job === 1) throw new Error("boom");
        handled.push(job);
      },
      {
        concurrency: 1,
        onError: (job) => {
          failed.push(job);
        },
      },
    );
    for (let job = 0; job < 3; job++) await queue.add(job);
    await queue.drain();
    expect(failed).toEqual([1]);
    expect(handled).toEqual([0, 2]);
  });
});
