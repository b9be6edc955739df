import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { vigilError } from "../../test/support/errors.js";
import { VigilError } from "../errors.js";
import { WatchlistSchema } from "../model/index.js";
import {
  completeIds,
  loadWatchlist,
  mergeOutlets,
  parseWatchlist,
  saveWatchlist,
  slug,
} from "./watchlist-file.js";

const VALID = `# Protected outlets
version: 1
outlets:
  - name: Washington Post
    domains: [washingtonpost.com]
    handles: ["@washingtonpost"]
  - name: Der Spiegel
    domains:
      - spiegel.de
      - spiegel.com
    country: DE
    threshold: 0.7
organisations:
  - name: Election Office
    domains: [elections.example.org]
settings:
  domains:
    threshold: 0.6
    allow: [washingtonpost.co]
`;

describe("parseWatchlist", () => {
  it("reads a valid file with defaults filled in", () => {
    const w = parseWatchlist(VALID, "vigil.yaml");
    expect(w.version).toBe(1);
    expect(w.outlets.map((o) => o.name)).toEqual(["Washington Post", "Der Spiegel"]);
    expect(w.outlets[1]).toMatchObject({
      domains: ["spiegel.de", "spiegel.com"],
      country: "DE",
      threshold: 0.7,
      handles: [],
    });
    expect(w.organisations[0]?.domains).toEqual(["elections.example.org"]);
    expect(w.people).toEqual([]);
    expect(w.settings.domains).toEqual({ threshold: 0.6, allow: ["washingtonpost.co"], known: [] });
  });

  it("reads an empty file as an empty watchlist", () => {
    const w = parseWatchlist("", "vigil.yaml");
    expect(w.outlets).toEqual([]);
    expect(w.settings.domains.threshold).toBe(0.5);
  });

  it("fills in ids from the names, unique and never overwriting given ones", () => {
    const w = parseWatchlist(
      `outlets:
  - name: Fox News
    domains: [foxnews.com]
  - name: Fox News
    domains: [foxnews.co]
  - name: Spiegel
    id: der-spiegel
    domains: [spiegel.de]
  - name: Der Spiegel
    domains: [spiegel.com]
  - name: Ça Va Média!
    domains: [cavamedia.fr]
people:
  - name: Fox News
`,
      "vigil.yaml",
    );
    const ids = w.outlets.map((o) => o.id);
    expect(ids).toEqual(["fox-news", "fox-news-2", "der-spiegel", "der-spiegel-2", "ca-va-media"]);
    expect(new Set(ids).size).toBe(ids.length);
    // Ids are unique per list, so a person may share a slug with an outlet.
    expect(w.people[0]?.id).toBe("fox-news");
  });

  it("names file, line and field path for a bad domain", () => {
    const err = vigilError(() =>
      parseWatchlist(
        `outlets:
  - name: Fox News
    domains: [foxnews.com]
  - name: Washington Post
    domains:
      - -bad.com
`,
        "watch.yaml",
      ),
    );
    expect(err.code).toBe("VIGIL_ERR_WATCHLIST_INVALID");
    expect(err.message).toContain("watch.yaml");
    expect(err.message).toContain("line 6");
    expect(err.message).toContain("outlets[1].domains[0]");
    expect(err.message).toContain("-bad");
  });

  it("names the line of a bad domain in a flow sequence", () => {
    const err = vigilError(() =>
      parseWatchlist(
        "outlets:\n  - name: A\n    domains: [a.com]\n  - name: B\n    domains: [b.com, x..com]\n",
        "vigil.yaml",
      ),
    );
    expect(err.message).toMatch(/^vigil\.yaml line 5 \(outlets\[1\]\.domains\[1\]\)/);
  });

  it("names file, line and field path for a missing name", () => {
    const err = vigilError(() =>
      parseWatchlist(
        `outlets:
  - name: Fox News
    domains: [foxnews.com]
  - domains:
      - washingtonpost.com
`,
        "vigil.yaml",
      ),
    );
    expect(err.code).toBe("VIGIL_ERR_WATCHLIST_INVALID");
    expect(err.message).toContain("vigil.yaml line 4");
    expect(err.message).toContain("outlets[1].name");
  });

  it("refuses unknown keys, naming them", () => {
    const err = vigilError(() =>
      parseWatchlist(
        "outlets:\n  - name: A\n    domains: [a.com]\n    domian: [b.com]\n",
        "vigil.yaml",
      ),
    );
    expect(err.code).toBe("VIGIL_ERR_WATCHLIST_INVALID");
    expect(err.message).toContain("outlets[0]");
    expect(err.message).toContain("domian");
  });

  it("refuses a value out of range, naming the field", () => {
    const err = vigilError(() =>
      parseWatchlist("settings:\n  domains:\n    threshold: 1.5\n", "vigil.yaml"),
    );
    expect(err.message).toContain("line 3");
    expect(err.message).toContain("settings.domains.threshold");
  });

  it("refuses YAML syntax errors with a line number", () => {
    const err = vigilError(() => parseWatchlist("outlets:\n  - name: A\n  domains: [", "v.yaml"));
    expect(err.code).toBe("VIGIL_ERR_WATCHLIST_INVALID");
    expect(err.message).toMatch(/^v\.yaml line \d+: /);
  });

  it("refuses duplicate keys", () => {
    const err = vigilError(() => parseWatchlist("outlets: []\noutlets: []\n", "vigil.yaml"));
    expect(err.code).toBe("VIGIL_ERR_WATCHLIST_INVALID");
    expect(err.message).toContain("line 2");
  });

  it("refuses a YAML alias bomb (billion laughs) quickly", () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
      "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
      "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
      "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
    ].join("\n");
    const started = performance.now();
    const err = vigilError(() => parseWatchlist(bomb, "bomb.yaml"));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(err.code).toBe("VIGIL_ERR_WATCHLIST_INVALID");
    expect(err.message).toContain("bomb.yaml");
  });

  it("refuses a document that is not a mapping", () => {
    const err = vigilError(() => parseWatchlist("- a\n- b\n", "vigil.yaml"));
    expect(err.code).toBe("VIGIL_ERR_WATCHLIST_INVALID");
    expect(err.message).toContain("line 1");
  });
});

