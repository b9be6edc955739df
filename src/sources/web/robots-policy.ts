/**
 * robots.txt (RFC 9309): which paths a crawler may fetch. Parsed by hand because the
 * rules are few and a parser must hold up to hostile files: RFC 9309 §2.5 asks crawlers
 * to read at least 500 KiB, so more is ignored, and lines and rules are counted.
 */

/** Bytes of robots.txt read (RFC 9309 §2.5: at least 500 kibibytes). */
export const MAX_ROBOTS_BYTES = 500 * 1024;
/** Rules kept from one file: real files have tens, a hostile one could list millions. */
export const MAX_ROBOTS_RULES = 10_000;
/** Longest Crawl-delay honoured, in seconds (not in RFC 9309, but widely sent). */
export const MAX_CRAWL_DELAY_SECONDS = 30;

interface Rule {
  allow: boolean;
  pattern: string;
}

interface Group {
  agents: string[];
  rules: Rule[];
  crawlDelaySeconds?: number;
}

/** The rules of one site for one user agent. */
export class RobotsPolicy {
  readonly #rules: readonly Rule[];
  /** Seconds between requests the site asks for, capped; undefined when it asks none. */
  readonly crawlDelaySeconds: number | undefined;

  private constructor(rules: readonly Rule[], crawlDelaySeconds?: number) {
    this.#rules = rules;
    this.crawlDelaySeconds = crawlDelaySeconds;
  }

  /** Everything allowed (no robots.txt, or a 4xx for it: RFC 9309 §2.3.1.3). */
  static allowAll(): RobotsPolicy {
    return new RobotsPolicy([]);
  }

  /** Everything disallowed (robots.txt unreachable or 5xx: RFC 9309 §2.3.1.4). */
  static disallowAll(): RobotsPolicy {
    return new RobotsPolicy([{ allow: false, pattern: "/" }]);
  }

  /**
   * The rules of `text` for `userAgent`: the groups naming its product token (the
   * part before `/`, case-insensitive) merged, else the `*` groups.
   */
  static parse(text: string, userAgent: string): RobotsPolicy {
    const token = (userAgent.split("/")[0] ?? "").trim().toLowerCase();
    const groups: Group[] = [];
    let current: Group | undefined;
    let lastWasAgent = false;
    let rules = 0;
    for (const rawLine of text.slice(0, MAX_ROBOTS_BYTES).split(/\r\n|\r|\n/)) {
      const line = rawLine.replace(/#.*$/, "").trim();
      const colon = line.indexOf(":");
      if (colon === -1) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === "user-agent") {
        if (!lastWasAgent || current === undefined) {
          current = { agents: [], rules: [] };
          groups.push(current);
        }
        current.agents.push(value.toLowerCase());
        lastWasAgent = true;
        continue;
      }
      lastWasAgent = false;
      if (current === undefined) continue;
      if ((key === "allow" || key === "disallow") && rules < MAX_ROBOTS_RULES) {
        // An empty Disallow allows everything: it is no rule at all.
        if (value === "") continue;
        current.rules.push({ allow: key === "allow", pattern: value });
        rules++;
      } else if (key === "crawl-delay") {
        const seconds = Number(value);
        if (Number.isFinite(seconds) && seconds >= 0) {
          current.crawlDelaySeconds = Math.min(seconds, MAX_CRAWL_DELAY_SECONDS);
        }
      }
    }
    const named = groups.filter((g) => g.agents.includes(token));
    const chosen = named.length > 0 ? named : groups.filter((g) => g.agents.includes("*"));
    const delays = chosen.flatMap((g) =>
      g.crawlDelaySeconds === undefined ? [] : [g.crawlDelaySeconds],
    );
    return new RobotsPolicy(
      chosen.flatMap((g) => g.rules),
      delays.length > 0 ? Math.max(...delays) : undefined,
    );
  }

  /**
   * Whether `path` (with its query) may be fetched: the longest matching rule wins, and
   * of equally long ones `allow` (RFC 9309 §2.2.2). `/robots.txt` is always allowed.
   */
  allows(path: string): boolean {
    if (path === "/robots.txt") return true;
    let best: Rule | undefined;
    for (const rule of this.#rules) {
      if (!matches(rule.pattern, path)) continue;
      if (
        best === undefined ||
        rule.pattern.length > best.pattern.length ||
        (rule.pattern.length === best.pattern.length && rule.allow)
      ) {
        best = rule;
      }
    }
    return best?.allow ?? true;
  }
}

/**
 * RFC 9309 §2.2.3: `*` matches any run of characters, a final `$` anchors the end.
 * Matched part by part, leftmost first (no regular expression: a pattern of many `*`
 * would make one backtrack for long).
 */
function matches(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith("$");
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const parts = body.split("*");
  const first = parts[0] as string;
  if (!path.startsWith(first)) return false;
  if (parts.length === 1) return !anchored || path === first;
  let at = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = path.indexOf(parts[i] as string, at);
    if (found === -1) return false;
    at = found + (parts[i] as string).length;
  }
  const last = parts[parts.length - 1] as string;
  if (anchored) return path.endsWith(last) && path.length - last.length >= at;
  return path.indexOf(last, at) !== -1;
}
