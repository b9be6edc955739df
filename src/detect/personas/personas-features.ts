import type { Reason } from "../../model/index.js";
import type { HandleDisguise } from "./handle-key.js";

/** The rules of this detector; each names one way an account imitates a protected one. */
export type PersonaRule =
  | `handle-${HandleDisguise}`
  | "handle-added-words"
  | "handle-typo"
  | "handle-contains"
  | "handle-spells-name"
  | "display-name"
  | "display-name-confusable"
  | "display-name-with-words"
  | "display-name-typo"
  | "bio-copied"
  | "bio-edited"
  | "avatar-hash"
  | "avatar-same-file"
  | "identity-claim"
  | "post-claim"
  | "created-after";

/** Rules that say whose account it pretends to be; the others only add to them. */
export type IdentityRule = Extract<PersonaRule, `handle-${string}` | `display-name${string}`>;

/**
 * Each rule's weight: the probability, as we judge it, that an account showing this
 * signal alone imitates the protected one. Signals are combined as independent evidence
 * (see `combine`), so two medium signals make a strong case and none makes certainty.
 * A name alone stays below the default threshold: namesakes are common, and an
 * impersonator almost always also copies a handle, a bio or a picture.
 */
export const PERSONA_RULE_WEIGHTS: Readonly<Record<PersonaRule, number>> = {
  /** The protected handle itself, on a platform where the watchlist does not list it. */
  "handle-identical": 0.55,
  /** Letters of another script that read as the handle's (Cyrillic а for a). */
  "handle-confusable": 0.85,
  /** 0 for o, 1 or I for l, rn for m, vv for w. */
  "handle-digit-letter": 0.8,
  /** Underscores, dots or hyphens added or removed (dana_whitfield). */
  "handle-separators": 0.7,
  "handle-doubled-letter": 0.65,
  /** Impersonation or news words added (real_, official, the, iam, news, hq, tv, fan). */
  "handle-added-words": 0.65,
  /** Digits added at the start or end (danawhitfield24): common in innocent handles too. */
  "handle-added-digits": 0.5,
  /**
   * One typing change (a letter left out, swapped, replaced): below the threshold
   * alone, since many innocent handles are one change from a name (liamokafor,
   * samokafor); with the name or bio it is an imitation.
   */
  "handle-typo": 0.5,
  /**
   * The protected handle inside a longer handle with other words: 0.15 + 0.35 × the
   * share of the handle it takes.
   */
  "handle-contains": 0.15,
  /**
   * The person's or organisation's name spelt as a handle, with a trick or added
   * words; 0.15 when spelt plainly, as a namesake would.
   */
  "handle-spells-name": 0.35,
  "display-name": 0.5,
  /** The name written with letters of another script: a disguise, not a namesake. */
  "display-name-confusable": 0.6,
  /** The name with other words around it (Dana Whitfield Backup, Dana Whitfield 🇺🇸). */
  "display-name-with-words": 0.4,
  /**
   * The name with one word a typing change away (Tamsin Ardel, Tamzin Ardell): what a
   * reader skims past, but also how a real namesake's name can differ, so it weighs less.
   */
  "display-name-typo": 0.35,
  /** The genuine account's bio, word for word (Jaccard ≥ 0.9 on words). */
  "bio-copied": 0.45,
  /** The genuine bio lightly edited: 0.45 × (Jaccard − 0.5) / 0.4, for Jaccard 0.5..0.9. */
  "bio-edited": 0.45,
  /** The profile picture's perceptual hash within 4 bits of a known photo; 0.35 up to 10. */
  "avatar-hash": 0.5,
  /** The same picture file or URL as the genuine account or a listed photo. */
  "avatar-same-file": 0.25,
  /** "Official account of", "I am <name>", "backup account", "the real <name>". */
  "identity-claim": 0.3,
  /**
   * A post of the account claims a new identity: "my old account was hacked", "this is
   * my new account", "I am <name>". Weighs as a profile claim: the same assertion, made
   * where followers read it.
   */
  "post-claim": 0.3,
  /** Made after the genuine account: imitations come later. */
  "created-after": 0.1,
};

/** Weight of `handle-spells-name` when the name is spelt plainly (a namesake's handle). */
export const PLAIN_NAME_HANDLE_WEIGHT = 0.15;
/** Weight of `avatar-hash` for a picture 5 to 10 bits from a known photo. */
export const NEAR_AVATAR_WEIGHT = 0.35;

