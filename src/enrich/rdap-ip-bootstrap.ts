import { fileURLToPath } from "node:url";
import { VigilError } from "../errors.js";
import { type IpRange, inPrefix, parseIp, parseRange } from "../sources/index.js";
import { bootstrapServices, readBootstrapText } from "./rdap-bootstrap.js";

/**
 * IANA's RDAP bootstrap registries for IP addresses (RFC 9224 §5.1, §5.2): each service
 * is a list of IPv4 or IPv6 prefixes and the RDAP base URLs of the regional registry
 * that allocated them.
 */
export interface RdapIpBootstrap {
  /** Prefixes (IPv4 and IPv6 together) and their base URLs, https first. */
  ranges: ReadonlyArray<IpRange & { urls: readonly string[] }>;
  /** When each file was published (ISO 8601), as IANA writes it. */
  publication?: string;
}

/** The IPv4 and IPv6 bootstrap files shipped with Vigil (data/rdap/README.md). */
export const SHIPPED_RDAP_IP_BOOTSTRAP: readonly string[] = [
  fileURLToPath(new URL("../../data/rdap/ipv4.json", import.meta.url)),
  fileURLToPath(new URL("../../data/rdap/ipv6.json", import.meta.url)),
];
/** Prefixes read from one file (IANA's IPv4 file has ~220, its IPv6 file ~40). */
export const MAX_RDAP_IP_PREFIXES = 10_000;

/**
 * Reads bootstrap files in IANA's `ipv4.json` / `ipv6.json` format (the shipped pair by
 * default) into one table.
 *
 * @throws VigilError `VIGIL_ERR_CONFIG_INVALID` for a file that cannot be read or is not in that format.
 */
export function loadRdapIpBootstrap(
  paths: readonly string[] = SHIPPED_RDAP_IP_BOOTSTRAP,
): RdapIpBootstrap {
  const ranges: Array<IpRange & { urls: readonly string[] }> = [];
  let publication: string | undefined;
  for (const path of paths) {
    let doc: unknown;
    try {
      doc = JSON.parse(readBootstrapText(path));
    } catch (err) {
      throw new VigilError(
        "VIGIL_ERR_CONFIG_INVALID",
        `RDAP IP bootstrap ${path} cannot be read: ${(err as Error).message}`,
        { cause: err },
      );
    }
    try {
      const read = parseRdapIpBootstrap(doc);
      ranges.push(...read.ranges);
      publication ??= read.publication;
    } catch (err) {
      throw new VigilError(
        "VIGIL_ERR_CONFIG_INVALID",
        `RDAP IP bootstrap ${path} is not in IANA's ipv4.json/ipv6.json format: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  return { ranges, ...(publication === undefined ? {} : { publication }) };
}

/** Checks a parsed `ipv4.json` or `ipv6.json` document; throws an `Error` naming what is wrong. */
export function parseRdapIpBootstrap(doc: unknown): RdapIpBootstrap {
  const { services, publication } = bootstrapServices(doc, "prefixes");
  const ranges: Array<IpRange & { urls: readonly string[] }> = [];
  for (const { number, entries, urls } of services) {
    for (const text of entries) {
      const range = parseRange(text.trim());
      if (range === undefined || !text.includes("/"))
        throw new Error(`service ${number}: "${text.slice(0, 60)}" is not a CIDR prefix`);
      if (ranges.length >= MAX_RDAP_IP_PREFIXES)
        throw new Error(`over ${MAX_RDAP_IP_PREFIXES} prefixes`);
      ranges.push({ ...range, urls });
    }
  }
  return { ranges, ...(publication === undefined ? {} : { publication }) };
}

/**
 * The RDAP base URL for an address: the service of its longest matching prefix
 * (RFC 9224 §5.1), https first; undefined when none (a private or reserved address).
 */
export function rdapBaseForAddress(
  bootstrap: RdapIpBootstrap,
  address: string,
): string | undefined {
  const bytes = parseIp(address);
  if (bytes === undefined) return undefined;
  let best: { bits: number; url: string } | undefined;
  for (const r of bootstrap.ranges) {
    if (r.prefix.length !== bytes.length || (best !== undefined && r.bits <= best.bits)) continue;
    if (inPrefix(bytes, r.prefix, r.bits)) best = { bits: r.bits, url: r.urls[0] as string };
  }
  return best?.url;
}
