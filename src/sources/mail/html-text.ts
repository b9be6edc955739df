import type { EmailLink } from "../../model/index.js";

/** HTML characters read for text and links: past 2 MiB a message body is padding. */
export const MAX_HTML_CHARS = 2 * 1024 * 1024;
/** Characters after an anchor's start searched for its end: anchor text is short. */
const MAX_ANCHOR_CHARS = 4_000;

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/** Decodes the common named entities and numeric references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body[0] === "#") {
      const code =
        body[1] === "x" || body[1] === "X"
          ? Number.parseInt(body.slice(2), 16)
          : Number.parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Tags whose content is not shown. */
const HIDDEN = new Set(["script", "style", "head", "title"]);
/** Tags that break a line. */
const BLOCK = new Set([
  "p",
  "div",
  "br",
  "tr",
  "li",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "table",
  "td",
]);

/**
 * HTML read as text, as a reader would see it: scripts, styles and comments dropped,
 * tags removed (block tags as line breaks), entities decoded, spaces collapsed. One
 * pass with `indexOf`, linear in the input whatever its tags: no DOM for hostile HTML.
 */
export function htmlToText(input: string): string {
  const html = input.slice(0, MAX_HTML_CHARS);
  const lower = html.toLowerCase();
  const n = html.length;
  const out: string[] = [];
  let i = 0;
  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      out.push(html.slice(i));
      break;
    }
    out.push(html.slice(i, lt));
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    const gt = html.indexOf(">", lt);
    if (gt < 0) break; // an unclosed tag: the rest is inside it
    const name = /^<\/?([a-z0-9]{1,10})/.exec(lower.slice(lt, Math.min(gt, lt + 12)))?.[1] ?? "";
    if (HIDDEN.has(name) && lower[lt + 1] !== "/") {
      const end = lower.indexOf(`</${name}`, gt);
      const after = end < 0 ? -1 : html.indexOf(">", end);
      i = after < 0 ? n : after + 1;
      continue;
    }
    out.push(BLOCK.has(name) ? "\n" : " ");
    i = gt + 1;
  }
  return decodeEntities(out.join(""))
    .replace(/[ \t\r\f\v\u00a0]+/g, " ")
    .replace(/ ?\n\s*/g, "\n")
    .trim();
}

/**
 * The anchors of an HTML body: each `href` with the text shown for it. Found with
 * `indexOf`, each search starting where the last one ended, so a body of unclosed
 * anchors costs linear time.
 */
export function htmlLinks(html: string, max: number): EmailLink[] {
  const text = html.slice(0, MAX_HTML_CHARS);
  const lower = text.toLowerCase();
  const out: EmailLink[] = [];
  let at = 0;
  let close = -1;
  let end = -1;
  while (out.length < max) {
    const start = lower.indexOf("<a", at);
    if (start < 0) break;
    at = start + 2;
    const next = lower[start + 2];
    if (next !== " " && next !== "\n" && next !== "\t" && next !== "\r") continue;
    // The first ">" after an earlier start is the first after this one too, unless passed.
    if (close < start) close = lower.indexOf(">", start);
    if (close < 0) break;
    if (close - start > MAX_ANCHOR_CHARS) continue;
    const tag = text.slice(start, close + 1);
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    const value = decodeEntities(href?.[1] ?? href?.[2] ?? href?.[3] ?? "").trim();
    if (value === "" || value.startsWith("#") || /^mailto:/i.test(value)) continue;
    if (end < close) end = lower.indexOf("</a", close);
    const inner = end < 0 || end - close > MAX_ANCHOR_CHARS ? "" : text.slice(close + 1, end);
    const shown = htmlToText(inner).replace(/\s+/g, " ").slice(0, 1_000);
    out.push({
      href: value.slice(0, 4_096),
      ...(shown === "" ? {} : { text: shown }),
      from: "html",
    });
    at = close + 1;
  }
  return out;
}

/** URLs written out in plain text (`http://…`, `https://…`). */
export function textLinks(text: string, max: number): EmailLink[] {
  const out: EmailLink[] = [];
  for (const match of text.matchAll(/\bhttps?:\/\/[^\s<>"'`)\]}]{1,4000}/gi)) {
    out.push({ href: match[0].replace(/[.,;:!?]+$/, ""), from: "text" });
    if (out.length >= max) break;
  }
  return out;
}
