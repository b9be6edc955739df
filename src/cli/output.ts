import type { Finding } from "../model/index.js";

/** Streams the CLI writes to; passed in so tests can capture them. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export function writeJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Lays rows out in aligned columns. The widest column is cut (with …) so a row fits
 * the terminal when there is one.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  width?: number,
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  if (width !== undefined) {
    while (total() > width) {
      const widest = widths.indexOf(Math.max(...widths));
      if ((widths[widest] ?? 0) <= 12) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  }
  const cell = (text: string, i: number) => {
    const w = widths[i] ?? 0;
    const cut = text.length > w ? `${text.slice(0, Math.max(0, w - 1))}…` : text;
    return cut.padEnd(w);
  };
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => cell(c, i))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "─".repeat(w))), ...rows.map(line)].join("\n");
}

/** One table row per finding: what, whom it imitates, how sure, and why. */
export function findingsTable(findings: readonly Finding[], width?: number): string {
  return formatTable(
    ["SCORE", "SEVERITY", "DOMAIN", "IMITATES", "WHY"],
    findings.map((f) => [
      f.score.toFixed(2),
      f.severity,
      f.evidence.find((e) => e.type === "candidate-domain")?.note?.replace("displayed as ", "") ??
        f.subject,
      f.target
        ? `${f.target.name} (${f.evidence.find((e) => e.type === "protected-domain")?.value ?? f.target.id})`
        : "",
      f.reasons
        .filter((r) => r.weight !== 0)
        .map((r) => `${r.rule} ${r.weight > 0 ? "+" : ""}${r.weight.toFixed(2)}: ${r.feature}`)
        .join("; "),
    ]),
    width,
  );
}
