import { type Command, Option } from "commander";
import {
  ChromiumScreenshotter,
  DEFAULT_CHROMIUM_PATH,
  type PageScreenshotter,
} from "../../enrich/index.js";
import { VigilError } from "../../errors.js";
import {
  type SiteScanSummary,
  scanSites,
  siteDetectors,
  urlsForHosts,
} from "../../pipeline/index.js";
import { type HostResolver, staticResolver, systemResolver } from "../../sources/index.js";
import {
  type CliContext,
  fileExists,
  type GlobalOptions,
  loadConfig,
  resolveStoreOptions,
  withStore,
} from "../context.js";
import { dnsEnricherOption } from "../dns-enricher-option.js";
import { collect, parseCount, parseScore } from "../options.js";
import { formatTable, writeJson } from "../output.js";
import { ScanProgressBar } from "../progress.js";
import { rdapOptions } from "../rdap-option.js";
import { printProblems, setScanExitCode } from "./scan.js";

interface ScanSiteCliOptions {
  json?: boolean;
  progress?: boolean;
  fromFindings?: boolean;
  minScore?: string;
  evidenceDir: string;
  robots?: boolean;
  hostInterval: string;
  timeout: string;
  maxBytes: string;
  concurrency: string;
  resolve?: string[];
  allowPrivateAddress?: string[];
  screenshot?: boolean;
  chromium: string;
  dns?: boolean;
  dnsServer?: string[];
  rdap?: string | boolean;
  rdapBootstrap?: string;
}

/** Lookalike findings read for `--from-findings`. */
const MAX_FINDINGS_QUEUED = 10_000;
/** Site findings listed under the captures; the rest are counted (all are stored). */
const MAX_FINDINGS_SHOWN = 20;
/** Reasons named per finding in the table. */
const MAX_REASONS_SHOWN = 4;
/** Look-ups that failed, printed (all are in --json and the stored pages). */
const MAX_ENRICHMENT_NOTES = 10;

