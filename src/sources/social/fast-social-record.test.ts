import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prng } from "../../../test/support/random.js";
import { streamOf } from "../../../test/support/source-items.js";
import {
  canonicalJson,
  SocialAccountSchema,
  type SocialKind,
  SocialPostSchema,
} from "../../model/index.js";
import { synthSocial } from "../../synth/index.js";
import type { SourceItem } from "../source-item.js";
import { fastSocialRecord } from "./fast-social-record.js";
import { readSocial } from "./read-social.js";
import { socialRecordJson } from "./social-record-json.js";

const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/social/", import.meta.url));
const OBSERVED_AT = "2024-10-06T00:00:00.000Z";

type ReadSocial = typeof readSocial;

/** Records the schema-only reader wrote JSON for: proof that it is the one reading. */
let schemaRecords = 0;

/**
 * `readSocial` as it reads without the fast check: every record through the schema and
 * its data's JSON by the generic `canonicalJson` — the definition stored items follow.
 */
async function schemaOnlyReader(): Promise<ReadSocial> {
  vi.resetModules();
  vi.doMock("./fast-social-record.js", () => ({ fastSocialRecord: () => undefined }));
  vi.doMock("./social-record-json.js", () => ({
    socialRecordJson: (_kind: SocialKind, record: unknown) => {
      schemaRecords++;
      return canonicalJson(record);
    },
  }));
  const module = await import("./read-social.js");
  vi.doUnmock("./fast-social-record.js");
  vi.doUnmock("./social-record-json.js");
  vi.resetModules();
  return module.readSocial;
}

/** Everything a reader yields, as the text the store and a user see (keys in order). */
async function readAll(
  read: ReadSocial,
  bytes: Uint8Array,
  name: string,
  chunkSize = 64 * 1024,
): Promise<string[]> {
  const out: string[] = [];
  for await (const item of read(streamOf(bytes, chunkSize), { name, observedAt: OBSERVED_AT }))
    out.push(JSON.stringify(item satisfies SourceItem));
  return out;
}

/** Records as an export may hold them: mostly normalised, some for the schema to fix or refuse. */
function mutate(record: Record<string, unknown>, rand: () => number): Record<string, unknown> {
  const r = { ...record };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  switch (Math.floor(rand() * 24)) {
    case 0:
      r.platform = String(r.platform).toUpperCase();
      break;
    case 1:
      r.id = ` ${r.id}`;
      break;
    case 2:
      r.created = pick([
        "2024-10-01 12:00:00",
        "2024-02-30T00:00:00.000Z",
        "2024-02-29T23:59:59.999Z",
        "2023-02-29T00:00:00.000Z",
        "1989-12-31T23:59:59.999Z",
        "1990-01-01T00:00:00.000Z",
        "2099-12-31T23:59:59.999Z",
        "2100-01-01T00:00:00.000Z",
        "2024-10-01t00:00:00.000z",
        "2024-10-01T24:00:00.000Z",
        "2024-10-01T00:60:00.000Z",
        "2024-13-01T00:00:00.000Z",
        "2024-1a-01T00:00:00.000Z",
        "1728136980",
        1728136980,
        "2024-10-01T00:00:00.000+00:00",
        " 2024-10-01T00:00:00.000Z",
      ]);
      break;
    case 3:
      r.handle = pick([
        "@someone",
        "@@x",
        "",
        "two words",
        "tab\there",
        "ok_handle",
        "x".repeat(101),
      ]);
      break;
    case 4:
      r.hashtags = pick([["#tag"], ["tag", " spaced"], [], ["x".repeat(281)], [1], "tag"]);
      break;
    case 5:
      r.mentions = pick([["@a"], ["a", "b"], [null], Array(201).fill("m")]);
      break;
    case 6:
      r.urls = pick([["https://a.example/x"], ["has space"], [""], ["\u0000"]]);
      break;
    case 7:
      r.extra = 1;
      break;
    case 8:
      r.followers = pick([-1, 1.5, 0, -0, Number.MAX_SAFE_INTEGER, 2 ** 53, "3"]);
      break;
    case 9:
      r.lang = pick(["en", "EN-us", "e", " en", "zh-Hant-TW", "x".repeat(36), null]);
      break;
    case 10:
      r.text = pick(["", '\u2028"quoted" \\ 😀', "x".repeat(40_001), 5]);
      break;
    case 11:
      r.verified = pick([true, false, "yes"]);
      break;
    case 12:
      r.forwardedFrom = pick(["", "Some Channel", "x".repeat(201)]);
      break;
    case 13:
      r.replyTo = pick(["123", "has space", "ü", "x".repeat(257)]);
      break;
    case 14:
      delete r.created;
      break;
    case 15:
      r.links = pick([["https://b.example"], "https://b.example", Array(51).fill("l")]);
      break;
    case 16:
      r.displayName = pick(["", " padded ", "x".repeat(201), 7]);
      break;
    case 17:
      r.type = pick(["Post", "account", "post", undefined]);
      break;
    default:
      break;
  }
  return r;
}

