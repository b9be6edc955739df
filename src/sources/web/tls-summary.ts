import type { DetailedPeerCertificate, TLSSocket } from "node:tls";

/** One certificate of the chain a server presented, as the evidence log keeps it. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** DNS names and IP addresses of the subjectAltName extension. */
  subjectAltNames: string[];
  validFrom: string;
  validTo: string;
  serialNumber: string;
  /** SHA-256 of the DER certificate, colon-separated hex as OpenSSL prints it. */
  fingerprint256: string;
}

/** What the TLS handshake showed: the chain, leaf first, and whether it validated. */
export interface TlsSummary {
  protocol: string | null;
  cipher: string;
  /** Whether the chain validated against the system's CAs. Captures go on either way. */
  authorized: boolean;
  authorizationError?: string;
  chain: CertificateSummary[];
}

/** Certificates kept of one chain: real chains are 2-4 long; a hostile one could loop. */
export const MAX_CHAIN_LENGTH = 10;

/** Summarises the peer certificate chain of a connected TLS socket. */
export function tlsSummary(socket: TLSSocket): TlsSummary {
  const chain: CertificateSummary[] = [];
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (cert !== undefined && cert.raw !== undefined && chain.length < MAX_CHAIN_LENGTH) {
    if (seen.has(cert.fingerprint256)) break;
    seen.add(cert.fingerprint256);
    chain.push({
      subject: distinguishedName(cert.subject),
      issuer: distinguishedName(cert.issuer),
      subjectAltNames: (cert.subjectaltname ?? "")
        .split(/,\s*/)
        .filter((s) => s !== "")
        .map((s) => s.replace(/^(DNS|IP Address):/, "")),
      validFrom: new Date(cert.valid_from).toISOString(),
      validTo: new Date(cert.valid_to).toISOString(),
      serialNumber: cert.serialNumber,
      fingerprint256: cert.fingerprint256,
    });
    cert = cert.issuerCertificate;
  }
  const authError = socket.authorizationError;
  return {
    protocol: socket.getProtocol(),
    cipher: socket.getCipher()?.name ?? "",
    authorized: socket.authorized,
    ...(authError === undefined || authError === null
      ? {}
      : { authorizationError: String(authError) }),
    chain,
  };
}

function distinguishedName(name: object | undefined): string {
  if (name === undefined) return "";
  return Object.entries(name as Record<string, string | string[]>)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : v}`)
    .join(", ");
}