describe("slug", () => {
  it.each([
    ["Der Spiegel", "der-spiegel"],
    ["  T-Online  ", "t-online"],
    ["Le Monde", "le-monde"],
    ["Süddeutsche Zeitung", "suddeutsche-zeitung"],
    ["!!!", "entity"],
    ["新闻", "entity"],
  ])("%j → %j", (name, expected) => {
    expect(slug(name)).toBe(expected);
  });

  it("always gives a valid outlet id", () => {
    for (const name of ["x".repeat(500), "-a-", "ÀÉÎ", "a b c"]) {
      expect(slug(name)).toMatch(/^[a-z0-9][a-z0-9-]{0,99}$/);
    }
  });
});

describe("saveWatchlist / loadWatchlist", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-watchlist-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("round-trips a watchlist through YAML", async () => {
    const original = parseWatchlist(VALID, "vigil.yaml");
    const path = join(dir, "vigil.yaml");
    await saveWatchlist(path, original, "# written by a test");
    const loaded = await loadWatchlist(path);
    expect(loaded).toEqual(original);
  });

  it("round-trips IDN names, quotes and odd characters", async () => {
    const original = completeIds(
      WatchlistSchema.parse({
        outlets: [
          { name: 'Le "Monde": édition #1', domains: ["lemonde.fr", "bücher.de"] },
          { name: "yes", domains: ["yahoo.com/news"], handles: ["@no", "- dash"] },
        ],
      }),
    );
    const path = join(dir, "odd.yaml");
    await saveWatchlist(path, original);
    expect(await loadWatchlist(path)).toEqual(original);
  });

  it("reports a missing file as not found", async () => {
    await expect(loadWatchlist(join(dir, "missing.yaml"))).rejects.toMatchObject({
      code: "VIGIL_ERR_WATCHLIST_NOT_FOUND",
    });
  });

  it("names the file and line of invalid content on load", async () => {
    const path = join(dir, "bad.yaml");
    await writeFile(path, "outlets:\n  - name: A\n    domains: [a..com]\n");
    const err = await loadWatchlist(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VigilError);
    expect((err as VigilError).code).toBe("VIGIL_ERR_WATCHLIST_INVALID");
    expect((err as VigilError).message).toContain(`${path} line 3`);
  });

  it("refuses a binary file", async () => {
    const path = join(dir, "binary.yaml");
    await writeFile(path, Buffer.from([0x6f, 0x3a, 0x0a, 0x00, 0xff, 0x01]));
    await expect(loadWatchlist(path)).rejects.toBeInstanceOf(VigilError);
  });
});

