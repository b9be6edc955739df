import { mkdtemp, readFile, rm } from "node:fs/promises";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Outlet, Watchlist } from "../../model/index.js";
import {
  analyzeSites,
  type SiteAnalysisSummary,
  type SiteScanSummary,
  scanSites,
  siteDetectors,
} from "../../pipeline/index.js";
import { staticResolver } from "../../sources/index.js";
import type { Store } from "../../store/index.js";
import type { CliContext } from "../context.js";
import { printSiteAnalysis } from "./analyze-sites.js";

/** The demo's fictional sites, described by `sites.json` in this folder. */
interface DemoSitesManifest {
  outlet: { id: string; name: string; domains: string[] };
  sites: Array<{
    host: string;
    scheme: "http" | "https";
    favicon: string;
    pages: Record<string, string>;
  }>;
  certificate: { cert: string; key: string; names: string[] };
  /** Fictional RDAP answers: `domains` by name, `networks` by address. */
  rdap?: string;
}

/** Fictional sites served from 127.0.0.1, and how to reach them. */
export interface DemoSites {
  outlet: Outlet;
  /** The URLs to capture, one per page. */
  urls: string[];
  /** Host name → address, for the capture's resolver (nothing else is resolved). */
  hosts: Record<string, string[]>;
  /** The demo's own RDAP server (base URL), answering for the sites and for 127.0.0.1. */
  rdapUrl: string;
  close(): Promise<void>;
}

/**
 * Serves the demo's fixture sites (data/demo/sites) from two loopback servers routed by
 * Host: a protected outlet and its clone over HTTP, and three fake outlets over HTTPS
 * behind one multi-domain certificate (made for the demo, fictional names only). The HTTP
 * server also answers RDAP under `/rdap/` (`domain/<name>`, `ip/<address>`) from the
 * fictional answers of `rdap/answers.json`: the sites' registrations and the network of
 * 127.0.0.1, where they are all served from.
 */
export async function serveDemoSites(dir: string): Promise<DemoSites> {
  const manifest = JSON.parse(await readFile(join(dir, "sites.json"), "utf8")) as DemoSitesManifest;
  const routes = new Map<string, { body: Buffer; type: string }>();
  for (const site of manifest.sites) {
    routes.set(`${site.host}/favicon.svg`, {
      body: await readFile(join(dir, site.favicon)),
      type: "image/svg+xml",
    });
    for (const [path, file] of Object.entries(site.pages))
      routes.set(`${site.host}${path}`, {
        body: await readFile(join(dir, file)),
        type: "text/html; charset=utf-8",
      });
  }
  const rdap = new Map<string, Buffer>();
  if (manifest.rdap !== undefined) {
    const answers = JSON.parse(await readFile(join(dir, manifest.rdap), "utf8")) as {
      domains?: Record<string, unknown>;
      networks?: Record<string, unknown>;
    };
    for (const [name, doc] of Object.entries(answers.domains ?? {}))
      rdap.set(`/rdap/domain/${name}`, Buffer.from(JSON.stringify(doc)));
    for (const [address, doc] of Object.entries(answers.networks ?? {}))
      rdap.set(`/rdap/ip/${address}`, Buffer.from(JSON.stringify(doc)));
  }
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    if (path.startsWith("/rdap/")) {
      const answer = rdap.get(decodeURIComponent(path));
      if (answer === undefined)
        res.writeHead(404, { "content-type": "application/rdap+json" }).end('{"errorCode":404}');
      else res.writeHead(200, { "content-type": "application/rdap+json" }).end(answer);
      return;
    }
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    const route = routes.get(`${host}${(req.url ?? "/").split("?")[0]}`);
    if (route === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": route.type, server: "nginx" }).end(route.body);
  };
  const tls = {
    cert: await readFile(join(dir, manifest.certificate.cert)),
    key: await readFile(join(dir, manifest.certificate.key)),
  };
  const http = createHttpServer(handle);
  const https = createHttpsServer(tls, handle);
  const listen = (server: Server) =>
    new Promise<number>((resolve) =>
      server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
    );
  const ports = { http: await listen(http), https: await listen(https) };
  const urls: string[] = [];
  const hosts: Record<string, string[]> = {};
  for (const site of manifest.sites) {
    hosts[site.host] = ["127.0.0.1"];
    for (const path of Object.keys(site.pages))
      urls.push(`${site.scheme}://${site.host}:${ports[site.scheme]}${path}`);
  }
  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    outlet: { ...manifest.outlet, aliases: [], handles: [] },
    urls,
    hosts,
    rdapUrl: `http://127.0.0.1:${ports.http}/rdap/`,
    close: async () => {
      await Promise.all([close(http), close(https)]);
    },
  };
}

export interface DemoSitesResult {
  capture: SiteScanSummary;
  analysis: SiteAnalysisSummary;
}

/**
 * The sites part of `vigil demo`: serves the fixture sites on loopback, captures them
 * with the safe fetcher (127.0.0.1 let through by the lab-only allow option, the
 * fictional names mapped to it by a fixed resolver, so nothing else is resolved or
 * fetched) and looks their registrations and hosting network up at the demo's own RDAP
 * server, then runs the site analysis over the stored pages. The demo's watchlist
 * gets the fictional outlet the clone imitates. Evidence goes to a temporary folder.
 */
export async function runDemoSites(
  ctx: CliContext,
  store: Store,
  watchlist: Watchlist,
  dir: string,
): Promise<DemoSitesResult> {
  const sites = await serveDemoSites(dir);
  const evidenceDir = await mkdtemp(join(tmpdir(), "vigil-demo-evidence-"));
  const withOutlet: Watchlist = { ...watchlist, outlets: [...watchlist.outlets, sites.outlet] };
  try {
    const capture = await scanSites(sites.urls, {
      store,
      evidenceDir,
      resolver: staticResolver(sites.hosts),
      allowPrivate: ["127.0.0.1"],
      robots: false,
      hostIntervalMs: 0,
      rdap: { baseUrl: sites.rdapUrl },
      detectors: siteDetectors(withOutlet),
      now: ctx.now,
    });
    const analysis = await analyzeSites({ store, watchlist: withOutlet, now: ctx.now });
    return { capture, analysis };
  } finally {
    await sites.close();
    await rm(evidenceDir, { recursive: true, force: true });
  }
}

/**
 * Prints the sites part of the demo: what was captured, the clone, the fake outlets with
 * their reasons (among them a claimed location the registrant contradicts) and the network.
 */
export function printDemoSites(ctx: CliContext, result: DemoSitesResult): void {
  const { capture, analysis } = result;
  ctx.io.stdout.write(
    `\nWeb sites: ${capture.captured} pages of 5 fictional sites captured safely from loopback (${capture.failed} failed), analysed with every stored page:\n\n`,
  );
  if (analysis.analysis !== undefined) printSiteAnalysis(ctx, analysis.analysis);
}
