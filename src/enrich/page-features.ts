import { createHash } from "node:crypto";
import { Readability } from "@mozilla/readability";
import { Parser } from "htmlparser2";
import { parseHTML } from "linkedom";
import { decodeHtml } from "./html-text.js";
import { murmur3x86_32 } from "./murmur3.js";
import { type PageContact, readContact } from "./page-contact.js";
import { findSiteMarkers, type SiteMarkers } from "./page-markers.js";
import { findTrackingIds, type TrackingIds } from "./tracking-ids.js";

/** HTML parsed of a page; the rest is cut (real pages are < 2 MiB; the body limit is 10). */
export const MAX_PAGE_HTML_CHARS = 4 * 1024 * 1024;
/** Elements walked; a page with more is fingerprinted on its first ones. */
export const MAX_ELEMENTS = 100_000;
/**
 * Deepest nesting Readability is run on: it recurses over the tree, so a 10,000-level
 * page would overflow the stack. Real pages nest < 40 deep.
 */
export const MAX_READABILITY_DEPTH = 300;
/** Article text kept, in characters. */
export const MAX_ARTICLE_CHARS = 200_000;
/** Of each list (hosts, scripts, classes), the most kept. */
export const MAX_LIST_ITEMS = 500;
/** Longest single text field kept (title, description, a meta value). */
export const MAX_FIELD_CHARS = 2000;
/** Tag-path shingle length, and MinHash values of the structure signature. */
export const SHINGLE_DEPTH = 4;
export const MINHASH_SIZE = 64;
/** Address, footer and contact elements whose text is kept (a page has one or two). */
export const MAX_CONTACT_TEXTS = 8;
/** JSON-LD blocks kept for reading (news pages have one to three). */
export const MAX_JSON_LD_BLOCKS = 8;
/** A JSON-LD block longer than this is not read: real ones are a few KiB. */
export const MAX_JSON_LD_CHARS = 256 * 1024;
/** `tel:` links kept. */
export const MAX_PHONE_LINKS = 10;

/** Everything read from one page, as stored in a `page` observation. */
export interface PageFeatures {
  charset: string;
  lang?: string;
  title?: string;
  description?: string;
  keywords: string[];
  /** `og:*`, `article:*` and `twitter:*` meta properties. */
  openGraph: Record<string, string>;
  canonical?: string;
  generator?: string;
  author?: string;
  publishedAt?: string;
  article?: { title: string; byline?: string; excerpt?: string; text: string; length: number };
  links: { internal: number; external: number; hosts: string[] };
  scripts: { src: string[]; inlineSha256: string[] };
  stylesheets: { href: string[]; inlineSha256: string[] };
  /** The icon the page names (resolved), or the site's `/favicon.ico`. */
  faviconUrl: string;
  tracking: TrackingIds;
  /**
   * The page's shape: SHA-256 of its distinct tag paths (equal for pages of one
   * template), and a MinHash of its tag-path shingles (near for similar templates).
   */
  structure: { hash: string; minhash: number[]; elements: number; maxDepth: number };
  /** Distinct CSS class names, sorted, and the SHA-256 of the full set. */
  cssClasses: { count: number; hash: string; vocabulary: string[] };
  markers: SiteMarkers;
  /**
   * What the page says of where its publisher is, as written (absent when it says
   * nothing): read by the site detectors' claimed location.
   */
  contact?: PageContact;
  /** Limits this page hit (`html-truncated`, `elements`, `depth-readability-skipped`). */
  limits: string[];
}

/** A node as linkedom gives it, with what is used here. */
interface El {
  nodeType: number;
  tagName: string;
  firstElementChild: El | null;
  nextElementSibling: El | null;
  getAttribute(name: string): string | null;
  textContent: string | null;
}

