/**
 * Persona impersonation over whole social scans, through the public API: an imitator
 * and the genuine account it copies in different batches and files, profile pictures
 * read from beside the export, and claims made in posts.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import {
  type Finding,
  findPostClaims,
  openStore,
  type ScanSocialOptions,
  scanSocial,
  type Watchlist,
  WatchlistSchema,
} from "../src/index.js";

const watchlist: Watchlist = WatchlistSchema.parse({
  people: [
    {
      id: "ines-calloway",
      name: "Ines Calloway",
      handles: ["x:@inescalloway"],
      photos: ["photos/ines.png"],
    },
  ],
});

const GENUINE_BIO = "Community organiser in Toledo. Every voter counts. Views my own.";

const genuine = {
  type: "account",
  platform: "x",
  id: "100",
  handle: "inescalloway",
  displayName: "Ines Calloway",
  bio: GENUINE_BIO,
  created: "2016-02-01T10:00:00Z",
  avatar: "avatars/ines.png",
};
/** Her handle with a separator: not enough alone with the name to show what it copies. */
const imitator = {
  type: "account",
  platform: "x",
  id: "200",
  handle: "ines_calloway",
  displayName: "Ines Calloway",
  bio: GENUINE_BIO,
  created: "2024-08-10T10:00:00Z",
  avatar: "avatars/ines-copy.jpg",
};

const jsonl = (records: readonly object[]) =>
  `${records.map((r) => JSON.stringify(r)).join("\n")}\n`;
