import { createHash } from "node:crypto";
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { decodeHtml } from "./html-text.js";
import { murmur3x86_32 } from "./murmur3.js";
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

/**
 * Reads a page's features from its bytes. Pure (no I/O): `url` is the page's final URL,
 * against which links are resolved. Works under limits on text, elements and depth;
 * what a limit cut is said in `limits`.
 *
 * The HTML is parsed with linkedom, not jsdom: it builds a light DOM several times
 * faster, never runs scripts or loads resources, and is enough for Readability.
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
  const { document } = parseHTML(html);
  const metas = new Map<string, string>();
  const openGraph: Record<string, string> = {};
  const links = { internal: 0, external: 0, hosts: new Set<string>() };
  const scripts = { src: new Set<string>(), inline: new Set<string>() };
  const styles = { href: new Set<string>(), inline: new Set<string>() };
  const classes = new Set<string>();
  const paths = new Set<string>();
  const shingles = new Set<number>();
  let canonical: string | undefined;
  let icon: string | undefined;
  let baseHref: URL = base;
  const resolve = (ref: string | null): URL | undefined => {
    if (ref === null || ref.trim() === "" || ref.length > 4096) return undefined;
    try {
      return new URL(ref.trim(), baseHref);
    } catch {
      return undefined;
    }
  };
  const cap = <T>(set: Set<T>, value: T) => {
    if (set.size < MAX_LIST_ITEMS) set.add(value);
  };

  // Iterative walk with an explicit stack of tag paths: no recursion on hostile depth.
  let elements = 0;
  let maxDepth = 0;
  const root = document.documentElement as unknown as El | null;
  const stack: Array<{ el: El; path: string[]; depth: number }> =
    root === null ? [] : [{ el: root, path: [], depth: 1 }];
  while (stack.length > 0) {
    const {
      el,
      path: parentPath,
      depth,
    } = stack.pop() as { el: El; path: string[]; depth: number };
    if (++elements > MAX_ELEMENTS) {
      limits.push("elements");
      break;
    }
    const tag = el.tagName.toLowerCase();
    if (depth > maxDepth) maxDepth = depth;
    const path =
      parentPath.length >= SHINGLE_DEPTH - 1
        ? [...parentPath.slice(1 - SHINGLE_DEPTH), tag]
        : [...parentPath, tag];
    const shingle = path.join(">");
    if (paths.size < MAX_ELEMENTS) paths.add(shingle);
    shingles.add(murmur3x86_32(Buffer.from(shingle)));
    const cls = el.getAttribute("class");
    if (cls !== null)
      for (const c of cls.split(/\s+/)) if (c !== "" && c.length <= 100) cap(classes, c);
    switch (tag) {
      case "base": {
        const b = resolve(el.getAttribute("href"));
        if (b !== undefined) baseHref = b;
        break;
      }
      case "meta": {
        const name = (
          el.getAttribute("name") ??
          el.getAttribute("property") ??
          el.getAttribute("itemprop") ??
          ""
        ).toLowerCase();
        const content = el.getAttribute("content");
        if (name !== "" && content !== null && metas.size < MAX_LIST_ITEMS) {
          const value = content.trim().slice(0, MAX_FIELD_CHARS);
          if (!metas.has(name)) metas.set(name, value);
          if (/^(og|article|twitter):/.test(name) && openGraph[name] === undefined)
            openGraph[name] = value;
        }
        break;
      }
      case "link": {
        const rel = (el.getAttribute("rel") ?? "").toLowerCase().split(/\s+/);
        const href = resolve(el.getAttribute("href"));
        if (href === undefined) break;
        if (rel.includes("canonical") && canonical === undefined) canonical = href.href;
        if (rel.includes("stylesheet")) cap(styles.href, href.href);
        if (rel.includes("icon") && icon === undefined) icon = href.href;
        break;
      }
      case "a": {
        const href = resolve(el.getAttribute("href"));
        if (href === undefined || (href.protocol !== "http:" && href.protocol !== "https:")) break;
        if (href.hostname === base.hostname) links.internal++;
        else {
          links.external++;
          cap(links.hosts, href.hostname.toLowerCase());
        }
        break;
      }
      case "script": {
        const src = resolve(el.getAttribute("src"));
        if (src !== undefined) cap(scripts.src, src.href);
        else if ((el.textContent ?? "").trim() !== "")
          cap(scripts.inline, sha256(el.textContent ?? ""));
        break;
      }
      case "style":
        cap(styles.inline, sha256(el.textContent ?? ""));
        break;
    }
    // Children pushed in reverse, so they are visited in document order.
    const children: El[] = [];
    for (let c = el.firstElementChild; c !== null; c = c.nextElementSibling) children.push(c);
    for (let i = children.length - 1; i >= 0; i--)
      stack.push({ el: children[i] as El, path, depth: depth + 1 });
  }

  const meta = (name: string) => metas.get(name) || undefined;
  const title = clip((document as unknown as { title?: string }).title?.trim() || meta("og:title"));
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
  const lang = (document.documentElement as unknown as El | null)?.getAttribute("lang");
  if (lang) features.lang = lang.slice(0, 35);
  if (title !== undefined) features.title = title;
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
  } else if (!limits.includes("elements")) {
    try {
      // Readability changes the document it reads: it runs last.
      const article = new Readability(articleDocument(document) as never, {
        charThreshold: 200,
      }).parse();
      if (article !== null && (article.textContent ?? "").trim() !== "") {
        const text = (article.textContent ?? "").replace(/\s+/g, " ").trim();
        features.article = {
          title: clip(article.title ?? "") ?? "",
          text: text.slice(0, MAX_ARTICLE_CHARS),
          length: text.length,
          ...(article.byline ? { byline: clip(article.byline) as string } : {}),
          ...(article.excerpt ? { excerpt: clip(article.excerpt) as string } : {}),
        };
        if (author === undefined && article.byline)
          features.author = clip(article.byline) as string;
        const readPublished = (article as { publishedTime?: string | null }).publishedTime;
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

type ParsedDocument = ReturnType<typeof parseHTML>["document"];

function clip(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/\s+/g, " ").trim();
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
