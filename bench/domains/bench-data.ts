/**
 * The shared evaluation data, read as strings (nothing here resolves a name): the outlet
 * lists as vigil watchlists, and the real lookalikes with the outlet each imitates.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import {
  mergeOutlets,
  type Outlet,
  parseDomain,
  parseOutletsCsv,
  type Watchlist,
  WatchlistSchema,
} from "vigil";

export const US_NEWS_FILE = "outlets/us-news-domains.csv";
export const INTERNATIONAL_FILE = "outlets/international-outlets.csv";
export const LOOKALIKES_FILE = "lookalikes/lookalikes-dev.csv";

/** Outlets of one CSV file, failing loudly on any bad row: the bench must not measure a silently shortened list. */
export function readOutlets(dataDir: string, file: string): Outlet[] {
  const { outlets, problems } = parseOutletsCsv(readFileSync(join(dataDir, file)), file);
  if (problems.length > 0) {
    const first = problems[0];
    throw new Error(
      `${file}: ${problems.length} bad rows (line ${first?.line}: ${first?.message})`,
    );
  }
  return outlets;
}

/** A watchlist of these outlets (ids filled in, same-domain rows merged), default settings but `threshold`. */
export function watchlistOf(outlets: readonly Outlet[], threshold?: number): Watchlist {
  const watchlist = WatchlistSchema.parse(
    threshold === undefined ? {} : { settings: { domains: { threshold } } },
  );
  mergeOutlets(watchlist, outlets);
  return watchlist;
}

/** Distinct protected domains of a watchlist, sections of portals (`yahoo.com/news`) left out. */
export function protectedDomains(watchlist: Watchlist): string[] {
  return [...new Set(watchlist.outlets.flatMap((o) => o.domains))].filter((d) => !d.includes("/"));
}

/**
 * Bare registrable domains (no path, no subdomain) that dnstwist and vigil both treat as
 * the outlet's own name.
 */
export function isBareRegistrable(domain: string): boolean {
  if (domain.includes("/")) return false;
  const parsed = parseDomain(domain);
  return parsed.ok && parsed.domain.subdomain === "" && parsed.domain.ascii === domain;
}

export interface RealLookalike {
  domain: string;
  /** As the file states it: one of the outlet's domains, or its name. */
  target: string;
}

export function readLookalikes(dataDir: string): RealLookalike[] {
  const rows = parse(readFileSync(join(dataDir, LOOKALIKES_FILE)), {
    from_line: 2,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  }) as string[][];
  return rows.map(([domain = "", target = ""]) => ({ domain: domain.toLowerCase(), target }));
}

/**
 * The outlet a stated target names: by one of its domains, its name, or a short name
 * given in brackets (`RBK` for "RBC-Ukraine (RBK)"), all case-insensitive.
 */
export function resolveTarget(watchlist: Watchlist, target: string): Outlet | undefined {
  const wanted = target.trim().toLowerCase();
  return (
    watchlist.outlets.find((o) => o.domains.some((d) => d.split("/")[0] === wanted)) ??
    watchlist.outlets.find((o) => o.name.toLowerCase() === wanted) ??
    watchlist.outlets.find((o) => /\(([^)]+)\)/.exec(o.name)?.[1]?.toLowerCase() === wanted)
  );
}
