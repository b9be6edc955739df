import { Resolver } from "node:dns/promises";

/** A DNS look-up as mailauth calls it: records of one type, or an error with a `code`. */
export type DnsResolver = (name: string, type: string) => Promise<unknown>;

/** Time one look-up may take before it counts as a temporary error (mailauth: temperror). */
export const DNS_TIMEOUT_MS = 5_000;
/** Answers kept: a scan of a mailbox asks the same few domains again and again. */
export const MAX_DNS_CACHE_ENTRIES = 10_000;

/** Error codes that are a real answer ("no such name", "no such record"), so are cached. */
const PERMANENT = new Set(["ENOTFOUND", "ENODATA", "NXDOMAIN"]);

/**
 * Wraps a resolver in a per-run cache and a timeout. Answers and permanent errors
 * (`ENOTFOUND`, `ENODATA`) are cached; a timeout or a server failure is not, and comes
 * back as an error with code `ETIMEOUT` or the resolver's, which mailauth turns into
 * `temperror`. Without `lookup`, Node's resolver is used (the system's servers, or
 * `servers`), one try each.
 */
export function cachedResolver(
  options: {
    lookup?: DnsResolver;
    servers?: readonly string[];
    timeoutMs?: number;
    maxEntries?: number;
  } = {},
): DnsResolver {
  const timeoutMs = options.timeoutMs ?? DNS_TIMEOUT_MS;
  const maxEntries = options.maxEntries ?? MAX_DNS_CACHE_ENTRIES;
  let lookup = options.lookup;
  if (lookup === undefined) {
    const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
    if (options.servers !== undefined && options.servers.length > 0)
      resolver.setServers([...options.servers]);
    lookup = (name, type) => resolver.resolve(name, type as "TXT");
  }
  const base = lookup;
  const cache = new Map<string, Promise<unknown>>();
  return (name, type) => {
    const key = `${type.toUpperCase()} ${name.toLowerCase()}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const answer = withTimeout(base(name, type), timeoutMs, name, type);
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    cache.set(key, answer);
    answer.catch((err: { code?: string }) => {
      if (!PERMANENT.has(err?.code ?? "")) cache.delete(key);
    });
    return answer;
  };
}

function withTimeout(
  answer: Promise<unknown>,
  ms: number,
  name: string,
  type: string,
): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`DNS ${type} ${name} timed out after ${ms} ms`) as Error & {
        code: string;
      };
      err.code = "ETIMEOUT";
      reject(err);
    }, ms);
    timer.unref?.();
  });
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}
