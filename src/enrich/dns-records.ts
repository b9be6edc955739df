import { Resolver } from "node:dns/promises";
import { getDomain } from "tldts";
import { type ErrorCode, VigilError } from "../errors.js";

/**
 * The DNS look-ups the site enricher makes: the record-type methods of node's
 * `dns.promises.Resolver`, so production passes a `Resolver` pointed at a configured
 * server and tests pass one pointed at a loopback DNS server.
 */
export type DnsRecordResolver = Pick<
  Resolver,
  "resolve4" | "resolve6" | "resolveNs" | "resolveMx" | "resolveCname"
>;

/** The record types looked up for a captured host. */
export type DnsRecordType = "A" | "AAAA" | "CNAME" | "NS" | "MX";

/** What DNS said about one captured host. A/AAAA/CNAME are of the host, NS/MX of its domain. */
export interface DnsFacts {
  host: string;
  /** The registrable domain (Public Suffix List) whose NS and MX were asked for. */
  domain: string;
  a: string[];
  aaaa: string[];
  cname: string[];
  ns: string[];
  mx: Array<{ exchange: string; priority: number }>;
  /** When every look-up was done (the cache keeps the first answer of a run). */
  resolvedAt: string;
  /**
   * Look-ups that failed: `VIGIL_ERR_DNS_TIMEOUT` (no answer in time) or
   * `VIGIL_ERR_DNS_FAILED`, with the resolver's own code as `cause` (`ETIMEOUT`,
   * `ESERVFAIL`, `EREFUSED` …). `temporary` (a timeout, a server failure) is worth trying
   * again; a permanent one (a refusal, a malformed answer) is not. "No such name" and "no
   * such record" are answers, not failures: the list is empty.
   */
  errors: Array<{
    type: DnsRecordType;
    code: ErrorCode;
    cause: string;
    temporary: boolean;
    message: string;
  }>;
  /** Why nothing was asked (a special-use name, see `DnsEnricherOptions.reservedNames`). */
  skipped?: string;
}

/** A look-up gets this long: a resolver answers in well under a second. */
export const DEFAULT_DNS_LOOKUP_TIMEOUT_MS = 5_000;
/** Records kept per type: a hostile zone can list thousands of addresses. */
export const MAX_DNS_RECORDS = 32;
/** Hosts whose answers are kept for a run. */
export const MAX_DNS_CACHED_HOSTS = 10_000;

/** Errors that are answers: the name or the record does not exist. */
const NO_RECORD = new Set(["ENOTFOUND", "ENODATA", "NXDOMAIN", "ENONAME"]);
/** Errors that mean no answer came in time. */
const TIMEOUT = new Set(["ETIMEOUT", "ECANCELLED"]);
/** Errors worth trying again later. */
const TEMPORARY = new Set(["ETIMEOUT", "ESERVFAIL", "ECONNREFUSED", "EAI_AGAIN", "ECANCELLED"]);

export interface DnsEnricherOptions {
  resolver: DnsRecordResolver;
  timeoutMs?: number;
  maxHosts?: number;
  now?: () => Date;
  /**
   * Names under special-use TLDs (RFC 6761, RFC 2606: `.test`, `.example`, `.invalid`,
   * `.localhost`, `.local`, `.onion`, `.internal`) never exist in public DNS: `skip`
   * (the default) asks nothing for them, so a lab or test capture does not leak its names to
   * the system's resolver; `ask` asks the resolver anyway (a lab DNS server named on purpose).
   */
  reservedNames?: "skip" | "ask";
  /**
   * The record types asked (default all five). The ownership check of `scan domains`
   * needs only NS and MX, so it does not spend three more queries a name; types not
   * asked are empty lists.
   */
  records?: readonly DnsRecordType[];
}

/** Special-use TLDs that public DNS never answers (RFC 6761 §6, RFC 2606, RFC 7686). */
export const RESERVED_TLDS: ReadonlySet<string> = new Set([
  "test",
  "example",
  "invalid",
  "localhost",
  "local",
  "onion",
  "internal",
]);

/**
 * Looks up A, AAAA and CNAME of a captured host and NS and MX of its registrable domain,
 * through the resolver passed in, each look-up bounded in time and records kept, answers
 * cached for the run. Never throws for a DNS failure: it is listed in `errors`.
 *
 * @example
 * const dns = new DnsEnricher({ resolver: dnsResolver({ servers: ["9.9.9.9"] }) });
 * const facts = await dns.lookup("news.example");
 */
