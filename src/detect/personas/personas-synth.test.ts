import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeObservation, type Observation, WatchlistSchema } from "../../model/index.js";
import {
  type SocialTruth,
  SocialTruthSchema,
  type SynthPerson,
  synthSocial,
} from "../../synth/index.js";
import { PersonasDetector } from "./personas-detector.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A synthetic data set's accounts as observations, and its ground truth. */
async function corpus(
  seed: number,
  people?: readonly SynthPerson[],
): Promise<{ accounts: Observation[]; truth: SocialTruth }> {
  const dir = await mkdtemp(join(tmpdir(), "vigil-personas-"));
  dirs.push(dir);
  await synthSocial({
    accounts: 5_000,
    posts: 10_000,
    campaigns: 2,
    impersonators: 30,
    seed,
    outDir: dir,
    ...(people === undefined ? {} : { people }),
  });
  const truth = SocialTruthSchema.parse(
    JSON.parse(await readFile(join(dir, "truth.json"), "utf8")),
  );
  const lines = (await readFile(join(dir, "accounts.jsonl"), "utf8")).trim().split("\n");
  const accounts = lines.map((line, i) => {
    const { type: _type, ...data } = JSON.parse(line) as Record<string, unknown>;
    return makeObservation({
      kind: "account",
      value: `x:account:${data.id}`,
      data: { links: [], ...data },
      source: `accounts.jsonl:${i + 1}`,
      observedAt: "2024-10-20T00:00:00.000Z",
    });
  });
  return { accounts, truth };
}

/** Precision and recall of planted impersonators, and the share of organic accounts flagged. */
function evaluate(
  accounts: readonly Observation[],
  truth: SocialTruth,
  watchlistPeople: ReadonlyArray<{ name: string; handles: string[] }>,
) {
  const watchlist = WatchlistSchema.parse({ people: watchlistPeople });
  const { findings, problems } = new PersonasDetector(watchlist).detect(accounts);
  expect(problems).toEqual([]);
  const idOf = new Map(accounts.map((o) => [o.id, o.data.id as string]));
  const flagged = new Set(findings.map((f) => idOf.get(f.observationIds[0] as string)));
  const planted = new Set(truth.impersonators.map((i) => i.account));
  const genuine = new Set(truth.genuineAccounts.map((g) => g.account));
  let hits = 0;
  let organic = 0;
  for (const id of flagged) {
    if (planted.has(id as string)) hits++;
    else if (!genuine.has(id as string)) organic++;
  }
  // Each finding names the person the truth says is imitated.
  for (const f of findings) {
    const imp = truth.impersonators.find(
      (i) => i.account === idOf.get(f.observationIds[0] as string),
    );
    if (imp) expect(f.target?.name).toBe(imp.person);
  }
  return {
    precision: hits / Math.max(1, flagged.size),
    recall: hits / planted.size,
    organicShare: organic / truth.counts.organicAccounts,
    genuineFlagged: [...flagged].filter((id) => genuine.has(id as string)).length,
  };
}

describe("PersonasDetector on `vigil synth social` output", () => {
  it("finds the impersonators of the built-in people (precision, recall ≥ 0.95)", async () => {
    for (const seed of [11, 12]) {
      const { accounts, truth } = await corpus(seed);
      // The watchlist of the people synth imitated: their names and genuine handles.
      const people = truth.genuineAccounts.map((g) => ({
        name: g.person,
        handles: [`x:@${g.handle}`],
      }));
      const result = evaluate(accounts, truth, people);
      expect(result.genuineFlagged).toBe(0);
      expect(result.precision).toBeGreaterThanOrEqual(0.95);
      expect(result.recall).toBeGreaterThanOrEqual(0.95);
      expect(result.organicShare).toBeLessThanOrEqual(0.005);
    }
  }, 60_000);

  it("finds the impersonators of watchlist people given to synth (as --watchlist does)", async () => {
    const people: SynthPerson[] = [
      { name: "Rosa Delgado", handle: "@rosadelgado", bio: "Organiser, Harbor County Democrats." },
      { name: "Ivan Petrenko", handle: "@ivan_petrenko", bio: "Election observer. Kyiv." },
      { name: "Mei Lin", handle: "@meilin_reports", bio: "Reporter, Harbor Gazette." },
      { name: "Olusegun Adeyemi", handle: "@segun_adeyemi", bio: "County commissioner." },
    ];
    const { accounts, truth } = await corpus(21, people);
    const result = evaluate(
      accounts,
      truth,
      people.map((p) => ({ name: p.name, handles: [p.handle as string] })),
    );
    expect(result.genuineFlagged).toBe(0);
    expect(result.precision).toBeGreaterThanOrEqual(0.95);
    expect(result.recall).toBeGreaterThanOrEqual(0.95);
    expect(result.organicShare).toBeLessThanOrEqual(0.005);
  }, 60_000);
});
