import { createHash } from "node:crypto";

/**
 * Serialises a value with object keys sorted, so equal data always hashes the same
 * whatever order its keys were built in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Hex SHA-256 of a string. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * A stable id: `<prefix>_` followed by the first 24 hex digits (96 bits) of the SHA-256
 * of the parts' canonical JSON. The same parts always give the same id.
 */
export function stableId(prefix: string, ...parts: unknown[]): string {
  return `${prefix}_${sha256Hex(canonicalJson(parts)).slice(0, 24)}`;
}
