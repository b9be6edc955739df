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
    const bytes = readFileSync(path);
    if (bytes.length > MAX_RDAP_BOOTSTRAP_BYTES) {
      throw new Error(`over ${MAX_RDAP_BOOTSTRAP_BYTES} bytes`);
    }
    text = bytes.toString("utf8");
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

/** Checks a parsed `dns.json` document; throws an `Error` naming what is wrong. */
export function parseRdapBootstrap(doc: unknown): RdapBootstrap {
  if (typeof doc !== "object" || doc === null) throw new Error("not a JSON object");
  const { services, description, publication } = doc as Record<string, unknown>;
  if (!Array.isArray(services)) throw new Error("no services array");
  if (services.length > MAX_RDAP_SERVICES) throw new Error(`over ${MAX_RDAP_SERVICES} services`);
  const servers = new Map<string, string[]>();
  for (const [i, service] of services.entries()) {
    if (
      !Array.isArray(service) ||
      !Array.isArray(service[0]) ||
      !Array.isArray(service[1]) ||
      !service[0].every((l: unknown) => typeof l === "string") ||
      !service[1].every((u: unknown) => typeof u === "string")
    ) {
      throw new Error(`service ${i + 1} is not [[labels…], [urls…]]`);
    }
    const urls = (service[1] as string[])
      .filter((u) => /^https?:\/\//i.test(u))
      .map((u) => (u.endsWith("/") ? u : `${u}/`))
      // RFC 9224 §4: prefer https where a service lists both.
      .sort((a, b) => Number(b.startsWith("https:")) - Number(a.startsWith("https:")));
    if (urls.length === 0) continue;
    for (const label of service[0] as string[]) {
      servers.set(label.toLowerCase().replace(/\.$/, ""), urls);
    }
  }
  return {
    ...(typeof description === "string" ? { description } : {}),
    ...(typeof publication === "string" ? { publication } : {}),
    servers,
  };
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
