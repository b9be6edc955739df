import type { EmailMessage } from "../../model/index.js";
import { skeleton } from "../domains/index.js";
import { type EmailRule, type EmailSignal, EMAIL_RULE_WEIGHTS as W } from "./email-features.js";

/** Characters of the body searched for invisible characters. */
const MAX_OBFUSCATION_TEXT = 20_000;
/** Invisible characters between letters needed to fire: one can be a copy-paste accident. */
export const MIN_INVISIBLE = 3;
/** Links judged per message. */
const MAX_OBFUSCATION_LINKS = 200;
/** Escapes of letters and digits (which never need escaping) that make a link obfuscated. */
const MIN_NEEDLESS_ESCAPES = 3;
/** A run of base64 this long in a link is an encoded payload, not a word or an id. */
const MIN_BASE64_RUN = 24;

/**
 * Invisible characters: zero-width space, non-joiner and joiner, word joiner, invisible
 * operators, BOM, combining grapheme joiner, Mongolian vowel separator, Khmer inherent
 * vowels. Put between the Latin letters of a word, they break the words filters look for
 * while the reader sees nothing. Only Latin neighbours count: Persian and Indic writing
 * use the zero-width non-joiner between letters as spelling. The soft hyphen is left out:
 * newsletters put it in long words as a hyphenation hint.
 */
const INVISIBLE_BETWEEN_LETTERS =
  /(?<=\p{Script=Latin})(?:[\u200b-\u200d\u2060-\u2064\ufeff\u180e\u17b4\u17b5]|\u034f)+(?=\p{Script=Latin})/gu;
/** Letters made of symbols: mathematical alphanumerics, full-width and enclosed letters. */
const SYMBOL_LETTERS =
  /[\u{1d400}-\u{1d7ff}\uff21-\uff3a\uff41-\uff5a\u24b6-\u24e9\u{1f130}-\u{1f189}]/u;
/** Marks European languages put on Latin letters (accents, cedillas, …). */
const LATIN_MARKS = /[\u0300-\u036f]/u;

/**
 * Signals of text and links built to slip past a reader or a filter: invisible characters
 * between letters, words whose letters are borrowed from other scripts or made of symbols
 * (`Аmazon` with Cyrillic `А`, `𝕚ℂ𝕝𝕠𝕦𝕕`, `Aܿmܿaܿzܿon`), links that run a script or carry a
 * page inline (`data:`, `javascript:`), links whose visible start is a user name
 * (`https://paypal.com@evil.example/`), and links obfuscated with needless
 * percent-escapes or long base64 payloads.
 */
