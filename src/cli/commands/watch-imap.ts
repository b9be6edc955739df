import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type Command, Option } from "commander";
import { VigilError } from "../../errors.js";
import { WatchlistSchema } from "../../model/index.js";
import { Notifier, notifyConfig } from "../../notify/index.js";
import { type ImapStatus, type WatchImapSummary, watchImap } from "../../pipeline/index.js";
import {
  cachedResolver,
  checkImapAccount,
  checkImapFolders,
  DNS_TIMEOUT_MS,
  type ImapSecurity,
} from "../../sources/index.js";
import {
  type CliContext,
  fileExists,
  type GlobalOptions,
  loadConfig,
  resolveStoreOptions,
  withStore,
} from "../context.js";
import { collect, parseCount, parseInteger } from "../options.js";
import { writeJson } from "../output.js";
import { EXIT_ITEM_PROBLEMS } from "./scan.js";

interface WatchImapFlags {
  host: string;
  port?: string;
  security: ImapSecurity;
  user?: string;
  passwordEnv: string;
  caFile?: string;
  folder?: string[];
  quarantine?: string;
  once?: boolean;
  notify?: boolean;
  notifyEvery: string;
  dns?: boolean;
  dnsServer?: string[];
  dnsTimeout: string;
  trustAuthserv?: string[];
  maxMessageMb: string;
  batchSize: string;
  json?: boolean;
}

/** Exit code of a watch stopped by a second Ctrl-C (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;
/** Largest CA file read for --ca-file: a bundle of a few hundred certificates. */
const MAX_CA_FILE_BYTES = 1024 * 1024;

/** Registers `vigil watch imap` under the `watch` command. */
export function registerWatchImap(watch: Command, ctx: CliContext): void {
  watch
    .command("imap")
    .description("watch IMAP folders for spear-phishing: triage new mail as it arrives (IDLE)")
    .requiredOption("--host <host>", "IMAP server")
    .option("--port <n>", "port (default 993 with --security tls, else 143)")
    .addOption(
      new Option(
        "--security <mode>",
        "tls (IMAPS), starttls (required upgrade) or plain (loopback only)",
      )
        .choices(["tls", "starttls", "plain"])
        .default("tls"),
    )
    .option("--user <name>", "login name (default: $VIGIL_IMAP_USER)")
    .option(
      "--password-env <var>",
      "environment variable that holds the password (never given on the command line, where other users can read it)",
      "VIGIL_IMAP_PASSWORD",
    )
    .option("--ca-file <pem>", "trust these CA certificates (a server with its own certificate)")
    .option("--folder <name>", "folder to watch (repeatable; default INBOX)", collect)
    .option(
      "--quarantine <folder>",
      "move phishing messages to this folder (created when missing); without it nothing in the mailbox is changed",
    )
    .option("--once", "triage what is waiting and stop, instead of watching")
    .option("--no-notify", "record and send no notices, even with settings.notify in vigil.yaml")
    .option(
      "--notify-every <seconds>",
      "how often due notices are sent and overdue ones escalated",
      "30",
    )
    .option("--no-dns", "no DNS look-ups: SPF, DKIM, DMARC and ARC only from trusted headers")
    .option("--dns-server <ip>", "DNS server to ask instead of the system's (repeatable)", collect)
    .option("--dns-timeout <ms>", "time one DNS look-up may take", String(DNS_TIMEOUT_MS))
    .option(
      "--trust-authserv <id>",
      "authserv-id of your own mail server, whose Authentication-Results headers are read (repeatable)",
      collect,
    )
    .option("--max-message-mb <n>", "bytes of one message fetched, in MiB", "25")
    .option("--batch-size <n>", "messages per transaction", "50")
    .option("--json", "print the run summary as JSON at the end")
    .addHelpText(
      "after",
      `
Each folder is watched on its own connection. The first watch triages every message
in it; later ones resume after the last UID stored (if the server renumbered the
folder — a new UIDVALIDITY — this is said and the folder is triaged again; stored
findings and notices are not repeated). Messages are read and judged exactly as
"vigil scan email" does (same limits, authentication and rules). Folders are opened
read-only and messages fetched with BODY.PEEK: no flag is set, nothing is moved or
deleted — unless --quarantine names a folder, where phishing messages are moved
after their findings are stored. A dropped connection is reopened after a growing
wait (1 s doubling to 5 min); a refused login or a missing folder stops the watch.

With settings.notify in vigil.yaml, the people on the watchlist a phishing or
suspicious message was sent to, and their organisation's security contact, are
told by e-mail and/or signed webhook (docs/notify.md).

Status lines go to stderr. Ctrl-C finishes the current batch and stops.
Exit codes: 0 done, 1 error (login refused, folder missing), 2 usage, 3 done but
some messages were over a limit or unparseable.

Examples:
  export VIGIL_IMAP_USER=security@campaign.example VIGIL_IMAP_PASSWORD=…
  vigil watch imap --host imap.campaign.example
  vigil watch imap --host imap.campaign.example --folder INBOX --folder Press --quarantine Phishing
  vigil watch imap --host 127.0.0.1 --port 1143 --security plain --once --json
`,
    )
    .action(async (flags: WatchImapFlags, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions & WatchImapFlags>();
      const port =
        flags.port === undefined
          ? flags.security === "tls"
            ? 993
            : 143
          : parseInteger(flags.port, "--port", 1, 65_535);
      const account = checkImapAccount({
        host: flags.host,
        port,
        security: flags.security,
        user: flags.user ?? ctx.env.VIGIL_IMAP_USER ?? "",
        password: ctx.env[flags.passwordEnv] ?? "",
        ...(flags.caFile === undefined ? {} : { ca: await readCa(flags.caFile) }),
      });
      const folders = checkImapFolders(flags.folder ?? ["INBOX"], flags.quarantine);
      const maxMessageMb = parseInteger(flags.maxMessageMb, "--max-message-mb", 1, 1000);
      const batchSize = parseCount(flags.batchSize, "--batch-size", 10_000);
      const notifyEvery = parseInteger(flags.notifyEvery, "--notify-every", 1, 86_400);
      const timeoutMs = parseInteger(flags.dnsTimeout, "--dns-timeout", 100, 60_000);
      const trusted = (flags.trustAuthserv ?? []).map((id) => id.trim().toLowerCase());
      if (trusted.some((id) => !/^[a-z0-9._-]{1,255}$/.test(id))) {
        throw new VigilError(
          "VIGIL_ERR_CLI_USAGE",
          "--trust-authserv must be a host name such as mx.example.org",
        );
      }
      const watchlist = (await fileExists(global.config))
        ? await loadConfig(global)
        : WatchlistSchema.parse({});
      const config =
        flags.notify === false
          ? undefined
          : notifyConfig(watchlist.settings.notify, ctx.env, dirname(global.config));
      const resolver =
        flags.dns === false
          ? undefined
          : cachedResolver({
              timeoutMs,
              ...(flags.dnsServer === undefined ? {} : { servers: flags.dnsServer }),
            });
      const status = (s: ImapStatus) =>
        ctx.io.stderr.write(
          `watch imap: ${s.folder === undefined ? "" : `${s.folder}: `}${s.message}\n`,
        );
      const summary = await withInterrupt(ctx, (signal) =>
        withStore(resolveStoreOptions(global.db, ctx.env), async (store) => {
          const notifier =
            config === undefined
              ? undefined
              : await Notifier.create({ store, watchlist, config, now: ctx.now });
          try {
            return await watchImap({
              store,
              watchlist,
              account,
              folders,
              ...(flags.quarantine === undefined ? {} : { quarantine: flags.quarantine }),
              limits: { maxMessageBytes: maxMessageMb * 1024 * 1024 },
              auth: {
                ...(resolver === undefined ? {} : { resolver }),
                trustedAuthservIds: trusted,
              },
              ...(notifier === undefined ? {} : { notifier }),
              ...(flags.once === true ? { once: true } : {}),
              signal,
              now: ctx.now,
              batchSize,
              notifyEveryMs: notifyEvery * 1000,
              onStatus: status,
            });
          } finally {
            await notifier?.close();
          }
        }),
      );
      if (flags.json === true) writeJson(ctx.io, summary);
      else printImapSummary(ctx, summary);
      if (summary.status === "failed") ctx.exitCode = 1;
      else if (summary.problemCount > 0) ctx.exitCode = EXIT_ITEM_PROBLEMS;
    });
}

