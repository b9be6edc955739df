import { loadRdapBootstrap, rdapBaseUrl } from "../enrich/index.js";

/** The RDAP options a command takes: `--rdap <url>`, `--no-rdap`, `--rdap-bootstrap <file>`. */
export interface RdapCliOptions {
  rdap?: string | boolean;
  rdapBootstrap?: string;
}

/** RDAP settings: `--rdap URL` or VIGIL_RDAP_URL, else a bootstrap file; none with --no-rdap. */
export function rdapOptions(
  opts: RdapCliOptions,
  env: Readonly<Record<string, string | undefined>>,
): { baseUrl?: string; bootstrap?: ReturnType<typeof loadRdapBootstrap> } | undefined {
  if (opts.rdap === false) return undefined;
  const url = typeof opts.rdap === "string" ? opts.rdap : env.VIGIL_RDAP_URL?.trim();
  if (url !== undefined && url !== "") return { baseUrl: rdapBaseUrl(url) };
  const file = opts.rdapBootstrap ?? env.VIGIL_RDAP_BOOTSTRAP?.trim();
  return {
    bootstrap: file === undefined || file === "" ? loadRdapBootstrap() : loadRdapBootstrap(file),
  };
}
