import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Store } from "../store/index.js";
import { tokenHash } from "./notifier.js";

/** How long a client may take to send its request headers (slow-loris guard). */
export const ACK_HEADERS_TIMEOUT_MS = 10_000;
/** How long a whole request may take. */
export const ACK_REQUEST_TIMEOUT_MS = 15_000;
/** Connections served at once; the endpoint serves a few people clicking a link. */
export const ACK_MAX_CONNECTIONS = 256;
/** A token is 32 random bytes in base64url: 43 characters. */
const TOKEN = /^\/ack\/([A-Za-z0-9_-]{43})\/?$/;

export interface AckServerOptions {
  store: Store;
  host?: string;
  port?: number;
  now?: () => Date;
  /** Called for each acknowledgement (status lines). */
  onAcknowledged?: (noticeId: string) => void;
}

export interface AckServer {
  /** `http://host:port`, the base URL to put in `settings.notify.ackBaseUrl` (behind TLS). */
  url: string;
  close(): Promise<void>;
}

/**
 * The acknowledgement endpoint behind the link in every notice. `GET /ack/TOKEN` shows the
 * notice's subject and a button; only `POST /ack/TOKEN` (the button) acknowledges, because
 * mail scanners open links in messages by themselves and must not acknowledge for the
 * reader. The token is 256 random bits; only its SHA-256 is stored. Pages carry no
 * script, no external resource and no referrer (the token is in the URL). Run it behind
 * a TLS-terminating proxy when it is reachable beyond this machine.
 */
export async function startAckServer(options: AckServerOptions): Promise<AckServer> {
  const now = options.now ?? (() => new Date());
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) page(res, 500, "Something went wrong", "Try the link again later.");
      else res.destroy();
    });
  });
  server.headersTimeout = ACK_HEADERS_TIMEOUT_MS;
  server.requestTimeout = ACK_REQUEST_TIMEOUT_MS;
  server.maxConnections = ACK_MAX_CONNECTIONS;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A body is never needed: drop whatever is sent, without reading it into memory.
    req.resume();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    const match = TOKEN.exec(path);
    if (match?.[1] === undefined) {
      page(res, 404, "Not found", "This link is not one Vigil made.");
      return;
    }
    const hash = tokenHash(match[1]);
    if (req.method === "GET" || req.method === "HEAD") {
      const notice = await options.store.notices.getByToken(hash);
      if (notice === undefined) {
        page(res, 404, "Unknown notice", "This link matches no notice. It may be mistyped.");
        return;
      }
      if (notice.acknowledgedAt !== undefined) {
        page(
          res,
          200,
          "Already acknowledged",
          `Notice ${notice.id} was acknowledged at ${notice.acknowledgedAt}. Thank you.`,
        );
        return;
      }
      page(
        res,
        200,
        "Acknowledge this warning",
        `Notice ${notice.id}: ${notice.subject}`,
        `<form method="post"><button type="submit">I have seen this</button></form>`,
      );
      return;
    }
    if (req.method === "POST") {
      const notice = await options.store.notices.acknowledge(
        { tokenHash: hash },
        now().toISOString(),
        "link",
      );
      if (notice === undefined) {
        page(res, 404, "Unknown notice", "This link matches no notice. It may be mistyped.");
        return;
      }
      options.onAcknowledged?.(notice.id);
      page(
        res,
        200,
        "Thank you",
        `Notice ${notice.id} is acknowledged. Follow the steps in the notice if you have not yet.`,
      );
      return;
    }
    res.writeHead(405, { allow: "GET, HEAD, POST" }).end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8787, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function page(res: ServerResponse, status: number, title: string, text: string, extra = ""): void {
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${extra}</body></html>\n`;
  res
    .writeHead(status, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
    })
    .end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
