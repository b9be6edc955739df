import { writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { isMap, LineCounter, parseDocument, stringify } from "yaml";
import type { z } from "zod";
import { VigilError } from "../errors.js";
import {
  type Outlet,
  parseDomain,
  type Watchlist,
  type WatchlistInput,
  WatchlistSchema,
} from "../model/index.js";
import { readTextFile } from "./read-text-file.js";

/** A watchlist file bigger than this is refused (about 200,000 outlets). */
export const MAX_WATCHLIST_BYTES = 50 * 1024 * 1024;
/** YAML aliases expand; cap them so a "billion laughs" file cannot exhaust memory. */
const MAX_YAML_ALIASES = 100;

/** Reads, validates and completes (ids filled in) a watchlist YAML file. */
export async function loadWatchlist(path: string): Promise<Watchlist> {
  const text = await readTextFile(path, MAX_WATCHLIST_BYTES, "VIGIL_ERR_WATCHLIST_INVALID").catch(
    (err) => {
      if (err instanceof VigilError && err.code === "VIGIL_ERR_INPUT_UNREADABLE") {
        throw new VigilError(
          "VIGIL_ERR_WATCHLIST_NOT_FOUND",
          `${path}: no watchlist here; run \`vigil init\` to write one, or pass --config`,
          { cause: err },
        );
      }
      throw err;
    },
  );
  const watchlist = parseWatchlist(text, path);
  const knownFile = watchlist.settings.domains.knownFile;
  if (knownFile !== undefined) {
    const file = resolve(dirname(path), knownFile);
    watchlist.settings.domains.known.push(...(await readKnownDomains(file)));
  }
  return watchlist;
}

/** A known-domains file bigger than this is refused (Tranco's top million is ~22 MB). */
export const MAX_KNOWN_FILE_BYTES = 100 * 1024 * 1024;

/**
 * Reads a list of known legitimate domains: one a line, or `rank,domain` as popularity
 * rankings ship; `#` comments and blank lines skipped. A line that is not a domain is an
 * error naming the file and line.
 */
export async function readKnownDomains(file: string): Promise<string[]> {
  const text = await readTextFile(file, MAX_KNOWN_FILE_BYTES, "VIGIL_ERR_WATCHLIST_INVALID");
  const out: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const value = line.includes(",") ? (line.split(",")[1] ?? "") : line;
    const parsed = parseDomain(value);
    if (!parsed.ok) {
      throw new VigilError(
        "VIGIL_ERR_WATCHLIST_INVALID",
        `${file} line ${i + 1}: ${parsed.message}`,
      );
    }
    out.push(parsed.domain.registrable);
  });
  return out;
}

/**
 * Parses watchlist YAML text. Errors name the file, line and field, e.g.
 * `vigil.yaml line 7 (outlets[1].domains[0]): invalid label "-x" in "-x.com"`.
 */
