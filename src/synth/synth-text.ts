import type { CampaignLanguage } from "./paraphrase.js";
import type { SeededRandom } from "./seeded-random.js";
import {
  ASIDES_AFTER,
  ASIDES_BEFORE,
  BIO_INTERESTS,
  BIO_ROLES,
  EMOJI,
  FIRST_NAMES,
  HANDLE_BASES,
  LAST_NAMES,
  LOCAL_NAMES,
  NEWS_OUTLETS,
  NEWS_SECTIONS,
  NEWS_SLUG_WORDS,
  PLACES,
  SLOTS,
  type SynthLanguage,
  TEMPLATES,
} from "./social-vocabulary.js";

/*
 * The pieces of synthetic text and names: organic sentences, bios, persona names,
 * links to news articles and to campaign sites, and the draws they are made with.
 */

const DAY_MS = 86_400_000;

/**
 * `count` sentences of organic text in `lang`, with their slots filled and, in English,
 * an aside before or after at times.
 */
export function organicSentences(lang: SynthLanguage, r: SeededRandom, count = 1): string {
  const parts: string[] = [];
  const templates = TEMPLATES[lang];
  let at = r.int(templates.length);
  for (let i = 0; i < count; i++) {
    // Distinct templates (each bank has ten or more): a post does not say a thing twice.
    if (i > 0) at = (at + 1 + r.int(2)) % templates.length;
    const template = templates[at] as string;
    parts.push(template.replace(/\{(\w+)\}/g, (_, slot: string) => fillSlot(slot, r)));
  }
  if (lang === "en") {
    if (r.chance(0.2)) parts.unshift(r.pick(ASIDES_BEFORE));
    // A lone sentence always gets an ending of its own, so it is rarely said twice.
    if (count === 1 || r.chance(0.25)) parts.push(r.pick(ASIDES_AFTER));
  } else if (count === 1) {
    parts.push(`${r.pick(EMOJI)}${r.chance(0.5) ? ` ${r.pick(PLACES)}` : ""}`);
  }
  return parts.join(lang === "zh" ? "" : " ");
}

export function digitString(r: SeededRandom, digits: number): string {
  let out = String(1 + r.int(9));
  for (let i = 1; i < digits; i++) out += String(r.int(10));
  return out;
}

export function pickWeighted<T>(items: ReadonlyArray<readonly [T, number]>, r: SeededRandom): T {
  let u = r.next() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, weight] of items) {
    u -= weight;
    if (u < 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

/** An element of a list ordered by popularity, with probability ∝ 1 / rank (Zipf). */
export function zipfPick<T>(items: readonly T[], r: SeededRandom): T {
  const harmonic = Math.log(items.length) + 0.5772;
  let u = r.next() * harmonic;
  for (let i = 0; i < items.length; i++) {
    u -= 1 / (i + 1);
    if (u < 0) return items[i] as T;
  }
  return items[items.length - 1] as T;
}

export function personaName(
  lang: CampaignLanguage,
  r: SeededRandom,
): { name: string; base: string } {
  if (lang === "en") {
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    return {
      name: `${first} ${last}`,
      base: `${first.toLowerCase()}${last[0]?.toLowerCase() ?? ""}`,
    };
  }
  return { name: r.pick(LOCAL_NAMES[lang]), base: r.pick(HANDLE_BASES[lang]) };
}

export function organicBio(r: SeededRandom): string {
  const a = r.pick(BIO_INTERESTS);
  let b = r.pick(BIO_INTERESTS);
  if (b === a) b = r.pick(BIO_INTERESTS);
  return r.pick([
    `${r.pick(BIO_ROLES)}. ${capitalise(a)} and ${b}. ${r.pick(PLACES)}.`,
    `${r.pick(BIO_ROLES)} in ${r.pick(PLACES)}. Opinions my own.`,
    `${capitalise(a)}, ${b}, and too much ${r.pick(BIO_INTERESTS)}.`,
    `${r.pick(BIO_ROLES)} | ${a} | ${r.pick(PLACES)}`,
  ]);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fillSlot(slot: string, r: SeededRandom): string {
  switch (slot) {
    case "name":
      return r.pick(FIRST_NAMES);
    case "place":
      return r.pick(PLACES);
    case "num":
    case "num2":
      return String(r.between(2, 40));
    case "clock":
      return `${r.between(7, 22)}:${r.pick(["00", "15", "30", "45"])}`;
    default:
      return r.pick(SLOTS[slot] ?? [slot]);
  }
}

/** A link to a news article: outlets and articles shared with a Zipf law, so many share the same. */
export function newsLink(at: number, r: SeededRandom): string {
  const outlet = zipfPick(NEWS_OUTLETS, r);
  const day = new Date(Math.floor(at / DAY_MS) * DAY_MS - r.int(2) * DAY_MS);
  const article = zipfPick(ARTICLE_RANKS, r);
  // The slug is a function of outlet, day and article, so one article has one URL.
  let h = 2166136261;
  for (const ch of `${outlet}${day.getTime()}${article}`)
    h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  const words = [0, 1, 2, 3].map(
    (k) => NEWS_SLUG_WORDS[((h >>> (k * 7)) & 0x7fffffff) % NEWS_SLUG_WORDS.length],
  );
  const section = NEWS_SECTIONS[(h >>> 3) % NEWS_SECTIONS.length];
  const date = day.toISOString().slice(0, 10).replaceAll("-", "/");
  return `https://www.${outlet}/${section}/${date}/${words.join("-")}-${article}/`;
}

/** Articles an outlet publishes a day, as ranks for `zipfPick`. */
const ARTICLE_RANKS = Array.from({ length: 60 }, (_, i) => i + 1);

/** A URL slug of a few words of `text` (Latin words only) and a number. */
export function slug(text: string, r: SeededRandom): string {
  const words = text.toLowerCase().match(/[a-z]{4,}/g) ?? [];
  const picked = words.slice(0, 5).join("-");
  return `${picked === "" ? "story" : picked}-${r.between(1000, 9999)}`;
}
