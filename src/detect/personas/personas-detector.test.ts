import { describe, expect, it } from "vitest";
import { VigilError } from "../../errors.js";
import {
  type Finding,
  FindingSchema,
  makeObservation,
  type Observation,
  type WatchlistInput,
  WatchlistSchema,
} from "../../model/index.js";
import { PersonasDetector, type PersonasDetectorOptions } from "./personas-detector.js";

const watchlist = WatchlistSchema.parse({
  people: [
    {
      id: "dana-whitfield",
      name: "Dana Whitfield",
      aliases: ["Dana J. Whitfield"],
      handles: ["x:@danawhitfield", "telegram:dana_w", "https://t.me/danawhitfield_official"],
      photos: ["photos/dana.jpg"],
      role: "Senior adviser",
    },
    { id: "marcus-oyelaran", name: "Marcus Oyelaran", handles: ["@marcusoyelaran"] },
  ],
  outlets: [
    {
      id: "harbor-gazette",
      name: "The Harbor Gazette",
      domains: ["harborgazette.example"],
      handles: ["@HarborGazette"],
      logos: ["logos/harbor-gazette.png"],
    },
  ],
  organisations: [
    {
      id: "harper-campaign",
      name: "Harper for Senate",
      handles: ["x:@harper_hq"],
      logos: ["logos/harper.png"],
    },
  ],
} satisfies WatchlistInput);

const GENUINE_BIO = "Senior adviser to the Harper campaign. Views my own.";

let seq = 0;
function account(data: Record<string, unknown>): Observation {
  const full = { platform: "x", id: String(++seq), links: [], ...data };
  return makeObservation({
    kind: "account",
    value: `${full.platform}:account:${full.id}`,
    data: full,
    source: `test:${seq}`,
    observedAt: "2024-10-20T00:00:00.000Z",
  });
}

const genuine = () =>
  account({
    handle: "danawhitfield",
    displayName: "Dana Whitfield",
    bio: GENUINE_BIO,
    created: "2012-06-01T09:30:00.000Z",
    avatar: "avatars/danawhitfield.jpg",
  });

function detect(observations: Observation[], options: PersonasDetectorOptions = {}): Finding[] {
  const { findings, problems } = new PersonasDetector(watchlist, options).detect(observations);
  expect(problems).toEqual([]);
  for (const f of findings) {
    FindingSchema.parse(f);
    // The reasons explain the score: their weights add up to it.
    const sum = f.reasons.reduce((s, r) => s + r.weight, 0);
    expect(Math.abs(sum - f.score)).toBeLessThan(0.002);
  }
  return findings;
}

/** The one finding for `handle` (display name Dana Whitfield unless given). */
function judge(handle: string, extra: Record<string, unknown> = {}): Finding | undefined {
  const subject = account({ handle, displayName: "Dana Whitfield", ...extra });
  const findings = detect([subject]);
  expect(findings.length).toBeLessThanOrEqual(1);
  return findings[0];
}

const rules = (f: Finding | undefined) => f?.reasons.map((r) => r.rule) ?? [];

