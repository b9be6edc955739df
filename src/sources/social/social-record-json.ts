import {
  canonicalJson,
  SocialAccountSchema,
  type SocialKind,
  SocialPostSchema,
} from "../../model/index.js";

/*
 * The schemas' keys in the order canonical JSON writes them. None is an array index, so
 * plain sorting is the order `canonicalJson` uses.
 */
const POST_KEYS = Object.keys(SocialPostSchema.shape).sort();
const ACCOUNT_KEYS = Object.keys(SocialAccountSchema.shape).sort();
/** Each key already written as JSON. */
const QUOTED = new Map([...POST_KEYS, ...ACCOUNT_KEYS].map((key) => [key, JSON.stringify(key)]));

/**
 * `canonicalJson(record)` for a validated account or post, written knowing its keys (the
 * schema's, no others) and their values (strings, lists of strings, counts, a flag)
 * instead of sorting and looking up each record's keys: it is on the path of every
 * observation a social scan makes.
 */
export function socialRecordJson(kind: SocialKind, record: Record<string, unknown>): string {
  const keys = kind === "post" ? POST_KEYS : ACCOUNT_KEYS;
  let out = "{";
  for (const key of keys) {
    const value = record[key];
    if (value === undefined) continue;
    if (out.length > 1) out += ",";
    out += `${QUOTED.get(key)}:${valueJson(value)}`;
  }
  return `${out}}`;
}

function valueJson(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (!Array.isArray(value)) return canonicalJson(value);
  let out = "[";
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (i > 0) out += ",";
    out += typeof item === "string" ? JSON.stringify(item) : (canonicalJson(item) ?? "null");
  }
  return `${out}]`;
}
