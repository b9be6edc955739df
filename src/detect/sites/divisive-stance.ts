import type { DivisiveIssue } from "../../model/index.js";

/** Which side of a wedge issue a text leans to, by its wording. */
export type Stance = "left" | "right";

/**
 * Words and phrases that mark a US partisan framing. Divisive issues
 * (`settings.social.divisiveIssues`) say what a text is about; these say which way it
 * leans. Deliberately short and blunt: a site is only marked when it uses one side's
 * framing in some articles and the other's in others, which an honest outlet with one
 * editorial line rarely does, and an operation addressing both audiences does.
 */
export const STANCE_CUES: Readonly<Record<Stance, readonly string[]>> = {
  left: [
    "pro-choice",
    "reproductive rights",
    "reproductive freedom",
    "undocumented immigrants",
    "asylum seekers",
    "gun safety",
    "gun violence epidemic",
    "common-sense gun",
    "voter suppression",
    "systemic racism",
    "racial justice",
    "far-right",
    "maga extremists",
    "insurrectionists",
    "book bans",
    "climate crisis",
    "genocide in gaza",
    "ceasefire now",
  ],
  right: [
    "pro-life",
    "unborn children",
    "illegal aliens",
    "illegals",
    "open borders",
    "border invasion",
    "second amendment rights",
    "law-abiding gun owners",
    "gun grab",
    "stolen election",
    "election fraud",
    "rigged election",
    "radical left",
    "woke",
    "globalist",
    "critical race theory",
    "stand with israel",
    "pro-hamas",
  ],
};

/** Text of an article read for stance (its start says what it is about). */
export const MAX_STANCE_CHARS = 20_000;

const cuePatterns = (Object.keys(STANCE_CUES) as Stance[]).map(
  (stance) => [stance, wordPattern(STANCE_CUES[stance])] as const,
);

/**
 * The divisive issue an article is about and the side it leans to, when both show:
 * an issue's keyword, and more cues of one side than the other.
 */
export function articleStance(
  text: string,
  issues: readonly DivisiveIssue[],
  issuePatterns: ReadonlyMap<string, RegExp> = issueMatchers(issues),
): { issue: DivisiveIssue; stance: Stance; cues: string[] } | undefined {
  const lower = text.slice(0, MAX_STANCE_CHARS).toLowerCase();
  const issue = issues.find((i) => issuePatterns.get(i.id)?.test(lower) === true);
  if (issue === undefined) return undefined;
  const found = cuePatterns.map(([stance, pattern]) => {
    const cues = new Set<string>();
    for (const m of lower.matchAll(pattern)) cues.add(m[0]);
    return { stance, cues: [...cues] };
  });
  const [left, right] = found as [
    { stance: Stance; cues: string[] },
    { stance: Stance; cues: string[] },
  ];
  if (left.cues.length === right.cues.length) return undefined;
  const side = left.cues.length > right.cues.length ? left : right;
  return { issue, stance: side.stance, cues: side.cues };
}

/** One whole-word, case-insensitive pattern per issue. */
export function issueMatchers(issues: readonly DivisiveIssue[]): Map<string, RegExp> {
  return new Map(issues.map((i) => [i.id, wordPattern(i.keywords, false)]));
}

function wordPattern(words: readonly string[], global = true): RegExp {
  const escaped = words.map((w) => w.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${escaped.join("|")})(?![\\p{L}\\p{N}])`,
    global ? "gu" : "u",
  );
}
