/** Plain-text table and number formats for the benchmark's report. */

/** Columns padded to their widest cell; the first column left-aligned, the others right. */
export function formatTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? "")].length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => {
        const pad = " ".repeat((widths[c] ?? 0) - [...cell].length);
        return c === 0 ? cell + pad : pad + cell;
      })
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export const int = (x: number): string => Math.round(x).toLocaleString("en-US");
export const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
export const secs = (x: number): string => `${x.toFixed(2)} s`;
export const ratio = (x: number): string => `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`;

/**
 * JSON with two-space indents, but any object or array that fits in `width` columns on
 * one line: results stay short and a changed figure shows as a one-line diff.
 */
export function toJson(value: unknown, indent = "", width = 100): string {
  const flat = JSON.stringify(value) ?? "null";
  if (value === null || typeof value !== "object" || indent.length + flat.length <= width) {
    return flat;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => inner + toJson(v, inner, width)).join(",\n")}\n${indent}]`;
  }
  const fields = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, inner, width)}`);
  return `{\n${fields.join(",\n")}\n${indent}}`;
}
