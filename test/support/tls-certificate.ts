/**
 * A self-signed TLS certificate naming several hosts (a shared multi-domain certificate),
 * made for the test run with the openssl command (Debian's, as CI has it).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** PEM certificate and key whose subjectAltName lists `names` (the first is the CN). */
export function multiDomainTls(names: readonly string[]): { cert: string; key: string } {
  return selfSignedTls(
    names.map((n) => `DNS:${n}`),
    names[0] ?? "localhost",
  );
}

/**
 * A self-signed PEM certificate and key for `commonName` whose subjectAltName lists
 * `altNames` as openssl writes them (`DNS:outlet.test`, `IP:127.0.0.1`).
 */
export function selfSignedTls(
  altNames: readonly string[],
  commonName: string,
): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "vigil-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "30",
        "-subj",
        `/CN=${commonName}/O=Vigil Tests`,
        "-addext",
        `subjectAltName=${altNames.join(",")}`,
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "pipe" },
    );
    return {
      cert: readFileSync(join(dir, "cert.pem"), "utf8"),
      key: readFileSync(join(dir, "key.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
