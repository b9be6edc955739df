import type { Command } from "commander";
import { IDENTIFIER_RULES, type SitesAnalysis } from "../../detect/index.js";
import type { Reason } from "../../model/index.js";
import { analyzeSites, type SiteAnalysisSummary } from "../../pipeline/index.js";
import {
  type CliContext,
  fileExists,
  type GlobalOptions,
  loadConfig,
  resolveStoreOptions,
  withStore,
} from "../context.js";
import { parseSince } from "../options.js";
import { writeJson } from "../output.js";
import { printProblems, setScanExitCode } from "./scan.js";

interface AnalyzeSitesFlags {
  since?: string;
  json?: boolean;
}

/** Networks, clones and fake outlets printed in full; the rest are counted. */
const MAX_SHOWN = 20;
/** Links printed per network. */
const MAX_LINKS_SHOWN = 8;
/** Characters of a reason's feature printed: a location mismatch names claim and infrastructure. */
const MAX_FEATURE_SHOWN = 320;

/** Registers `vigil analyze sites` on the `analyze` command (registered by analyze-social.ts). */
export function registerAnalyzeSites(program: Command, ctx: CliContext): void {
  const analyze = program.commands.find((c) => c.name() === "analyze");
  if (analyze === undefined) return;
  analyze
    .command("sites")
    .description(
      "find networks of sites sharing owners' identifiers, clones of protected outlets and fake outlets across all stored pages",
    )
    .option("--since <time>", "only pages captured at or after this ISO 8601 instant")
    .option("--json", "print the run summary and the analysis as JSON")
    .addHelpText(
      "after",
      `
Reads every page stored by \`vigil scan site\` (or those since --since) and runs the
site detectors over them together:
  networks    sites linked through identifiers only an owner holds (analytics, tag
              manager, AdSense, pixel, Metrica, verification tokens, wallets, shared
              certificates: conclusive), or through several circumstantial ones at
              once (address, name servers, favicon, template, CSS, theme); values
              many unrelated sites share are discounted to nothing (docs/sites.md)
  clones      pages on lookalikes of vigil.yaml's outlets that copy a captured page
              of the outlet's own site (capture the real outlet too)
  fake outlet language-model leftovers, articles copied or rewritten from other
              captured sites, both sides of divisive issues, boilerplate about page,
              no named authors, a claimed location (JSON-LD address, postal address,
              "based in …", phone calling code) that the registrant's country or the
              hosting network's (RDAP, captured by scan site; CDNs and privacy
              services not counted) contradicts
Findings (site-network, site-clone, fake-outlet) and cases are stored in one run.

Examples:
  vigil scan site https://outlet.example/ https://0utlet.example/ && vigil analyze sites
  vigil analyze sites --since 2024-08-01T00:00:00Z --json
`,
    )
    .action(async (opts: AnalyzeSitesFlags, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions & AnalyzeSitesFlags>();
      const since = parseSince(opts.since);
      const watchlist = (await fileExists(global.config)) ? await loadConfig(global) : undefined;
      const summary = await withStore(resolveStoreOptions(global.db, ctx.env), (store) =>
        analyzeSites({
          store,
          now: ctx.now,
          ...(since === undefined ? {} : { since }),
          ...(watchlist === undefined ? {} : { watchlist }),
        }),
      );
      printSiteAnalysisSummary(ctx, summary, opts.json === true);
      setScanExitCode(ctx, summary);
    });
}

function printSiteAnalysisSummary(
  ctx: CliContext,
  summary: SiteAnalysisSummary,
  json: boolean,
): void {
  if (json) {
    const { analysis, ...rest } = summary;
    writeJson(ctx.io, {
      ...rest,
      ...(analysis === undefined
        ? {}
        : {
            networks: analysis.networks,
            clones: analysis.findings.filter((f) => f.kind === "site-clone"),
            fakeOutlets: analysis.findings.filter((f) => f.kind === "fake-outlet"),
          }),
    });
    return;
  }
  if (summary.analysis !== undefined) printSiteAnalysis(ctx, summary.analysis);
  ctx.io.stdout.write(
    `${summary.pages} pages analysed: ${summary.findings} findings (${summary.findingsAdded} new), ${summary.casesAdded} new cases. Run ${summary.runId}.\n`,
  );
  printProblems(ctx, summary);
}

/** Prints networks with the links that justify them, then clones and fake outlets with reasons. */
export function printSiteAnalysis(ctx: CliContext, analysis: SitesAnalysis): void {
  const out = (s: string) => ctx.io.stdout.write(s);
  const { networks } = analysis.networks;
  if (networks.length > 0) out(`Site networks (${networks.length}):\n`);
  for (const n of networks.slice(0, MAX_SHOWN)) {
    out(`  ${n.sites.length} sites: ${n.sites.join(", ")}\n`);
    for (const l of n.links.slice(0, MAX_LINKS_SHOWN)) {
      out(
        `    ${l.class === "conclusive" ? "conclusive " : "associative"} ${l.weight.toFixed(2)}  ${IDENTIFIER_RULES[l.kind].label} ${l.value.slice(0, 70)} on ${l.sites.join(", ")}${l.sharedBy > l.sites.length ? ` (${l.sharedBy} sites in all)` : ""}\n`,
      );
    }
    if (n.links.length > MAX_LINKS_SHOWN)
      out(`    … ${n.links.length - MAX_LINKS_SHOWN} more links\n`);
    for (const c of n.combined.slice(0, 3))
      out(
        `    together    ${c.weight.toFixed(2)}  ${c.sites.join(" + ")}: ${c.values.map((v) => IDENTIFIER_RULES[v.kind].label).join(" + ")}\n`,
      );
  }
  if (networks.length > MAX_SHOWN) out(`  … ${networks.length - MAX_SHOWN} more networks\n`);
  const ignored = analysis.networks.ignored.slice(0, 3);
  if (ignored.length > 0)
    out(
      `  not linking: ${ignored.map((i) => `${IDENTIFIER_RULES[i.kind].label} ${i.value.slice(0, 40)} (${i.sharedBy} sites: ${i.why})`).join("; ")}\n`,
    );
  if (networks.length > 0) out("\n");
  const shown = analysis.findings.filter(
    (f) => f.kind === "site-clone" || f.kind === "fake-outlet",
  );
  for (const f of shown.slice(0, MAX_SHOWN)) {
    const title =
      f.kind === "site-clone"
        ? `Clone of ${f.target?.name ?? "a protected outlet"}: ${f.subject}`
        : `Fake outlet: ${f.subject}`;
    out(`${title} (score ${f.score.toFixed(2)}, ${f.severity})\n`);
    printReasons(ctx, f.reasons);
    out(`    techniques: ${f.techniques.map((t) => `${t.id} ${t.name}`).join(", ")}\n\n`);
  }
  if (shown.length > MAX_SHOWN) out(`… ${shown.length - MAX_SHOWN} more: vigil findings\n\n`);
}

function printReasons(ctx: CliContext, reasons: readonly Reason[]): void {
  for (const r of reasons.slice(0, 8))
    ctx.io.stdout.write(
      `    +${r.weight.toFixed(2)} ${r.rule}: ${r.feature.slice(0, MAX_FEATURE_SHOWN)}\n`,
    );
}
