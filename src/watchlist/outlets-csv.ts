import { parse } from "csv-parse/sync";
import { VigilError } from "../errors.js";
import { type Outlet, parseDomain, quote } from "../model/index.js";
import { decodeUtf8 } from "./read-text-file.js";

/** A CSV row that could not be used, named by line and field. */
export interface CsvRowProblem {
  line: number;
  field: string;
  message: string;
}

export interface OutletsCsvResult {
  outlets: Outlet[];
  problems: CsvRowProblem[];
  /** Which column was read for what, to show the user. */
  columns: { domain: string; name?: string; country?: string; handles?: string; aliases?: string };
}

/** One CSV record longer than this is refused: no outlet row needs 64 KiB. */
const MAX_RECORD_BYTES = 64 * 1024;
/** Rows beyond this are refused; the biggest public outlet lists have ~10,000. */
export const MAX_OUTLET_ROWS = 200_000;

/** Header names recognised for each column, lower-case. */
const COLUMN_NAMES = {
  domain: ["domain", "domains", "website", "websites", "url", "urls", "site", "host", "hostname"],
  name: ["name", "outlet", "outlet_name", "title", "publication"],
  country: ["country", "country_code", "cc"],
  handles: ["handles", "handle", "social", "accounts"],
  aliases: ["aliases", "alias", "aka", "also_known_as", "other_names"],
} as const;

/**
 * Reads outlets from CSV with a header row. Columns are recognised by their header:
 * a domain column (`domain`, `domains`, `url`, …; several domains split by `;`), and
 * optionally `name`, `country`, `handles`, `aliases`. Rows without a name are named
 * after their first domain. A name with a short form in brackets ("RBC-Ukraine (RBK)")
 * keeps it as an alias too. Bad rows are returned as problems naming line and field; the file as a
 * whole fails only when it is not a usable CSV.
 *
 * @example
 *   name,domains,country
 *   BBC,bbc.co.uk;bbc.com,GB
 */
export function parseOutletsCsv(bytes: Uint8Array, fileName: string): OutletsCsvResult {
  const text = decodeUtf8(bytes, fileName, "VIGIL_ERR_WATCHLIST_CSV");
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      max_record_size: MAX_RECORD_BYTES,
      to: MAX_OUTLET_ROWS + 1,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new VigilError(
      "VIGIL_ERR_WATCHLIST_CSV",
      `${fileName}${line ? ` line ${line}` : ""}: not valid CSV (${(err as Error).message.split("\n")[0]})`,
      { cause: err },
    );
  }
  const header = records[0];
  if (!header)
    throw new VigilError(
      "VIGIL_ERR_WATCHLIST_CSV",
      `${fileName}: empty file, expected a header row`,
    );
  const names = header.record.map((h) => h.toLowerCase().replace(/\s+/g, "_"));
  const find = (wanted: readonly string[]) => {
    const i = names.findIndex((n) => wanted.includes(n));
    return i >= 0 ? i : undefined;
  };
  const domainCol = find(COLUMN_NAMES.domain);
  if (domainCol === undefined) {
    throw new VigilError(
      "VIGIL_ERR_WATCHLIST_CSV",
      `${fileName} line 1: no domain column in header ${quote(header.record.join(","))}; expected one of ${COLUMN_NAMES.domain.join(", ")}`,
    );
  }
  const nameCol = find(COLUMN_NAMES.name);
  const countryCol = find(COLUMN_NAMES.country);
  const handlesCol = find(COLUMN_NAMES.handles);
  const aliasesCol = find(COLUMN_NAMES.aliases);
  const columns: OutletsCsvResult["columns"] = { domain: header.record[domainCol] as string };
  if (nameCol !== undefined) columns.name = header.record[nameCol] as string;
  if (countryCol !== undefined) columns.country = header.record[countryCol] as string;
  if (handlesCol !== undefined) columns.handles = header.record[handlesCol] as string;
  if (aliasesCol !== undefined) columns.aliases = header.record[aliasesCol] as string;

  const outlets: Outlet[] = [];
  const problems: CsvRowProblem[] = [];
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    if (outlets.length >= MAX_OUTLET_ROWS) {
      problems.push({
        line,
        field: "(row)",
        message: `more than ${MAX_OUTLET_ROWS} rows; the rest is ignored`,
      });
      break;
    }
    const rawDomains = (record[domainCol] ?? "")
      .split(/[;|]/)
      .map((d) => d.trim())
      .filter(Boolean);
    if (rawDomains.length === 0) {
      problems.push({ line, field: columns.domain, message: "no domain" });
      continue;
    }
    const domains: string[] = [];
    for (const raw of rawDomains) {
      const parsed = parseDomain(raw);
      if (!parsed.ok) {
        problems.push({ line, field: columns.domain, message: parsed.message });
        continue;
      }
      // Keep a path (yahoo.com/news): it marks the outlet as a section of a portal.
      const rest = raw.replace(/^[a-z][a-z0-9+.-]*:(\/\/)?/i, "");
      const path = rest.includes("/") ? rest.slice(rest.indexOf("/")).split(/[?#]/)[0] : undefined;
      domains.push(path && path !== "/" ? `${parsed.domain.ascii}${path}` : parsed.domain.ascii);
    }
    if (domains.length === 0) continue;
    const name = (nameCol !== undefined ? record[nameCol] : undefined)?.trim() || domains[0] || "";
    if (name.length > 500) {
      problems.push({
        line,
        field: columns.name ?? "name",
        message: "name longer than 500 characters",
      });
      continue;
    }
    const country = countryCol !== undefined ? record[countryCol]?.trim() : undefined;
    const list = (col: number | undefined) =>
      col === undefined
        ? []
        : (record[col] ?? "")
            .split(/[;|]/)
            .map((h) => h.trim())
            .filter((h) => h !== "" && h.length <= 500);
    const bracketed = [...name.matchAll(/\(([^()]{1,100})\)/g)].map((m) => (m[1] ?? "").trim());
    outlets.push({
      name,
      aliases: [...new Set([...bracketed, ...list(aliasesCol)])].filter(Boolean).slice(0, 100),
      domains: [...new Set(domains)],
      handles: list(handlesCol),
      ...(country && country.length <= 10 ? { country } : {}),
    });
  }
  return { outlets, problems, columns };
}