export class DnsEnricher {
  readonly #resolver: DnsRecordResolver;
  readonly #timeoutMs: number;
  readonly #maxHosts: number;
  readonly #now: () => Date;
  readonly #askReserved: boolean;
  readonly #records: ReadonlySet<DnsRecordType>;
  readonly #cache = new Map<string, Promise<DnsFacts>>();

  constructor(options: DnsEnricherOptions) {
    this.#resolver = options.resolver;
    this.#timeoutMs = positive(options.timeoutMs ?? DEFAULT_DNS_LOOKUP_TIMEOUT_MS, "timeoutMs");
    this.#maxHosts = positive(options.maxHosts ?? MAX_DNS_CACHED_HOSTS, "maxHosts");
    this.#now = options.now ?? (() => new Date());
    this.#askReserved = options.reservedNames === "ask";
    this.#records = new Set(options.records ?? ["A", "AAAA", "CNAME", "NS", "MX"]);
  }

  /** The DNS facts of `host` (cached for the run). */
  lookup(host: string): Promise<DnsFacts> {
    const key = host.toLowerCase().replace(/\.$/, "");
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const facts = this.#lookup(key);
    if (this.#cache.size >= this.#maxHosts) {
      this.#cache.delete(this.#cache.keys().next().value as string);
    }
    this.#cache.set(key, facts);
    return facts;
  }

  async #lookup(host: string): Promise<DnsFacts> {
    const domain = getDomain(host) ?? host;
    const errors: DnsFacts["errors"] = [];
    const tld = host.slice(host.lastIndexOf(".") + 1);
    if (!this.#askReserved && (RESERVED_TLDS.has(tld) || host.endsWith(".home.arpa"))) {
      return {
        host,
        domain,
        a: [],
        aaaa: [],
        cname: [],
        ns: [],
        mx: [],
        resolvedAt: this.#now().toISOString(),
        errors,
        skipped: `.${tld} is a special-use name that public DNS does not answer`,
      };
    }
    const ask = async <T>(type: DnsRecordType, run: () => Promise<T[]>): Promise<T[]> => {
      if (!this.#records.has(type)) return [];
      try {
        return (await this.#bounded(run(), type, host)).slice(0, MAX_DNS_RECORDS);
      } catch (err) {
        const code = String((err as { code?: unknown }).code ?? "EUNKNOWN");
        if (NO_RECORD.has(code)) return [];
        errors.push({
          type,
          code: TIMEOUT.has(code) ? "VIGIL_ERR_DNS_TIMEOUT" : "VIGIL_ERR_DNS_FAILED",
          cause: code,
          temporary: TEMPORARY.has(code),
          message: String((err as Error).message ?? err).slice(0, 500),
        });
        return [];
      }
    };
    const r = this.#resolver;
    const [a, aaaa, cname, ns, mx] = await Promise.all([
      ask("A", () => r.resolve4(host)),
      ask("AAAA", () => r.resolve6(host)),
      ask("CNAME", () => r.resolveCname(host)),
      ask("NS", () => r.resolveNs(domain)),
      ask("MX", () => r.resolveMx(domain)),
    ]);
    return {
      host,
      domain,
      a: [...a].sort(),
      aaaa: [...aaaa].sort(),
      cname: cname.map(lowerName),
      ns: ns.map(lowerName).sort(),
      mx: mx
        .map((m) => ({ exchange: lowerName(m.exchange), priority: m.priority }))
        .sort((x, y) => x.priority - y.priority || x.exchange.localeCompare(y.exchange)),
      resolvedAt: this.#now().toISOString(),
      errors,
    };
  }

  #bounded<T>(answer: Promise<T>, type: DnsRecordType, host: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          Object.assign(new Error(`DNS ${type} ${host}: no answer within ${this.#timeoutMs} ms`), {
            code: "ETIMEOUT",
          }),
        );
      }, this.#timeoutMs);
    });
    return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
  }
}

/**
 * A node `Resolver` asking `servers` (`"9.9.9.9"`, `"[2620:fe::fe]:53"`, `"127.0.0.1:5353"`),
 * or the system's servers when none are given, one try each within `timeoutMs`.
 */
export function dnsResolver(
  options: { servers?: readonly string[]; timeoutMs?: number } = {},
): DnsRecordResolver {
  const resolver = new Resolver({
    timeout: options.timeoutMs ?? DEFAULT_DNS_LOOKUP_TIMEOUT_MS,
    tries: 1,
  });
  if (options.servers !== undefined && options.servers.length > 0) {
    resolver.setServers([...options.servers]);
  }
  return resolver;
}

function lowerName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

function positive(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new VigilError(
      "VIGIL_ERR_CONFIG_INVALID",
      `DNS ${name} must be a whole number of at least 1, not ${n}`,
    );
  }
  return n;
}
