import { VigilError } from "../../errors.js";

/** Longest URL accepted: browsers and servers stop well below this. */
export const MAX_URL_LENGTH = 8192;

/**
 * Host names refused by name before any look-up: they name this machine or its
 * surroundings, whatever a resolver says (RFC 6761 `localhost`, cloud metadata names).
 */
const REFUSED_NAMES = [
  /^localhost$/,
  /\.localhost$/,
  /^metadata\.google\.internal$/,
  /^metadata$/,
  /^instance-data(\.ec2\.internal)?$/,
];

/**
 * Parses a URL to fetch, refusing what the fetcher never follows: schemes other than
 * http and https, user names and passwords in the URL (a capture must not carry or leak
 * credentials), and local host names. Odd IPv4 spellings (`http://2130706433/`,
 * `http://0x7f.1/`, `http://017700000001/`, `http://127.1/`) are normalised to a dotted
 * quad by the WHATWG URL parser, so the address check sees the real address.
 *
 * @throws VigilError `VIGIL_ERR_WEB_URL` for what is not a URL, `VIGIL_ERR_WEB_REFUSED`
 *   for a URL the policy refuses.
 */
export function parseSafeUrl(text: string, base?: string | URL): URL {
  if (text.length > MAX_URL_LENGTH) {
    throw new VigilError(
      "VIGIL_ERR_WEB_URL",
      `URL of ${text.length} characters, over the limit of ${MAX_URL_LENGTH}`,
    );
  }
  let url: URL;
  try {
    url = base === undefined ? new URL(text) : new URL(text, base);
  } catch (err) {
    throw new VigilError("VIGIL_ERR_WEB_URL", `not a URL: ${JSON.stringify(text.slice(0, 200))}`, {
      cause: err,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new VigilError(
      "VIGIL_ERR_WEB_REFUSED",
      `${url.protocol} URLs are not fetched (http and https only)`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new VigilError(
      "VIGIL_ERR_WEB_REFUSED",
      "URLs with a user name or password are not fetched",
    );
  }
  const host = hostOf(url);
  if (host === "") throw new VigilError("VIGIL_ERR_WEB_URL", `no host in ${url.href}`);
  if (REFUSED_NAMES.some((pattern) => pattern.test(host))) {
    throw new VigilError("VIGIL_ERR_WEB_REFUSED", `${host} names this machine or its cloud host`);
  }
  url.hash = "";
  return url;
}

/** The URL's host without IPv6 brackets or a trailing dot, lower case. */
export function hostOf(url: URL): string {
  let host = url.hostname.toLowerCase();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (host.endsWith(".")) host = host.slice(0, -1);
  return host;
}
