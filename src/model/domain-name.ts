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
  // Most names from lists and certificates are already plain lower-case ASCII hosts;
  // for them UTS #46 mapping and IDN decoding change nothing and are skipped.
  if (raw.length <= MAX_DOMAIN_CHARS && PLAIN_HOST.test(raw) && !raw.includes("xn--")) {
    const last = raw.slice(raw.lastIndexOf(".") + 1);
    // WHATWG reads a host ending in a number (1.2.3.4, 0x7f.1) as an IPv4 address.
    if (!ENDS_IN_NUMBER.test(last)) return split(raw, false);
  }
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
  return split(
    ascii,
    labels.some((l) => l.startsWith("xn--")),
  );
}

/** A lower-case ASCII host of valid labels (no leading or trailing hyphen). */
const PLAIN_HOST = /^(?:(?!-)[a-z0-9_-]{1,63}(?<!-)\.)*(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
/** WHATWG URL "ends in a number": decimal or 0x-hex last label. */
const ENDS_IN_NUMBER = /^(?:\d+|0x[0-9a-f]*)$/;

/**
 * The host is a validated ASCII name, so tldts need not extract or re-validate it
 * (roughly halves its cost on the detector's hot path).
 */
const TLDTS_OPTIONS = {
  allowPrivateDomains: true,
  extractHostname: false,
  validateHostname: false,
  mixedInputs: false,
} as const;

/** Splits a validated ASCII host at its public suffix. */
function split(ascii: string, isIdn: boolean): DomainParseResult {
  const parsed = parse(ascii, TLDTS_OPTIONS);
  if (parsed.isIp || !parsed.domain || !parsed.domainWithoutSuffix || !parsed.publicSuffix) {
    return {
      ok: false,
      reason: "not-registrable",
      message: `${quote(ascii)} has no registrable domain under a public suffix`,
    };
  }
  const label = parsed.domainWithoutSuffix;
  return {
    ok: true,
    domain: {
      ascii,
      unicode: isIdn ? domainToUnicode(ascii) || ascii : ascii,
      registrable: parsed.domain,
      label,
      unicodeLabel: label.startsWith("xn--") ? domainToUnicode(label) || label : label,
      suffix: parsed.publicSuffix,
      subdomain: parsed.subdomain ?? "",
      isIdn,
    },
  };
}

/** Quotes text for an error message, cut short and with control characters escaped. */
export function quote(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}