/** Registers `vigil scan site` on the `scan` command. */
export function registerScanSite(scan: Command, ctx: CliContext): void {
  scan
    .command("site")
    .description("capture web pages safely, keep them as evidence, and store their fingerprints")
    .argument("[urls...]", "http(s) URLs to capture")
    .option("--from-findings", "also capture the hosts of stored lookalike-domain findings")
    .option("--min-score <score>", "with --from-findings: findings scoring at least this", "0.5")
    .option("--evidence-dir <dir>", "folder of WARC files and the evidence log", "evidence")
    .option("--no-robots", "do not fetch or honour robots.txt")
    .option("--host-interval <ms>", "pause between two requests to one host", "1000")
    .option("--timeout <ms>", "time for one page, redirects included", "30000")
    .option(
      "--max-bytes <n>",
      "largest page body, before and after decompression",
      String(10 * 1024 * 1024),
    )
    .option("--concurrency <n>", "pages captured at once", "4")
    .option(
      "--resolve <host=ip>",
      "use this address for a host instead of DNS (repeatable), like curl --resolve",
      collect,
    )
    .addOption(
      new Option(
        "--allow-private-address <ip-or-cidr>",
        "TESTS AND LABS ONLY: let the SSRF guard fetch this private address (repeatable)",
      )
        .argParser(collect)
        .hideHelp(),
    )
    .option("--no-screenshot", "take no screenshots (they need Debian's chromium)")
    .option("--chromium <path>", "the chromium that renders screenshots", DEFAULT_CHROMIUM_PATH)
    .option("--no-dns", "no DNS look-ups of the captured hosts (A, AAAA, CNAME, NS, MX)")
    .option(
      "--dns-server <ip[:port]>",
      "DNS server to ask instead of the system's (repeatable)",
      collect,
    )
    .option(
      "--rdap <url>",
      "RDAP server to ask for every domain and hosting address, instead of the bootstrap files (env VIGIL_RDAP_URL)",
    )
    .option("--no-rdap", "no RDAP look-ups of the captured domains")
    .option(
      "--rdap-bootstrap <file>",
      "IANA dns.json to find RDAP servers in (env VIGIL_RDAP_BOOTSTRAP; default: the shipped data/rdap/dns.json)",
    )
    .option("--json", "print the run summary and per-URL reports as JSON")
    .option("--no-progress", "no progress bar (it is shown on a terminal only)")
    .addHelpText(
      "after",
      `
Every URL is fetched through an SSRF guard: only http(s), no credentials in URLs,
host names resolved first and refused when any address is loopback, private,
link-local, carrier-grade NAT, multicast, reserved or a cloud metadata service
(IPv4 and IPv6), the connection pinned to the checked address, each redirect
checked again (at most 5), body, head size and time capped.

Each capture is kept in the evidence folder as a WARC file with an entry in a
hash-chained log (check it with: vigil evidence verify). The page's title, meta
and Open Graph tags, article text, links, scripts, tracking IDs (Google Analytics,
Tag Manager, AdSense, Facebook pixel, Yandex Metrica, verification tokens,
wallets), favicon hashes (Shodan mmh3, perceptual), DOM signature, CSS classes,
CMS markers and server headers are stored as a page observation.

Each captured host is looked up: DNS (A, AAAA, CNAME of the host, NS and MX of
its domain) and RDAP (registrar, abuse contact, created and expiry dates,
statuses, registrant country, privacy proxy; and the IP network the page came
from: its name, country, holder and abuse contact; servers from the shipped IANA
bootstrap files, nothing fetched from IANA). RDAP goes through the same SSRF
guard. Clones of vigil.yaml's outlets and fake-outlet signs found in the captured
pages are listed under the captures. The certificate's
SHA-256 and sorted SAN list are kept to match shared certificates. Each HTML
page is rendered by chromium from the captured bytes only (the browser has no
network) and the PNG kept beside the WARC, its SHA-256 in the log entry.
Names under .test, .example, .invalid, .localhost, .local, .onion and .internal
are not looked up in DNS unless --dns-server names a server.

Exit codes: 0 done, 1 error, 2 usage, 3 done but some URLs failed.

Examples:
  vigil scan site https://news-outlet.example/
  vigil scan site --from-findings --min-score 0.8 --json > captures.json
  vigil evidence verify
`,
    )
    .action(async (urls: string[], opts: ScanSiteCliOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const minScore = parseScore(opts.minScore ?? "0.5", "--min-score");
      const hostIntervalMs = parseMilliseconds(opts.hostInterval, "--host-interval");
      const timeoutMs = parseCount(opts.timeout, "--timeout", 600_000);
      const maxBodyBytes = parseCount(opts.maxBytes, "--max-bytes", 1024 * 1024 * 1024);
      const concurrency = parseCount(opts.concurrency, "--concurrency", 32);
      const resolver = resolverOf(opts.resolve ?? []);
      if (urls.length === 0 && opts.fromFindings !== true) {
        throw new VigilError("VIGIL_ERR_CLI_USAGE", "give URLs to capture, or --from-findings");
      }
      const dns =
        opts.dns === false
          ? undefined
          : dnsEnricherOption({ servers: opts.dnsServer, now: ctx.now });
      const rdap = rdapOptions(opts, ctx.env);
      const screenshotter: PageScreenshotter | undefined =
        opts.screenshot === false
          ? undefined
          : new ChromiumScreenshotter({ executablePath: opts.chromium });
      // Clones of the watchlist's outlets and fake-outlet signs, judged on each batch.
      const watchlist = (await fileExists(global.config)) ? await loadConfig(global) : undefined;
      const bar = new ScanProgressBar(
        ctx.io,
        opts.progress !== false && ctx.io.stderr.isTTY === true,
        "pages",
      );
      const summary = await withStore(resolveStoreOptions(global.db, ctx.env), async (store) => {
        const queued = [...urls];
        if (opts.fromFindings === true) {
          const findings = await store.listFindings({
            kind: "domain-lookalike",
            minScore,
            limit: MAX_FINDINGS_QUEUED,
          });
          queued.push(...urlsForHosts(findings.map((f) => f.subject)));
        }
        try {
          return await scanSites([...new Set(queued)], {
            store,
            evidenceDir: opts.evidenceDir,
            resolver,
            ...(opts.allowPrivateAddress === undefined
              ? {}
              : { allowPrivate: opts.allowPrivateAddress }),
            limits: { timeoutMs, maxBodyBytes },
            hostIntervalMs,
            robots: opts.robots !== false,
            concurrency,
            detectors: siteDetectors(watchlist),
            now: ctx.now,
            ...(dns === undefined ? {} : { dns }),
            ...(rdap === undefined ? {} : { rdap }),
            ...(screenshotter === undefined ? {} : { screenshotter }),
            onProgress: (p) => bar.update(p),
          });
        } finally {
          bar.stop();
          await screenshotter?.close();
        }
      });
      printSiteSummary(ctx, summary, opts.json === true);
      setScanExitCode(ctx, summary);
    });
}

/** A pause in ms: a whole number from 0 to 10 minutes. */
function parseMilliseconds(text: string, option: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < 0 || n > 600_000) {
    throw new VigilError(
      "VIGIL_ERR_CLI_USAGE",
      `${option} must be a whole number of ms from 0 to 600000, not "${text}"`,
    );
  }
  return n;
}

