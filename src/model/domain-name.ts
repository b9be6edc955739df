import { domainToASCII, domainToUnicode } from "node:url";
import { parse } from "tldts";

/** Longest raw text we try to read as a domain: a URL with a long path is fine, a 10 MB line is not. */
export const MAX_DOMAIN_INPUT_CHARS = 4096;
/** RFC 1035 §2.3.4: 253 characters in presentation form, 63 per label. */
export const MAX_DOMAIN_CHARS = 253;
export const MAX_LABEL_CHARS = 63;

/** A domain name split into the parts lookalike rules compare. */
export interface DomainName {
  /** Lower-case ASCII (punycode) form, no trailing dot. */
  ascii: string;
  /** Unicode form (equal to `ascii` when there is no IDN label). */
  unicode: string;
  /** Registrable domain (label + public suffix), ASCII. */
  registrable: string;
  /** The registrable label, ASCII: `washingtonpost` in `www.washingtonpost.com`. */
  label: string;
  /** The registrable label in Unicode. */
  unicodeLabel: string;
  /** Public suffix, e.g. `co.uk` (private suffixes such as `co.com` count). */
  suffix: string;
  /** Labels left of the registrable domain, ASCII, may be empty. */
  subdomain: string;
  /** Whether any label is an IDN (`xn--`). */
  isIdn: boolean;
}

export type DomainParseResult =
  | { ok: true; domain: DomainName }
  | { ok: false; reason: "too-long" | "invalid" | "not-registrable"; message: string };

const LABEL_RE = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/**
 * Reads a domain name from user text: a bare name, a URL, `http:name`, a wildcard
 * (`*.name`) or a name with a trailing dot. Returns a reason instead of throwing.
 *
 * @example parseDomain("https://WashingtonPost.PM/path") // ok, label "washingtonpost", suffix "pm"
 */
export function parseDomain(raw: string): DomainParseResult {
  if (raw.length > MAX_DOMAIN_INPUT_CHARS) {
    return {
      ok: false,
      reason: "too-long",
      message: `input of ${raw.length} characters is longer than ${MAX_DOMAIN_INPUT_CHARS}`,
    };
  }
  let host = raw.trim();
  // A scheme is `name://`, or one of the web schemes written without slashes
  // (`http:kaaltv.com`); `example.com:8080` is a host and a port, not a scheme.
  const scheme = /^(?:[a-z][a-z0-9+.-]*:\/\/|(?:https?|ftp|wss?):)/i.exec(host);
  if (scheme) host = host.slice(scheme[0].length);
  host = host.replace(/^[^/@]*@/, ""); // userinfo
  host = host.split(/[/?#]/, 1)[0] ?? "";
  host = host
    .replace(/:\d{1,5}$/, "")
    .replace(/^\*\./, "")
    .replace(/\.$/, "");
  if (host === "") return { ok: false, reason: "invalid", message: "empty domain name" };
  if (host.length > MAX_DOMAIN_CHARS * 4) {
    return { ok: false, reason: "too-long", message: `domain of ${host.length} characters` };
  }
  // domainToASCII applies UTS #46 mapping (case folding, width folding) and punycode.
  const ascii = domainToASCII(host);
  if (ascii === "") {
    return { ok: false, reason: "invalid", message: `not a valid domain name: ${quote(host)}` };
  }
  if (ascii.length > MAX_DOMAIN_CHARS) {
    return {
      ok: false,
      reason: "too-long",
      message: `domain of ${ascii.length} characters is longer than ${MAX_DOMAIN_CHARS}`,
    };
  }
  const labels = ascii.split(".");
  for (const label of labels) {
    if (!LABEL_RE.test(label)) {
      return {
        ok: false,
        reason: "invalid",
        message: `invalid label ${quote(label)} in ${quote(ascii)}`,
      };
    }
  }
  const parsed = parse(ascii, { allowPrivateDomains: true });
  if (parsed.isIp || !parsed.domain || !parsed.domainWithoutSuffix || !parsed.publicSuffix) {
    return {
      ok: false,
      reason: "not-registrable",
      message: `${quote(ascii)} has no registrable domain under a public suffix`,
    };
  }
  const label = parsed.domainWithoutSuffix;
  const unicode = domainToUnicode(ascii) || ascii;
  return {
    ok: true,
    domain: {
      ascii,
      unicode,
      registrable: parsed.domain,
      label,
      unicodeLabel: label.startsWith("xn--") ? domainToUnicode(label) || label : label,
      suffix: parsed.publicSuffix,
      subdomain: parsed.subdomain ?? "",
      isIdn: labels.some((l) => l.startsWith("xn--")),
    },
  };
}

/** Quotes text for an error message, cut short and with control characters escaped. */
export function quote(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}