describe("mergeOutlets", () => {
  it("merges an outlet sharing a domain and appends the others", () => {
    const w = completeIds(
      WatchlistSchema.parse({
        outlets: [
          { name: "BBC", domains: ["bbc.co.uk"], handles: ["@bbc"] },
          { name: "Fox News", domains: ["foxnews.com"] },
        ],
      }),
    );
    const result = mergeOutlets(w, [
      { name: "bbc.com", domains: ["bbc.co.uk", "bbc.com"], handles: ["@bbcworld"], aliases: [] },
      { name: "Der Spiegel", domains: ["spiegel.de"], handles: [], aliases: [] },
      { name: "Fox News", domains: ["foxnews.com"], handles: [], aliases: [] },
    ]);
    expect(result).toEqual({ added: 1, merged: 1 });
    expect(w.outlets).toHaveLength(3);
    // The outlet already listed keeps its name and id.
    const bbc = w.outlets.find((o) => o.id === "bbc");
    expect(bbc?.name).toBe("BBC");
    expect(bbc?.domains).toEqual(["bbc.co.uk", "bbc.com"]);
    expect(bbc?.handles).toEqual(["@bbc", "@bbcworld"]);
    expect(w.outlets[2]).toMatchObject({ name: "Der Spiegel", id: "der-spiegel" });
  });

  it("merges later outlets into one merged earlier in the same call", () => {
    const w = WatchlistSchema.parse({});
    const result = mergeOutlets(w, [
      { name: "Daily Mail", domains: ["dailymail.co.uk"], handles: [], aliases: [] },
      {
        name: "dailymail.co.uk",
        domains: ["dailymail.co.uk", "dailymail.com"],
        handles: [],
        aliases: [],
      },
      { name: "dailymail.com", domains: ["dailymail.com"], handles: ["@dailymail"], aliases: [] },
    ]);
    expect(result).toEqual({ added: 1, merged: 2 });
    expect(w.outlets).toEqual([
      {
        id: "daily-mail",
        name: "Daily Mail",
        domains: ["dailymail.co.uk", "dailymail.com"],
        handles: ["@dailymail"],
        aliases: [],
      },
    ]);
  });

  it("does not alias the caller's outlets", () => {
    const w = WatchlistSchema.parse({});
    const input = [{ name: "A", domains: ["a.com"], handles: [] as string[], aliases: [] }];
    mergeOutlets(w, input);
    mergeOutlets(w, [{ name: "A2", domains: ["a.com", "a.net"], handles: [], aliases: [] }]);
    expect(input[0]?.domains).toEqual(["a.com"]);
  });
});

describe("known legitimate domains file", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-known-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads a ranking file relative to vigil.yaml into settings.domains.known", async () => {
    await writeFile(join(dir, "top.csv"), "# rank,domain\n1,google.com\n2,www.example.org\n");
    await writeFile(
      join(dir, "vigil.yaml"),
      "outlets:\n  - name: Fox News\n    domains: [foxnews.com]\nsettings:\n  domains:\n    knownFile: top.csv\n",
    );
    const wl = await loadWatchlist(join(dir, "vigil.yaml"));
    expect(wl.settings.domains.known).toEqual(["google.com", "example.org"]);
  });

  it("names the file and line of a bad entry", async () => {
    await writeFile(join(dir, "top.txt"), "google.com\n-bad-.com\n");
    await writeFile(join(dir, "vigil.yaml"), "settings:\n  domains:\n    knownFile: top.txt\n");
    await expect(loadWatchlist(join(dir, "vigil.yaml"))).rejects.toThrow(/top\.txt line 2/);
  });
});