export function parseWatchlist(text: string, fileName: string): Watchlist {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new VigilError(
      "VIGIL_ERR_WATCHLIST_INVALID",
      `${fileName} line ${e ? lineAt(e.pos[0]) : 1}: ${e?.message.split("\n")[0] ?? "invalid YAML"}`,
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? {};
  } catch (err) {
    throw new VigilError("VIGIL_ERR_WATCHLIST_INVALID", `${fileName}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const result = WatchlistSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    throw new VigilError(
      "VIGIL_ERR_WATCHLIST_INVALID",
      `${fileName}${lineOfPath(doc, issue.path, lineAt)} (${formatPath(issue.path)}): ${issue.message}`,
    );
  }
  const watchlist = result.data;
  watchlist.outlets.forEach((outlet, i) => {
    outlet.domains.forEach((domain, j) => {
      const parsed = parseDomain(domain);
      if (!parsed.ok) {
        const path = ["outlets", i, "domains", j];
        throw new VigilError(
          "VIGIL_ERR_WATCHLIST_INVALID",
          `${fileName}${lineOfPath(doc, path, lineAt)} (${formatPath(path)}): ${parsed.message}`,
        );
      }
    });
  });
  return completeIds(watchlist);
}

function lineOfPath(
  doc: ReturnType<typeof parseDocument>,
  path: readonly PropertyKey[],
  lineAt: (offset: number) => number,
): string {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as
      | { range?: [number, number, number] }
      | undefined;
    if (node && typeof node === "object" && node.range) return ` line ${lineAt(node.range[0])}`;
  }
  return isMap(doc.contents) ? "" : " line 1";
}

function formatPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (out, key) =>
        typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key),
      "",
    ) || "(top level)"
  );
}

/** Fills in missing ids with unique slugs of the names. */
export function completeIds(watchlist: Watchlist): Watchlist {
  for (const list of [watchlist.outlets, watchlist.people, watchlist.organisations]) {
    const used = new Set(list.flatMap((e) => (e.id ? [e.id] : [])));
    for (const entity of list) {
      if (entity.id) continue;
      const base = slug(entity.name);
      let id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      entity.id = id;
    }
  }
  return watchlist;
}

/** `Der Spiegel` → `der-spiegel`; never empty. */
export function slug(name: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return s || "entity";
}

/**
 * Adds outlets to a watchlist. An outlet sharing a domain (case-insensitive) with listed
 * ones is merged with all of them into one: domains and handles united, and a real name
 * replacing a placeholder (a list of bare domains names each outlet after its domain).
 * Others are appended.
 */
export function mergeOutlets(
  watchlist: Watchlist,
  outlets: readonly Outlet[],
): { added: number; merged: number } {
  const byDomain = new Map<string, Outlet>();
  const index = (outlet: Outlet) => {
    for (const d of outlet.domains) byDomain.set(d.toLowerCase(), outlet);
  };
  for (const outlet of watchlist.outlets) index(outlet);
  let added = 0;
  let merged = 0;
  for (const incoming of outlets) {
    const matches = [
      ...new Set(incoming.domains.flatMap((d) => byDomain.get(d.toLowerCase()) ?? [])),
    ];
    const [keep, ...absorbed] = matches;
    if (!keep) {
      const copy = {
        ...incoming,
        domains: unique(incoming.domains),
        handles: [...incoming.handles],
        aliases: [...incoming.aliases],
      };
      watchlist.outlets.push(copy);
      index(copy);
      added++;
      continue;
    }
    const before = JSON.stringify(keep);
    for (const other of [...absorbed, incoming]) {
      keep.domains = unique([...keep.domains, ...other.domains]);
      keep.handles = [...new Set([...keep.handles, ...other.handles])];
      keep.aliases = [...new Set([...keep.aliases, ...other.aliases])];
      if (isPlaceholderName(keep) && !isPlaceholderName(other)) keep.name = other.name;
      if (keep.country === undefined && other.country !== undefined) keep.country = other.country;
    }
    if (absorbed.length > 0) {
      watchlist.outlets = watchlist.outlets.filter((o) => !absorbed.includes(o));
    }
    index(keep);
    if (JSON.stringify(keep) !== before) merged++;
  }
  completeIds(watchlist);
  return { added, merged };
}

/** An outlet named after one of its own domains: the name came from a bare domain list. */
function isPlaceholderName(outlet: Outlet): boolean {
  const name = outlet.name.toLowerCase();
  return outlet.domains.some((d) => d.toLowerCase() === name);
}

/** Domains de-duplicated case-insensitively, lower-cased. */
function unique(domains: readonly string[]): string[] {
  return [...new Set(domains.map((d) => d.toLowerCase()))];
}

/** Writes a watchlist as YAML, leaving out empty lists so the file stays readable. */
export async function saveWatchlist(
  path: string,
  watchlist: Watchlist | WatchlistInput,
  header?: string,
): Promise<void> {
  const compacted = JSON.parse(
    JSON.stringify(watchlist, (_k, v) => (Array.isArray(v) && v.length === 0 ? undefined : v)),
  );
  const body = stringify(compacted, { lineWidth: 0 });
  await writeFile(path, header ? `${header}\n${body}` : body, "utf8");
}
