/**
 * A real SMTP server for tests (the smtp-server package) on a free loopback port: it
 * accepts every message, keeps it parsed (postal-mime) with its envelope, and can refuse
 * the first deliveries with a temporary error, so retries are tested against a real
 * SMTP exchange.
 */
import type { AddressInfo } from "node:net";
import PostalMime, { type Email } from "postal-mime";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  /** RCPT TO addresses. */
  to: string[];
  from: string;
  raw: string;
  parsed: Email;
  /** A header's value (first one), by lower-case name. */
  header(name: string): string | undefined;
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** Refuses the next `n` messages with `451 try again later`. */
  failNext(n: number): void;
  /** Resolves once `n` messages have been received. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Largest message the test server accepts (a notice is a few KiB). */
const MAX_TEST_MESSAGE_BYTES = 1024 * 1024;

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  let failures = 0;
  const server = new SMTPServer({
    // Loopback only; no TLS and no login, so nothing in the test needs a certificate.
    disabledCommands: ["STARTTLS", "AUTH"],
    size: MAX_TEST_MESSAGE_BYTES,
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (failures > 0) {
        failures--;
        const err = new Error("try again later") as Error & { responseCode: number };
        err.responseCode = 451;
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (b: Buffer) => chunks.push(b));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        PostalMime.parse(raw)
          .then((parsed) => {
            received.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
              raw,
              parsed,
              header: (name) => parsed.headers.find((h) => h.key === name.toLowerCase())?.value,
            });
            for (const wake of waiters.splice(0)) wake();
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    failNext: (n) => {
      failures = n;
    },
    waitFor: async (n, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline)
          throw new Error(`expected ${n} messages, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