describe("PersonasDetector: handle tricks", () => {
  it.each([
    ["dаnawhitfield", "handle-confusable"], // Cyrillic а
    ["danawhitfiеld", "handle-confusable"], // Cyrillic е
    ["danawh1tfield", "handle-digit-letter"],
    ["danawhitfie1d", "handle-digit-letter"],
    ["danawhitfieId", "handle-digit-letter"], // capital I for l
    ["dana_whitfield", "handle-separators"],
    ["dana.whitfield", "handle-separators"],
    ["danawhitfiield", "handle-doubled-letter"],
    ["danawhitfield24", "handle-added-digits"],
    ["real_danawhitfield", "handle-added-words"],
    ["danawhitfield_official", "handle-added-words"],
    ["thedanawhitfield", "handle-added-words"],
    ["iamdanawhitfield", "handle-added-words"],
    ["danawhitfieldnews", "handle-added-words"],
    ["danawhitfield_fan", "handle-added-words"],
    ["danawhitfield_tv", "handle-added-words"],
    ["danawhitfeld", "handle-typo"],
    ["danawihtfield", "handle-typo"],
    ["real_danawhitfeld", "handle-typo"],
  ])("flags @%s with the name copied (%s)", (handle, rule) => {
    const f = judge(handle);
    expect(f).toBeDefined();
    expect(rules(f)).toContain(rule);
    expect(rules(f)).toContain("display-name");
    expect(f?.target).toEqual({ type: "person", id: "dana-whitfield", name: "Dana Whitfield" });
    expect(f?.evidence).toContainEqual(
      expect.objectContaining({ type: "genuine-handle", value: "@danawhitfield" }),
    );
  });

  it("reads rn as m and Greek letters as Latin", () => {
    const marcus = detect([account({ handle: "rnarcusoyelaran", displayName: "Marcus Oyelaran" })]);
    expect(rules(marcus[0])).toContain("handle-digit-letter");
    const outlet = detect([account({ handle: "HarbοrGazette", displayName: "Harbor Gazette" })]);
    expect(rules(outlet[0])).toContain("handle-confusable"); // Greek ο
    expect(outlet[0]?.target?.type).toBe("outlet");
  });

  it("flags outlets' and organisations' handles with words added or separators removed", () => {
    const [tv] = detect([account({ handle: "HarborGazette_TV", displayName: "Harbor Gazette" })]);
    expect(rules(tv)).toContain("handle-added-words");
    expect(tv?.techniques.map((t) => t.id)).toContain("T0097.202");
    const [org] = detect([account({ handle: "harperhq", displayName: "Harper for Senate" })]);
    expect(rules(org)).toContain("handle-separators");
    expect(org?.target).toMatchObject({ type: "organisation", id: "harper-campaign" });
    expect(org?.techniques.map((t) => t.id)).toContain("T0097.200");
  });

  it("flags the genuine handle taken on a platform where it is not listed", () => {
    const [f] = detect([
      account({
        platform: "telegram",
        handle: "danawhitfield",
        displayName: "Dana Whitfield",
      }),
    ]);
    expect(rules(f)).toContain("handle-identical");
  });

  it("does not flag a lookalike handle alone, without the name or anything else", () => {
    expect(judge("danawhitfeld", { displayName: "Liam Okafor" })).toBeUndefined();
  });
});

describe("PersonasDetector: genuine accounts", () => {
  it("never flags the listed accounts, whatever they look like", () => {
    const findings = detect([
      genuine(),
      account({ handle: "DanaWhitfield", displayName: "Dana Whitfield (official)" }),
      account({ platform: "telegram", handle: "dana_w", displayName: "Dana Whitfield" }),
      account({ platform: "telegram", handle: "danawhitfield_official", displayName: "Dana W" }),
      account({ handle: "HarborGazette", displayName: "The Harbor Gazette" }),
      account({ platform: "telegram", handle: "harborgazette", displayName: "Harbor Gazette" }),
      account({ handle: "harper_hq", displayName: "Harper for Senate" }),
    ]);
    expect(findings).toEqual([]);
  });

  it("keeps a handle listed for one platform from covering another", () => {
    const [f] = detect([
      account({ platform: "x", handle: "dana_w", displayName: "Dana Whitfield" }),
    ]);
    expect(f).toBeDefined();
  });
});

describe("PersonasDetector: display names", () => {
  const withBio = { bio: GENUINE_BIO };

  it("does not flag a namesake on the name alone", () => {
    expect(judge("dwhitfield_pdx")).toBeUndefined();
    expect(judge("sunflower_mom", { displayName: "Whitfield Dana" })).toBeUndefined();
  });

  it.each([
    ["Whitfield Dana", "display-name"],
    ["Dana Whitfield 🇺🇸", "display-name"],
    ["DanaWhitfield", "display-name"],
    ["Dana J. Whitfield", "display-name"],
    ["Dana Whitfield Backup", "display-name"],
    ["Dana Whitfield for America", "display-name-with-words"],
    ["Dаna Whitfіeld", "display-name-confusable"], // Cyrillic а and і
    ["Dαna Whitfield", "display-name-confusable"], // Greek α
    ["Dana Whitfeld", "display-name-typo"], // a letter dropped
    ["Dana Whitfeild", "display-name-typo"], // two letters swapped
    ["Dana Whiffield", "display-name-typo"], // a letter changed
  ])("reads %s as the person's name (%s)", (displayName, rule) => {
    const findings = detect([
      genuine(),
      account({ handle: "sunflower_mom", displayName, ...withBio }),
    ]);
    expect(findings).toHaveLength(1);
    expect(rules(findings[0])).toContain(rule);
    expect(rules(findings[0])).toContain("bio-copied");
  });
});

