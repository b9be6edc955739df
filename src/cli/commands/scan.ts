import { type Command, Option } from "commander";
import { RdapEnricher, serverAsker } from "../../enrich/index.js";
import { VigilError } from "../../errors.js";
import {
  type DomainInput,
  type DomainScanSummary,
  MAX_OWNERSHIP_LOOKUPS,
  type RunSummary,
  scanDomains,
} from "../../pipeline/index.js";
import { SafeFetcher } from "../../sources/index.js";
import {
  type CliContext,
  type GlobalOptions,
  loadConfig,
  resolveStoreOptions,
  withStore,
} from "../context.js";
import { dnsEnricherOption } from "../dns-enricher-option.js";
import { collect, parseCount, parseScore } from "../options.js";
import { findingsTable, writeJson } from "../output.js";
import { ScanProgressBar } from "../progress.js";
import { rdapOptions } from "../rdap-option.js";

/** Findings printed in the table; the rest are in the store (`vigil findings`). */
const MAX_ROWS = 50;
/** Problems printed; all are stored with the run. */
const MAX_PROBLEMS_SHOWN = 20;

/** Exit code when the scan finished but some items could not be read or checked. */
export const EXIT_ITEM_PROBLEMS = 3;

interface ScanOptions {
  json?: boolean;
  progress?: boolean;
  threshold?: string;
  batchSize?: string;
  checkOwnership?: boolean;
  dnsServer?: string[];
  maxLookups?: string;
  nameServerPort?: string;
  rdap?: string | boolean;
  rdapBootstrap?: string;
  allowPrivateAddress?: string[];
}

/** Registers `vigil scan domains`; returns the `scan` command for the other inputs' scans. */
export function registerScan(program: Command, ctx: CliContext): Command {
  const scan = program
    .command("scan")
    .description("check inputs against the watchlist and store what is found");
  scan
    .command("domains")
    .description("find lookalikes of protected outlets' domains in lists of domain names")
    .argument(
      "<inputs...>",
      "files with one domain a line (# comments allowed), or CSV with a domain column; - for standard input",
    )
    .option("--json", "print the run summary and findings as JSON")
    .option("--no-progress", "no progress bar (it is shown on a terminal only)")
    .option(
      "--threshold <score>",
      "report lookalikes scoring at least this (0..1); default from vigil.yaml (0.5)",
    )
    .option("--batch-size <n>", "observations per transaction", "500")
    .option(
      "--check-ownership",
      "look up NS, MX and RDAP of each flagged name; score down only names an outlet's own name server verifiably serves or its corporate registrar holds",
    )
    .option(
      "--dns-server <ip[:port]>",
      "DNS server to ask for --check-ownership instead of the system's (repeatable)",
      collect,
    )
    .option(
      "--max-lookups <n>",
      `look-ups --check-ownership may make in the run (default ${MAX_OWNERSHIP_LOOKUPS})`,
    )
    .option(
      "--name-server-port <n>",
      "port the outlet's name servers are asked on for --check-ownership (default 53; for a lab)",
    )
    .option(
      "--rdap <url>",
      "RDAP server to ask for --check-ownership, instead of the bootstrap file (env VIGIL_RDAP_URL)",
    )
    .option("--no-rdap", "no RDAP look-ups in --check-ownership (name servers only)")
    .option(
      "--rdap-bootstrap <file>",
      "IANA dns.json to find RDAP servers in (env VIGIL_RDAP_BOOTSTRAP; default: the shipped data/rdap/dns.json)",
    )
    .addOption(
      new Option(
        "--allow-private-address <ip-or-cidr>",
        "TESTS AND LABS ONLY: let the SSRF guard fetch RDAP from this private address (repeatable)",
      )
        .argParser(collect)
        .hideHelp(),
    )
    .addHelpText(
      "after",
      `
Each finding names the outlet imitated, the rules that fired with their weights,
and the techniques (DISARM T0149.003 Lookalike Domain, ATT&CK T1583.001).
Bad lines (too long, not UTF-8, not a domain) are reported with their line number
and skipped; the rest is scanned. Re-scanning the same names adds nothing.

--check-ownership asks DNS, after detection and only for the names flagged, for NS
and MX of the name's registrable domain and of the protected domain it imitates.
Those records are written by whoever controls the name, so they are never believed
alone: a name server under the outlet's domain listed for the name is asked
directly, at the address the outlet's own zone gives it, for the name's SOA, the
SOA of iana.org and the SOA of the outlet's zone the server is named under. Only
when it serves the name, not iana.org (an open resolver answers both), and gives
both zones the same primary server (a DNS provider behind the outlet's server names
would give the name its own) does the finding get "owned-by-outlet" (-0.6): stored
with its lowered score and the server, its address and the SOA as evidence, but in
no case. Mail servers under the outlet's domain, the same mail or name servers as
the outlet, and name servers that did not confirm are noted as
"outlet-servers-claimed" (weight 0, unverified): the score and severity do not
change. A look-up that fails (timeout, SERVFAIL) leaves the finding as it was and
is reported with VIGIL_ERR_DNS_TIMEOUT or VIGIL_ERR_DNS_FAILED. Names under .test,
.example and other special-use TLDs are not looked up unless --dns-server names a
server. It also asks RDAP (the registry's server from the IANA bootstrap, or --rdap;
--no-rdap to skip) who registered the name and the protected domain: both at the
same corporate registrar (MarkMonitor, CSC, Com Laude ..., which take no anonymous
customers) gives "held-at-outlet-registrar" (-0.5), stored and in no case; a retail
registrar in common says nothing.

Exit codes: 0 done, 1 error, 2 usage, 3 done but some items were skipped.

Examples:
  vigil scan domains new-registrations.txt
  vigil scan domains lookalikes.csv --json > result.json
  vigil scan domains new-registrations.txt --check-ownership --dns-server 9.9.9.9
  zcat feed.txt.gz | vigil scan domains -
`,
    )
    .action(async (inputs: string[], opts: ScanOptions) => {
      const global = program.opts<GlobalOptions>();
      const watchlist = await loadConfig(global);
      if (opts.threshold !== undefined) {
        watchlist.settings.domains.threshold = parseScore(opts.threshold, "--threshold");
      }
      const batchSize = parseCount(opts.batchSize ?? "500", "--batch-size");
      if (
        opts.checkOwnership !== true &&
        (opts.dnsServer !== undefined ||
          opts.maxLookups !== undefined ||
          opts.nameServerPort !== undefined ||
          typeof opts.rdap === "string" ||
          opts.rdapBootstrap !== undefined ||
          opts.allowPrivateAddress !== undefined)
      ) {
        throw new VigilError(
          "VIGIL_ERR_CLI_USAGE",
          "--dns-server, --max-lookups, --name-server-port and --rdap… go with --check-ownership",
        );
      }
      const rdap = opts.checkOwnership === true ? rdapOptions(opts, ctx.env) : undefined;
      const checkOwnership =
        opts.checkOwnership === true
          ? {
              dns: dnsEnricherOption({
                servers: opts.dnsServer,
                now: ctx.now,
                records: ["NS", "MX"],
              }),
              addresses: dnsEnricherOption({
                servers: opts.dnsServer,
                now: ctx.now,
                records: ["A", "AAAA"],
              }),
              askServer: serverAsker(),
              ...(rdap === undefined
                ? {}
                : {
                    rdap: new RdapEnricher({
                      fetcher: new SafeFetcher({
                        now: ctx.now,
                        ...(opts.allowPrivateAddress === undefined
                          ? {}
                          : { allowPrivate: opts.allowPrivateAddress }),
                      }),
                      now: ctx.now,
                      ...rdap,
                    }),
                  }),
              ...(opts.nameServerPort === undefined
                ? {}
                : {
                    nameServerPort: parseCount(opts.nameServerPort, "--name-server-port", 65_535),
                  }),
              maxLookups:
                opts.maxLookups === undefined
                  ? MAX_OWNERSHIP_LOOKUPS
                  : parseCount(opts.maxLookups, "--max-lookups", 1_000_000),
            }
          : undefined;
      if (inputs.filter((i) => i === "-").length > 1) {
        throw new VigilError("VIGIL_ERR_CLI_USAGE", "standard input (-) can be given once");
      }
      const sources: DomainInput[] = inputs.map((i) =>
        i === "-" ? { name: "stdin", stream: process.stdin } : i,
      );
      const bar = new ScanProgressBar(
        ctx.io,
        opts.progress !== false && ctx.io.stderr.isTTY === true,
      );
      const summary = await withStore(resolveStoreOptions(global.db, ctx.env), async (store) => {
        try {
          return await scanDomains(sources, {
            store,
            watchlist,
            now: ctx.now,
            batchSize,
            onProgress: (p) => bar.update(p),
            ...(checkOwnership === undefined ? {} : { checkOwnership }),
          });
        } finally {
          bar.stop();
        }
      });
      printSummary(ctx, summary, opts.json === true);
      setScanExitCode(ctx, summary);
    });
  return scan;
}

