import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type CertificateSpec,
  issueCertificate,
  issuePrecertificate,
  makeCa,
} from "../../../test/support/certificates.js";
import { precertLeaf, x509Leaf } from "../../../test/support/ct-log-server.js";
import { prng } from "../../../test/support/random.js";
import {
  type CtEntryResult,
  decodeMerkleTreeLeaf,
  MAX_LEAF_BYTES,
  readCtEntry,
} from "./ct-entry.js";
import { MAX_NAMES_PER_CERTIFICATE, readTbsNames, tbsOfCertificate } from "./tbs-certificate.js";
import { readCertificateNames, splitSubjectAltName } from "./x509-names.js";

const ca = makeCa();
const T = Date.UTC(2024, 7, 16, 12, 0, 0);

const LOOKALIKE: CertificateSpec = {
  dnsNames: ["washingtonpost.pm", "*.washingtonpost.pm", "www.washingtonpost.pm"],
  commonName: "washingtonpost.pm",
  organisation: "Evil Media",
};
const x509 = x509Leaf(T, issueCertificate(ca, LOOKALIKE));
const precert = precertLeaf(
  T + 1,
  ca.keyHash,
  issuePrecertificate(ca, { dnsNames: ["fox-news.in", "www.fox-news.in"] }).leafTbs,
);

function names(result: CtEntryResult): string[] {
  if (!result.ok) throw new Error(`expected names, got: ${result.message}`);
  return result.entry.names;
}