function printImapSummary(ctx: CliContext, s: WatchImapSummary): void {
  const v = s.verdicts;
  ctx.io.stdout.write(
    `${s.messages} messages: ${v.phishing} phishing, ${v.suspicious} suspicious, ${v.clean} clean; ` +
      `${s.findingsAdded} new findings, ${s.quarantined} quarantined, ${s.notices.created} notices ` +
      `(${s.notices.delivered} delivered, ${s.notices.escalated} escalated); ${s.reconnects} reconnects. Run ${s.runId}.\n`,
  );
  for (const f of s.folders) {
    ctx.io.stdout.write(
      `  ${f.folder}: ${f.lastUid === undefined ? "nothing new this run" : `up to UID ${f.lastUid} (UIDVALIDITY ${f.uidValidity})`}\n`,
    );
  }
  for (const p of s.problems.slice(0, 20)) {
    ctx.io.stderr.write(`  ${p.item}: ${p.message} [${p.code}]\n`);
  }
}

async function readCa(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new VigilError(
      "VIGIL_ERR_CLI_USAGE",
      `cannot read --ca-file ${path}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  if (text.length > MAX_CA_FILE_BYTES || !text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new VigilError("VIGIL_ERR_CLI_USAGE", `--ca-file ${path} is not a PEM certificate file`);
  }
  return text;
}

/** Runs `work` with a signal the first Ctrl-C or SIGTERM aborts; a second Ctrl-C quits at once. */
async function withInterrupt<T>(
  ctx: CliContext,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    ctx.io.stderr.write(
      `\n${name}: stopping after the current batch (Ctrl-C again to quit at once)\n`,
    );
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
