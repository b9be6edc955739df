import { X509Certificate } from "node:crypto";
import {
  type CertificateNames,
  looksLikeHostname,
  MAX_NAMES_PER_CERTIFICATE,
  readTbsNames,
  tbsOfCertificate,
} from "./tbs-certificate.js";

/**
 * The subject common names and subjectAltName dNSNames of a DER X.509 certificate, read
 * with Node's `X509Certificate` (OpenSSL). Logs accept certificates OpenSSL refuses
 * (bad encodings that browsers tolerate), and the names in those count as much; so when
 * OpenSSL refuses one, or prints its names in a form we cannot split safely, the names
 * are read from the DER directly instead.
 *
 * @throws DerError when the certificate is malformed for both readers.
 */
export function readCertificateNames(
  der: Uint8Array,
  maxNames = MAX_NAMES_PER_CERTIFICATE,
): CertificateNames {
  let names: CertificateNames | undefined;
  try {
    names = readWithOpenSsl(new X509Certificate(der), maxNames);
  } catch {
    // OpenSSL refused it; the DER reader below decides whether it is malformed.
  }
  return names ?? readTbsNames(tbsOfCertificate(der), maxNames);
}

function readWithOpenSsl(cert: X509Certificate, maxNames: number): CertificateNames | undefined {
  const entries = cert.subjectAltName === undefined ? [] : splitSubjectAltName(cert.subjectAltName);
  if (entries === undefined) return undefined;
  const result: CertificateNames = { dnsNames: [], commonNames: [], truncated: false };
  const add = (list: string[], name: string) => {
    if (result.dnsNames.length + result.commonNames.length >= maxNames) result.truncated = true;
    else list.push(name);
  };
  for (const line of cert.subject.split("\n")) {
    // Multi-valued RDNs come as `CN=a + O=b`; escaped values never look like host names.
    for (const part of line.split(" + ")) {
      if (part.startsWith("CN=") && looksLikeHostname(part.slice(3))) {
        add(result.commonNames, part.slice(3));
      }
    }
  }
  for (const { type, value } of entries) if (type === "DNS") add(result.dnsNames, value);
  return result;
}

/**
 * Splits Node's `subjectAltName` text (`DNS:a.example, DNS:"b\u002c c", IP Address:…`)
 * into its entries. Since Node 17.3.1 and 16.13.2 (CVE-2021-44532) a value holding a
 * comma, quote, control or non-ASCII character is written as a JSON string, so a plain
 * value never contains `, `. Returns undefined for text it cannot split with certainty.
 */
export function splitSubjectAltName(
  text: string,
): Array<{ type: string; value: string }> | undefined {
  const out: Array<{ type: string; value: string }> = [];
  let at = 0;
  while (at < text.length) {
    const colon = text.indexOf(":", at);
    if (colon < 0) return undefined;
    const type = text.slice(at, colon);
    if (!/^[A-Za-z][A-Za-z ]*$/.test(type)) return undefined;
    let end = colon + 1;
    let value: string;
    if (text[end] === '"') {
      let close = end + 1;
      while (close < text.length && text[close] !== '"') close += text[close] === "\\" ? 2 : 1;
      if (close >= text.length) return undefined;
      try {
        value = JSON.parse(text.slice(end, close + 1)) as string;
      } catch {
        return undefined;
      }
      end = close + 1;
    } else {
      const comma = text.indexOf(", ", end);
      const stop = comma < 0 ? text.length : comma;
      value = text.slice(end, stop);
      // Node quotes any value with a comma or quote: a bare one means we misread the text.
      if (value.includes(",") || value.includes('"')) return undefined;
      end = stop;
    }
    out.push({ type, value });
    if (end < text.length) {
      if (!text.startsWith(", ", end) || end + 2 === text.length) return undefined;
      end += 2;
    }
    at = end;
  }
  return out;
}
