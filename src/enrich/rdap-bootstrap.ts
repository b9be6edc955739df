import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { VigilError } from "../errors.js";

/**
 * IANA's RDAP bootstrap registry for domain names (RFC 9224 §4): each service is a list
 * of DNS labels (TLDs, or longer suffixes) and the RDAP base URLs that answer for them.
 */
export interface RdapBootstrap {
  description?: string;
  /** When the file was published (ISO 8601), as IANA writes it. */
  publication?: string;
  /** Label (lower case, no trailing dot) → base URLs, https first. */
  servers: ReadonlyMap<string, readonly string[]>;
}

/** The bootstrap file shipped with Vigil: IANA's whole registry, mirrored (data/rdap/README.md). */
export const SHIPPED_RDAP_BOOTSTRAP = fileURLToPath(
  new URL("../../data/rdap/dns.json", import.meta.url),
);
/** The shipped copy of IANA's file is ~41 KiB; this bounds what a wrong file makes us parse. */
export const MAX_RDAP_BOOTSTRAP_BYTES = 4 * 1024 * 1024;
/** Services read from one file (IANA's has ~600; the shipped copy 588). */
export const MAX_RDAP_SERVICES = 10_000;

/**
 * Reads a bootstrap file in IANA's `dns.json` format (the shipped one by default).
 *
 * @throws VigilError `VIGIL_ERR_CONFIG_INVALID` for a file that cannot be read or is not in that format.
 */
export function loadRdapBootstrap(path: string = SHIPPED_RDAP_BOOTSTRAP): RdapBootstrap {
  let text: string;
  try {
    text = readBootstrapText(path);
  } catch (err) {
    throw new VigilError(
      "VIGIL_ERR_CONFIG_INVALID",
      `RDAP bootstrap ${path} cannot be read: ${(err as Error).message}`,
      { cause: err },
    );
  }
  try {
    return parseRdapBootstrap(JSON.parse(text));
  } catch (err) {
    throw new VigilError(
      "VIGIL_ERR_CONFIG_INVALID",
      `RDAP bootstrap ${path} is not in IANA's dns.json format: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** A bootstrap file's text, refused past `MAX_RDAP_BOOTSTRAP_BYTES`; throws an `Error` naming what is wrong. */
export function readBootstrapText(path: string): string {
  const bytes = readFileSync(path);
  if (bytes.length > MAX_RDAP_BOOTSTRAP_BYTES) {
    throw new Error(`over ${MAX_RDAP_BOOTSTRAP_BYTES} bytes`);
  }
  return bytes.toString("utf8");
}

/** One service of a bootstrap document: what it answers for and its base URLs. */
export interface BootstrapService {
  /** Its position in the file, from 1, for messages. */
  number: number;
  /** DNS labels (`dns.json`) or CIDR prefixes (`ipv4.json`, `ipv6.json`), as written. */
  entries: readonly string[];
  /** Its http(s) base URLs ending in `/`, https first. */
  urls: readonly string[];
}

/**
 * The services of a parsed bootstrap document (RFC 9224 §3: `services` of
 * `[[entries…], [urls…]]`, with `description` and `publication`), the same for the
 * domain and the IP registries; services without an http(s) URL are left out. Throws an
 * `Error` naming what is wrong; `entries` names what the first list holds.
 */
export function bootstrapServices(
  doc: unknown,
  entries: "labels" | "prefixes",
): { services: BootstrapService[]; description?: string; publication?: string } {
  if (typeof doc !== "object" || doc === null) throw new Error("not a JSON object");
  const { services, description, publication } = doc as Record<string, unknown>;
  if (!Array.isArray(services)) throw new Error("no services array");
  if (services.length > MAX_RDAP_SERVICES) throw new Error(`over ${MAX_RDAP_SERVICES} services`);
  const read: BootstrapService[] = [];
  for (const [i, service] of services.entries()) {
    if (
      !Array.isArray(service) ||
      !Array.isArray(service[0]) ||
      !Array.isArray(service[1]) ||
      !service[0].every((e: unknown) => typeof e === "string") ||
      !service[1].every((u: unknown) => typeof u === "string")
    ) {
      throw new Error(`service ${i + 1} is not [[${entries}…], [urls…]]`);
    }
    const urls = (service[1] as string[])
      .filter((u) => /^https?:\/\//i.test(u))
      .map((u) => (u.endsWith("/") ? u : `${u}/`))
      // RFC 9224 §4: prefer https where a service lists both.
      .sort((a, b) => Number(b.startsWith("https:")) - Number(a.startsWith("https:")));
    if (urls.length === 0) continue;
    read.push({ number: i + 1, entries: service[0] as string[], urls });
  }
  return {
    services: read,
    ...(typeof description === "string" ? { description } : {}),
    ...(typeof publication === "string" ? { publication } : {}),
  };
}

/** Checks a parsed `dns.json` document; throws an `Error` naming what is wrong. */
export function parseRdapBootstrap(doc: unknown): RdapBootstrap {
  const { services, ...about } = bootstrapServices(doc, "labels");
  const servers = new Map<string, readonly string[]>();
  for (const { entries, urls } of services) {
    for (const label of entries) servers.set(label.toLowerCase().replace(/\.$/, ""), urls);
  }
  return { ...about, servers };
}

/**
 * The RDAP base URL for a domain: the service of its longest matching suffix
 * (RFC 9224 §4: `sub.example.net` wins over `net`), https first; undefined when none.
 */
export function rdapBaseFor(bootstrap: RdapBootstrap, domain: string): string | undefined {
  const labels = domain.toLowerCase().replace(/\.$/, "").split(".");
  for (let i = 0; i < labels.length; i++) {
    const urls = bootstrap.servers.get(labels.slice(i).join("."));
    if (urls !== undefined) return urls[0];
  }
  return undefined;
}