/** A failed run exits 1; a finished run that skipped items exits `EXIT_ITEM_PROBLEMS`. */
export function setScanExitCode(ctx: CliContext, summary: RunSummary): void {
  if (summary.status === "failed") ctx.exitCode = 1;
  else if (summary.problemCount > 0) ctx.exitCode = EXIT_ITEM_PROBLEMS;
}

/** Prints a run's outcome: findings table and counts on stdout, problems on stderr. */
export function printSummary(ctx: CliContext, summary: DomainScanSummary, json: boolean): void {
  if (json) {
    writeJson(ctx.io, summary);
    return;
  }
  const { io } = ctx;
  if (summary.topFindings.length > 0) {
    io.stdout.write(
      `${findingsTable(summary.topFindings.slice(0, MAX_ROWS), io.stdout.columns)}\n`,
    );
    if (summary.topFindings.length > MAX_ROWS)
      io.stdout.write(`… ${summary.findings - MAX_ROWS} more: vigil findings\n`);
    io.stdout.write("\n");
  }
  io.stdout.write(
    `${summary.read} items read, ${summary.observations} distinct names, ${summary.findings} lookalikes found ` +
      `(${summary.findingsAdded} new), ${summary.problemCount} items skipped. Run ${summary.runId}.\n`,
  );
  const o = summary.ownership;
  if (o !== undefined) {
    io.stdout.write(
      `Ownership: ${o.owned} of the lookalikes shown to be held by their outlet (scored down, in no case; ${o.heldAtRegistrar} by a corporate registrar in common), ` +
        `${o.claimed} claiming the outlet's servers unverified (not scored), ${o.notChecked} not checked; ` +
        `${o.lookups} look-ups.\n`,
    );
  }
  printProblems(ctx, summary);
}

/** Prints the first skipped items of a run on stderr, and how many more there are. */
export function printProblems(ctx: CliContext, summary: RunSummary): void {
  const { io } = ctx;
  for (const p of summary.problems.slice(0, MAX_PROBLEMS_SHOWN))
    io.stderr.write(`skipped ${p.item}: ${p.message} [${p.code}]\n`);
  if (summary.problemCount > MAX_PROBLEMS_SHOWN)
    io.stderr.write(`… and ${summary.problemCount - MAX_PROBLEMS_SHOWN} more skipped items\n`);
}
