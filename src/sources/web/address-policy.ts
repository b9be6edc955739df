import { VigilError } from "../../errors.js";
import {
  formatIp,
  type IpBytes,
  type IpRange,
  inPrefix,
  parseIp,
  parseRange,
} from "./ip-address.js";

/** A range refused by default, with the reason given when an address falls in it. */
interface Refused {
  range: IpRange;
  reason: string;
}

const range = (text: string, reason: string): Refused => {
  const parsed = parseRange(text);
  if (parsed === undefined) throw new Error(`bad built-in range ${text}`);
  return { range: parsed, reason };
};

/**
 * IPv4 ranges never fetched (IANA IPv4 Special-Purpose Address Registry, RFC 6890 and
 * successors). Cloud metadata addresses come first so the reason names them.
 */
const REFUSED_V4: readonly Refused[] = [
  range("169.254.169.254/32", "cloud metadata service (AWS, GCP, Azure)"),
  range("169.254.170.2/32", "cloud metadata service (AWS ECS)"),
  range("100.100.100.200/32", "cloud metadata service (Alibaba)"),
  range("192.0.0.192/32", "cloud metadata service (Oracle)"),
  range("0.0.0.0/8", "unspecified / this network"),
  range("10.0.0.0/8", "private network (RFC 1918)"),
  range("100.64.0.0/10", "carrier-grade NAT (RFC 6598)"),
  range("127.0.0.0/8", "loopback"),
  range("169.254.0.0/16", "link-local"),
  range("172.16.0.0/12", "private network (RFC 1918)"),
  range("192.0.0.0/24", "IETF protocol assignments"),
  range("192.0.2.0/24", "documentation (TEST-NET-1)"),
  range("192.31.196.0/24", "AS112 service"),
  range("192.52.193.0/24", "AMT relay"),
  range("192.88.99.0/24", "6to4 relay anycast (reserved)"),
  range("192.168.0.0/16", "private network (RFC 1918)"),
  range("192.175.48.0/24", "AS112 service"),
  range("198.18.0.0/15", "benchmarking (RFC 2544)"),
  range("198.51.100.0/24", "documentation (TEST-NET-2)"),
  range("203.0.113.0/24", "documentation (TEST-NET-3)"),
  range("224.0.0.0/4", "multicast"),
  range("255.255.255.255/32", "broadcast"),
  range("240.0.0.0/4", "reserved"),
];

/**
 * IPv6 ranges never fetched. Only global unicast (2000::/3) is fetched at all, so this
 * lists the special ranges inside it; the rest (`::`, `::1`, ULA, link-local, multicast,
 * IPv4-mapped and -compatible) is refused as not global unicast, after the embedded IPv4
 * address of the forms that carry one has been named.
 */
const REFUSED_V6: readonly Refused[] = [
  range("2001:db8::/32", "documentation (RFC 3849)"),
  range("3fff::/20", "documentation (RFC 9637)"),
  range("2001:2::/48", "benchmarking (RFC 5180)"),
  range("2001:10::/28", "ORCHID (deprecated)"),
  range("2001:20::/28", "ORCHIDv2"),
  range("2001::/23", "IETF protocol assignments"),
  range("2002::/16", "6to4"),
  range("5f00::/16", "SRv6 SIDs (RFC 9602)"),
];

const NOT_GLOBAL_V6: readonly Refused[] = [
  range("fd00:ec2::254/128", "cloud metadata service (AWS)"),
  range("::/128", "unspecified"),
  range("::1/128", "loopback"),
  range("64:ff9b:1::/48", "local-use NAT64 (RFC 8215)"),
  range("100::/64", "discard-only (RFC 6666)"),
  range("fc00::/7", "unique local address (ULA)"),
  range("fe80::/10", "link-local"),
  range("fec0::/10", "site-local (deprecated)"),
  range("ff00::/8", "multicast"),
];

const prefixOf = (text: string) => range(text, "").range.prefix;
const GLOBAL_UNICAST_V6 = prefixOf("2000::/3");
const MAPPED = prefixOf("::ffff:0:0/96");
const COMPATIBLE = prefixOf("::/96");
const NAT64 = prefixOf("64:ff9b::/96");
const SIX_TO_FOUR = prefixOf("2002::/16");
const TEREDO = prefixOf("2001::/32");

