/**
 * Source cursors through the pipeline: each batch stores the last cursor of each source
 * in its own transaction, never before every earlier batch is stored, and never after a
 * batch has failed; partial batches of a slow source are stored after a wait.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import {
  completeIds,
  DomainsDetector,
  makeObservation,
  type PersistBatch,
  runPipeline,
  type SourceItem,
  type Store,
  WatchlistSchema,
} from "../src/index.js";
import { useTempStores } from "./support/temp-stores.js";

const OBSERVED_AT = "2024-08-16T12:00:00.000Z";
const NOW = () => new Date("2024-08-16T13:00:00.000Z");
const SOURCE = "ct:https://ct.example/logs/2024/";

const watchlist = completeIds(
  WatchlistSchema.parse({
    outlets: [{ name: "The Washington Post", domains: ["washingtonpost.com"] }],
  }),
);
const detector = new DomainsDetector(watchlist);

/** Entry `i` of a pretend log: one name, then the cursor "next is i + 1". */
function* entries(from: number, to: number, name = (i: number) => `host-${i}.example.com`) {
  for (let i = from; i < to; i++) {
    yield {
      observation: makeObservation({
        kind: "domain",
        value: name(i),
        data: { index: i },
        source: `${SOURCE}#${i}`,
        observedAt: OBSERVED_AT,
      }),
    } satisfies SourceItem;
    yield { cursor: { source: SOURCE, position: String(i + 1) } } satisfies SourceItem;
  }
}

async function* from(items: Iterable<SourceItem>): AsyncGenerator<SourceItem> {
  yield* items;
}

const temp = useTempStores("vigil-cursors-");

/** `store` with its `persistBatch` replaced (a Proxy: the store keeps private fields). */
function withPersist(store: Store, persistBatch: Store["persistBatch"]): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === "persistBatch") return persistBatch;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The store, with each batch write recorded and optionally delayed or failed. */
function recording(
  store: Store,
  hooks: { delay?: (batch: number) => number; fail?: (batch: number) => boolean } = {},
) {
  const calls: Array<{ call: number; cursors: PersistBatch["cursors"]; names: string[] }> = [];
  const done: number[] = [];
  let count = 0;
  const wrapped = withPersist(store, async (batch) => {
    const call = count++;
    calls.push({ call, cursors: batch.cursors, names: batch.observations.map((o) => o.value) });
    await sleep(hooks.delay?.(call) ?? 0);
    if (hooks.fail?.(call) === true) throw new Error(`disk full (injected in write ${call})`);
    const result = await store.persistBatch(batch);
    done.push(call);
    return result;
  });
  return { store: wrapped, calls, done };
}

