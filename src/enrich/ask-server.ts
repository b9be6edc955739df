import { Resolver } from "node:dns/promises";
import { isIPv6 } from "node:net";
import { DEFAULT_DNS_LOOKUP_TIMEOUT_MS } from "./dns-records.js";

/** One question put to one DNS server directly (not through a recursive resolver). */
export interface ServerQuestion {
  /** The server's IPv4 or IPv6 address. */
  address: string;
  /** Default 53. */
  port?: number;
  name: string;
  type: "SOA";
}

/**
 * A server's answer: `answered` with the SOA as `primary admin serial`, or not, with the
 * resolver's code (`EREFUSED`, `ENODATA`, `ENOTFOUND`: the server does not serve the
 * name; `ETIMEOUT`, `ESERVFAIL`, `ECONNREFUSED`: no usable answer).
 */
export type ServerAnswer =
  | { answered: true; soa: string }
  | { answered: false; code: string; message: string };

/** Asks one server directly; never throws for a DNS failure. */
export type AskServer = (question: ServerQuestion) => Promise<ServerAnswer>;

/**
 * The production `AskServer`: a node `Resolver` with `setServers([address])`, one try,
 * each question cut at `timeoutMs` (the enricher's timeout).
 *
 * @example
 * const ask = serverAsker();
 * await ask({ address: "199.7.68.1", name: "bloomberg.net", type: "SOA" });
 */
export function serverAsker(options: { timeoutMs?: number } = {}): AskServer {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DNS_LOOKUP_TIMEOUT_MS;
  return async (question) => {
    const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
    const port = question.port ?? 53;
    resolver.setServers([
      isIPv6(question.address) ? `[${question.address}]:${port}` : `${question.address}:${port}`,
    ]);
    let timer: NodeJS.Timeout | undefined;
    try {
      const soa = await Promise.race([
        resolver.resolveSoa(question.name),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            resolver.cancel();
            reject(
              Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEOUT" }),
            );
          }, timeoutMs);
        }),
      ]);
      return {
        answered: true,
        soa: `${soa.nsname.toLowerCase()} ${soa.hostmaster.toLowerCase()} ${soa.serial}`,
      };
    } catch (err) {
      return {
        answered: false,
        code: String((err as { code?: unknown }).code ?? "EUNKNOWN"),
        message: String((err as Error).message ?? err).slice(0, 500),
      };
    } finally {
      clearTimeout(timer);
    }
  };
}