/**
 * Decides which addresses may be fetched: public unicast only. Everything a server-side
 * request forgery would aim at (loopback, private and carrier-grade NAT networks,
 * link-local and cloud metadata services, multicast, broadcast, reserved, documentation
 * and benchmarking ranges) is refused, in IPv4 and IPv6, and IPv6 forms that carry an
 * IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged by that address too.
 *
 * `allow` lists addresses or CIDR ranges let through anyway. It exists for tests and lab
 * set-ups that serve pages from loopback; nothing in normal use should set it.
 */
export class AddressPolicy {
  readonly #allow: readonly IpRange[];

  constructor(allow: readonly string[] = []) {
    this.#allow = allow.map((text) => {
      const parsed = parseRange(text);
      if (parsed === undefined) {
        throw new VigilError(
          "VIGIL_ERR_CONFIG_INVALID",
          `not an IP address or CIDR range: "${text}"`,
        );
      }
      return parsed;
    });
  }

  /** Why `address` may not be fetched, or undefined when it may. */
  refusal(address: string): string | undefined {
    const bytes = parseIp(address);
    if (bytes === undefined) return `"${address}" is not an IP address`;
    if (this.#allow.some((r) => inPrefix(bytes, r.prefix, r.bits))) return undefined;
    return refusalOf(bytes);
  }
}

/** Why an address (as bytes) is refused by default, or undefined for public unicast. */
function refusalOf(bytes: IpBytes): string | undefined {
  if (bytes.length === 4) {
    for (const r of REFUSED_V4) if (inPrefix(bytes, r.range.prefix, r.range.bits)) return r.reason;
    return undefined;
  }
  const embedded = embeddedIpv4(bytes);
  if (embedded !== undefined) {
    const inner = refusalOf(embedded.address);
    if (inner !== undefined) return `${embedded.form} of ${formatIp(embedded.address)}: ${inner}`;
  }
  // Mapped and compatible forms are never what a public name resolves to.
  if (inPrefix(bytes, MAPPED, 96)) return "IPv4-mapped IPv6 address";
  if (inPrefix(bytes, COMPATIBLE, 96) && !isZeroOrOne(bytes)) return "IPv4-compatible IPv6 address";
  for (const r of NOT_GLOBAL_V6) if (inPrefix(bytes, r.range.prefix, r.range.bits)) return r.reason;
  if (inPrefix(bytes, NAT64, 96)) return undefined; // a public IPv4 through NAT64
  if (!inPrefix(bytes, GLOBAL_UNICAST_V6, 3)) return "not global unicast IPv6";
  for (const r of REFUSED_V6) if (inPrefix(bytes, r.range.prefix, r.range.bits)) return r.reason;
  return undefined;
}

function isZeroOrOne(bytes: IpBytes): boolean {
  for (let i = 0; i < 15; i++) if (bytes[i] !== 0) return false;
  return (bytes[15] as number) <= 1;
}

/** The IPv4 address an IPv6 address carries, for the forms that carry one. */
function embeddedIpv4(bytes: IpBytes): { form: string; address: IpBytes } | undefined {
  if (inPrefix(bytes, MAPPED, 96)) return { form: "IPv4-mapped", address: bytes.slice(12) };
  if (inPrefix(bytes, NAT64, 96)) return { form: "NAT64", address: bytes.slice(12) };
  if (inPrefix(bytes, COMPATIBLE, 96) && !isZeroOrOne(bytes)) {
    return { form: "IPv4-compatible", address: bytes.slice(12) };
  }
  if (inPrefix(bytes, SIX_TO_FOUR, 16)) return { form: "6to4", address: bytes.slice(2, 6) };
  if (inPrefix(bytes, TEREDO, 32)) {
    // RFC 4380 §4: the client's address is the last 32 bits, each bit inverted.
    return { form: "Teredo", address: bytes.slice(12).map((b) => b ^ 0xff) };
  }
  return undefined;
}