/** Elements htmlparser2 closes as soon as they open (its HTML void list). */
const VOID_ELEMENTS = new Set([
  "area",
  "base",
  "basefont",
  "br",
  "col",
  "command",
  "embed",
  "frame",
  "hr",
  "img",
  "input",
  "isindex",
  "keygen",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);

/**
 * Where an element (the head, a declared article) lies in the source, and whether its
 * source alone parses to the same subtree: it ended at its own close tag or was closed
 * by a sibling's open tag, not by an ancestor's close tag or the end of the page.
 */
interface SourceSpan {
  start: number;
  end: number;
  textLength: number;
  clean: boolean;
}

/** An open element of the parse, mirroring the node linkedom would have open. */
interface Frame {
  name: string;
  start: number;
  /** Depth under the document element (1 for it), 0 when outside the walk. */
  depth: number;
  path: string[];
  foreign: boolean;
  /** Inline script or style text, title text: collected until the element closes. */
  text: string[] | null;
  /** Where an inline script or style's text goes once it is known. */
  inline: InlineText | null;
  spans: SourceSpan[] | null;
  /** A `<script type="application/ld+json">`: its text is kept for `readContact`. */
  jsonLd: boolean;
}

/** Text of an address, footer or contact element, collected until it closes. */
interface ContactRegion {
  frame: Frame;
  parts: string[];
  length: number;
}

/** Elements that start a line of contact text ("22 River Street" / "Savannah, GA 31401"). */
const BLOCK_ELEMENTS = new Set([
  "p",
  "div",
  "br",
  "li",
  "ul",
  "ol",
  "address",
  "section",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "tr",
  "td",
  "dt",
  "dd",
]);
/** Elements whose text is not shown: left out of contact text. */
const HIDDEN_TEXT = new Set(["script", "style", "noscript", "template"]);
/** An element's class or id naming it a contact or address block. */
const CONTACT_CLASS = /(?:^|[\s_-])(?:contact|address|colophon)(?:$|[\s_-])/i;

interface InlineText {
  set: Set<string>;
  text?: string;
}

/** What `parseHTML` passes htmlparser2 (linkedom's parse-from-string), so events agree. */
const PARSER_OPTIONS = { lowerCaseAttributeNames: false, decodeEntities: true, xmlMode: false };

/**
 * Reads a page's features from its bytes. Pure (no I/O): `url` is the page's final URL,
 * against which links are resolved. Works under limits on text, elements and depth;
 * what a limit cut is said in `limits`.
 *
 * The features are read from htmlparser2's event stream, walking the tree linkedom would
 * build from the same events without building it: building the DOM of a 300 KB page is
 * most of the cost. A DOM (linkedom: light, never runs scripts or loads resources) is
 * built only for Readability, and only of the page's declared article with its head when
 * it has one (see `articleDocument`).
 */
export function extractPage(body: Buffer, url: string, contentType?: string): PageFeatures {
  const limits: string[] = [];
  const decoded = decodeHtml(body, contentType);
  let html = decoded.text;
  if (html.length > MAX_PAGE_HTML_CHARS) {
    html = html.slice(0, MAX_PAGE_HTML_CHARS);
    limits.push("html-truncated");
  }
  const base = new URL(url);
  const metas = new Map<string, string>();
  const openGraph: Record<string, string> = {};
  const links = { internal: 0, external: 0, hosts: new Set<string>() };
  const scripts = { src: new Set<string>(), inline: new Set<string>() };
  const styles = { href: new Set<string>(), inline: new Set<string>() };
  const classes = new Set<string>();
  const paths = new Set<string>();
  const shingles = new Set<number>();
  const shingleHashes = new Map<string, number>();
  let canonical: string | undefined;
  let icon: string | undefined;
  let baseHref: URL = base;
  const resolve = (ref: string | undefined): URL | undefined => {
    if (ref === undefined || ref.trim() === "" || ref.length > 4096) return undefined;
    try {
      return new URL(ref.trim(), baseHref);
    } catch {
      return undefined;
    }
  };
  const cap = <T>(set: Set<T>, value: T) => {
    if (set.size < MAX_LIST_ITEMS) set.add(value);
  };
  // Inline script and style hashes are known when the element closes; they join their
  // sets in the order the elements opened, as a walk of the tree adds them.
  const inlineTexts: InlineText[] = [];

  let elements = 0;
  let maxDepth = 0;
  let walking = true;
  let root: Frame | undefined;
  let lang: string | undefined;
  let rootHasChild = false;
  let head: Frame | undefined;
  let headOpen = false;
  let headSpan: SourceSpan | undefined;
  let titleFrame: Frame | undefined;
  let title: string | undefined;
  let declaredCount = 0;
  let articleCount = 0;
  let declared: SourceSpan | undefined;
  let article: SourceSpan | undefined;
  const stack: Frame[] = [];
  const collecting: Frame[] = [];
  const measuring: SourceSpan[] = [];
  let ending = false;
  const contactTexts: string[] = [];
  const jsonLd: string[] = [];
  const phones = new Set<string>();
  let region: ContactRegion | undefined;

  const attr = (attribs: Record<string, string>, name: string): string | undefined =>
    Object.hasOwn(attribs, name) ? attribs[name] : undefined;

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const parent = stack[stack.length - 1];
        const frame: Frame = {
          name,
          start: parser.startIndex,
          depth: 0,
          path: [],
          foreign: parent?.foreign === true || name === "svg" || name === "math",
          text: null,
          inline: null,
          spans: null,
          jsonLd: false,
        };
        stack.push(frame);
        // Text of where the publisher says it is: the first address, footer or contact
        // block seen (one inside another is part of it). A tag separates words.
        if (region !== undefined) {
          if (region.length < MAX_FIELD_CHARS) {
            region.parts.push(BLOCK_ELEMENTS.has(name) ? "\n" : " ");
            region.length++;
          }
        } else if (contactTexts.length < MAX_CONTACT_TEXTS && isContactElement(name, attribs)) {
          region = { frame, parts: [], length: 0 };
        }
        if (parent === undefined) {
          if (root === undefined) {
            root = frame;
            frame.depth = 1;
            lang = attr(attribs, "lang");
          }
        } else if (parent.depth > 0) {
          frame.depth = parent.depth + 1;
          if (parent === root && !rootHasChild) {
            rootHasChild = true;
            if (name === "head") {
              head = frame;
              headOpen = true;
              headSpan = { start: frame.start, end: -1, textLength: 0, clean: true };
              frame.spans = [headSpan];
              measuring.push(headSpan);
            }
          }
        }
        // `document.title`: the text of the first <title> in the head.
        if (name === "title" && headOpen && titleFrame === undefined) {
          titleFrame = frame;
          frame.text = [];
        }
        // What `articleDocument` looks for: any element of the document, walked or not.
        if (attr(attribs, "itemprop") === "articleBody" && ++declaredCount === 1) {
          declared = { start: frame.start, end: -1, textLength: 0, clean: true };
          frame.spans = [...(frame.spans ?? []), declared];
          measuring.push(declared);
        }
        if (name === "article" && ++articleCount === 1) {
          article = { start: frame.start, end: -1, textLength: 0, clean: true };
          frame.spans = [...(frame.spans ?? []), article];
          measuring.push(article);
        }
        if (frame.depth > 0 && walking) walk(frame, parent, attribs);
        if (frame.text !== null) collecting.push(frame);
      },
      ontext(text) {
        for (const frame of collecting) (frame.text as string[]).push(text);
        if (
          region !== undefined &&
          region.length < MAX_FIELD_CHARS &&
          !HIDDEN_TEXT.has((stack[stack.length - 1] as Frame).name)
        ) {
          region.parts.push(text);
          region.length += text.length;
        }
        for (const span of measuring) span.textLength += text.length;
      },
      onclosetag(_name, isImplied) {
        const frame = stack.pop();
        if (frame === undefined) return;
        // Opened by the token that closes it: a void element, the <p> a stray </p> makes,
        // or an element self-closed in SVG or MathML (which the small document might not close).
        const selfClosed = frame.start === parser.startIndex;
        const closeToken = html.charCodeAt(parser.startIndex + 1) === 0x2f;
        if (selfClosed && !closeToken && !VOID_ELEMENTS.has(frame.name))
          for (const span of measuring) span.clean = false;
        if (frame.text !== null) {
          collecting.splice(collecting.lastIndexOf(frame), 1);
          const text = frame.text.join("");
          if (frame === titleFrame) title = text;
          if (frame.inline !== null) frame.inline.text = text;
          if (
            frame.jsonLd &&
            jsonLd.length < MAX_JSON_LD_BLOCKS &&
            text.length <= MAX_JSON_LD_CHARS
          )
            jsonLd.push(text);
        }
        if (frame === region?.frame) {
          const text = clipLines(region.parts.join(""));
          if (text !== undefined) contactTexts.push(text);
          region = undefined;
        }
        if (frame === head) headOpen = false;
        if (frame.spans !== null) {
          const closedByOpenTag = isImplied && !closeToken;
          for (const span of frame.spans) {
            span.end = selfClosed || !isImplied ? parser.endIndex : parser.startIndex - 1;
            span.clean &&=
              !ending &&
              !frame.foreign &&
              (selfClosed || !isImplied || closedByOpenTag) &&
              span.end >= span.start;
            const at = measuring.indexOf(span);
            if (at !== -1) measuring.splice(at, 1);
          }
        }
      },
    },
    PARSER_OPTIONS,
  );

  function walk(frame: Frame, parent: Frame | undefined, attribs: Record<string, string>) {
    if (++elements > MAX_ELEMENTS) {
      limits.push("elements");
      walking = false;
      return;
    }
    const tag = frame.name;
    if (frame.depth > maxDepth) maxDepth = frame.depth;
    const parentPath = parent?.depth ? parent.path : [];
    const path =
      parentPath.length >= SHINGLE_DEPTH - 1
        ? [...parentPath.slice(1 - SHINGLE_DEPTH), tag]
        : [...parentPath, tag];
    frame.path = path;
    const shingle = path.join(">");
    if (paths.size < MAX_ELEMENTS) paths.add(shingle);
    let hash = shingleHashes.get(shingle);
    if (hash === undefined) {
      hash = murmur3x86_32(Buffer.from(shingle));
      shingleHashes.set(shingle, hash);
    }
    shingles.add(hash);
    // linkedom's `getAttribute("class")`: the class tokens (attribute names keep their case).
    const cls = attr(attribs, "class");
    if (cls !== undefined)
      for (const c of cls.split(/\s+/)) if (c !== "" && c.length <= 100) cap(classes, c);
    switch (tag) {
      case "base": {
        const b = resolve(attr(attribs, "href"));
        if (b !== undefined) baseHref = b;
        break;
      }
      case "meta": {
        const name = (
          attr(attribs, "name") ??
          attr(attribs, "property") ??
          attr(attribs, "itemprop") ??
          ""
        ).toLowerCase();
        const content = attr(attribs, "content");
        if (name !== "" && content !== undefined && metas.size < MAX_LIST_ITEMS) {
          const value = content.trim().slice(0, MAX_FIELD_CHARS);
          if (!metas.has(name)) metas.set(name, value);
          if (/^(og|article|twitter):/.test(name) && openGraph[name] === undefined)
            openGraph[name] = value;
        }
        break;
      }
      case "link": {
        const rel = (attr(attribs, "rel") ?? "").toLowerCase().split(/\s+/);
        const href = resolve(attr(attribs, "href"));
        if (href === undefined) break;
        if (rel.includes("canonical") && canonical === undefined) canonical = href.href;
        if (rel.includes("stylesheet")) cap(styles.href, href.href);
        if (rel.includes("icon") && icon === undefined) icon = href.href;
        break;
      }
      case "a": {
        const raw = attr(attribs, "href");
        if (raw !== undefined && /^\s*tel:/i.test(raw)) {
          if (phones.size < MAX_PHONE_LINKS) phones.add(raw.trim().slice(4, 64));
          break;
        }
        const href = resolve(raw);
        if (href === undefined || (href.protocol !== "http:" && href.protocol !== "https:")) break;
        if (href.hostname === base.hostname) links.internal++;
        else {
          links.external++;
          cap(links.hosts, href.hostname.toLowerCase());
        }
        break;
      }
      case "script": {
        const src = resolve(attr(attribs, "src"));
        if (src !== undefined) cap(scripts.src, src.href);
        else {
          frame.text ??= [];
          frame.inline = { set: scripts.inline };
          inlineTexts.push(frame.inline);
          frame.jsonLd = /^\s*application\/ld\+json\s*(?:;|$)/i.test(attr(attribs, "type") ?? "");
        }
        break;
      }
      case "style":
        frame.text ??= [];
        frame.inline = { set: styles.inline };
        inlineTexts.push(frame.inline);
        break;
    }
  }

  parser.write(html);
  ending = true;
  parser.end();
  for (const { set, text } of inlineTexts) {
    // A blank inline script is not listed; a blank style is.
    if (text === undefined || (set === scripts.inline && text.trim() === "")) continue;
    cap(set, sha256(text));
  }

  const meta = (name: string) => metas.get(name) || undefined;
  const features: PageFeatures = {
    charset: decoded.charset,
    keywords: (meta("keywords") ?? "")
      .split(",")
      .map((k) => k.trim())
      .filter((k) => k !== "")
      .slice(0, 100),
    openGraph,
    links: { internal: links.internal, external: links.external, hosts: [...links.hosts].sort() },
    scripts: { src: [...scripts.src], inlineSha256: [...scripts.inline] },
    stylesheets: { href: [...styles.href], inlineSha256: [...styles.inline] },
    faviconUrl: icon ?? new URL("/favicon.ico", base).href,
    tracking: findTrackingIds(html, metas),
    structure: {
      hash: sha256([...paths].sort().join("\n")),
      minhash: minHash(shingles),
      elements: Math.min(elements, MAX_ELEMENTS),
      maxDepth,
    },
    cssClasses: {
      count: classes.size,
      hash: sha256([...classes].sort().join(" ")),
      vocabulary: [...classes].sort(),
    },
    markers: findSiteMarkers(html),
    limits,
  };
  const contact = readContact({ jsonLd, texts: contactTexts, phones: [...phones], metas });
  if (contact !== undefined) features.contact = contact;
  if (lang) features.lang = lang.slice(0, 35);
  const pageTitle = clip(title?.trim() || meta("og:title"));
  if (pageTitle !== undefined) features.title = pageTitle;
  const description = clip(meta("description") ?? meta("og:description"));
  if (description !== undefined) features.description = description;
  if (canonical !== undefined) features.canonical = canonical;
  const generator = meta("generator");
  if (generator !== undefined) features.generator = generator;
  const author = meta("author") ?? meta("article:author") ?? meta("twitter:creator");
  const published =
    meta("article:published_time") ?? meta("datepublished") ?? meta("date") ?? meta("pubdate");

  if (maxDepth > MAX_READABILITY_DEPTH) {
    limits.push("depth-readability-skipped");
  } else if (!limits.includes("elements") && root !== undefined) {
    try {
      const candidate =
        declaredCount > 0
          ? declaredCount === 1
            ? declared
            : undefined
          : articleCount === 1
            ? article
            : undefined;
      // Readability changes the document it reads: it gets one of its own.
      const read = new Readability(
        (articleSource(html, candidate, head === undefined ? undefined : headSpan, lang) ??
          pageDocument(html)) as never,
        { charThreshold: 200 },
      ).parse();
      if (read !== null && (read.textContent ?? "").trim() !== "") {
        const text = (read.textContent ?? "").replace(/\s+/g, " ").trim();
        features.article = {
          title: clip(read.title ?? "") ?? "",
          text: text.slice(0, MAX_ARTICLE_CHARS),
          length: text.length,
          ...(read.byline ? { byline: clip(read.byline) as string } : {}),
          ...(read.excerpt ? { excerpt: clip(read.excerpt) as string } : {}),
        };
        if (author === undefined && read.byline) features.author = clip(read.byline) as string;
        const readPublished = (read as { publishedTime?: string | null }).publishedTime;
        if (published === undefined && readPublished)
          features.publishedAt = readPublished.slice(0, 100);
      }
    } catch {
      limits.push("readability-failed");
    }
  }
  if (author !== undefined) features.author = author;
  if (published !== undefined) features.publishedAt = published.slice(0, 100);
  return features;
}

