import { dirname } from "node:path";
import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import { Notifier, notifyConfig, startAckServer } from "../../notify/index.js";
import type { StoredNotice } from "../../store/index.js";
import {
  type CliContext,
  type GlobalOptions,
  loadConfig,
  resolveStoreOptions,
  withStore,
} from "../context.js";
import { parseCount, parseInteger } from "../options.js";
import { formatTable, writeJson } from "../output.js";

/** Registers `vigil notify` and its subcommands. */
export function registerNotify(program: Command, ctx: CliContext): void {
  const notify = program
    .command("notify")
    .description(
      "notices to the people targeted by phishing: list, acknowledge, escalate, serve the link",
    )
    .addHelpText(
      "after",
      `
Notices are made by "vigil watch imap" when a phishing or suspicious message reaches
someone on the watchlist (settings.notify in vigil.yaml; docs/notify.md).
`,
    );

  notify
    .command("list")
    .description("notices, newest first: to whom, about what, delivered, acknowledged, escalated")
    .option("--limit <n>", "how many", "50")
    .option("--json", "print them as JSON")
    .action(async (flags: { limit: string; json?: boolean }) => {
      const global = program.opts<GlobalOptions>();
      const limit = parseCount(flags.limit, "--limit", 10_000);
      const notices = await withStore(resolveStoreOptions(global.db, ctx.env), (store) =>
        store.notices.list(limit),
      );
      if (flags.json === true) {
        writeJson(ctx.io, notices.map(publicNotice));
        return;
      }
      if (notices.length === 0) {
        ctx.io.stdout.write("No notices.\n");
        return;
      }
      const rows = notices.map((n) => [
        n.id,
        n.kind,
        n.recipientEmail ?? n.recipientName,
        n.status,
        n.acknowledgedAt === undefined ? "-" : `${n.acknowledgedAt} (${n.acknowledgedVia})`,
        n.escalatedAt === undefined ? "-" : n.escalatedAt,
        String(n.copies),
        n.subject.slice(0, 60),
      ]);
      ctx.io.stdout.write(
        `${formatTable(["ID", "KIND", "TO", "STATUS", "ACKNOWLEDGED", "ESCALATED", "COPIES", "SUBJECT"], rows, ctx.io.stdout.columns)}\n`,
      );
    });

  notify
    .command("show")
    .description("one notice: its text, every delivery attempt and what happened to it")
    .argument("<id>", "notice id (ntc_…)")
    .option("--json", "print it as JSON")
    .action(async (id: string, flags: { json?: boolean }) => {
      const global = program.opts<GlobalOptions>();
      const shown = await withStore(resolveStoreOptions(global.db, ctx.env), async (store) => {
        const notice = await store.notices.get(checkId(id));
        if (notice === undefined) throw notFound(id);
        return {
          notice,
          deliveries: await store.notices.deliveries(notice.id),
          events: await store.notices.events(notice.id),
        };
      });
      if (flags.json === true) {
        writeJson(ctx.io, { ...shown, notice: publicNotice(shown.notice) });
        return;
      }
      const n = shown.notice;
      ctx.io.stdout.write(
        `${n.id} (${n.kind}) to ${n.recipientName}${n.recipientEmail === undefined ? "" : ` <${n.recipientEmail}>`}: ${n.status}\n` +
          `Subject: ${n.subject}\n\n${n.body}\n`,
      );
      for (const d of shown.deliveries) {
        ctx.io.stdout.write(
          `delivery ${d.at} ${d.channel} attempt ${d.attempt}: ${d.ok ? "ok" : "failed"} (${d.detail})\n`,
        );
      }
      for (const e of shown.events) ctx.io.stdout.write(`event ${e.at} ${e.type}: ${e.detail}\n`);
    });

  notify
    .command("ack")
    .description("acknowledge a notice for its recipient (as the link in it does)")
    .argument("<id>", "notice id (ntc_…)")
    .option("--json", "print the notice as JSON")
    .action(async (id: string, flags: { json?: boolean }) => {
      const global = program.opts<GlobalOptions>();
      const notice = await withStore(resolveStoreOptions(global.db, ctx.env), (store) =>
        store.notices.acknowledge({ id: checkId(id) }, ctx.now().toISOString(), "cli"),
      );
      if (notice === undefined) throw notFound(id);
      if (flags.json === true) writeJson(ctx.io, publicNotice(notice));
      else
        ctx.io.stdout.write(
          `${notice.id} acknowledged at ${notice.acknowledgedAt} (${notice.acknowledgedVia}).\n`,
        );
    });

  notify
    .command("escalate")
    .description(
      "send notices that are due (retries included) and escalate those not acknowledged in time; run it periodically (cron) when no watch is running",
    )
    .option("--json", "print what was done as JSON")
    .action(async (flags: { json?: boolean }) => {
      const global = program.opts<GlobalOptions>();
      const watchlist = await loadConfig(global);
      const config = notifyConfig(watchlist.settings.notify, ctx.env, dirname(global.config));
      if (config === undefined) {
        throw new VigilError("VIGIL_ERR_NOTIFY_CONFIG", `${global.config} has no settings.notify`);
      }
      const done = await withStore(resolveStoreOptions(global.db, ctx.env), async (store) => {
        const notifier = await Notifier.create({ store, watchlist, config, now: ctx.now });
        try {
          return await notifier.tick();
        } finally {
          await notifier.close();
        }
      });
      if (flags.json === true) {
        writeJson(ctx.io, done);
        return;
      }
      for (const e of done.escalated) {
        ctx.io.stdout.write(
          e.escalationId === undefined
            ? `${e.noticeId} (${e.person}): not escalated, ${e.reason}\n`
            : `${e.noticeId} (${e.person}): escalated to ${e.contact} as ${e.escalationId}\n`,
        );
      }
      for (const d of done.delivered) {
        ctx.io.stdout.write(
          `${d.noticeId} to ${d.recipient}: ${d.status}; ${d.results.map((r) => `${r.channel} ${r.ok ? "ok" : `failed (${r.detail})`}`).join(", ")}\n`,
        );
      }
      ctx.io.stdout.write(
        `${done.escalated.length} escalated, ${done.delivered.length} delivery attempts.\n`,
      );
      if (done.delivered.some((d) => d.status === "failed")) ctx.exitCode = 1;
    });

  notify
    .command("serve")
    .description("serve the acknowledgement links of notices (GET shows, POST acknowledges)")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--port <n>", "port to listen on", "8787")
    .addHelpText(
      "after",
      `
Set settings.notify.ackBaseUrl to where people reach this server (put a TLS proxy in
front of it when it is reachable beyond this machine). Ctrl-C stops.
`,
    )
    .action(async (flags: { host: string; port: string }) => {
      const global = program.opts<GlobalOptions>();
      const port = parseInteger(flags.port, "--port", 0, 65_535);
      await withStore(resolveStoreOptions(global.db, ctx.env), async (store) => {
        const server = await startAckServer({
          store,
          host: flags.host,
          port,
          now: ctx.now,
          onAcknowledged: (id) => ctx.io.stderr.write(`notify serve: ${id} acknowledged\n`),
        });
        ctx.io.stderr.write(`notify serve: listening on ${server.url}\n`);
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off("SIGINT", stop);
            process.off("SIGTERM", stop);
            resolve();
          };
          process.on("SIGINT", stop);
          process.on("SIGTERM", stop);
        });
        await server.close();
      });
    });
}

/** A notice as listed: everything but its body (shown by `notify show`). */
function publicNotice(n: StoredNotice): Omit<StoredNotice, "body"> {
  const { body: _body, ...rest } = n;
  return rest;
}

function checkId(id: string): string {
  if (!/^ntc_[0-9a-f]{16}$/.test(id)) {
    throw new VigilError(
      "VIGIL_ERR_CLI_USAGE",
      `"${id.slice(0, 40)}" is not a notice id (ntc_ and 16 hex digits)`,
    );
  }
  return id;
}

function notFound(id: string): VigilError {
  return new VigilError("VIGIL_ERR_NOTIFY_NOT_FOUND", `no notice ${id}`);
}
