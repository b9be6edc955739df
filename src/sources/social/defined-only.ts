/**
 * The object without its `undefined` properties, typed as if they were never set: a
 * record built from an export leaves out what the export does not say, instead of
 * carrying `undefined` keys into hashing and storage.
 */
export function definedOnly<T extends Record<string, unknown>>(
  record: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out as { [K in keyof T]: Exclude<T[K], undefined> };
}
