/**
 * The coordination analysis on its worker thread gives what it gives on the calling
 * thread. Run against the built package (dist/, built before the tests): the worker's
 * compiled module exists only there, so from the TypeScript sources scans analyse in
 * process.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as built from "../dist/index.js";

describe("coordination analysis thread", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-thread-"));
    await built.synthSocial({
      outDir: dir,
      accounts: 400,
      posts: 8_000,
      campaigns: 2,
      seed: 11,
    });
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function scan(analysisThread: boolean) {
    const store = await built.openStore({ path: ":memory:" });
    const stages = new Set<string>();
    try {
      const summary = await built.scanSocial(
        [join(dir, "accounts.jsonl"), join(dir, "posts.jsonl")],
        {
          store,
          analysisThread,
          now: () => new Date("2024-09-01T00:00:00.000Z"),
          onAnalysisProgress: (p) => stages.add(p.stage),
        },
      );
      return { summary, stages };
    } finally {
      await store.close();
    }
  }

  it("finds the same communities, narratives and findings as on one thread", async () => {
    const threaded = await scan(true);
    const inline = await scan(false);
    expect(threaded.summary.coordination?.stats.flaggedAccounts).toBeGreaterThan(0);
    const strip = (s: typeof threaded.summary) => ({ ...s, runId: "" });
    expect(strip(threaded.summary)).toEqual(strip(inline.summary));
    // Progress reaches the caller from the thread, stage by stage.
    expect([...threaded.stages]).toEqual([...inline.stages]);
    expect(threaded.stages.size).toBeGreaterThan(1);
  }, 120_000);
});
