import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import { domainObservation } from "./domain-observation.js";
import { readLines } from "./line-reader.js";
import type { SourceItem } from "./source-item.js";

export type { SourceItem } from "./source-item.js";

/** Header names taken as the domain column of a CSV, best first. */
const DOMAIN_HEADERS = ["domain", "domains", "hostname", "host", "fqdn", "url"];

export interface DomainListOptions {
  /** Name shown in problems and stored as the observations' source. */
  name: string;
  /** ISO time stamped on observations (passed in: sources take a clock). */
  observedAt: string;
  onBytes?: (n: number) => void;
}

/**
 * Reads candidate domains from text: one a line (`#` starts a comment), or a CSV whose
 * header names a domain column (`domain`, `lookalike_domain`, …). Each bad line becomes a
 * problem naming the line; the rest are read.
 */
export async function* readDomainList(
  input: Readable | AsyncIterable<Uint8Array>,
  options: DomainListOptions,
): AsyncGenerator<SourceItem> {
  let csvColumn: number | undefined;
  const seen = new Set<string>();
  for await (const line of readLines(input, options.onBytes ? { onBytes: options.onBytes } : {})) {
    const item = `${options.name} line ${line.number}`;
    if ("error" in line) {
      yield {
        problem: {
          item,
          code: line.error === "too-long" ? "VIGIL_ERR_INPUT_TOO_LONG" : "VIGIL_ERR_INPUT_ENCODING",
          message: line.message,
        },
      };
      continue;
    }
    const text = line.text.replace(/^\uFEFF/, "").trim();
    if (text === "" || text.startsWith("#")) continue;
    if (line.number === 1 || (csvColumn === undefined && seen.size === 0 && text.includes(","))) {
      const header = detectHeader(text);
      if (header !== undefined) {
        csvColumn = header;
        continue;
      }
    }
    let value = text;
    if (csvColumn !== undefined || text.includes(",")) {
      try {
        const [record] = parse(text, { relax_column_count: true, trim: true }) as string[][];
        value = record?.[csvColumn ?? 0] ?? "";
      } catch (err) {
        yield {
          problem: {
            item,
            code: "VIGIL_ERR_INPUT_CSV",
            message: `not a CSV row: ${(err as Error).message.split("\n")[0]}`,
          },
        };
        continue;
      }
    }
    const result = domainObservation(value, seen, { source: item, observedAt: options.observedAt });
    if (result === undefined) continue;
    if ("failure" in result) {
      yield {
        problem: {
          item,
          code:
            result.failure.reason === "too-long"
              ? "VIGIL_ERR_INPUT_TOO_LONG"
              : "VIGIL_ERR_INPUT_DOMAIN",
          message: result.failure.message,
        },
      };
    } else yield result;
  }
}

/** Index of the domain column when `text` is a CSV header naming one. */
function detectHeader(text: string): number | undefined {
  let cells: string[];
  try {
    cells = ((parse(text, { trim: true }) as string[][])[0] ?? []).map((c) => c.toLowerCase());
  } catch {
    return undefined;
  }
  if (cells.length < 2 && !DOMAIN_HEADERS.includes(cells[0] ?? "")) return undefined;
  for (const wanted of DOMAIN_HEADERS) {
    const exact = cells.indexOf(wanted);
    if (exact >= 0) return exact;
  }
  // lookalike_domain, candidate_domain, …: a column ending in a domain word.
  const suffixed = cells.findIndex((c) => DOMAIN_HEADERS.some((h) => c.endsWith(`_${h}`)));
  return suffixed >= 0 ? suffixed : undefined;
}

/** Opens a file for `readDomainList`, with its size for a progress bar. */
export async function openInputFile(path: string): Promise<{ stream: Readable; size: number }> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a regular file`);
  return { stream: createReadStream(path, { highWaterMark: 256 * 1024 }), size: info.size };
}