/** A synthetic export: the generator's records, some mutated, with CRLF, blanks and a BOM. */
async function syntheticExport(dir: string): Promise<Uint8Array> {
  await synthSocial({ accounts: 400, posts: 4_000, campaigns: 3, seed: 5, outDir: dir });
  const rand = prng(11);
  const lines: string[] = [];
  for (const file of ["accounts.jsonl", "posts.jsonl"]) {
    for (const line of (await readFile(join(dir, file), "utf8")).split("\n")) {
      if (line === "") continue;
      const record = JSON.parse(line) as Record<string, unknown>;
      const roll = rand();
      if (roll < 0.25) lines.push(JSON.stringify(mutate(record, rand)));
      else if (roll < 0.27) lines.push(`${line}\r`);
      else if (roll < 0.28) lines.push(`\uFEFF${line}`);
      else if (roll < 0.29) lines.push(`  ${line}  `);
      else if (roll < 0.3) lines.push("");
      else if (roll < 0.305) lines.push(line.slice(0, 20));
      else lines.push(line);
    }
  }
  return new TextEncoder().encode(`\uFEFF${lines.join("\n")}`);
}

describe("reading social input without the schema for normalised records", () => {
  let dir: string;
  let schemaOnly: ReadSocial;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-fast-social-"));
    schemaOnly = await schemaOnlyReader();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("yields the same items as the schema for every fixture", async () => {
    const files = (await readdir(FIXTURES)).filter((f) => !f.endsWith(".md"));
    expect(files.length).toBeGreaterThan(3);
    const before = schemaRecords;
    for (const file of files) {
      const bytes = await readFile(join(FIXTURES, file));
      const fast = await readAll(readSocial, bytes, file);
      expect(fast.length, file).toBeGreaterThan(0);
      expect(fast, file).toEqual(await readAll(schemaOnly, bytes, file));
    }
    expect(schemaRecords).toBeGreaterThan(before);
  });

  it("yields the same items as the schema for a synthetic export (seeded)", async () => {
    const bytes = await syntheticExport(dir);
    const expected = await readAll(schemaOnly, bytes, "synthetic.jsonl");
    // Problems are part of the comparison: the mutations must give some.
    expect(expected.filter((item) => item.startsWith('{"problem"')).length).toBeGreaterThan(50);
    for (const chunkSize of [64 * 1024, 4096, 997]) {
      expect(await readAll(readSocial, bytes, "synthetic.jsonl", chunkSize)).toEqual(expected);
    }
  });
});

describe("fastSocialRecord", () => {
  it("takes only what the schema returns unchanged, and returns it alike", () => {
    const rand = prng(3);
    const base: Array<[SocialKind, Record<string, unknown>]> = [
      [
        "post",
        {
          platform: "x",
          id: "1",
          account: "a",
          created: "2024-10-01T00:00:00.800Z",
          text: "hi",
          urls: ["https://a.example"],
          hashtags: ["tag"],
          mentions: ["m"],
          replyTo: "2",
          quoteOf: "3",
          repostOf: "4",
          forwardedFrom: "f",
          lang: "en",
        },
      ],
      [
        "post",
        { lang: "en", created: "2024-10-01T00:00:00.800Z", account: "a", id: "1", platform: "x" },
      ],
      [
        "account",
        {
          verified: false,
          links: ["https://b.example"],
          following: 2,
          followers: 1,
          avatar: "a.jpg",
          created: "2020-01-01T00:00:00.000Z",
          bio: "",
          displayName: "",
          handle: "h",
          id: "9",
          platform: "telegram",
        },
      ],
      ["account", { platform: "x", id: "9" }],
    ];
    let taken = 0;
    for (let i = 0; i < 4000; i++) {
      const [kind, record] = base[i % base.length] as [SocialKind, Record<string, unknown>];
      const candidate = i < base.length ? record : mutate(record, rand);
      delete candidate.type;
      const schema = kind === "post" ? SocialPostSchema : SocialAccountSchema;
      const parsed = schema.safeParse(candidate);
      const fast = fastSocialRecord(kind, candidate);
      if (fast === undefined) continue;
      taken++;
      expect(parsed.success, JSON.stringify(candidate)).toBe(true);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
      expect(socialRecordJson(kind, fast)).toBe(canonicalJson(parsed.data));
    }
    expect(taken).toBeGreaterThan(1000);
  });
});
