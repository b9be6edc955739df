import { describe, expect, it } from "vitest";
import { prng } from "../../test/support/random.js";
import { canonicalJson, sha256Hex, stableId } from "./ids.js";
import { makeObservation, type ObservationKind } from "./observation.js";

/** The definition of an observation's identity, which stored ids depend on. */
function definition(kind: ObservationKind, value: string, data: Record<string, unknown>) {
  const contentHash = sha256Hex(canonicalJson({ kind, value, data }));
  return { contentHash, id: stableId("obs", kind, contentHash) };
}

describe("makeObservation", () => {
  it("keeps the ids already stored (fixed values)", () => {
    const post = makeObservation({
      kind: "post",
      value: "x:post:1840904462214889472",
      data: {
        platform: "x",
        id: "1840904462214889472",
        account: "671045563801715433",
        created: "2024-10-01T00:00:00.800Z",
        text: 'Не верь "им" \u2028 😀',
        urls: ["https://example.com/a?b=1"],
        hashtags: ["MondayMotivation"],
        mentions: [],
        lang: "en",
      },
      source: "posts.jsonl line 1",
      observedAt: "2024-10-02T00:00:00.000Z",
    });
    expect(post.id).toBe("obs_9976e6abf079621ae69ac3d0");
    expect(post.contentHash).toBe(
      "c45a075966fc25d7d13f8e21f88bcfabb631cf323129d4c7f313070c6d9ef530",
    );
    const domain = makeObservation({
      kind: "domain",
      value: "example-news.co",
      source: "s",
      observedAt: "2024-10-02T00:00:00.000Z",
    });
    expect(domain.id).toBe("obs_dda763cb241b757dd245e352");
  });

  it("agrees with the definition on random data (seeded)", () => {
    const rand = prng(7);
    const text = () =>
      Array.from({ length: Math.floor(rand() * 6) }, () =>
        String.fromCodePoint(
          [34, 92, 0x2028, 0x1f600, 0x44f, 10, 97][Math.floor(rand() * 7)] ?? 97,
        ),
      ).join("");
    const kinds: ObservationKind[] = ["domain", "account", "post"];
    for (let k = 0; k < 300; k++) {
      const kind = kinds[k % kinds.length] as ObservationKind;
      const value = text() || "v";
      const data: Record<string, unknown> = {};
      for (let i = 0; i < 5; i++) {
        const key = [text(), "10", "2", "id", "text", "urls"][Math.floor(rand() * 6)] ?? "id";
        data[key] = [text(), [text(), 1.5], { [text()]: null }, undefined, 3][
          Math.floor(rand() * 5)
        ];
      }
      const made = makeObservation({ kind, value, data, source: "s", observedAt: "2024-01-01" });
      expect({ contentHash: made.contentHash, id: made.id }).toEqual(definition(kind, value, data));
    }
  });
});