/** An `<address>` or `<footer>`, or an element marked as an address or named as contact details. */
function isContactElement(name: string, attribs: Record<string, string>): boolean {
  if (name === "address" || name === "footer") return true;
  const value = (key: string) => (Object.hasOwn(attribs, key) ? attribs[key] : undefined);
  const itemprop = value("itemprop");
  if (itemprop !== undefined && /\baddress\b/i.test(itemprop)) return true;
  const itemtype = value("itemtype");
  if (itemtype !== undefined && /PostalAddress/i.test(itemtype)) return true;
  const cls = value("class");
  if (cls !== undefined && CONTACT_CLASS.test(cls)) return true;
  const id = value("id");
  return id !== undefined && CONTACT_CLASS.test(id);
}

/** Close tags that, inside a sliced article or head, would close the small document's own elements. */
const OUTER_CLOSE_TAG = /<\/(?:head|body|html)[\s/>]/i;
/** A self-closing tag other than a void one: only self-closed in SVG and MathML. */
const SELF_CLOSING_TAG =
  /<(?!(?:area|base|basefont|br|col|command|embed|frame|hr|img|input|isindex|keygen|link|meta|param|source|track|wbr)[\s/>])[a-z][^\s/>]*(?:\s[^<>]*)?\/>/i;

/**
 * The small document Readability reads when the page declares one article: the source of
 * the article and of the head, sliced by the parser's positions, parse to the subtrees a
 * full parse would hold. Undefined (read the whole page) when there is no single declared
 * article with a real text, or when a slice might not parse alone as it did in place
 * (closed by an ancestor or the end of the page, inside SVG or MathML, holding a tag that
 * would close the small document's own elements).
 */
