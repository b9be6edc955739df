import { DerError, DerReader } from "./der-reader.js";

/** The names a certificate is for, as written in it (not yet checked as domain names). */
export interface CertificateNames {
  /** subjectAltName dNSName entries, in order. */
  dnsNames: string[];
  /** Subject common names that look like host names (CAs copy one SAN there). */
  commonNames: string[];
  /** True when the certificate held more names than the limit and the rest were skipped. */
  truncated: boolean;
}

/**
 * Names read from one certificate at most. Certificates with thousands of SANs exist
 * (shared hosting), but past this a certificate is a list of customers, not a lookalike,
 * and one entry must not flood a batch.
 */
export const MAX_NAMES_PER_CERTIFICATE = 1000;

/** A host name: letters, digits, hyphens, dots, maybe a wildcard label first. */
const HOSTNAME_LIKE = /^(?:\*\.)?(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}\.?$/i;
/** Longest common name taken: a domain name has at most 253 characters. */
const MAX_COMMON_NAME_CHARS = 253;

/**
 * Whether a subject common name looks like a host name. Common names also hold people's
 * and organisations' names ("Example Ltd"), which are not domains to check.
 */
export function looksLikeHostname(text: string): boolean {
  return text.length <= MAX_COMMON_NAME_CHARS + 2 && HOSTNAME_LIKE.test(text);
}

// OIDs as their DER value bytes.
const OID_COMMON_NAME = [0x55, 0x04, 0x03]; // 2.5.4.3, X.520 commonName
const OID_SUBJECT_ALT_NAME = [0x55, 0x1d, 0x11]; // 2.5.29.17, RFC 5280 §4.2.1.6

/**
 * The TBSCertificate element (tag, length and value) of a DER certificate:
 * `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`.
 *
 * @throws DerError when the certificate is malformed.
 */
export function tbsOfCertificate(certificate: Uint8Array): Uint8Array {
  const outer = new DerReader(certificate);
  const cert = outer.sequence("Certificate");
  const tbs = outer.inside(cert).sequence("tbsCertificate");
  return certificate.subarray(tbs.start, tbs.end);
}

/**
 * Reads the subject common names and subjectAltName dNSNames of a DER TBSCertificate
 * (RFC 5280 §4.1), walking only the fields on the way to them. Names are decoded byte
 * for byte (IA5String is ASCII; other bytes are kept as Latin-1 so a bad name stays
 * visible and is refused later as a domain).
 *
 * @throws DerError when the structure is malformed.
 */
export function readTbsNames(
  tbs: Uint8Array,
  maxNames = MAX_NAMES_PER_CERTIFICATE,
): CertificateNames {
  const result: CertificateNames = { dnsNames: [], commonNames: [], truncated: false };
  const top = new DerReader(tbs);
  const fields = top.inside(top.sequence("TBSCertificate"));
  if (fields.done) throw new DerError("TBSCertificate is empty");
  let element = fields.next();
  // version [0] EXPLICIT is optional (absent means v1).
  if (element.tagClass === 2 && element.tagNumber === 0) {
    if (fields.done) throw new DerError("serialNumber is missing");
    element = fields.next();
  }
  // element is serialNumber; then signature, issuer, validity.
  fields.sequence("signature");
  fields.sequence("issuer");
  fields.sequence("validity");
  const subject = fields.sequence("subject");
  readCommonNames(fields.inside(subject), result, maxNames);
  fields.sequence("subjectPublicKeyInfo");
  // Optional issuerUniqueID [1], subjectUniqueID [2], extensions [3].
  while (!fields.done) {
    const field = fields.next();
    if (field.tagClass !== 2 || field.tagNumber !== 3) continue;
    const wrapper = fields.inside(field);
    const extensions = wrapper.inside(wrapper.sequence("extensions"));
    while (!extensions.done) {
      const extension = extensions.inside(extensions.sequence("extension"));
      const oid = extension.expect("extnID", 0, 6, false);
      let value = extension.next();
      // critical BOOLEAN DEFAULT FALSE may come before the value.
      if (value.tagClass === 0 && value.tagNumber === 1) {
        if (extension.done) throw new DerError("extnValue is missing");
        value = extension.next();
      }
      if (value.tagClass !== 0 || value.tagNumber !== 4 || value.constructed) {
        throw new DerError(`extnValue is not an OCTET STRING at ${value.start}`);
      }
      if (bytesEqual(extension.value(oid), OID_SUBJECT_ALT_NAME)) {
        readDnsNames(new DerReader(tbs, value.valueStart, value.end), result, maxNames);
      }
    }
  }
  return result;
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue). */
function readCommonNames(rdns: DerReader, result: CertificateNames, maxNames: number): void {
  while (!rdns.done) {
    const set = rdns.inside(rdns.expect("RelativeDistinguishedName", 0, 17, true));
    while (!set.done) {
      const atv = set.inside(set.sequence("AttributeTypeAndValue"));
      const type = atv.expect("attribute type", 0, 6, false);
      if (!bytesEqual(atv.value(type), OID_COMMON_NAME)) continue;
      if (atv.done) throw new DerError("commonName has no value");
      const value = atv.next();
      const text = directoryString(value.tagNumber, atv.value(value));
      if (text === undefined || !looksLikeHostname(text)) continue;
      if (count(result) >= maxNames) {
        result.truncated = true;
        return;
      }
      result.commonNames.push(text);
    }
  }
}

/** GeneralNames ::= SEQUENCE OF GeneralName; dNSName is [2] IMPLICIT IA5String. */
function readDnsNames(value: DerReader, result: CertificateNames, maxNames: number): void {
  const names = value.inside(value.sequence("GeneralNames"));
  while (!names.done) {
    const name = names.next();
    if (name.tagClass !== 2 || name.tagNumber !== 2 || name.constructed) continue;
    if (count(result) >= maxNames) {
      result.truncated = true;
      return;
    }
    result.dnsNames.push(latin1(names.value(name)));
  }
}

/** Decodes the string types X.520 allows in a DirectoryString (and IA5String). */
function directoryString(tagNumber: number, bytes: Uint8Array): string | undefined {
  switch (tagNumber) {
    case 12: // UTF8String
      return new TextDecoder("utf-8").decode(bytes);
    case 19: // PrintableString
    case 20: // TeletexString (T.61; Latin-1 is what CAs meant by it)
    case 22: // IA5String
    case 26: // VisibleString
      return latin1(bytes);
    case 30: {
      // BMPString: UTF-16BE. Swapped to LE by hand: "utf-16be" needs a full-ICU Node.
      if (bytes.length % 2 !== 0) return undefined;
      const swapped = Buffer.from(bytes);
      swapped.swap16();
      return swapped.toString("utf16le");
    }
    default:
      return undefined; // UniversalString and others: no host name is written that way
  }
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

function count(result: CertificateNames): number {
  return result.dnsNames.length + result.commonNames.length;
}

function bytesEqual(a: Uint8Array, b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