export function obfuscationSignals(message: EmailMessage): EmailSignal[] {
  const out: EmailSignal[] = [];
  const head = `${message.from?.name ?? ""}\n${message.subject}`;
  const body = message.text.slice(0, MAX_OBFUSCATION_TEXT);

  let invisible = 0;
  for (const m of `${head}\n${body}`.matchAll(INVISIBLE_BETWEEN_LETTERS)) {
    invisible += m[0].length;
    if (invisible >= 1000) break;
  }
  if (invisible >= MIN_INVISIBLE) {
    out.push({
      rule: "invisible-characters",
      feature: `${invisible >= 1000 ? "1000+" : invisible} invisible characters between letters`,
      weight: W["invisible-characters"],
      explanation:
        "Invisible characters are put between the letters of words, to break up the words mail filters look for while the reader sees nothing.",
      techniques: [],
    });
  }

  const disguised = disguisedWord(head);
  if (disguised !== undefined) {
    out.push({
      rule: "disguised-letters",
      feature: `"${disguised.slice(0, 100)}" in the sender's name or subject is written with look-alike letters`,
      weight: W["disguised-letters"],
      explanation:
        "A word of the sender's name or subject is made of letters from another script, symbol letters or stray marks that look like ordinary ones, a disguise against filters and readers.",
      techniques: ["impersonation"],
    });
  }

  const fired = new Set<EmailRule>();
  const fire = (rule: EmailRule, feature: string, explanation: string, href: string) => {
    if (fired.has(rule)) return;
    fired.add(rule);
    out.push({
      rule,
      feature,
      weight: W[rule as keyof typeof W],
      explanation,
      techniques: ["link"],
      evidence: [{ type: "link", value: href.slice(0, 120) }],
    });
  };
  for (const link of message.links.slice(0, MAX_OBFUSCATION_LINKS)) {
    const href = link.href.trim();
    const scheme = /^([a-z][a-z0-9+.-]{0,20}):/i.exec(href)?.[1]?.toLowerCase();
    if (scheme === "data" || scheme === "javascript" || scheme === "vbscript") {
      fire(
        "script-link",
        `a ${scheme}: link`,
        scheme === "data"
          ? "A link carries its page inside itself (a data: URI), a way to show a fake login page that no web filter has seen."
          : "A link runs a script when clicked.",
        href,
      );
      continue;
    }
    if (scheme !== "http" && scheme !== "https") continue;
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      continue;
    }
    if (url.username !== "" || url.password !== "") {
      fire(
        "userinfo-link",
        `link starts "${decode(url.username).slice(0, 60)}@" but goes to ${url.hostname}`,
        "The link begins with what looks like a site's name, but that part is a user name: the browser goes to the host after the @.",
        href,
      );
    }
    const needless = href.match(/%(?:3[0-9]|4[1-9a-f]|5[0-9a]|6[1-9a-f]|7[0-9a])/gi)?.length ?? 0;
    const base64 = longBase64(`${url.pathname}${url.search}${url.hash}`);
    if (needless >= MIN_NEEDLESS_ESCAPES || base64 !== undefined) {
      fire(
        "obfuscated-link",
        needless >= MIN_NEEDLESS_ESCAPES
          ? `link to ${url.hostname} escapes ${needless} letters or digits that need no escaping`
          : `link to ${url.hostname} carries base64 that decodes to ${base64}`,
        "The link is encoded to hide what it says: letters escaped for no reason, or an address or another link packed in base64.",
        href,
      );
    }
  }
  return out;
}

/**
 * The first word that mixes Latin letters with look-alikes from another script, is made
 * of symbol letters, or carries marks that are not European accents on Latin letters.
 * Whole words in one other script (Greek, Cyrillic text) are ordinary and do not count.
 */
export function disguisedWord(text: string): string | undefined {
  for (const word of text.split(/[\s,.;:!?()[\]{}<>"'/|_*#@-]+/u)) {
    if (word === "" || /^[\x20-\x7e]*$/.test(word)) continue;
    if (SYMBOL_LETTERS.test(word)) return word;
    const letters = word.normalize("NFD");
    let latin = false;
    let lookalike = false;
    let foreignMark = false;
    for (const ch of letters) {
      if (/\p{M}/u.test(ch)) {
        if (!LATIN_MARKS.test(ch)) foreignMark = true;
        continue;
      }
      if (!/\p{L}/u.test(ch)) continue;
      if (/\p{Script=Latin}/u.test(ch)) latin = true;
      else if (/^[a-z]+$/i.test(skeleton(ch))) lookalike = true;
    }
    if (latin && (lookalike || foreignMark)) return word;
  }
  return undefined;
}

/** What a long base64 run in a link decodes to, when it is an address or a link. */
function longBase64(text: string): string | undefined {
  for (const m of text.matchAll(/[A-Za-z0-9+_-]{24,}={0,2}/g)) {
    const run = m[0];
    if (run.length < MIN_BASE64_RUN) continue;
    const decoded = Buffer.from(run.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString(
      "latin1",
    );
    if (/^[\x20-\x7e]{8,}$/.test(decoded.slice(0, 200))) {
      if (/[a-z0-9._%+-]+@[a-z0-9-]+\.[a-z]/i.test(decoded)) return "an e-mail address";
      if (/https?:\/\//i.test(decoded)) return "another link";
    }
  }
  return undefined;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
