import type { SeededRandom } from "./seeded-random.js";

/** Ways impersonators make a handle that passes for someone else's. */
export const HANDLE_TRICKS = [
  "added-prefix",
  "added-suffix",
  "digit-swap",
  "letter-swap",
  "underscore",
  "doubled-letter",
  "added-digits",
] as const;
export type HandleTrick = (typeof HANDLE_TRICKS)[number];

const PREFIXES = ["real_", "real", "the", "iam", "its", "official_"];
const SUFFIXES = ["_official", "official", "_real", "news", "_news", "_backup", "2"];
/** Letters and the digits that pass for them. */
const DIGIT_FOR: Readonly<Record<string, string>> = {
  o: "0",
  i: "1",
  l: "1",
  e: "3",
  a: "4",
  s: "5",
};
/** Letters and what passes for them in a handle: `I` for `l`, `rn` for `m`, `vv` for `w`. */
const LETTER_FOR: Readonly<Record<string, string>> = { l: "I", m: "rn", w: "vv", i: "l" };

/**
 * A handle made from `handle` by `trick`, as impersonators make them: `real_danawhitfield`,
 * `danawhitfield_official`, `danawh1tfield`, `danawhitfieId`, `dana_whitfield`,
 * `danawhitfiield`, `danawhitfield24`. Always differs from `handle`.
 */
export function trickHandle(handle: string, trick: HandleTrick, random: SeededRandom): string {
  const h = handle.replace(/^@/, "");
  const positions = (table: Readonly<Record<string, string>>) =>
    [...h].map((c, i) => (table[c] !== undefined ? i : -1)).filter((i) => i >= 0);
  const swapAt = (table: Readonly<Record<string, string>>) => {
    const at = positions(table);
    if (at.length === 0) return `${h}1`;
    const i = random.pick(at);
    return h.slice(0, i) + table[h[i] as string] + h.slice(i + 1);
  };
  switch (trick) {
    case "added-prefix":
      return random.pick(PREFIXES) + h;
    case "added-suffix":
      return h + random.pick(SUFFIXES);
    case "digit-swap":
      return swapAt(DIGIT_FOR);
    case "letter-swap":
      return swapAt(LETTER_FOR);
    case "underscore": {
      if (h.includes("_")) return random.chance(0.5) ? h.replace("_", "") : h.replace("_", "__");
      const i = random.between(1, Math.max(1, h.length - 1));
      return `${h.slice(0, i)}_${h.slice(i)}`;
    }
    case "doubled-letter": {
      const i = random.int(h.length);
      return h.slice(0, i + 1) + h[i] + h.slice(i + 1);
    }
    case "added-digits":
      return h + String(random.between(10, 99));
  }
}