function articleSource(
  html: string,
  candidate: SourceSpan | undefined,
  head: SourceSpan | undefined,
  lang: string | undefined,
): ParsedDocument | undefined {
  if (candidate === undefined || candidate.textLength < MIN_DECLARED_ARTICLE_CHARS)
    return undefined;
  if (!candidate.clean || (head !== undefined && !head.clean)) return undefined;
  const body = html.slice(candidate.start, candidate.end + 1);
  const headHtml = head === undefined ? "<head></head>" : html.slice(head.start, head.end + 1);
  if (OUTER_CLOSE_TAG.test(body) || SELF_CLOSING_TAG.test(body)) return undefined;
  if (/<\/(?:body|html)[\s/>]/i.test(headHtml) || SELF_CLOSING_TAG.test(headHtml)) return undefined;
  const open = lang ? `<html lang="${lang.replace(/["<>]/g, "")}">` : "<html>";
  return parseHTML(`<!doctype html>${open}${headHtml}<body>${body}</body></html>`).document;
}

/** The whole page as linkedom parses it, as Readability read it before (see `articleDocument`). */
function pageDocument(html: string): ParsedDocument {
  const { document } = parseHTML(html);
  // As reading `document.title` did: linkedom gives a page without a head an empty one.
  return articleDocument(withHead(document));
}
/** Text a declared article element must hold to be read alone (Readability's charThreshold is 200). */
const MIN_DECLARED_ARTICLE_CHARS = 500;