describe("PersonasDetector: display names with a typo", () => {
  it("does not read a short word or two changed words as the name", () => {
    // "Dana" has four letters: Dina, Dan and Dara are other people's names.
    const short = detect([
      genuine(),
      account({ handle: "sunflower_mom", displayName: "Dina Whitfield", bio: GENUINE_BIO }),
    ]);
    expect(short.flatMap((f) => rules(f))).not.toContain("display-name-typo");
    const two = detect([
      genuine(),
      account({ handle: "sunflower_mom", displayName: "Dona Whitfeld", bio: GENUINE_BIO }),
    ]);
    expect(two.flatMap((f) => rules(f))).not.toContain("display-name-typo");
  });

  it("leaves a namesake with a typo-near name alone when nothing else is copied", () => {
    expect(judge("sunflower_mom", { displayName: "Dana Whitfeld" })).toBeUndefined();
  });
});

describe("PersonasDetector: bio, picture, age, claims", () => {
  it("compares the bio with the genuine account's in the batch or given", () => {
    const copied = detect([genuine(), account({ handle: "dana_whitfield", bio: GENUINE_BIO })]);
    expect(rules(copied[0])).toContain("bio-copied");
    const edited = detect(
      [account({ handle: "dana_whitfield", bio: `${GENUINE_BIO} Backup account.` })],
      {
        genuineAccounts: [
          { platform: "x", id: "g", handle: "danawhitfield", bio: GENUINE_BIO, links: [] },
        ],
      },
    );
    expect(rules(edited[0])).toContain("bio-edited");
  });

  it("compares perceptual hashes of pictures when given, else their paths", () => {
    const hashes = new Map([
      ["photos/dana.jpg", "f0e1d2c3b4a59687"],
      ["fake/dana-copy.jpg", "f0e1d2c3b4a59686"], // one bit off: re-encoded
      ["fake/other.jpg", "0f1e2d3c4b5a6978"],
    ]);
    const close = detect([account({ handle: "dana_whitfield", avatar: "fake/dana-copy.jpg" })], {
      avatarHashes: hashes,
    });
    expect(rules(close[0])).toContain("avatar-hash");
    expect(close[0]?.techniques.map((t) => t.id)).toContain("T0145.001");
    const far = detect([account({ handle: "dana_whitfield", avatar: "fake/other.jpg" })], {
      avatarHashes: hashes,
    });
    expect(rules(far[0])).not.toContain("avatar-hash");
    const samePath = detect([
      genuine(),
      account({ handle: "dana_whitfield", avatar: "avatars/danawhitfield.jpg" }),
    ]);
    expect(rules(samePath[0])).toContain("avatar-same-file");
    const sameUrl = detect([account({ handle: "dana_whitfield", avatar: "photos/dana.jpg" })]);
    expect(rules(sameUrl[0])).toContain("avatar-same-file");
  });

  it("compares pictures with the logos of outlets and organisations", () => {
    const hashes = new Map([
      ["logos/harbor-gazette.png", "a5a5a5a55a5a5a5a"],
      ["fake/gazette.png", "a5a5a5a55a5a5a5b"], // one bit off
      ["logos/harper.png", "0123456789abcdef"],
      ["fake/harper.png", "0123456789abcdee"],
    ]);
    const outlet = detect(
      [
        account({
          handle: "HarborGazette_",
          displayName: "Harbor Gazette",
          avatar: "fake/gazette.png",
        }),
      ],
      { avatarHashes: hashes },
    );
    expect(outlet[0]?.target?.id).toBe("harbor-gazette");
    expect(rules(outlet[0])).toContain("avatar-hash");
    const organisation = detect(
      [account({ handle: "harper_hq2", displayName: "Harper HQ", avatar: "fake/harper.png" })],
      { avatarHashes: hashes, threshold: 0 },
    );
    const hq = organisation.find((f) => f.target?.id === "harper-campaign");
    expect(rules(hq)).toContain("avatar-hash");
  });

  it("scores an account made after the genuine one up, and one made before down", () => {
    const after = detect([
      genuine(),
      account({ handle: "dana_whitfield", created: "2024-09-20T00:00:00.000Z" }),
    ]);
    expect(rules(after[0])).toContain("created-after");
    const before = detect(
      [genuine(), account({ handle: "dana_whitfield", created: "2010-01-01T00:00:00.000Z" })],
      { threshold: 0 },
    );
    const older = before.find((f) => f.subject === "x:@dana_whitfield");
    expect(rules(older)).toContain("created-before");
    expect(older?.reasons.find((r) => r.rule === "created-before")?.weight).toBeLessThan(0);
  });

  it.each([
    "Official account of Dana Whitfield.",
    "I am Dana Whitfield. Follow me here.",
    "My old account was hacked, this is my new account.",
  ])("reads the claim %s", (bio) => {
    const [f] = detect([account({ handle: "sunflower_mom", displayName: "Dana Whitfield", bio })]);
    expect(rules(f)).toContain("identity-claim");
  });

  it("scores a declared parody down and names the parody technique", () => {
    const [f] = detect(
      [
        account({
          handle: "danawhitfield_",
          displayName: "Dana Whitfield",
          bio: "Parody account.",
        }),
      ],
      { threshold: 0 },
    );
    expect(rules(f)).toContain("declared-parody");
    expect(f?.techniques.map((t) => t.id)).toContain("T0143.004");
  });
});