/** Accounts that are no one, to push the genuine account into a later batch. */
const fillers = Array.from({ length: 6 }, (_, i) => ({
  type: "account",
  platform: "x",
  id: String(300 + i),
  handle: `reader${i}`,
  displayName: `Reader ${i}`,
}));

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A scratch directory holding the files given (pictures as buffers). */
async function exportDir(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "vigil-personas-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

async function scan(
  dir: string,
  inputs: readonly string[],
  options: Partial<ScanSocialOptions> = {},
): Promise<{ findings: Finding[]; problems: Array<{ item: string; message: string }> }> {
  const store = await openStore({ path: join(dir, "vigil.db") });
  try {
    const summary = await scanSocial(
      inputs.map((i) => resolve(dir, i)),
      { store, watchlist, batchSize: 2, coordination: false, ...options },
    );
    expect(summary.status).toBe("ok");
    const findings = (await store.listFindings({})).filter(
      (f) => f.kind === "persona-impersonation",
    );
    return { findings, problems: summary.problems };
  } finally {
    await store.close();
  }
}

const rules = (f: Finding | undefined) => f?.reasons.map((r) => r.rule) ?? [];

/** A picture, and the same picture cropped, shrunk and re-encoded, as a copy would be. */
async function pictures(): Promise<{ original: Buffer; copy: Buffer; other: Buffer }> {
  const size = 96;
  const draw = (f: (x: number, y: number) => number) => {
    const pixels = Buffer.alloc(size * size * 3);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        pixels.fill(f(x, y), (y * size + x) * 3, (y * size + x + 1) * 3);
    return sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
      .png()
      .toBuffer();
  };
  const original = await draw((x, y) => ((x - 48) ** 2 + (y - 40) ** 2 < 600 ? 220 : 40 + y));
  const copy = await sharp(original)
    .extract({ left: 1, top: 1, width: 94, height: 94 })
    .resize(80, 80)
    .jpeg({ quality: 70 })
    .toBuffer();
  const other = await draw((x) => (x % 24 < 12 ? 250 : 10));
  return { original, copy, other };
}

describe("persona impersonation across a scan", () => {
  it("judges an imitator read before the genuine account, in another batch, with her profile", async () => {
    const dir = await exportDir({ "export.jsonl": jsonl([imitator, ...fillers, genuine]) });
    const { findings } = await scan(dir, ["export.jsonl"]);
    expect(findings.map((f) => f.subject)).toEqual(["x:@ines_calloway"]);
    // Only the genuine profile, read three batches later, tells the bio is hers.
    expect(rules(findings[0])).toEqual(expect.arrayContaining(["bio-copied", "created-after"]));
  });

  it("does the same when the genuine account is in a later file, and without coordination", async () => {
    const dir = await exportDir({
      "a.jsonl": jsonl([imitator, ...fillers]),
      "b.jsonl": jsonl([genuine]),
    });
    const { findings } = await scan(dir, ["a.jsonl", "b.jsonl"]);
    expect(rules(findings[0])).toContain("bio-copied");
    // The coordination analysis adds nothing to it.
    const withCoordination = await scan(dir, ["a.jsonl", "b.jsonl"], { coordination: true });
    expect(withCoordination.findings.map((f) => f.id)).toEqual(findings.map((f) => f.id));
  });

  it("hashes pictures beside the export and the watchlist's photos; never URLs or files elsewhere", async () => {
    const { original, copy, other } = await pictures();
    const dir = await exportDir({
      "export/avatars/ines.png": original,
      "export/avatars/ines-copy.jpg": copy,
      "export/avatars/other.png": other,
      "photos/ines.png": original,
      "export/accounts.jsonl": jsonl([
        { ...imitator, bio: undefined },
        genuine,
        // A URL is not fetched, a missing file is not a problem, a path outside is refused.
        { ...imitator, id: "201", handle: "ines_calloway2", avatar: "https://pics.example/1.jpg" },
        { ...imitator, id: "202", handle: "inescalloway_", avatar: "avatars/missing.jpg" },
        { ...imitator, id: "203", handle: "inescalloway__", avatar: "../photos/ines.png" },
        { ...imitator, id: "204", handle: "inescalloway___", avatar: "avatars/other.png" },
      ]),
    });
    const { findings, problems } = await scan(dir, ["export/accounts.jsonl"], { photosDir: dir });
    const of = (handle: string) => findings.find((f) => f.subject === `x:@${handle}`);
    expect(rules(of("ines_calloway"))).toContain("avatar-hash");
    expect(of("ines_calloway")?.techniques.map((t) => t.id)).toContain("T0145.001");
    expect(rules(of("inescalloway___"))).not.toContain("avatar-hash");
    expect(rules(of("ines_calloway2"))).not.toContain("avatar-hash");
    expect(problems.map((p) => p.item)).toEqual([
      expect.stringMatching(/accounts\.jsonl: picture \.\.\/photos\/ines\.png$/),
    ]);
    expect(problems[0]?.message).toContain("under the export's own directory");
  });

  it("counts a post that claims to be her, or her new account", async () => {
    const quiet = { ...imitator, bio: "Toledo.", avatar: undefined };
    const post = (id: string, text: string) => ({
      type: "post",
      platform: "x",
      id,
      account: "200",
      created: "2024-08-12T10:00:00Z",
      text,
    });
    const dir = await exportDir({
      "before.jsonl": jsonl([quiet]),
      "claims.jsonl": jsonl([
        post("1", "My old account was hacked, this is my new account. Please follow!"),
      ]),
      "named.jsonl": jsonl([post("2", "Hi all, I'm Ines Calloway and I'm posting from here now")]),
      "none.jsonl": jsonl([
        post("3", "I am so tired of this heat. Follow the official account of the county."),
      ]),
    });
    const base = await scan(dir, ["before.jsonl", "none.jsonl"]);
    expect(rules(base.findings[0])).not.toContain("post-claim");
    const generic = await scan(await exportDir({}), [
      join(dir, "before.jsonl"),
      join(dir, "claims.jsonl"),
    ]);
    const claim = generic.findings[0]?.reasons.find((r) => r.rule === "post-claim");
    expect(claim?.feature).toContain("My old account was hacked");
    expect(generic.findings[0]?.score).toBeGreaterThan(base.findings[0]?.score ?? 1);
    const named = await scan(await exportDir({}), [
      join(dir, "named.jsonl"),
      join(dir, "before.jsonl"),
    ]);
    expect(named.findings[0]?.reasons.find((r) => r.rule === "post-claim")?.feature).toContain(
      "I'm Ines Calloway",
    );
  });
});

describe("findPostClaims", () => {
  it("finds first-person claims of a new account, and names after I am", () => {
    expect(findPostClaims("Heads up: my old account got suspended, follow me here")).toEqual([
      { snippet: "my old account got suspended" },
      { snippet: "follow me here" },
    ]);
    expect(findPostClaims("This is my new account.")).toEqual([
      { snippet: "This is my new account" },
    ]);
    expect(findPostClaims("I am Ines Calloway.")).toEqual([
      { snippet: "I am Ines Calloway", named: "Ines Calloway" },
    ]);
    expect(findPostClaims("I am so tired. The official account of the county said so.")).toEqual(
      [],
    );
  });
});
