import { createHash } from "node:crypto";
import type { Detector, ItemProblem } from "../detect/index.js";
import {
  type CapturedResource,
  type CertificateKeys,
  certificateKeys,
  type DnsEnricher,
  type DnsFacts,
  extractPage,
  type FaviconHashes,
  hashFavicon,
  MAX_FAVICON_BYTES,
  type PageFeatures,
  type PageScreenshotter,
  RdapEnricher,
  type RdapEnricherOptions,
  type RdapFacts,
  type RdapFetcher,
  type RdapNetworkFacts,
  serverHeaders,
} from "../enrich/index.js";
import { toVigilError, VigilError } from "../errors.js";
import { captureWarc, EvidenceLog } from "../evidence/index.js";
import { makeObservation } from "../model/index.js";
import {
  type FetchResult,
  type HostResolver,
  type HttpExchange,
  hostOf,
  PoliteFetcher,
  parseSafeUrl,
  SafeFetcher,
  type SourceItem,
  type WebLimits,
} from "../sources/index.js";
import type { Store } from "../store/index.js";
import { type PipelineProgress, type RunSummary, runPipeline } from "./pipeline.js";

/** URLs captured in one scan: each is a capture kept as evidence. */
export const MAX_SITE_URLS = 10_000;
/** Pages captured at once (different hosts; one host is still spaced by the rate limit). */
export const DEFAULT_SITE_CONCURRENCY = 4;

/** What `vigil scan site --json` prints for one URL. */
export interface SiteReport {
  url: string;
  outcome: "captured" | "failed";
  finalUrl?: string;
  status?: number;
  address?: string;
  title?: string;
  observationId?: string;
  /** The evidence log entry of the capture, and the screenshot it names. */
  evidence?: { seq: number; hash: string; warc: string; screenshot?: string };
  /** DNS, RDAP and certificate facts of the final host (see `PageSnapshot`). */
  dns?: DnsFacts;
  rdap?: RdapFacts;
  /** RDAP's answer for the network of the address the page came from. */
  network?: RdapNetworkFacts;
  certificate?: CertificateKeys;
  /** What went wrong: the URL's problem (a capture that was kept may have one too). */
  problem?: ItemProblem;
}

export interface ScanSiteOptions {
  store: Store;
  /** Folder of WARC files and the evidence log (see `EvidenceLog`). */
  evidenceDir: string;
  resolver?: HostResolver;
  /** TEST AND LAB USE ONLY: addresses the guard lets through (see `SafeFetcherOptions`). */
  allowPrivate?: readonly string[];
  limits?: Partial<WebLimits>;
  /** Pause between two requests to one host, in ms. */
  hostIntervalMs?: number;
  /** Honour robots.txt (default true). */
  robots?: boolean;
  concurrency?: number;
  userAgent?: string;
  now?: () => Date;
  /** Looks up A, AAAA, CNAME, NS and MX of each captured host (none when unset). */
  dns?: DnsEnricher;
  /**
   * Looks up each captured host's registration, and the network of the address it was
   * fetched from, over RDAP (none when unset), through the scan's own guarded fetcher
   * unless another is given.
   */
  rdap?: Omit<RdapEnricherOptions, "fetcher"> & { fetcher?: RdapFetcher };
  /** Renders each captured HTML page to a PNG kept beside its WARC (none when unset). */
  screenshotter?: PageScreenshotter;
  /** Detectors run on the page observations (the clone and fake-outlet detectors, later). */
  detectors?: readonly Detector[];
  onProgress?: (progress: PipelineProgress & { bytes: number; totalBytes?: number }) => void;
}

export interface SiteScanSummary extends RunSummary {
  captured: number;
  failed: number;
  evidenceDir: string;
  reports: SiteReport[];
}

