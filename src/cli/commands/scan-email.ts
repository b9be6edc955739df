import { dirname } from "node:path";
import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import { WatchlistSchema } from "../../model/index.js";
import { Notifier, notifyConfig } from "../../notify/index.js";
import { type EmailInput, type EmailScanSummary, scanEmail } from "../../pipeline/index.js";
import { cachedResolver, DNS_TIMEOUT_MS } from "../../sources/index.js";
import {
  type CliContext,
  fileExists,
  type GlobalOptions,
  loadConfig,
  resolveStoreOptions,
  withStore,
} from "../context.js";
import { collect, parseCount, parseInteger } from "../options.js";
import { formatTable, writeJson } from "../output.js";
import { ScanProgressBar } from "../progress.js";
import { printProblems, setScanExitCode } from "./scan.js";

interface ScanEmailFlags {
  json?: boolean;
  progress?: boolean;
  dns?: boolean;
  dnsServer?: string[];
  dnsTimeout: string;
  trustAuthserv?: string[];
  clientIp?: string;
  maxMessageMb: string;
  all?: boolean;
  batchSize: string;
  notify?: boolean;
}

/** Messages listed in the table without `--all`: the flagged ones, best first. */
const MAX_ROWS = 50;

/** Registers `vigil scan email` under the `scan` command. */
export function registerScanEmail(scan: Command, ctx: CliContext): void {
  scan
    .command("email")
    .description("triage e-mail for spear-phishing: .eml files, folders, mbox files or stdin")
    .argument(
      "<inputs...>",
      ".eml files, folders of them (recursive), mbox files; - for standard input",
    )
    .option("--json", "print the run summary with every message's report as JSON")
    .option("--all", "list clean messages in the table too")
    .option("--no-progress", "no progress bar (it is shown on a terminal only)")
    .option("--no-dns", "no DNS look-ups: SPF, DKIM, DMARC and ARC only from trusted headers")
    .option("--dns-server <ip>", "DNS server to ask instead of the system's (repeatable)", collect)
    .option("--dns-timeout <ms>", "time one DNS look-up may take", String(DNS_TIMEOUT_MS))
    .option(
      "--trust-authserv <id>",
      "authserv-id of your own mail server: its Authentication-Results headers are read and its Received header gives SPF the client IP (repeatable)",
      collect,
    )
    .option("--client-ip <ip>", "the connecting client's IP address, to check SPF against")
    .option(
      "--max-message-mb <n>",
      "bytes of one message read, in MiB (the rest is counted, not read)",
      "25",
    )
    .option("--batch-size <n>", "messages per transaction", "100")
    .option(
      "--notify",
      "tell the people targeted (and their security contact) as watch imap does, with settings.notify from vigil.yaml",
    )
    .addHelpText(
      "after",
      `
Each message gets a verdict — phishing (score ≥ 0.7), suspicious (≥ 0.4) or clean —
with the rules that fired and their weights (they add up to the score) and the
ATT&CK techniques they evidence (T1566 and .001/.002/.003, T1598, T1656, T1583.001,
T1586).
Rules look at the sender (a watchlist person's name on another address, lookalikes
of protected domains, free mail claiming an organisation, Reply-To elsewhere),
authentication (SPF, DKIM, DMARC, ARC), links (text naming another site,
shorteners, redirectors, IP and punycode hosts, login paths, file-sharing and form
services), attachments (risky types, macros, archives, disguised types, zip bombs)
and lure language (invitations, shared documents, account alerts, urgency).
Phishing and suspicious messages are stored as email-phishing findings; clean mail
is not stored. Links are never opened and attachments never run.

Correspondent history: of every message, clean ones too, the store keeps only header
facts — sender and recipient addresses, when first and last seen, how many, and the
Reply-To/Return-Path and link domains seen from the sender (20 of each) — so a later
scan can say first-contact (a stranger writing to a mailbox with history) or that a
known contact now has a new reply path or link domain (a hijacked account, T1586).

Notices: off by default for scans of files. With --notify and settings.notify in
vigil.yaml, the people on the watchlist a phishing or suspicious message was sent to,
and their organisation's security contact, are told by e-mail and/or signed webhook
once the run is stored (docs/notify.md).

Authentication: with DNS (the default), DKIM, ARC and DMARC are verified now, and
SPF when the client IP is known (--client-ip, or the Received header written by a
--trust-authserv server). Authentication-Results headers are read only from
--trust-authserv servers, and win over the check made now (keys rotate). Each
verdict says its source: verified, trusted-header or not-checked.

Limits: a message over 25 MiB (--max-message-mb), 500 MIME parts, 20 levels of
nesting, 1,000 header fields a block, 64 KiB a header field or 1 MiB of headers is
cut there and triaged on what was read; it is reported with the limit and value
(and as a problem of the run). Zip attachments are listed, never extracted; a zip
bomb is reported, not expanded. The report fields: docs/email-report.md.

Exit codes: 0 done, 1 error, 2 usage, 3 done but some messages were over a limit,
unparseable, or inputs could not be read.

Examples:
  vigil scan email suspicious.eml
  vigil scan email ~/Maildir/cur archive.mbox --trust-authserv mx.campaign.example
  vigil scan email inbox.mbox --no-dns --json > triage.json
  cat message.eml | vigil scan email -
`,
    )
    .action(async (inputs: string[], opts: ScanEmailFlags, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions & ScanEmailFlags>();
      // Without a vigil.yaml mail is still triaged; impersonation of listed people needs one.
      const watchlist = (await fileExists(global.config))
        ? await loadConfig(global)
        : WatchlistSchema.parse({});
      const batchSize = parseCount(opts.batchSize, "--batch-size", 10_000);
      const maxMessageMb = parseInteger(opts.maxMessageMb, "--max-message-mb", 1, 1000);
      const timeoutMs = parseInteger(opts.dnsTimeout, "--dns-timeout", 100, 60_000);
      if (inputs.filter((i) => i === "-").length > 1) {
        throw new VigilError("VIGIL_ERR_CLI_USAGE", "standard input (-) can be given once");
      }
      const clientIp = opts.clientIp;
      if (clientIp !== undefined && !/^[0-9a-f:.]{2,45}$/i.test(clientIp)) {
        throw new VigilError(
          "VIGIL_ERR_CLI_USAGE",
          `--client-ip must be an IP address, not "${clientIp}"`,
        );
      }
      const trusted = (opts.trustAuthserv ?? []).map((id) => id.trim().toLowerCase());
      if (trusted.some((id) => !/^[a-z0-9._-]{1,255}$/.test(id))) {
        throw new VigilError(
          "VIGIL_ERR_CLI_USAGE",
          "--trust-authserv must be a host name such as mx.example.org",
        );
      }
      const sources: EmailInput[] = inputs.map((i) =>
        i === "-" ? { name: "stdin", stream: process.stdin } : i,
      );
      const resolver =
        opts.dns === false
          ? undefined
          : cachedResolver({
              timeoutMs,
              ...(opts.dnsServer === undefined ? {} : { servers: opts.dnsServer }),
            });
      const bar = new ScanProgressBar(
        ctx.io,
        opts.progress !== false && ctx.io.stderr.isTTY === true,
        "messages",
      );
      const config =
        opts.notify === true
          ? notifyConfig(watchlist.settings.notify, ctx.env, dirname(global.config))
          : undefined;
      if (opts.notify === true && config === undefined) {
        throw new VigilError(
          "VIGIL_ERR_CLI_USAGE",
          `--notify needs settings.notify in ${global.config} (docs/notify.md)`,
        );
      }
      const summary = await withStore(resolveStoreOptions(global.db, ctx.env), async (store) => {
        const notifier =
          config === undefined
            ? undefined
            : await Notifier.create({ store, watchlist, config, now: ctx.now });
        try {
          return await scanEmail(sources, {
            store,
            watchlist,
            now: ctx.now,
            batchSize,
            limits: { maxMessageBytes: maxMessageMb * 1024 * 1024 },
            auth: {
              ...(resolver === undefined ? {} : { resolver }),
              trustedAuthservIds: trusted,
              ...(clientIp === undefined ? {} : { clientIp }),
            },
            onProgress: (p) => bar.update(p),
            ...(notifier === undefined ? {} : { notifier }),
          });
        } finally {
          bar.stop();
          await notifier?.close();
        }
      });
      printEmailSummary(ctx, summary, opts.json === true, opts.all === true);
      setScanExitCode(ctx, summary);
    });
}