describe("runPipeline with source cursors", () => {
  it("stores each batch's last cursor with the batch, and counts only real items as read", async () => {
    const base = await temp.fresh();
    const { store, calls } = recording(base);
    const summary = await runPipeline(from(entries(0, 10)), "test", {
      store,
      detectors: [detector],
      now: NOW,
      batchSize: 4,
    });
    expect(summary.read).toBe(10);
    // A full batch is queued when the next name arrives: the cursor after its last name goes too.
    expect(calls.map((c) => c.cursors?.map((x) => x.position))).toEqual([["4"], ["8"], ["10"]]);
    expect(calls[1]?.names).toEqual([
      "host-4.example.com",
      "host-5.example.com",
      "host-6.example.com",
      "host-7.example.com",
    ]);
    expect(await base.getCursor(SOURCE)).toBe("10");
    await base.close();
  });

  it("stores a batch's cursor only after every earlier batch is stored", async () => {
    const base = await temp.fresh();
    // The first write is slow: the second batch is ready first but must wait for it.
    const { store, calls, done } = recording(base, { delay: (call) => (call === 0 ? 150 : 0) });
    const seen: string[] = [];
    const cursorsAtWrite: Array<string | undefined> = [];
    const watched = withPersist(store, async (batch) => {
      if (batch.cursors !== undefined) {
        seen.push(batch.cursors.map((c) => c.position).join());
        cursorsAtWrite.push(String(done.length));
      }
      return store.persistBatch(batch);
    });
    await runPipeline(from(entries(0, 8)), "test", {
      store: watched,
      detectors: [detector],
      now: NOW,
      batchSize: 2,
      concurrency: 2,
    });
    expect(seen).toEqual(["2", "4", "6", "8"]);
    // When batch k handed its cursor to the store, k earlier writes had finished.
    expect(cursorsAtWrite).toEqual(["0", "1", "2", "3"]);
    expect(done).toEqual([0, 1, 2, 3]);
    expect(calls).toHaveLength(4);
    expect(await base.getCursor(SOURCE)).toBe("8");
    await base.close();
  });

  it("stores no cursor after a batch has failed, so a resumed source re-reads what was lost", async () => {
    const base = await temp.fresh();
    const { store, calls } = recording(base, { fail: (call) => call === 1 });
    const summary = await runPipeline(from(entries(0, 8)), "test", {
      store,
      detectors: [detector],
      now: NOW,
      batchSize: 2,
    });
    expect(summary.status).toBe("failed");
    expect(summary.failedBatches).toBe(1);
    expect(calls[0]?.cursors).toEqual([{ source: SOURCE, position: "2" }]);
    // Later batches are stored, without their cursors.
    const later = calls.filter((c) => c.call >= 2 && c.names.length > 0);
    expect(later.length).toBeGreaterThan(0);
    for (const c of later) expect(c.cursors).toBeUndefined();
    expect(await base.getCursor(SOURCE)).toBe("2");
    expect((await base.counts()).observations).toBe(6);
    await base.close();
  });

  it("stores a partial batch once it has waited maxBatchWaitMs, while the source is idle", async () => {
    const store = await temp.fresh();
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slow(): AsyncGenerator<SourceItem> {
      yield* entries(0, 3, () => "washingtonpost.pm");
      await gate; // a caught-up log, polling
      yield* entries(3, 4);
    }
    const run = runPipeline(slow(), "test", {
      store,
      detectors: [detector],
      now: NOW,
      maxBatchWaitMs: 50,
    });
    const deadline = Date.now() + 5000;
    while ((await store.getCursor(SOURCE)) === undefined && Date.now() < deadline) await sleep(20);
    expect(await store.getCursor(SOURCE)).toBe("3");
    expect((await store.listFindings()).map((f) => f.subject)).toEqual(["washingtonpost.pm"]);
    release();
    const summary = await run;
    expect(summary.read).toBe(4);
    expect(await store.getCursor(SOURCE)).toBe("4");
    await store.close();
  });

  it("keeps only the observations behind a finding when asked", async () => {
    const store = await temp.fresh();
    const lookalikes = new Set([2, 5]);
    const summary = await runPipeline(
      from(entries(0, 8, (i) => (lookalikes.has(i) ? `washingtonpost${i}.pm` : `benign-${i}.org`))),
      "test",
      { store, detectors: [detector], now: NOW, storeObservations: "with-findings" },
    );
    expect(summary.observations).toBe(8);
    expect(summary.observationsAdded).toBe(2);
    const findings = await store.listFindings();
    expect(findings.map((f) => f.subject).sort()).toEqual([
      "washingtonpost2.pm",
      "washingtonpost5.pm",
    ]);
    expect((await store.counts()).observations).toBe(2);
    await store.close();
  });

  it("shows a finding seen in several entries once among the top findings", async () => {
    const store = await temp.fresh();
    const summary = await runPipeline(from(entries(0, 5, () => "washingtonpost.pm")), "test", {
      store,
      detectors: [detector],
      now: NOW,
    });
    expect(summary.findings).toBe(5);
    expect(summary.findingsAdded).toBe(1);
    expect(summary.topFindings.map((f) => f.subject)).toEqual(["washingtonpost.pm"]);
    await store.close();
  });
});