/** `--resolve host=ip` entries (also `host:ip` as curl writes them) over the system resolver. */
function resolverOf(entries: readonly string[]): HostResolver {
  if (entries.length === 0) return systemResolver();
  const table: Record<string, string[]> = {};
  for (const entry of entries) {
    const m = /^([^=:\s]+)[=:](.+)$/.exec(entry.trim());
    if (m === null) {
      throw new VigilError("VIGIL_ERR_CLI_USAGE", `--resolve wants host=ip, not "${entry}"`);
    }
    const host = (m[1] as string).toLowerCase();
    const addresses = table[host] ?? [];
    addresses.push((m[2] as string).replace(/^\[|\]$/g, ""));
    table[host] = addresses;
  }
  try {
    return staticResolver(table, systemResolver());
  } catch (err) {
    throw new VigilError("VIGIL_ERR_CLI_USAGE", `--resolve: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function printSiteSummary(ctx: CliContext, summary: SiteScanSummary, json: boolean): void {
  if (json) {
    writeJson(ctx.io, summary);
    return;
  }
  const { io } = ctx;
  const rows = summary.reports.map((r) => [
    r.outcome,
    r.status === undefined ? "" : String(r.status),
    r.finalUrl ?? r.url,
    r.address ?? "",
    r.title ?? r.problem?.message ?? "",
  ]);
  if (rows.length > 0)
    io.stdout.write(
      `${formatTable(["OUTCOME", "STATUS", "URL", "ADDRESS", "TITLE / PROBLEM"], rows, io.stdout.columns)}\n\n`,
    );
  // What the site detectors made of the captured pages: clones, fake outlets (and
  // networks, when a detector finds them), best first.
  const findings = summary.topFindings;
  if (findings.length > 0) {
    const table = findings.slice(0, MAX_FINDINGS_SHOWN).map((f) => [
      f.kind,
      f.score.toFixed(2),
      f.severity,
      f.subject,
      f.target?.name ?? "",
      f.reasons
        .filter((r) => r.weight !== 0)
        .slice(0, MAX_REASONS_SHOWN)
        .map((r) => `${r.rule} +${r.weight.toFixed(2)}`)
        .join(", "),
    ]);
    io.stdout.write(
      `${formatTable(["FINDING", "SCORE", "SEVERITY", "SITE", "IMITATES", "WHY"], table, io.stdout.columns)}\n`,
    );
    if (findings.length > MAX_FINDINGS_SHOWN)
      io.stdout.write(`… ${summary.findings - MAX_FINDINGS_SHOWN} more: vigil findings\n`);
    io.stdout.write("\n");
  }
  io.stdout.write(
    `${summary.captured} pages captured, ${summary.failed} failed; ${summary.findings} site finding${summary.findings === 1 ? "" : "s"} (${summary.findingsAdded} new); evidence in ${summary.evidenceDir}. Run ${summary.runId}.\n`,
  );
  printProblems(ctx, summary);
  printEnrichmentNotes(ctx, summary);
}

/**
 * Look-ups that gave nothing, with their codes (`VIGIL_ERR_DNS_TIMEOUT`,
 * `VIGIL_ERR_RDAP_NOT_FOUND` …) on stderr: the page was captured all the same, so they
 * are notes, not problems of the run.
 */
function printEnrichmentNotes(ctx: CliContext, summary: SiteScanSummary): void {
  const notes = new Set<string>();
  for (const r of summary.reports) {
    const where = r.finalUrl ?? r.url;
    for (const e of r.dns?.errors ?? [])
      notes.add(
        `${r.dns?.host}: DNS ${e.type} ${e.cause}${e.temporary ? " (temporary)" : ""} [${e.code}]`,
      );
    if (r.rdap !== undefined && r.rdap.outcome !== "found")
      notes.add(`${r.rdap.domain}: RDAP ${r.rdap.outcome}: ${r.rdap.message} [${r.rdap.code}]`);
    if (r.network !== undefined && r.network.outcome !== "found")
      notes.add(
        `${r.network.address} (${where}): RDAP network ${r.network.outcome}: ${r.network.message} [${r.network.code}]`,
      );
  }
  const list = [...notes];
  for (const note of list.slice(0, MAX_ENRICHMENT_NOTES)) ctx.io.stderr.write(`note: ${note}\n`);
  if (list.length > MAX_ENRICHMENT_NOTES)
    ctx.io.stderr.write(
      `… and ${list.length - MAX_ENRICHMENT_NOTES} more look-ups that gave nothing (--json lists them)\n`,
    );
}