/** The data of a `page` observation. */
export interface PageSnapshot {
  requestedUrl: string;
  finalUrl: string;
  host: string;
  address: string;
  status: number;
  capturedAt: string;
  contentType?: string;
  bytes: number;
  /** SHA-256 of the decoded body. */
  sha256: string;
  redirects: Array<{ url: string; address: string; status: number }>;
  /** Why the redirect chain stopped early, when it did. */
  stopped?: string;
  /** The leaf certificate, with index keys (`sha256`, sorted `sans`) for shared certificates. */
  tls?: {
    authorized: boolean;
    subject: string;
    issuer: string;
    subjectAltNames: string[];
    validFrom: string;
    validTo: string;
    fingerprint256: string;
    serialNumber: string;
  } & CertificateKeys;
  /** What DNS answered for the final host (when `dns` was given). */
  dns?: DnsFacts;
  /** What RDAP answered for its registrable domain (when `rdap` was given). */
  rdap?: RdapFacts;
  /**
   * What RDAP answered for the IP network of `address` (when `rdap` was given): the
   * hosting network's name, country, holder and abuse contact.
   */
  network?: RdapNetworkFacts;
  server: { headers: Record<string, string>; cookieNames: string[] };
  /** Null when the answer is not HTML. */
  page: PageFeatures | null;
  favicon?: FaviconHashes & { url: string };
  evidence: {
    seq: number;
    hash: string;
    warc: string;
    warcSha256: string;
    /** The screenshot beside the WARC and its SHA-256 (also in the log entry). */
    screenshot?: { file: string; sha256: string };
  };
}

/**
 * Captures web pages safely (`SafeFetcher` behind robots.txt and a per-host pace) and
 * keeps each capture as evidence: a WARC file and a hash-chained log entry with the
 * resolved address and the TLS chain. Each page's features (see `extractPage`) and its
 * favicon's hashes are stored as a `page` observation, in one run. A URL that cannot be
 * captured is a problem of the run, and the other URLs go on.
 *
 * @example
 * const summary = await scanSites(["https://news.example/"], { store, evidenceDir: "evidence" });
 */
export async function scanSites(
  urls: readonly string[],
  options: ScanSiteOptions,
): Promise<SiteScanSummary> {
  if (urls.length > MAX_SITE_URLS) {
    throw new VigilError(
      "VIGIL_ERR_CLI_USAGE",
      `${urls.length} URLs, more than the ${MAX_SITE_URLS} of one scan`,
    );
  }
  const now = options.now ?? (() => new Date());
  const fetcher = new SafeFetcher({
    ...(options.resolver === undefined ? {} : { resolver: options.resolver }),
    ...(options.allowPrivate === undefined ? {} : { allowPrivate: options.allowPrivate }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
    now,
  });
  const polite = new PoliteFetcher(fetcher, {
    ...(options.hostIntervalMs === undefined ? {} : { intervalMs: options.hostIntervalMs }),
    ...(options.robots === undefined ? {} : { robots: options.robots }),
  });
  const log = new EvidenceLog(options.evidenceDir);
  const enrich: Enrichers = {
    ...(options.dns === undefined ? {} : { dns: options.dns }),
    ...(options.rdap === undefined
      ? {}
      : { rdap: new RdapEnricher({ fetcher, now, ...options.rdap }) }),
    ...(options.screenshotter === undefined ? {} : { screenshotter: options.screenshotter }),
  };
  const reports: SiteReport[] = urls.map((url) => ({ url, outcome: "failed" }));
  const progress = {
    read: 0,
    findings: 0,
    findingsAdded: 0,
    problems: 0,
    bytes: 0,
    totalBytes: urls.length,
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_SITE_CONCURRENCY, 32));

  const captureOne = async (index: number): Promise<SourceItem[]> => {
    const report = reports[index] as SiteReport;
    const items: SourceItem[] = [];
    const problem = (err: unknown) => {
      const e = toVigilError(err, "VIGIL_ERR_WEB_CONNECT");
      report.problem = { item: report.url, code: e.code, message: e.message };
      items.push({ problem: report.problem });
    };
    let result: FetchResult;
    try {
      result = await polite.get(report.url);
    } catch (err) {
      problem(err);
      return items;
    }
    try {
      const { snapshot, screenshotProblem } = await snapshotOf(result, polite, log, now, enrich);
      const observation = makeObservation({
        kind: "page",
        value: snapshot.finalUrl.slice(0, 2048),
        data: snapshot as unknown as Record<string, unknown>,
        source: `url:${report.url}`.slice(0, 2048),
        observedAt: snapshot.capturedAt,
      });
      Object.assign(report, {
        outcome: "captured",
        finalUrl: snapshot.finalUrl,
        status: snapshot.status,
        address: snapshot.address,
        observationId: observation.id,
        evidence: {
          seq: snapshot.evidence.seq,
          hash: snapshot.evidence.hash,
          warc: snapshot.evidence.warc,
          ...(snapshot.evidence.screenshot === undefined
            ? {}
            : { screenshot: snapshot.evidence.screenshot.file }),
        },
        ...(snapshot.page?.title === undefined ? {} : { title: snapshot.page.title }),
        ...(snapshot.dns === undefined ? {} : { dns: snapshot.dns }),
        ...(snapshot.rdap === undefined ? {} : { rdap: snapshot.rdap }),
        ...(snapshot.network === undefined ? {} : { network: snapshot.network }),
        ...(snapshot.tls === undefined ? {} : { certificate: keysOf(snapshot.tls) }),
      });
      items.push({ observation });
      if (screenshotProblem !== undefined) problem(screenshotProblem);
      if (result.stopped !== undefined) problem(result.stopped);
      else if (snapshot.page === null && isHtmlType(snapshot.contentType)) {
        problem(
          new VigilError(
            "VIGIL_ERR_WEB_CONTENT",
            `${snapshot.finalUrl}: served as HTML but the body is binary`,
          ),
        );
      }
    } catch (err) {
      problem(err);
    }
    return items;
  };

  async function* source(): AsyncGenerator<SourceItem> {
    // A small pool: `concurrency` captures in flight, items handed on as each finishes.
    let next = 0;
    const running = new Map<number, Promise<{ index: number; items: SourceItem[] }>>();
    const start = () => {
      const index = next++;
      running.set(
        index,
        captureOne(index).then((items) => ({ index, items })),
      );
    };
    while (next < urls.length && running.size < concurrency) start();
    while (running.size > 0) {
      const { index, items } = await Promise.race(running.values());
      running.delete(index);
      if (next < urls.length) start();
      progress.bytes++;
      options.onProgress?.(progress);
      yield* items;
    }
  }

  const summary = await runPipeline(source(), "scan site", {
    store: options.store,
    detectors: options.detectors ?? [],
    now,
    batchSize: 20,
    onProgress: (p) => {
      Object.assign(progress, p);
      options.onProgress?.(progress);
    },
  });
  return {
    ...summary,
    captured: reports.filter((r) => r.outcome === "captured").length,
    failed: reports.filter((r) => r.outcome === "failed").length,
    evidenceDir: options.evidenceDir,
    reports,
  };
}

