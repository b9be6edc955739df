import { DerError } from "./der-reader.js";
import { MAX_NAMES_PER_CERTIFICATE, readTbsNames } from "./tbs-certificate.js";
import { readCertificateNames } from "./x509-names.js";

/** RFC 6962 §3.1 LogEntryType. */
export type CtEntryType = "x509" | "precert";

/** A decoded RFC 6962 `MerkleTreeLeaf` (§3.4) of version v1 with a `TimestampedEntry`. */
export interface MerkleTreeLeaf {
  /** Milliseconds since the epoch at which the log accepted the entry. */
  timestamp: number;
  entryType: CtEntryType;
  /** x509: the DER certificate. precert: the DER TBSCertificate (poison extension removed by the log). */
  der: Uint8Array;
  /** precert only: SHA-256 of the issuer's public key. */
  issuerKeyHash?: Uint8Array;
  /** CtExtensions (opaque, empty in practice). */
  extensions: Uint8Array;
}

/** The names of one log entry, ready to be checked as domains. */
export interface CtEntryNames {
  timestamp: number;
  entryType: CtEntryType;
  /** Subject alternative names first, then host-like common names not among them; deduplicated. */
  names: string[];
  /** True when the certificate named more than the limit and the rest were skipped. */
  truncated: boolean;
}

export type CtEntryResult = { ok: true; entry: CtEntryNames } | { ok: false; message: string };

/**
 * Largest `leaf_input` decoded. The 3-byte length allows 16 MiB; real certificates are a
 * few KiB, and 10,000 SANs fit in well under this.
 */
export const MAX_LEAF_BYTES = 1024 * 1024;
/**
 * Latest timestamp accepted: JavaScript dates end at 8.64e15 ms (year 275760); a log
 * stamping beyond is broken or hostile, and the entry cannot be given a time.
 */
const MAX_TIMESTAMP_MS = 8_640_000_000_000_000n;
/** RFC 6962 §3.2: SHA-256 of the issuer's SubjectPublicKeyInfo. */
const ISSUER_KEY_HASH_BYTES = 32;

/** A leaf that does not follow RFC 6962's layout. */
class LeafError extends Error {}

/**
 * Decodes `leaf_input` from `get-entries` (RFC 6962 §3.4, §4.6): every length is checked
 * against the bytes that remain, and trailing bytes are refused.
 *
 * ```
 * MerkleTreeLeaf { version(1)=v1(0); leaf_type(1)=timestamped_entry(0);
 *   TimestampedEntry { timestamp(8); entry_type(2);
 *     x509_entry(0):    ASN.1Cert opaque<1..2^24-1>
 *     precert_entry(1): issuer_key_hash[32]; TBSCertificate opaque<1..2^24-1>
 *     CtExtensions opaque<0..2^16-1> } }
 * ```
 */
export function decodeMerkleTreeLeaf(
  bytes: Uint8Array,
): { ok: true; leaf: MerkleTreeLeaf } | { ok: false; message: string } {
  try {
    return { ok: true, leaf: decode(bytes) };
  } catch (err) {
    if (err instanceof LeafError) return { ok: false, message: err.message };
    throw err;
  }
}

function decode(bytes: Uint8Array): MerkleTreeLeaf {
  if (bytes.length > MAX_LEAF_BYTES) {
    throw new LeafError(`leaf of ${bytes.length} bytes is over the limit of ${MAX_LEAF_BYTES}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number, what: string) => {
    if (bytes.length - at < n) {
      throw new LeafError(
        `truncated leaf: ${what} needs ${n} bytes at offset ${at}, ${bytes.length - at} remain`,
      );
    }
  };
  need(2, "version and leaf type");
  const version = view.getUint8(at++);
  if (version !== 0) throw new LeafError(`unsupported leaf version ${version} (v1 is 0)`);
  const leafType = view.getUint8(at++);
  if (leafType !== 0) throw new LeafError(`unknown leaf type ${leafType} (timestamped_entry is 0)`);
  need(10, "timestamp and entry type");
  const timestamp = view.getBigUint64(at);
  at += 8;
  if (timestamp >= MAX_TIMESTAMP_MS) throw new LeafError(`timestamp ${timestamp} is out of range`);
  const type = view.getUint16(at);
  at += 2;
  let entryType: CtEntryType;
  let issuerKeyHash: Uint8Array | undefined;
  if (type === 0) {
    entryType = "x509";
  } else if (type === 1) {
    entryType = "precert";
    need(ISSUER_KEY_HASH_BYTES, "issuer_key_hash");
    issuerKeyHash = bytes.subarray(at, at + ISSUER_KEY_HASH_BYTES);
    at += ISSUER_KEY_HASH_BYTES;
  } else {
    throw new LeafError(`unknown entry type ${type}`);
  }
  const what = entryType === "x509" ? "certificate" : "TBSCertificate";
  need(3, `${what} length`);
  const length = (view.getUint8(at) << 16) | view.getUint16(at + 1);
  at += 3;
  if (length === 0) throw new LeafError(`empty ${what}`);
  need(length, what);
  const der = bytes.subarray(at, at + length);
  at += length;
  need(2, "extensions length");
  const extensionsLength = view.getUint16(at);
  at += 2;
  need(extensionsLength, "extensions");
  const extensions = bytes.subarray(at, at + extensionsLength);
  at += extensionsLength;
  if (at !== bytes.length) throw new LeafError(`${bytes.length - at} bytes after the leaf`);
  const leaf: MerkleTreeLeaf = { timestamp: Number(timestamp), entryType, der, extensions };
  if (issuerKeyHash !== undefined) leaf.issuerKeyHash = issuerKeyHash;
  return leaf;
}

/**
 * Decodes one log entry's `leaf_input` and reads the DNS names its certificate is for.
 * Never throws on bad input: a malformed leaf or certificate is an `ok: false` result
 * whose message says what is wrong.
 *
 * @example
 * const result = readCtEntry(Buffer.from(entry.leaf_input, "base64"));
 * if (result.ok) console.log(result.entry.names); // ["washingtonpost.pm", "*.washingtonpost.pm"]
 */
export function readCtEntry(
  leafInput: Uint8Array,
  maxNames = MAX_NAMES_PER_CERTIFICATE,
): CtEntryResult {
  const decoded = decodeMerkleTreeLeaf(leafInput);
  if (!decoded.ok) return decoded;
  const { leaf } = decoded;
  try {
    const read =
      leaf.entryType === "x509"
        ? readCertificateNames(leaf.der, maxNames)
        : readTbsNames(leaf.der, maxNames);
    const names = [...new Set([...read.dnsNames, ...read.commonNames])];
    return {
      ok: true,
      entry: {
        timestamp: leaf.timestamp,
        entryType: leaf.entryType,
        names,
        truncated: read.truncated,
      },
    };
  } catch (err) {
    if (err instanceof DerError) {
      return { ok: false, message: `malformed ${leaf.entryType} certificate: ${err.message}` };
    }
    throw err;
  }
}