/** The table of flagged messages (all with `--all`), the counts, and the skipped items. */
function printEmailSummary(
  ctx: CliContext,
  summary: EmailScanSummary,
  json: boolean,
  all: boolean,
): void {
  if (json) {
    writeJson(ctx.io, summary);
    return;
  }
  const { io } = ctx;
  const shown = summary.reports
    .filter((r) => all || r.verdict !== "clean")
    .sort((a, b) => b.score - a.score)
    .slice(0, all ? summary.reports.length : MAX_ROWS);
  if (shown.length > 0) {
    const rows = shown.map((r) => [
      r.verdict,
      r.score.toFixed(2),
      `${r.from ?? ""} ${r.subject}`.trim().slice(0, 80),
      r.techniques.map((t) => t.id).join(" "),
      r.reasons
        .filter((x) => x.weight !== 0)
        .map((x) => `${x.rule} ${x.weight > 0 ? "+" : ""}${x.weight.toFixed(2)}`)
        .join("; "),
      r.outcome === "ok" ? r.source : `${r.source} [${r.outcome}]`,
    ]);
    io.stdout.write(
      `${formatTable(["VERDICT", "SCORE", "MESSAGE", "ATT&CK", "WHY", "SOURCE"], rows, io.stdout.columns)}\n\n`,
    );
  }
  const v = summary.verdicts;
  io.stdout.write(
    `${summary.messages} messages: ${v.phishing} phishing, ${v.suspicious} suspicious, ${v.clean} clean; ` +
      `${summary.limited} over a limit, ${summary.unparseable} unparseable; ` +
      `${summary.findingsAdded} new findings. Run ${summary.runId}.\n`,
  );
  const n = summary.notices;
  if (n !== undefined) {
    io.stdout.write(
      `Notices: ${n.created} opened, ${n.copies} copies counted, ${n.delivered} delivered, ${n.failed} failed.\n`,
    );
  }
  printProblems(ctx, summary);
}