function isHtmlType(contentType: string | undefined): boolean {
  return contentType === undefined || /html/i.test(contentType);
}

/** The look-ups and the renderer a scan was given. */
interface Enrichers {
  dns?: DnsEnricher;
  rdap?: RdapEnricher;
  screenshotter?: PageScreenshotter;
}

function keysOf(tls: NonNullable<PageSnapshot["tls"]>): CertificateKeys {
  const { sha256, sans, sansSha256, sanDomains, multiDomain } = tls;
  return { sha256, sans, sansSha256, sanDomains, multiDomain };
}

/**
 * Extracts, fetches the favicon, looks the host up (DNS, RDAP) and renders the page
 * (screenshot) at once, writes the WARC, screenshot and log entry, and builds the snapshot.
 */
async function snapshotOf(
  result: FetchResult,
  polite: PoliteFetcher,
  log: EvidenceLog,
  now: () => Date,
  enrich: Enrichers,
): Promise<{ snapshot: PageSnapshot; screenshotProblem?: VigilError }> {
  const capturedAt = now().toISOString();
  const { final } = result;
  const header = (name: string) => final.headers.find(([k]) => k === name)?.[1];
  const contentType = header("content-type");
  let page: PageFeatures | null = null;
  const isRedirect = result.stopped !== undefined;
  if (!isRedirect && isHtmlType(contentType) && !looksBinary(final.body)) {
    page = extractPage(final.body, result.finalUrl, contentType);
  }
  const exchanges: HttpExchange[] = [...result.exchanges];
  const notes: string[] = [];
  if (result.stopped !== undefined) notes.push(result.stopped.message);
  let favicon: (FaviconHashes & { url: string }) | undefined;
  if (page !== null) {
    try {
      const icon = await polite.get(page.faviconUrl, {
        accept: "image/*,*/*;q=0.5",
        limits: { maxBodyBytes: MAX_FAVICON_BYTES, maxRedirects: 2 },
      });
      exchanges.push(...icon.exchanges);
      if (icon.stopped === undefined && icon.final.status === 200 && icon.final.body.length > 0) {
        favicon = { url: icon.finalUrl, ...(await hashFavicon(icon.final.body)) };
      }
    } catch (err) {
      notes.push(`favicon ${page.faviconUrl}: ${toVigilError(err).message}`);
    }
  }
  const host = hostOf(new URL(result.finalUrl));
  let screenshotProblem: VigilError | undefined;
  const [screenshot, dns, rdap, network] = await Promise.all([
    page === null || enrich.screenshotter === undefined
      ? undefined
      : enrich.screenshotter
          .capture({
            url: result.finalUrl,
            status: final.status,
            ...(contentType === undefined ? {} : { contentType }),
            body: final.body,
            resources: capturedResources(exchanges.slice(result.exchanges.length)),
          })
          .catch((err: unknown) => {
            screenshotProblem = toVigilError(err, "VIGIL_ERR_SCREENSHOT_PAGE");
            notes.push(screenshotProblem.message);
            return undefined;
          }),
    enrich.dns?.lookup(host),
    enrich.rdap?.lookup(host),
    enrich.rdap?.lookupAddress(final.address),
  ]);
  const warc = captureWarc(exchanges, {
    software: "vigil scan site",
    capturedAt,
    note: `capture of ${result.requestedUrl}`,
  });
  const name = `${capturedAt.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${safeName(host)}-${createHash("sha256").update(warc).digest("hex").slice(0, 12)}.warc.gz`;
  const entry = await log.append(
    warc,
    {
      capturedAt,
      url: result.requestedUrl,
      finalUrl: result.finalUrl,
      address: final.address,
      status: final.status,
      hops: result.exchanges.map((e) => ({ url: e.url, address: e.address, status: e.status })),
      tls: final.tls ?? null,
      notes,
      ...(dns === undefined ? {} : { dns }),
      ...(rdap === undefined ? {} : { rdap }),
    },
    name,
    screenshot === undefined ? {} : { screenshot },
  );
  const leaf = final.tls?.chain[0];
  const snapshot: PageSnapshot = {
    requestedUrl: result.requestedUrl,
    finalUrl: result.finalUrl,
    host,
    address: final.address,
    status: final.status,
    capturedAt,
    ...(contentType === undefined ? {} : { contentType }),
    bytes: final.body.length,
    sha256: createHash("sha256").update(final.body).digest("hex"),
    redirects: result.exchanges
      .slice(0, -1)
      .map((e) => ({ url: e.url, address: e.address, status: e.status })),
    ...(result.stopped === undefined ? {} : { stopped: result.stopped.message }),
    ...(leaf === undefined || final.tls === undefined
      ? {}
      : {
          tls: {
            authorized: final.tls.authorized,
            subject: leaf.subject,
            issuer: leaf.issuer,
            subjectAltNames: leaf.subjectAltNames,
            validFrom: leaf.validFrom,
            validTo: leaf.validTo,
            fingerprint256: leaf.fingerprint256,
            serialNumber: leaf.serialNumber,
            ...certificateKeys(leaf.fingerprint256, leaf.subjectAltNames),
          },
        }),
    ...(dns === undefined ? {} : { dns }),
    ...(rdap === undefined ? {} : { rdap }),
    ...(network === undefined ? {} : { network }),
    server: serverHeaders(final.headers),
    page,
    ...(favicon === undefined ? {} : { favicon }),
    evidence: {
      seq: entry.seq,
      hash: entry.hash,
      warc: entry.warc,
      warcSha256: entry.warcSha256,
      ...(entry.screenshot === undefined ? {} : { screenshot: entry.screenshot }),
    },
  };
  return screenshotProblem === undefined ? { snapshot } : { snapshot, screenshotProblem };
}

/** The captured answers (the favicon) a screenshot may show: 200s, as decoded. */
function capturedResources(exchanges: readonly HttpExchange[]): CapturedResource[] {
  return exchanges
    .filter((e) => e.status === 200)
    .map((e) => {
      const type = e.headers.find(([k]) => k === "content-type")?.[1];
      return {
        url: e.url,
        status: e.status,
        ...(type === undefined ? {} : { contentType: type }),
        body: e.body,
      };
    });
}

function looksBinary(body: Buffer): boolean {
  return body.subarray(0, 1024).includes(0);
}

function safeName(host: string): string {
  return host.replace(/[^a-z0-9.-]/gi, "_").slice(0, 100);
}

/** The URLs to capture for hosts of stored findings: `https://<host>/` each, checked. */
export function urlsForHosts(hosts: Iterable<string>): string[] {
  const urls = new Set<string>();
  for (const host of hosts) {
    try {
      urls.add(parseSafeUrl(`https://${host}/`).href);
    } catch {
      // A subject that is not a host name (never for domain findings) is skipped.
    }
  }
  return [...urls];
}