/** Share of the weight of a name that is one word only (Politico, Madonna): it collides. */
export const ONE_WORD_NAME_FACTOR = 0.6;

/** A multiplicative cut, explained as a negative reason as in the domains detector. */
export interface PersonaCut {
  rule: "created-before" | "declared-parody" | "declared-fan";
  /** Share of the score kept. */
  factor: number;
  feature: string;
}

/** Share kept by an account older than the genuine one: handles change, but rarely so. */
export const CREATED_BEFORE_FACTOR = 0.6;
/** Share kept by an account that says it is a parody or not affiliated (DISARM T0143.004). */
export const DECLARED_PARODY_FACTOR = 0.5;
/** Share kept by a declared fan account: allowed by platforms, still misleading when copied. */
export const DECLARED_FAN_FACTOR = 0.8;

const CUT_EXPLANATIONS: Readonly<Record<PersonaCut["rule"], string>> = {
  "created-before":
    "The account is older than the genuine one; an imitation is normally made after the account it imitates.",
  "declared-parody":
    "The account says it is a parody or not affiliated, as platforms require of parody accounts; it can still mislead, so it is scored down, not cleared.",
  "declared-fan":
    "The account calls itself a fan account; platforms allow these, yet a copied name and picture still mislead readers.",
};

/** One signal that fired for an account against one protected person or organisation. */
export interface Signal {
  rule: PersonaRule;
  /** Its weight before combining (the rule's weight, scaled where the rule says). */
  weight: number;
  feature: string;
}

/**
 * Combines signals as independent evidence (noisy-OR): score = 1 − Π(1 − wᵢ), then
 * multiplied by each cut. Explained so that the reasons' weights add up to the score:
 * signals are taken strongest first, each reason's weight being what its signal added
 * to the score of the ones before (wᵢ × Π_{j<i}(1 − wⱼ)); each cut is a negative
 * reason of what it took away. Weights are rounded to 3 places and the score is their sum.
 */
export function combine(
  signals: readonly Signal[],
  cuts: readonly PersonaCut[],
): { score: number; reasons: Reason[] } {
  const sorted = [...signals].sort((a, b) => b.weight - a.weight || a.rule.localeCompare(b.rule));
  const reasons: Reason[] = [];
  let missing = 1;
  let score = 0;
  for (const signal of sorted) {
    const added = round(signal.weight * missing);
    missing *= 1 - signal.weight;
    if (added <= 0) continue;
    score += added;
    reasons.push({
      rule: signal.rule,
      feature: signal.feature,
      weight: added,
      explanation: RULE_EXPLANATIONS[signal.rule],
    });
  }
  for (const cut of cuts) {
    const taken = round(score * (1 - cut.factor));
    if (taken <= 0) continue;
    score -= taken;
    reasons.push({
      rule: cut.rule,
      feature: cut.feature,
      weight: -taken,
      explanation: CUT_EXPLANATIONS[cut.rule],
    });
  }
  return { score: round(Math.max(0, Math.min(1, score))), reasons };
}

const RULE_EXPLANATIONS: Readonly<Record<PersonaRule, string>> = {
  "handle-identical":
    "The genuine handle, taken on a platform where the genuine account is not listed.",
  "handle-confusable":
    "Letters from another script (Cyrillic, Greek) that look like the genuine handle's: readers cannot see the difference.",
  "handle-digit-letter":
    "Digits or letter pairs that pass for letters (0 for o, 1 or I for l, rn for m): a lookalike account ID.",
  "handle-separators":
    "The genuine handle with underscores, dots or hyphens added or removed reads the same at a glance.",
  "handle-doubled-letter": "A doubled letter in the genuine handle is easily missed.",
  "handle-added-words":
    "The genuine handle with words such as real, official, the, news or fan added: the classic impersonator's handle.",
  "handle-added-digits":
    "The genuine handle with digits added, as impersonators do when the handle is taken; innocent accounts do it too, so it weighs less.",
  "handle-typo": "The genuine handle with one typing change, which readers miss.",
  "handle-contains":
    "The genuine handle inside a longer handle; weighted by how much of it it takes.",
  "handle-spells-name":
    "The handle spells the protected name; weak alone, since namesakes use their names too.",
  "display-name": "The display name is the protected name (words in any order, after normalising).",
  "display-name-confusable":
    "The display name is the protected name written with look-alike letters of another script: a disguise.",
  "display-name-with-words":
    "The display name is the protected name with other words or symbols added.",
  "display-name-typo":
    "The display name is the protected name with one letter of one word changed, added, dropped or swapped, which readers skim past.",
  "bio-copied": "The bio is the genuine account's bio, copied word for word.",
  "bio-edited": "The bio is the genuine account's bio lightly edited.",
  "avatar-hash":
    "The profile picture is perceptually the same as a known photo of the person or the genuine account's.",
  "avatar-same-file":
    "The profile picture is the same file or URL as the genuine account's or a listed photo (the picture was not compared).",
  "identity-claim": "The profile claims to be the person's official, real, new or backup account.",
  "post-claim":
    "A post of the account claims it is the person's new or backup account, or names the person as its author: how impersonators explain a new handle to followers.",
  "created-after": "The account was made after the genuine one.",
};