/**
 * What Readability reads: the page's one declared article (`<article>`, or the element
 * marked `itemprop="articleBody"`) in a small document of its own with the page's head,
 * when there is exactly one and it holds a real text; else the whole page. Readability
 * scores every node of what it is given, and on a news page the menus, teasers and rails
 * around the article are most of the nodes: read alone, a 300 KB page's article takes a
 * fraction of the time, and Readability would have chosen that element anyway.
 */
function articleDocument(document: ParsedDocument): ParsedDocument {
  const pick = (selector: string) =>
    [...document.querySelectorAll(selector)] as unknown as Array<El & { outerHTML: string }>;
  const declared = pick('[itemprop="articleBody"]');
  const candidates = declared.length > 0 ? declared : pick("article");
  const only = candidates.length === 1 ? candidates[0] : undefined;
  if (only === undefined || (only.textContent ?? "").length < MIN_DECLARED_ARTICLE_CHARS)
    return document;
  const head = (document.head as unknown as { outerHTML?: string } | null)?.outerHTML ?? "";
  const lang = (document.documentElement as unknown as El | null)?.getAttribute("lang");
  const open = lang ? `<html lang="${lang.replace(/["<>]/g, "")}">` : "<html>";
  return parseHTML(`<!doctype html>${open}${head}<body>${only.outerHTML}</body></html>`).document;
}

