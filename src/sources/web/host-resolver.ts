import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { VigilError } from "../../errors.js";

/**
 * Resolves a host name to its IP addresses (text form). Passed in, so tests answer with
 * loopback and nothing reaches real DNS; the answer is checked by `AddressPolicy` and the
 * connection made to the address checked.
 */
export type HostResolver = (hostname: string, signal?: AbortSignal) => Promise<string[]>;

/** A DNS look-up gets this long: resolvers answer in well under a second. */
export const DEFAULT_DNS_TIMEOUT_MS = 10_000;
/** Addresses kept from one answer: all are checked, and a hostile zone can list thousands. */
export const MAX_RESOLVED_ADDRESSES = 32;

/**
 * The system resolver (`getaddrinfo`, so /etc/hosts too), with a timeout. A name that
 * does not exist throws `VIGIL_ERR_WEB_DNS`.
 */
export function systemResolver(timeoutMs = DEFAULT_DNS_TIMEOUT_MS): HostResolver {
  return async (hostname, signal) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new VigilError(
              "VIGIL_ERR_WEB_DNS",
              `${hostname}: no DNS answer within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    const aborted = new Promise<never>((_, reject) => {
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    try {
      const answers = await Promise.race([
        lookup(hostname, { all: true, verbatim: true }),
        timeout,
        aborted,
      ]);
      return answers.map((a) => a.address);
    } catch (err) {
      if (err instanceof VigilError || signal?.aborted === true) throw err;
      throw new VigilError("VIGIL_ERR_WEB_DNS", `${hostname}: ${(err as Error).message}`, {
        cause: err,
      });
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * A resolver answering from a fixed table (host name → addresses), like curl's
 * `--resolve`: for tests, and for capturing a site from one server of several. Names not
 * in the table go to `fallback`, or fail.
 */
export function staticResolver(
  table: Readonly<Record<string, readonly string[]>>,
  fallback?: HostResolver,
): HostResolver {
  const map = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), [...v]]));
  for (const [name, addresses] of map) {
    for (const a of addresses) {
      if (isIP(a) === 0) {
        throw new VigilError("VIGIL_ERR_CONFIG_INVALID", `${name}: "${a}" is not an IP address`);
      }
    }
  }
  return async (hostname, signal) => {
    const found = map.get(hostname.toLowerCase());
    if (found !== undefined) return [...found];
    if (fallback !== undefined) return fallback(hostname, signal);
    throw new VigilError("VIGIL_ERR_WEB_DNS", `${hostname}: not in the resolver's table`);
  };
}
