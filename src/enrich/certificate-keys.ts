import { createHash } from "node:crypto";
import { getDomain } from "tldts";

/** Keys that make a served certificate easy to index and to match across sites. */
export interface CertificateKeys {
  /** SHA-256 of the leaf certificate's DER, lower-case hex without colons. */
  sha256: string;
  /** Its subjectAltName entries, lower case, without duplicates, sorted. */
  sans: string[];
  /** SHA-256 of the sorted SAN list joined by newlines: equal for reissues naming the same set. */
  sansSha256: string;
  /** The registrable domains the SANs name, sorted. */
  sanDomains: string[];
  /** Whether it names more than one registrable domain (a shared multi-domain certificate). */
  multiDomain: boolean;
}

/** SANs kept: a shared hosting certificate can name hundreds of sites. */
export const MAX_CERTIFICATE_SANS = 1000;

/**
 * Index keys of a leaf certificate: its SHA-256 and its sorted SAN list. Sites that serve
 * the same leaf, or certificates naming the same set of names, are one operator's (a
 * conclusive link when the SANs are few and not a CDN's).
 *
 * @param fingerprint256 as node prints it: upper-case hex pairs separated by colons.
 */
export function certificateKeys(
  fingerprint256: string,
  subjectAltNames: readonly string[],
): CertificateKeys {
  const sans = [
    ...new Set(subjectAltNames.slice(0, MAX_CERTIFICATE_SANS).map((s) => s.trim().toLowerCase())),
  ]
    .filter((s) => s !== "")
    .sort();
  const sanDomains = [
    ...new Set(sans.map((s) => getDomain(s.replace(/^\*\./, "")) ?? s).filter((d) => d !== "")),
  ].sort();
  return {
    sha256: fingerprint256.replace(/:/g, "").toLowerCase(),
    sans,
    sansSha256: createHash("sha256").update(sans.join("\n")).digest("hex"),
    sanDomains,
    multiDomain: sanDomains.length > 1,
  };
}