/**
 * Bio or name text claiming to be the person's account. Generic claims fire on their
 * own; `i am`, `this is` and `the real` only when followed by the protected name
 * (checked by the caller with `claimsName`).
 */
const GENERIC_CLAIM =
  /\b(?:official (?:account|page|profile|channel)|(?:new|backup|second|alt|alternate|only) (?:account|page|profile|channel)|this is (?:really )?me|my (?:new|backup|real) account|old account (?:was )?(?:hacked|suspended|banned))\b/i;
const NAMED_CLAIM = /\b(?:official account of|i am|i'm|im|this is|it's|its|the real)\s+(.{1,60})/i;

/**
 * What the profile text claims: a generic claim (`official account`, `backup account`),
 * or a claim naming the person (`I am Dana Whitfield`), whose words the caller checks.
 */
export function findClaim(text: string): { generic?: string; named?: string } {
  const out: { generic?: string; named?: string } = {};
  const g = GENERIC_CLAIM.exec(text);
  if (g) out.generic = g[0];
  const n = NAMED_CLAIM.exec(text);
  if (n) out.named = n[0];
  return out;
}

/**
 * First-person claims of a new identity in a post. Stricter than the profile's: posts
 * talk about other accounts ("the official account of the DNC said…"), so only the
 * author's own account counts, or the author's name after "I am".
 */
const POST_CLAIM =
  /\b(?:my (?:old|previous|main|other) (?:account|page|profile|channel) (?:was|got|has been|is) (?:hacked|suspended|banned|locked|compromised|taken down|restricted)|(?:this is|here is|here's) my (?:new|backup|real|second|only) (?:account|page|profile|channel)|(?:follow|find) (?:me|my new account) (?:here|on this account)|(?:this is|i am|i'm) (?:the )?(?:real|new) me)\b/gi;
const POST_NAMED_CLAIM = /\b(?:i am|i'm)\s+[^.!?,;:\n]{1,60}/gi;
/** Longest claim snippet kept: enough to show, not the whole post. */
const MAX_CLAIM_SNIPPET = 80;

/** An identity claim in a post: the words, and the name after `I am` when it names one. */
export interface PostClaim {
  snippet: string;
  /** What follows `I am` / `I'm`: the caller checks it names the persona judged. */
  named?: string;
}

/**
 * The identity claims in a post's text: first-person claims of a new or backup account,
 * and `I am …` phrases followed by a capitalised word (a name; "I am so tired" is not).
 */
export function findPostClaims(text: string): PostClaim[] {
  if (text.length === 0) return [];
  const out: PostClaim[] = [];
  for (const m of text.matchAll(POST_CLAIM))
    out.push({ snippet: m[0].slice(0, MAX_CLAIM_SNIPPET) });
  for (const m of text.matchAll(POST_NAMED_CLAIM)) {
    const named = m[0].replace(/^\S+\s+(?:am\s+)?/i, "");
    if (/^\p{Lu}/u.test(named)) {
      out.push({ snippet: m[0].slice(0, MAX_CLAIM_SNIPPET).trim(), named });
    }
  }
  return out;
}

const PARODY =
  /\b(?:parody|satire|satirical|not affiliated|unaffiliated|unofficial|not the real|impersonation|fake account)\b|parody/i;
const FAN = /\bfan (?:account|page|club|site)\b|\bfanpage\b|\bfan acc\b/i;

/** Whether the profile declares itself a parody or a fan account. */
export function declaredStatus(text: string): "parody" | "fan" | undefined {
  if (PARODY.test(text)) return "parody";
  if (FAN.test(text)) return "fan";
  return undefined;
}

/** Rounds a weight or score for display and storage (3 places). */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