function withHead(document: ParsedDocument): ParsedDocument {
  if (document.head === null) throw new Error("linkedom gave no head");
  return document;
}

type ParsedDocument = ReturnType<typeof parseHTML>["document"];

function clip(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/\s+/g, " ").trim();
  return t === "" ? undefined : t.slice(0, MAX_FIELD_CHARS);
}

/** Like `clip`, keeping line breaks (one per run of blank lines). */
function clipLines(text: string): string | undefined {
  const t = text
    .replace(/[^\S\n]+/g, " ")
    .replace(/ ?\n[\s]*/g, "\n")
    .trim();
  return t === "" ? undefined : t.slice(0, MAX_FIELD_CHARS);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * MinHash of a set of 32-bit shingle hashes: for each of `MINHASH_SIZE` seeds the
 * smallest re-hash. Two pages' signatures agree in about the share of shingles they share.
 */
function minHash(shingles: ReadonlySet<number>): number[] {
  const out = new Array<number>(MINHASH_SIZE).fill(0xffffffff);
  const bytes = Buffer.alloc(4);
  for (const s of shingles) {
    bytes.writeUInt32LE(s);
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const h = murmur3x86_32(bytes, i + 1);
      if (h < (out[i] as number)) out[i] = h;
    }
  }
  return out;
}
