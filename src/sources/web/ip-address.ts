import { isIP } from "node:net";

/** An IP address as bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = Uint8Array;

/**
 * Parses an IP address in its standard text form (dotted quad, or IPv6 with `::` and an
 * optional trailing dotted quad) to its bytes; undefined for anything else. Odd IPv4
 * forms (`0x7f.1`, `2130706433`) are not accepted here: the WHATWG URL parser has already
 * turned them into a dotted quad by the time a host reaches the guard, and a resolver
 * answer in such a form is refused.
 */
export function parseIp(text: string): IpBytes | undefined {
  const family = isIP(text);
  if (family === 4) return parseIpv4(text);
  if (family === 6) return parseIpv6(text);
  return undefined;
}

function parseIpv4(text: string): IpBytes | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIpv6(text: string): IpBytes | undefined {
  // A zone (`fe80::1%eth0`) only qualifies link-local addresses: kept out by the caller.
  if (text.includes("%")) return undefined;
  let head = text;
  let tail4: IpBytes | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    tail4 = parseIpv4(text.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0] as string);
  const right = halves.length === 2 ? groups(halves[1] as string) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = all[i] as string;
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    const n = Number.parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  if (tail4 !== undefined) out.set(tail4, 12);
  return out;
}

/** The text form of an address's bytes (IPv6 written in full, lower case, unshortened). */
export function formatIp(bytes: IpBytes): string {
  if (bytes.length === 4) return [...bytes].join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  return groups.join(":");
}

/** Whether `bytes` lies in `prefix`/`bits` (both of the same family). */
export function inPrefix(bytes: IpBytes, prefix: IpBytes, bits: number): boolean {
  if (bytes.length !== prefix.length) return false;
  const whole = Math.floor(bits / 8);
  for (let i = 0; i < whole; i++) if (bytes[i] !== prefix[i]) return false;
  const rest = bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[whole] as number) & mask) === ((prefix[whole] as number) & mask);
}

/** A CIDR range (`10.0.0.0/8`, `fc00::/7`) or a single address, as prefix bytes and length. */
export interface IpRange {
  prefix: IpBytes;
  bits: number;
}

/** Parses `a.b.c.d/n`, `x::/n` or a single address; undefined when it is neither. */
export function parseRange(text: string): IpRange | undefined {
  const slash = text.indexOf("/");
  const address = slash === -1 ? text : text.slice(0, slash);
  const prefix = parseIp(address);
  if (prefix === undefined) return undefined;
  const max = prefix.length * 8;
  if (slash === -1) return { prefix, bits: max };
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  return bits > max ? undefined : { prefix, bits };
}
