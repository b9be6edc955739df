/**
 * Loopback HTTP and HTTPS servers for the site-capture tests: routes by path, each a
 * fixed answer or a handler, on 127.0.0.1 only. HTTPS uses a self-signed certificate
 * made by the test (see `selfSignedTls`).
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { makeCa } from "./certificates.js";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Answer {
  status?: number;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
}

export interface SiteServer {
  port: number;
  /** `http(s)://<host>:<port><path>`. */
  url(path: string, host?: string): string;
  /** Requests received, as `METHOD path host`. */
  requests: string[];
  close(): Promise<void>;
}

/** A self-signed certificate and key (PEM) naming `name`, made for this test run. */
export function selfSignedTls(name: string): { cert: string; key: string } {
  const ca = makeCa(name);
  const b64 = ca.certificate.toString("base64").replace(/.{1,64}/g, "$&\n");
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`,
    key: ca.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

/** Starts a server on 127.0.0.1 answering `routes` (404 for other paths). */
export async function startSiteServer(
  routes: Record<string, Answer | Handler>,
  options: { tls?: { cert: string; key: string }; maxHeaderSize?: number } = {},
): Promise<SiteServer> {
  const requests: string[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const handle: Handler = (req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.host ?? ""}`);
    const path = (req.url ?? "/").split("?")[0] as string;
    const route = routes[path];
    if (route === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    if (typeof route === "function") {
      route(req, res);
      return;
    }
    res.writeHead(
      route.status ?? 200,
      route.headers ?? { "content-type": "text/html; charset=utf-8" },
    );
    res.end(route.body ?? "");
  };
  const server =
    options.tls === undefined
      ? createHttpServer(handle)
      : createHttpsServer({ ...options.tls }, handle);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls === undefined ? "http" : "https";
  return {
    port,
    requests,
    url: (path, host = "127.0.0.1") => `${scheme}://${host}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
