import type { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import type { SourceItem } from "../source-item.js";
import {
  CSV_ACCOUNT_FIELDS,
  type CsvColumnMap,
  type CsvField,
  resolveColumns,
} from "./csv-column-map.js";
import { readCsvRecords } from "./csv-records.js";
import { definedOnly } from "./defined-only.js";
import { type SocialReaderOptions, socialItem } from "./social-item.js";
import { socialProblem } from "./social-problem.js";

export interface SocialCsvOptions extends SocialReaderOptions {
  /** Which column fills which field; recognised header names fill the rest. */
  columnMap?: CsvColumnMap;
  /** The platform of rows without a `platform` column. */
  platform?: string;
}

/** Delimiters told apart by counting them in the header row. */
const DELIMITERS = [",", "\t", ";"] as const;

/**
 * Reads posts, and the accounts that wrote them, from CSV: a header row, then one post a
 * row (fields found by header name or by `columnMap`). A row's account is read too when
 * the CSV has profile columns (handle, display name, bio, …), or when it has no post id
 * column at all (a list of accounts). Quoted fields may span lines. Each bad row is a
 * problem naming its first line, and reading goes on.
 */
export async function* readSocialCsv(
  input: Readable | AsyncIterable<Uint8Array>,
  options: SocialCsvOptions,
): AsyncGenerator<SourceItem> {
  let layout:
    | { delimiter: string; width: number; columns: Partial<Record<CsvField, number>> }
    | undefined;
  const seen = new Set<string>();
  for await (const record of readCsvRecords(
    input,
    options.onBytes ? { onBytes: options.onBytes } : {},
  )) {
    const item = `${options.name} line ${record.line}`;
    if ("error" in record) {
      yield socialProblem(
        item,
        record.error === "too-long"
          ? "VIGIL_ERR_INPUT_TOO_LONG"
          : record.error === "encoding"
            ? "VIGIL_ERR_INPUT_ENCODING"
            : "VIGIL_ERR_INPUT_CSV",
        record.message,
      );
      continue;
    }
    if (record.text.trim() === "") continue;
    if (layout === undefined) {
      const delimiter = detectDelimiter(record.text);
      const header = parseRow(record.text, delimiter);
      if ("error" in header) {
        yield socialProblem(item, "VIGIL_ERR_INPUT_CSV", `header row: ${header.error}`);
        return;
      }
      const resolved = resolveColumns(header.cells, options.columnMap ?? {});
      if ("error" in resolved) {
        yield socialProblem(item, "VIGIL_ERR_SOCIAL_COLUMN_MAP", resolved.error);
        return;
      }
      if (resolved.columns.platform === undefined && options.platform === undefined) {
        yield socialProblem(
          item,
          "VIGIL_ERR_SOCIAL_COLUMN_MAP",
          "no platform column: give the platform (--platform x) or its column (--map platform=COLUMN)",
        );
        return;
      }
      layout = { delimiter, width: header.cells.length, columns: resolved.columns };
      continue;
    }
    const row = parseRow(record.text, layout.delimiter);
    if ("error" in row) {
      yield socialProblem(item, "VIGIL_ERR_INPUT_CSV", row.error);
      continue;
    }
    if (row.cells.length !== layout.width) {
      yield socialProblem(
        item,
        "VIGIL_ERR_INPUT_CSV",
        `${row.cells.length} cells where the header has ${layout.width}`,
      );
      continue;
    }
    yield* rowItems(row.cells, layout.columns, item, options, seen);
  }
}

function* rowItems(
  cells: readonly string[],
  columns: Partial<Record<CsvField, number>>,
  item: string,
  options: SocialCsvOptions,
  seen: Set<string>,
): Generator<SourceItem> {
  const raw = (field: CsvField) => {
    const at = columns[field];
    return at === undefined ? undefined : cells[at];
  };
  const cell = (field: CsvField) => {
    const value = raw(field)?.trim();
    return value === "" ? undefined : value;
  };
  const platform = cell("platform") ?? options.platform;
  const accountId = cell("account");
  const hasPosts = columns.id !== undefined;
  const hasProfile = CSV_ACCOUNT_FIELDS.some((f) => columns[f] !== undefined);
  if (accountId !== undefined && (hasProfile || !hasPosts)) {
    const account = definedOnly({
      platform,
      id: accountId,
      handle: cell("handle"),
      displayName: cell("displayName"),
      bio: raw("bio") === "" ? undefined : raw("bio"),
      created: cell("accountCreated"),
      avatar: cell("avatar"),
      followers: count(cell("followers")),
      following: count(cell("following")),
      links: list(cell("links")),
      verified: flag(cell("verified")),
    });
    const result = socialItem("account", account, { item, observedAt: options.observedAt, seen });
    if (result !== undefined) yield result;
  } else if (accountId === undefined && !hasPosts) {
    yield socialProblem(item, "VIGIL_ERR_SOCIAL_RECORD", "no account id");
  }
  if (!hasPosts) return;
  const id = cell("id");
  if (id === undefined) {
    yield socialProblem(item, "VIGIL_ERR_SOCIAL_RECORD", "no post id");
    return;
  }
  // Missing fields are left out, for the schema to name them.
  const post = definedOnly({
    platform,
    id,
    account: accountId,
    created: cell("created"),
    text: raw("text") ?? "",
    urls: list(cell("urls")),
    hashtags: list(cell("hashtags")),
    mentions: list(cell("mentions")),
    replyTo: cell("replyTo"),
    quoteOf: cell("quoteOf"),
    repostOf: cell("repostOf"),
    forwardedFrom: cell("forwardedFrom"),
    lang: cell("lang"),
  });
  const result = socialItem("post", post, { item, observedAt: options.observedAt });
  if (result !== undefined) yield result;
}

/** The delimiter used most in the header row, outside quotes; a comma on a tie. */
function detectDelimiter(header: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ",";
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

function parseRow(text: string, delimiter: string): { cells: string[] } | { error: string } {
  try {
    const rows = parse(text, { delimiter, relax_column_count: true }) as string[][];
    if (rows.length !== 1) return { error: `${rows.length} records where one was expected` };
    return { cells: rows[0] as string[] };
  } catch (err) {
    return { error: `not a CSV row: ${(err as Error).message.split("\n")[0]?.slice(0, 200)}` };
  }
}

/**
 * A list cell: `a b`, `a,b`, `a;b`, `a|b`, or a bracketed list as exports write them
 * (`["a", "b"]`, `['a', 'b']`, `[a, b]`).
 */
function list(value: string | undefined): string[] {
  if (value === undefined) return [];
  let text = value;
  if (text.startsWith("[") && text.endsWith("]")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String).filter((s) => s !== "");
    } catch {
      // Not JSON (Python's quotes): split it as text below.
    }
    text = text.slice(1, -1);
  }
  return text
    .split(/[\s,;|]+/)
    .map((s) => s.replace(/^['"]+|['"]+$/g, ""))
    .filter((s) => s !== "");
}

/** A count cell as a number; anything else is passed on for the schema to reject by name. */
function count(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,3}(?:,\d{3})+$/.test(value)) return Number(value.replaceAll(",", ""));
  return /^\d+$/.test(value) ? Number(value) : value;
}

function flag(value: string | undefined): boolean | string | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (["true", "t", "yes", "y", "1"].includes(v)) return true;
  if (["false", "f", "no", "n", "0"].includes(v)) return false;
  return value;
}
