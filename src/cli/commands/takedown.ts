import type { Command } from "commander";
import { buildTakedownPacket, writeTakedownPacket } from "../../pipeline/index.js";
import { type CliContext, type GlobalOptions, resolveStoreOptions, withStore } from "../context.js";
import { writeJson } from "../output.js";

interface TakedownCliOptions {
  out?: string;
  evidenceDir: string;
  json?: boolean;
}

/** Registers `vigil takedown CASE-ID`. */
export function registerTakedown(program: Command, ctx: CliContext): void {
  program
    .command("takedown")
    .description("write the takedown packet of a case: per domain, what an abuse desk needs")
    .argument(
      "<case-id>",
      "the case id (vigil demo --json lists cases; an unknown id names the known ones)",
    )
    .option("--out <dir>", "folder to write the packet in (default: takedown-<case-id>)")
    .option("--evidence-dir <dir>", "evidence folder of the captures", "evidence")
    .option("--json", "print the packet as JSON (the files are written as well)")
    .addHelpText(
      "after",
      `
For each domain of the case (from its findings: lookalike domains, site
findings, any finding whose subject is a host or URL): registrar, IANA id and
abuse contact, created and expiry dates, statuses and privacy proxy (RDAP at
capture); hosting addresses, name and mail servers (DNS at capture); the outlet
imitated and why (the findings' reasons and techniques); each capture with its
time, address, page SHA-256, WARC and screenshot with their SHA-256, the
evidence log entry and its hash; the TLS certificate. A short plain summary
comes first. Nothing is fetched: capture with vigil scan site first. The
evidence folder is verified and its screenshots copied into the packet.

Files: takedown.md and packet.json (the case), <domain>.md and <domain>.json
(one per domain, for its registrar or host), screenshots/.

Example:
  vigil takedown case_4f1c… --out packets/wapo-lookalikes
`,
    )
    .action(async (caseId: string, opts: TakedownCliOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const out = opts.out ?? `takedown-${caseId.replace(/[^A-Za-z0-9_.-]/g, "_")}`;
      const { packet, files } = await withStore(
        resolveStoreOptions(global.db, ctx.env),
        async (store) => {
          const built = await buildTakedownPacket({
            store,
            caseId,
            evidenceDir: opts.evidenceDir,
            now: ctx.now,
          });
          return { packet: built, files: await writeTakedownPacket(built, out, opts.evidenceDir) };
        },
      );
      if (opts.json === true) {
        writeJson(ctx.io, { ...packet, files });
        return;
      }
      ctx.io.stdout.write(
        `${packet.summary}\n\n${packet.domains.length} domains; packet written to ${out}:\n${files.map((f) => `  ${f}`).join("\n")}\n`,
      );
    });
}
