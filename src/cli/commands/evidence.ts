import type { Command } from "commander";
import { verifyEvidence } from "../../evidence/index.js";
import type { CliContext } from "../context.js";
import { writeJson } from "../output.js";

/** Exit code of `vigil evidence verify` when the evidence does not check out. */
export const EXIT_EVIDENCE_BROKEN = 4;

/** Registers `vigil evidence verify`. */
export function registerEvidence(program: Command, ctx: CliContext): void {
  const evidence = program.command("evidence").description("check preserved captures");
  evidence
    .command("verify")
    .description("check the evidence log's hash chain and every WARC file's digests")
    .argument("[dir]", "evidence folder", "evidence")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Reads the log line by line: each entry's hash, its link to the entry before
(prevHash) and its sequence number; then the WARC file it names (SHA-256 of the
file, and each record's WARC-Block-Digest and WARC-Payload-Digest) and the
screenshot, when the entry has one (SHA-256 of the PNG). Stops at the
first entry that fails and names it.

Exit codes: 0 intact, 1 error, 4 broken (the first broken entry is printed).

Example:
  vigil evidence verify evidence/
`,
    )
    .action(async (dir: string, opts: { json?: boolean }) => {
      const result = await verifyEvidence(dir);
      if (!result.ok) ctx.exitCode = EXIT_EVIDENCE_BROKEN;
      if (opts.json === true) {
        writeJson(ctx.io, result);
        return;
      }
      if (result.broken === undefined) {
        ctx.io.stdout.write(
          `evidence intact: ${result.entries} entries, ${result.warcsChecked} WARC files and ${result.screenshotsChecked} screenshots checked, head ${result.headHash}\n`,
        );
        return;
      }
      const b = result.broken;
      ctx.io.stdout.write(
        `evidence BROKEN at entry ${b.seq ?? "?"} (line ${b.line}${b.url === undefined ? "" : `, ${b.url}`}): ${b.reason}\n` +
          `${b.line - 1} entries before it check out [VIGIL_ERR_EVIDENCE_BROKEN]\n`,
      );
    });
}
