/**
 * Real X.509 certificates and precertificates for tests, built with @peculiar/asn1-x509
 * and signed with node:crypto keys (ECDSA P-256): the same DER a CA would issue.
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { AsnConvert, AsnParser, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Extension,
  Extensions,
  GeneralName,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from "@peculiar/asn1-x509";

/** ecdsa-with-SHA256 (RFC 5758 §3.2). */
const ECDSA_SHA256 = "1.2.840.10045.4.3.2";
/** RFC 6962 §3.1: the critical poison extension that makes a certificate a precertificate. */
export const CT_POISON_OID = "1.3.6.1.4.1.11129.2.4.3";
const SUBJECT_ALT_NAME_OID = "2.5.29.17";
const COMMON_NAME_OID = "2.5.4.3";
const ORGANISATION_OID = "2.5.4.10";

export interface TestCa {
  name: string;
  privateKey: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer;
  /** DER self-signed certificate. */
  certificate: Buffer;
  /** RFC 6962 issuer_key_hash: SHA-256 of the SPKI. */
  keyHash: Buffer;
}

export interface CertificateSpec {
  dnsNames?: string[];
  ipAddresses?: string[];
  commonName?: string;
  organisation?: string;
  serial?: number;
  notBefore?: Date;
}

/** One key pair for every subject: key generation is not what the tests exercise. */
const subjectKey = generateKeyPairSync("ec", { namedCurve: "P-256" });

function distinguishedName(commonName?: string, organisation?: string): Name {
  const rdns: RelativeDistinguishedName[] = [];
  if (organisation !== undefined) {
    rdns.push(
      new RelativeDistinguishedName([
        new AttributeTypeAndValue({
          type: ORGANISATION_OID,
          value: new AttributeValue({ utf8String: organisation }),
        }),
      ]),
    );
  }
  if (commonName !== undefined) {
    rdns.push(
      new RelativeDistinguishedName([
        new AttributeTypeAndValue({
          type: COMMON_NAME_OID,
          value: new AttributeValue({ printableString: commonName }),
        }),
      ]),
    );
  }
  return new Name(rdns);
}

function spkiOf(publicKey: KeyObject): SubjectPublicKeyInfo {
  return AsnParser.parse(publicKey.export({ type: "spki", format: "der" }), SubjectPublicKeyInfo);
}

function signTbs(tbs: TBSCertificate, key: KeyObject): Buffer {
  const der = Buffer.from(AsnConvert.serialize(tbs));
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_SHA256 }),
    signatureValue: new Uint8Array(sign("sha256", der, key)).buffer,
  });
  return Buffer.from(AsnConvert.serialize(certificate));
}

/** A self-signed test CA. */
export function makeCa(name = "Vigil Test CA"): TestCa {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const spki = publicKey.export({ type: "spki", format: "der" });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array([1]).buffer,
    signature: new AlgorithmIdentifier({ algorithm: ECDSA_SHA256 }),
    issuer: distinguishedName(name, "Vigil Tests"),
    subject: distinguishedName(name, "Vigil Tests"),
    validity: new Validity({
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2030-01-01T00:00:00Z"),
    }),
    subjectPublicKeyInfo: spkiOf(publicKey),
  });
  return {
    name,
    privateKey,
    spki,
    certificate: signTbs(tbs, privateKey),
    keyHash: createHash("sha256").update(spki).digest(),
  };
}

function tbsFor(ca: TestCa, spec: CertificateSpec, extra: Extension[] = []): TBSCertificate {
  const names = [
    ...(spec.dnsNames ?? []).map((dNSName) => new GeneralName({ dNSName })),
    ...(spec.ipAddresses ?? []).map((iPAddress) => new GeneralName({ iPAddress })),
  ];
  const extensions = [...extra];
  if (names.length > 0) {
    extensions.push(
      new Extension({
        extnID: SUBJECT_ALT_NAME_OID,
        critical: false,
        extnValue: new OctetString(AsnConvert.serialize(new SubjectAlternativeName(names))),
      }),
    );
  }
  const notBefore = spec.notBefore ?? new Date("2024-08-01T00:00:00Z");
  const serial = spec.serial ?? 2;
  return new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array([0x10, (serial >> 16) & 0xff, (serial >> 8) & 0xff, serial & 0xff])
      .buffer,
    signature: new AlgorithmIdentifier({ algorithm: ECDSA_SHA256 }),
    issuer: distinguishedName(ca.name, "Vigil Tests"),
    subject: distinguishedName(spec.commonName, spec.organisation),
    validity: new Validity({
      notBefore,
      notAfter: new Date(notBefore.getTime() + 90 * 86_400_000),
    }),
    subjectPublicKeyInfo: spkiOf(subjectKey.publicKey),
    ...(extensions.length > 0 ? { extensions: new Extensions(extensions) } : {}),
  });
}

/** A certificate issued by `ca`, DER. */
export function issueCertificate(ca: TestCa, spec: CertificateSpec): Buffer {
  return signTbs(tbsFor(ca, spec), ca.privateKey);
}

/**
 * A precertificate as RFC 6962 §3.1 has a CA issue it (with the critical poison
 * extension, signed), and the TBSCertificate a log puts in its leaf (§3.2: the same,
 * without the poison extension). `keepPoison` leaves the extension in the leaf's TBS, as
 * a careless log might.
 */
export function issuePrecertificate(
  ca: TestCa,
  spec: CertificateSpec,
  options: { keepPoison?: boolean } = {},
): { precertificate: Buffer; leafTbs: Buffer } {
  const poison = new Extension({
    extnID: CT_POISON_OID,
    critical: true,
    extnValue: new OctetString(new Uint8Array([0x05, 0x00]).buffer), // ASN.1 NULL
  });
  const tbs = tbsFor(ca, spec, [poison]);
  const precertificate = signTbs(tbs, ca.privateKey);
  const leaf = AsnParser.parse(AsnConvert.serialize(tbs), TBSCertificate);
  if (options.keepPoison !== true && leaf.extensions !== undefined) {
    const kept = leaf.extensions.filter((e) => e.extnID !== CT_POISON_OID);
    if (kept.length > 0) leaf.extensions = new Extensions(kept);
    else delete leaf.extensions;
  }
  return { precertificate, leafTbs: Buffer.from(AsnConvert.serialize(leaf)) };
}
