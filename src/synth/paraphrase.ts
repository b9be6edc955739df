import type { SeededRandom } from "./seeded-random.js";
import { CAMPAIGN_OPENERS, EMOJI, SYNONYMS } from "./social-vocabulary.js";

/** Languages campaign texts are written in. */
export type CampaignLanguage = keyof typeof SYNONYMS;

/** Chance that each listed word of a seed text is swapped for a synonym. */
const SWAP_CHANCE = 0.3;

/**
 * A light rewrite of a campaign's seed text, as operators vary copies so they do not
 * look pasted: synonyms swapped, sentences reordered, punctuation changed, an opener
 * added, emoji, a shouted word. The copies stay near-duplicates of the seed.
 */
export function paraphrase(seed: string, language: CampaignLanguage, random: SeededRandom): string {
  let text = seed;
  for (const [word, alternatives] of Object.entries(SYNONYMS[language])) {
    if (random.chance(SWAP_CHANCE))
      text = replaceWord(text, word, random.pick(alternatives), language);
  }
  let sentences = splitSentences(text);
  if (sentences.length > 1 && random.chance(0.3)) {
    const i = random.int(sentences.length - 1);
    sentences = [
      ...sentences.slice(0, i),
      sentences[i + 1] as string,
      sentences[i] as string,
      ...sentences.slice(i + 2),
    ];
  }
  const cjk = language === "zh";
  sentences = sentences.map((s) => (random.chance(0.3) ? changeEnding(s, cjk, random) : s));
  text = sentences.join(cjk ? "" : " ");
  if (random.chance(0.25))
    text = `${random.pick(CAMPAIGN_OPENERS[language])}${cjk ? "" : " "}${text}`;
  if ((language === "en" || language === "ru") && random.chance(0.15))
    text = shoutOneWord(text, random);
  if (random.chance(0.5)) {
    const count = random.between(1, 3);
    text += ` ${Array.from({ length: count }, () => random.pick(EMOJI)).join("")}`;
  }
  if (random.chance(0.1)) text = `${random.pick(EMOJI)} ${text}`;
  return text;
}

/** Replaces the first whole-word occurrence of `word` (any case of its first letter). */
function replaceWord(
  text: string,
  word: string,
  replacement: string,
  language: CampaignLanguage,
): string {
  if (language === "zh") return text.replace(word, replacement);
  const pattern = new RegExp(`(?<![\\p{L}\\p{M}])(${escapeRegExp(word)})(?![\\p{L}\\p{M}])`, "iu");
  // A capitalised word gives a capitalised replacement; an acronym (СМИ) does not.
  return text.replace(pattern, (found) =>
    /^\p{Lu}\p{Ll}/u.test(found)
      ? replacement.charAt(0).toUpperCase() + replacement.slice(1)
      : replacement,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Sentences with their closing punctuation. */
function splitSentences(text: string): string[] {
  return (text.match(/[^.!?。！？]+[.!?。！？]*/gu) ?? [text])
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function changeEnding(sentence: string, cjk: boolean, random: SeededRandom): string {
  const body = sentence.replace(/[.!?。！？]+$/u, "");
  const endings = cjk ? ["！", "！！", "。。。", "？！"] : ["!", "!!", "...", "?!", "!!!"];
  return body + random.pick(endings);
}

function shoutOneWord(text: string, random: SeededRandom): string {
  const words = text.split(" ");
  const candidates = words.map((w, i) => (w.length > 3 ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return text;
  const at = random.pick(candidates);
  words[at] = (words[at] as string).toUpperCase();
  return words.join(" ");
}
