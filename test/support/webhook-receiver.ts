/**
 * A webhook receiver on a free loopback port that checks each request's signature with
 * `verifyWebhook`, as a user's receiver would, and keeps what it accepted and refused.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "../../src/index.js";

export interface WebhookReceiver {
  url: string;
  accepted: Array<{
    body: Record<string, unknown>;
    headers: Record<string, string | string[] | undefined>;
  }>;
  refused: string[];
  /** Answers the next `n` requests with 503. */
  failNext(n: number): void;
  close(): Promise<void>;
}

/** Largest body read: a notice is a few KiB. */
const MAX_BODY_BYTES = 256 * 1024;

/** `now` is the receiver's clock: tests that move Vigil's clock move the receiver's too. */
export async function startWebhookReceiver(
  secret: string,
  now: () => Date = () => new Date(),
): Promise<WebhookReceiver> {
  const accepted: WebhookReceiver["accepted"] = [];
  const refused: string[] = [];
  let failures = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (b: Buffer) => {
      size += b.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(b);
    });
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const check = verifyWebhook({
        secret,
        body,
        timestamp: req.headers["x-vigil-timestamp"] as string | undefined,
        signature: req.headers["x-vigil-signature"] as string | undefined,
        now: now(),
      });
      if (!check.ok) {
        refused.push(check.reason);
        res.writeHead(401).end(check.reason);
        return;
      }
      if (failures > 0) {
        failures--;
        res.writeHead(503).end("busy");
        return;
      }
      accepted.push({
        body: JSON.parse(body.toString("utf8")) as Record<string, unknown>,
        headers: req.headers,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/vigil`,
    accepted,
    refused,
    failNext: (n) => {
      failures = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
