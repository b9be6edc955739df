import * as crypto from "node:crypto";
import { createHash } from "node:crypto";

/**
 * Serialises a value with object keys sorted, so equal data always hashes the same
 * whatever order its keys were built in. Exactly `JSON.stringify` of the value rebuilt
 * with sorted keys (undefined and function members left out of objects and written as
 * null in arrays, objects such as Dates read by their own keys), written in one pass
 * because every observation and finding id goes through it.
 */
export function canonicalJson(value: unknown): string {
  // Like JSON.stringify, undefined (and a function) alone gives undefined.
  return write(value) as string;
}

/** The JSON text of a value, or undefined where JSON.stringify leaves it out. */
function write(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
    case "boolean":
      return JSON.stringify(value);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ",";
          out += write(value[i]) ?? "null";
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      let out = "{";
      let first = true;
      for (const key of objectKeyOrder(sortKeys(Object.keys(record)))) {
        const text = write(record[key]);
        if (text === undefined) continue;
        out += `${first ? "" : ","}${quotedKey(key)}:${text}`;
        first = false;
      }
      return `${out}}`;
    }
    case "bigint":
      return JSON.stringify(value); // throws, as JSON.stringify does
    default:
      return undefined; // undefined, functions, symbols
  }
}

/**
 * `keys.sort()`, in place: records have a handful of keys, which an insertion sort puts
 * in order without the work array `Array.prototype.sort` allocates on every call (a
 * tenth of what the lookalike detector allocated went there, for finding ids).
 */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/**
 * Keys in the order a JavaScript object holds them once built in sorted order: array
 * indices ("1", "2", "10") first by value, then the others as given.
 */
function objectKeyOrder(sorted: string[]): string[] {
  if (!sorted.some(isArrayIndex)) return sorted;
  const indices = sorted.filter(isArrayIndex);
  indices.sort((a, b) => Number(a) - Number(b));
  return [...indices, ...sorted.filter((key) => !isArrayIndex(key))];
}

function isArrayIndex(key: string): boolean {
  // Most keys start with a letter: skip the pattern for them.
  const head = key.charCodeAt(0);
  if (head < 0x30 || head > 0x39) return false;
  return /^(?:0|[1-9][0-9]{0,9})$/.test(key) && Number(key) < 4294967295;
}

/**
 * Object keys already written as JSON strings. Records of one kind share a few keys
 * (`platform`, `id`, `text`), so quoting each again for every record of a million was a
 * measurable share of hashing; the cap keeps hostile data with endless distinct keys
 * from growing it.
 */
const QUOTED_KEYS = new Map<string, string>();
/** Most keys `QUOTED_KEYS` remembers. */
const MAX_QUOTED_KEYS = 4096;
/** Longest key `QUOTED_KEYS` remembers: schema keys are short. */
const MAX_QUOTED_KEY_LENGTH = 64;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (QUOTED_KEYS.size < MAX_QUOTED_KEYS && key.length <= MAX_QUOTED_KEY_LENGTH) {
      QUOTED_KEYS.set(key, quoted);
    }
  }
  return quoted;
}

/** Hex SHA-256 of a string (one-shot `crypto.hash` where Node has it, ≥ 20.12). */
export function sha256Hex(text: string): string {
  return oneShot ? oneShot("sha256", text, "hex") : createHash("sha256").update(text).digest("hex");
}

const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string })
  .hash;

/**
 * A stable id: `<prefix>_` followed by the first 24 hex digits (96 bits) of the SHA-256
 * of the parts' canonical JSON. The same parts always give the same id.
 */
export function stableId(prefix: string, ...parts: unknown[]): string {
  return `${prefix}_${sha256Hex(canonicalJson(parts)).slice(0, 24)}`;
}
