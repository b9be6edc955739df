/**
 * Builders of e-mail test messages: plain and multipart messages, hostile structures,
 * zip attachments (made with fflate), a DKIM key made in the test, and an in-process DNS
 * answering from a table (mailauth's resolver interface), so no test touches the network.
 */
import { generateKeyPairSync } from "node:crypto";
import { zipSync } from "fflate";
import type { EmailMessage } from "../../src/index.js";

/** A message from header lines and a body, CRLF line ends. */
export function message(headers: Record<string, string>, body: string): string {
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n");
  return `${head}\r\n\r\n${body.replace(/\r?\n/g, "\r\n")}`;
}

/** A multipart/mixed message with a text part and base64 attachments. */
export function withAttachments(
  headers: Record<string, string>,
  text: string,
  attachments: Array<{ name: string; type: string; bytes: Uint8Array }>,
): string {
  const b = "=_vigil_test_boundary";
  const parts = [
    `--${b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`,
    ...attachments.map(
      (a) =>
        `--${b}\r\nContent-Type: ${a.type}; name="${a.name}"\r\nContent-Disposition: attachment; filename="${a.name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(a.bytes).toString("base64").replace(/.{76}/g, "$&\r\n")}\r\n`,
    ),
  ];
  return message(
    { ...headers, "MIME-Version": "1.0", "Content-Type": `multipart/mixed; boundary="${b}"` },
    `${parts.join("")}--${b}--\r\n`,
  );
}

/** A multipart message with `n` small text parts. */
export function manyParts(n: number): string {
  const b = "many";
  let body = "";
  for (let i = 0; i < n; i++) body += `--${b}\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`;
  return message(
    {
      From: "a@sender.example",
      To: "b@receiver.example",
      Subject: "many parts",
      "MIME-Version": "1.0",
      "Content-Type": `multipart/mixed; boundary="${b}"`,
    },
    `${body}--${b}--\r\n`,
  );
}

/** A message whose multiparts nest `depth` levels deep. */
export function deepNesting(depth: number): string {
  let inner = "Content-Type: text/plain\r\n\r\ninnermost\r\n";
  for (let i = depth - 1; i >= 1; i--) {
    inner = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${inner}--b${i}--\r\n`;
  }
  return `From: a@sender.example\r\nTo: b@receiver.example\r\nSubject: deep\r\nMIME-Version: 1.0\r\n${inner}`;
}

/** A zip of the given files (deflated). */
export function zip(files: Record<string, Uint8Array | string>): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(files)) {
    entries[name] = typeof data === "string" ? new TextEncoder().encode(data) : data;
  }
  return zipSync(entries, { level: 9 });
}

/** An RSA key pair for DKIM, made in the test (PEM private key, base64 DER public key). */
export function dkimKey(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: publicKey.export({ type: "spki", format: "der" }).toString("base64"),
  };
}

/**
 * A DNS answering from a table, `"TXT name"` → records (TXT records as arrays of
 * strings, as Node's resolver gives them); anything else is ENOTFOUND. Counts look-ups.
 */
export function tableResolver(table: Record<string, unknown[]>) {
  const calls: string[] = [];
  const resolve = async (name: string, type: string): Promise<unknown> => {
    const key = `${type.toUpperCase()} ${name.toLowerCase()}`;
    calls.push(key);
    const answer = table[key];
    if (answer === undefined) {
      const err = new Error(`${key} not found`) as Error & { code: string };
      err.code = "ENOTFOUND";
      throw err;
    }
    return answer;
  };
  return { resolve, calls };
}

/**
 * A parsed message holding only `fields` (an empty text and no links, attachments or
 * authentication unless given): what the detector's tests judge.
 */
export function parsedMessage(fields: Partial<EmailMessage> = {}): EmailMessage {
  return {
    sha256: "0".repeat(64),
    size: 1000,
    outcome: "ok",
    limits: [],
    subject: "",
    replyTo: [],
    to: [],
    cc: [],
    text: "",
    links: [],
    attachments: [],
    auth: {
      spf: { source: "not-checked" },
      dkim: { source: "not-checked" },
      dmarc: { source: "not-checked" },
      arc: { source: "not-checked" },
    },
    ...fields,
  };
}