function failure(result: CtEntryResult): string {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.entry)}`);
  return result.message;
}

describe("readCtEntry", () => {
  it("reads the SAN DNS names (wildcards included) of an x509 entry, with its time and type", () => {
    const result = readCtEntry(x509);
    expect(result).toEqual({
      ok: true,
      entry: {
        timestamp: T,
        entryType: "x509",
        // The common name repeats a SAN, so it is listed once.
        names: ["washingtonpost.pm", "*.washingtonpost.pm", "www.washingtonpost.pm"],
        truncated: false,
      },
    });
  });

  it("reads a precert entry's TBSCertificate, with or without the poison extension", () => {
    expect(readCtEntry(precert)).toMatchObject({
      ok: true,
      entry: { entryType: "precert", timestamp: T + 1, names: ["fox-news.in", "www.fox-news.in"] },
    });
    const poisoned = issuePrecertificate(
      ca,
      { dnsNames: ["foxnews-live.com"] },
      { keepPoison: true },
    );
    expect(names(readCtEntry(precertLeaf(T, ca.keyHash, poisoned.leafTbs)))).toEqual([
      "foxnews-live.com",
    ]);
  });

  it("takes a host-like common name missing from the SANs, and no other common name", () => {
    const cnOnly = issueCertificate(ca, { commonName: "washingtonpost.co", organisation: "X" });
    expect(names(readCtEntry(x509Leaf(T, cnOnly)))).toEqual(["washingtonpost.co"]);
    const person = issueCertificate(ca, { commonName: "Example Ltd", dnsNames: ["example.org"] });
    expect(names(readCtEntry(x509Leaf(T, person)))).toEqual(["example.org"]);
    const precertCn = issuePrecertificate(ca, { commonName: "fox-news.top" });
    expect(names(readCtEntry(precertLeaf(T, ca.keyHash, precertCn.leafTbs)))).toEqual([
      "fox-news.top",
    ]);
  });

  it("yields no names for a certificate with IP addresses only", () => {
    const ipOnly = issueCertificate(ca, { ipAddresses: ["192.0.2.1"] });
    expect(names(readCtEntry(x509Leaf(T, ipOnly)))).toEqual([]);
  });

  it(`stops at ${MAX_NAMES_PER_CERTIFICATE} names and says the list was cut`, () => {
    const many = Array.from({ length: 1500 }, (_, i) => `host-${i}.example.com`);
    for (const leaf of [
      x509Leaf(T, issueCertificate(ca, { dnsNames: many })),
      precertLeaf(T, ca.keyHash, issuePrecertificate(ca, { dnsNames: many }).leafTbs),
    ]) {
      const result = readCtEntry(leaf);
      expect(result.ok && result.entry.truncated).toBe(true);
      expect(names(result)).toHaveLength(MAX_NAMES_PER_CERTIFICATE);
      expect(names(readCtEntry(leaf, 10))).toEqual(many.slice(0, 10));
    }
  });

  it("reads the same names through OpenSSL and through the DER reader", () => {
    const specs: CertificateSpec[] = [
      LOOKALIKE,
      { dnsNames: ['a, b"c.example', "tab\there.example", "bücher.de", "x.example"] },
      { dnsNames: ["DNS:fake.example, DNS:evil.example"], commonName: "cn.example" },
      { commonName: "only-cn.example" },
      { ipAddresses: ["192.0.2.7"], dnsNames: ["after-ip.example"] },
    ];
    for (const spec of specs) {
      const der = issueCertificate(ca, spec);
      // OpenSSL's text must split cleanly, or the comparison below would test the fallback.
      const san = new X509Certificate(der).subjectAltName;
      if (san !== undefined) expect(splitSubjectAltName(san)).toBeDefined();
      const viaOpenSsl = readCertificateNames(der);
      expect(viaOpenSsl).toEqual(readTbsNames(tbsOfCertificate(der)));
      expect(viaOpenSsl.dnsNames).toEqual(spec.dnsNames ?? []);
    }
  });
});

describe("decodeMerkleTreeLeaf", () => {
  it("decodes both entry types and keeps the issuer key hash of a precert", () => {
    const a = decodeMerkleTreeLeaf(x509);
    const b = decodeMerkleTreeLeaf(precert);
    expect(a.ok && a.leaf.entryType).toBe("x509");
    expect(b.ok && Buffer.from(b.leaf.issuerKeyHash ?? []).equals(ca.keyHash)).toBe(true);
  });

  it("refuses every truncation of a valid leaf with a message, never a throw", () => {
    for (const leaf of [x509, precert]) {
      for (let cut = 0; cut < leaf.length; cut++) {
        const message = failure(readCtEntry(leaf.subarray(0, cut)));
        expect(message.length).toBeGreaterThan(0);
        expect(message.length).toBeLessThan(300);
      }
    }
    expect(failure(readCtEntry(new Uint8Array(0)))).toContain("truncated");
  });

  it("names the field whose length runs past the end", () => {
    const big = Buffer.from(x509);
    big.writeUIntBE(0xffffff, 12, 3); // certificate length: 16 MiB
    expect(failure(readCtEntry(big))).toMatch(/certificate needs 16777215 bytes at offset 15/);
    const ext = Buffer.from(x509);
    ext.writeUInt16BE(0xffff, ext.length - 2); // extensions length
    expect(failure(readCtEntry(ext))).toMatch(/extensions needs 65535 bytes/);
    const pre = Buffer.from(precert);
    pre.writeUIntBE(pre.length, 12 + 32, 3);
    expect(failure(readCtEntry(pre))).toMatch(/TBSCertificate needs/);
  });

  it("refuses trailing bytes, unknown versions and types, and impossible times", () => {
    expect(failure(readCtEntry(Buffer.concat([x509, Buffer.from([0])])))).toMatch(
      /1 bytes after the leaf/,
    );
    const tweak = (offset: number, value: number) => {
      const b = Buffer.from(x509);
      b[offset] = value;
      return failure(readCtEntry(b));
    };
    expect(tweak(0, 1)).toMatch(/unsupported leaf version 1/);
    expect(tweak(1, 1)).toMatch(/unknown leaf type 1/);
    expect(tweak(11, 2)).toMatch(/unknown entry type 2/);
    expect(tweak(2, 0xff)).toMatch(/timestamp .* out of range/);
    const empty = Buffer.from(x509.subarray(0, 15));
    empty.writeUIntBE(0, 12, 3);
    expect(failure(readCtEntry(Buffer.concat([empty, Buffer.from([0, 0])])))).toMatch(
      /empty certificate/,
    );
  });

  it("refuses a leaf over the size limit before reading it", () => {
    expect(failure(readCtEntry(new Uint8Array(MAX_LEAF_BYTES + 1)))).toMatch(/over the limit/);
  });

  it("reports a certificate whose DER is broken inside a well-framed leaf", () => {
    const cert = issueCertificate(ca, LOOKALIKE);
    const broken = Buffer.from(cert);
    broken[1] = 0x84; // outer SEQUENCE: a 4-byte length that runs far past the end
    expect(failure(readCtEntry(x509Leaf(T, broken)))).toMatch(/malformed x509 certificate/);
    const tbs = issuePrecertificate(ca, LOOKALIKE).leafTbs;
    const indefinite = Buffer.from(tbs);
    indefinite[1] = 0x80;
    expect(failure(readCtEntry(precertLeaf(T, ca.keyHash, indefinite)))).toMatch(
      /malformed precert certificate: indefinite length/,
    );
  });

  it("never throws on thousands of mutated leaves (seeded fuzz)", () => {
    const rand = prng(0xc7_1e4f);
    const int = (n: number) => Math.floor(rand() * n);
    const originals = [
      x509,
      precert,
      x509Leaf(T, issueCertificate(ca, { dnsNames: ["a.example", "*.b.example"] })),
    ];
    let ok = 0;
    let bad = 0;
    for (let n = 0; n < 4000; n++) {
      const leaf = Buffer.from(originals[n % originals.length] as Buffer);
      let bytes: Buffer = leaf;
      const edits = 1 + int(4);
      for (let e = 0; e < edits; e++) {
        const at = int(bytes.length);
        switch (int(5)) {
          case 0: // flip a byte anywhere
            bytes[at] = int(256);
            break;
          case 1: // a length-looking byte: long form, huge, zero
            bytes[at] = [0x80, 0x81, 0x84, 0x85, 0xff, 0x00][int(6)] as number;
            break;
          case 2: // cut
            bytes = bytes.subarray(0, at);
            break;
          case 3: // insert junk
            bytes = Buffer.concat([
              bytes.subarray(0, at),
              Buffer.from([int(256), int(256)]),
              bytes.subarray(at),
            ]);
            break;
          default: // delete a few bytes
            bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + int(8))]);
        }
      }
      let result: CtEntryResult | undefined;
      expect(() => {
        result = readCtEntry(bytes);
      }).not.toThrow();
      if (result?.ok) {
        ok++;
        for (const name of result.entry.names) expect(typeof name).toBe("string");
        expect(result.entry.names.length).toBeLessThanOrEqual(MAX_NAMES_PER_CERTIFICATE);
      } else {
        bad++;
        expect(result?.message.length).toBeGreaterThan(0);
      }
    }
    // Both outcomes must be reached, or the fuzz proves little.
    expect(ok).toBeGreaterThan(50);
    expect(bad).toBeGreaterThan(1000);
  });
});

describe("splitSubjectAltName", () => {
  it("splits Node's text, JSON-quoted values included", () => {
    expect(
      splitSubjectAltName(
        'DNS:a.example, DNS:"b\\u002c c\\"d", IP Address:192.0.2.1, URI:"http://x\\u002c DNS:evil.example"',
      ),
    ).toEqual([
      { type: "DNS", value: "a.example" },
      { type: "DNS", value: 'b, c"d' },
      { type: "IP Address", value: "192.0.2.1" },
      { type: "URI", value: "http://x, DNS:evil.example" },
    ]);
    expect(splitSubjectAltName("")).toEqual([]);
  });

  it.each([
    "DNS:a.example,DNS:b.example",
    'DNS:"unterminated',
    "no colon here",
    "DNS:a.example, ",
    '"DNS":x',
  ])("gives up on %j rather than guess", (text) => {
    expect(splitSubjectAltName(text)).toBeUndefined();
  });
});
