/** One method's result in an Authentication-Results header (RFC 8601 §2.2). */
export interface AuthResultsEntry {
  /** `spf`, `dkim`, `dmarc`, `arc`, … (lower case). */
  method: string;
  /** `pass`, `fail`, … (lower case). */
  result: string;
  /** Properties such as `header.from`, `header.d`, `smtp.mailfrom`, `policy.dmarc` (keys lower case). */
  props: Record<string, string>;
  reason?: string;
}

export interface AuthenticationResults {
  /** Who wrote the header: the authserv-id, lower case. */
  authservId: string;
  results: AuthResultsEntry[];
}

/** Characters of a header value read: real ones are under 2 KiB. */
const MAX_VALUE_CHARS = 16 * 1024;
/** Method results read from one header. */
const MAX_RESULTS = 50;

/**
 * Reads an Authentication-Results header value (RFC 8601): the authserv-id, then each
 * `method=result` with its `reason` and `ptype.property=value` pairs. Comments are
 * dropped; quoted strings are kept whole. Undefined when there is no authserv-id.
 *
 * @example parseAuthenticationResults("mx.example.org; spf=pass smtp.mailfrom=a.example; dkim=fail header.d=a.example")
 */
export function parseAuthenticationResults(value: string): AuthenticationResults | undefined {
  const clauses = splitClauses(stripComments(value.slice(0, MAX_VALUE_CHARS)));
  const authservId = clauses[0]?.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  if (authservId === "") return undefined;
  const results: AuthResultsEntry[] = [];
  for (const clause of clauses.slice(1, 1 + MAX_RESULTS)) {
    const tokens = tokenize(clause);
    const first = tokens[0];
    if (first === undefined || first.toLowerCase() === "none") continue;
    const eq = first.indexOf("=");
    if (eq <= 0) continue;
    const method = first.slice(0, eq).split("/")[0]?.toLowerCase() ?? "";
    const result = unquote(first.slice(eq + 1)).toLowerCase();
    const entry: AuthResultsEntry = { method, result, props: {} };
    for (const token of tokens.slice(1)) {
      const at = token.indexOf("=");
      if (at <= 0) continue;
      const key = token.slice(0, at).toLowerCase();
      const val = unquote(token.slice(at + 1));
      if (key === "reason") entry.reason = val;
      else if (!(key in entry.props)) entry.props[key] = val;
    }
    results.push(entry);
  }
  return { authservId, results };
}

/** The value without (comments), which may nest and hold escaped characters. */
function stripComments(text: string): string {
  let out = "";
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "\\" && (quoted || depth > 0)) {
      if (depth === 0) out += ch + (text[i + 1] ?? "");
      i++;
    } else if (quoted) {
      out += ch;
      if (ch === '"') quoted = false;
    } else if (ch === "(") depth++;
    else if (ch === ")" && depth > 0) depth--;
    else if (depth === 0) {
      if (ch === '"') quoted = true;
      out += ch;
    }
  }
  return out;
}

/** Splits on `;` outside quoted strings. */
function splitClauses(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "\\" && quoted) {
      current += ch + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ";" && !quoted) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** Whitespace-separated tokens, with `a = b` read as `a=b` and quoted strings kept whole. */
function tokenize(clause: string): string[] {
  const compact = clause.replace(/\s*=\s*/g, "=").trim();
  return compact.match(/(?:[^\s"]+|"(?:[^"\\]|\\.)*")+/g) ?? [];
}

function unquote(text: string): string {
  return text.startsWith('"') && text.endsWith('"') && text.length >= 2
    ? text.slice(1, -1).replace(/\\(.)/g, "$1")
    : text;
}