describe("PersonasDetector: findings", () => {
  it("names the techniques and keeps ids stable when the profile text changes", () => {
    const [a] = detect([
      account({ id: "77", handle: "real_danawhitfield", displayName: "Dana Whitfield" }),
    ]);
    const [b] = detect([
      account({ id: "77", handle: "real_danawhitfield", displayName: "Dana Whitfield ✔️" }),
    ]);
    expect(a?.kind).toBe("persona-impersonation");
    expect(a?.subject).toBe("x:@real_danawhitfield");
    expect(a?.techniques.map((t) => t.id)).toEqual(
      expect.arrayContaining(["T0143.003", "T0097.100", "T0146.005", "T1656"]),
    );
    expect(a?.id).toBe(b?.id);
  });

  it("reports a malformed account and goes on", () => {
    const bad = makeObservation({
      kind: "account",
      value: "x:account:1",
      data: { platform: "x", id: "1", handle: 42 },
      source: "bad:1",
      observedAt: "2024-10-20T00:00:00.000Z",
    });
    const result = new PersonasDetector(watchlist).detect([
      bad,
      account({ handle: "real_danawhitfield", displayName: "Dana Whitfield" }),
    ]);
    expect(result.problems).toEqual([
      { item: "bad:1", code: "VIGIL_ERR_SOCIAL_RECORD", message: "account handle is not text" },
    ]);
    expect(result.findings).toHaveLength(1);
  });

  it("rejects bad options with a clear error", () => {
    expect(() => new PersonasDetector(watchlist, { threshold: 2 })).toThrow(VigilError);
    expect(
      () => new PersonasDetector(watchlist, { avatarHashes: new Map([["a.jpg", "xyz"]]) }),
    ).toThrow(/16 hex digits/);
  });
});

describe("watchlist handles and photos", () => {
  it("keeps watchlists without photos or with free-text handles valid, skipping such handles", () => {
    const old = WatchlistSchema.parse({
      people: [{ name: "Rosa Delgado", handles: ["@rosadelgado", "Rosa on Mastodon"] }],
    });
    expect(old.people[0]?.photos).toBeUndefined();
    const detector = new PersonasDetector(old);
    expect(detector.index.personas[0]?.handles).toEqual([{ handle: "rosadelgado" }]);
    const { findings } = detector.detect([
      account({ handle: "rosadelgado", displayName: "Rosa Delgado" }),
      account({ handle: "rosa_delgado", displayName: "Rosa Delgado" }),
    ]);
    expect(findings.map((f) => f.subject)).toEqual(["x:@rosa_delgado"]);
  });
});
