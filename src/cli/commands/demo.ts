import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { CoordinationResult } from "../../detect/index.js";
import type { Finding, Reason } from "../../model/index.js";
import {
  type EmailScanSummary,
  type SocialScanSummary,
  scanDomains,
  scanEmail,
  scanSocial,
} from "../../pipeline/index.js";
import { loadWatchlist } from "../../watchlist/index.js";
import { type CliContext, type GlobalOptions, resolveStoreOptions, withStore } from "../context.js";
import { writeJson } from "../output.js";
import { ScanProgressBar } from "../progress.js";
import { printDemoSites, runDemoSites } from "./demo-sites.js";
import { printProblems, printSummary } from "./scan.js";

/** The bundled scenario, found relative to this file in src/ and in dist/ alike. */
export const DEMO_DIR = fileURLToPath(new URL("../../../data/demo/", import.meta.url));
/** The demo's social export, relative to `DEMO_DIR`: its pictures are beside it. */
const SOCIAL_EXPORT = "social/x-export.jsonl";
/** The demo's mailbox, relative to `DEMO_DIR`: one .eml file per message. */
const MAILBOX = "mail";
/** Seed of the coordination analysis, fixed so the demo prints the same every time. */
const DEMO_SEED = 1;

export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command("demo")
    .description(
      "run the whole pipeline on the bundled 2024 scenario (data/demo): lookalike domains, an impersonated activist, a coordinated network, spear-phishing of campaign staff",
    )
    .option("--json", "print the run summary, findings and cases as JSON")
    .addHelpText(
      "after",
      `
The demo checks a day of candidate domains against the watchlist's outlets, then
reads a week of posts from a fictional X export (data/demo/social/) and finds the
account impersonating a fictional activist and the network of accounts pushing
the lookalike outlets' stories, with the reasons for each. Last it triages a
fictional campaign mailbox (data/demo/mail/) modelled on the June 2024 spear-phishing
of a campaign official from a former adviser's hijacked account, and says which
messages are phishing and why.

The demo uses its own watchlist (data/demo/vigil.yaml) and stores its results in
vigil-demo.db in the working directory, or where --db or VIGIL_DATABASE_URL says.
Running it again adds nothing: every id is derived from content.

Examples:
  vigil demo
  vigil demo --db /tmp/demo.db --json
`,
    )
    .action(async (opts: { json?: boolean }) => {
      const global = program.opts<GlobalOptions>();
      const watchlist = await loadWatchlist(`${DEMO_DIR}vigil.yaml`);
      const files = (await readdir(`${DEMO_DIR}domains`))
        .filter((f) => f.endsWith(".txt"))
        .sort()
        .map((f) => `${DEMO_DIR}domains/${f}`);
      const storeOptions = resolveStoreOptions(global.db, ctx.env, "vigil-demo.db");
      const bar = new ScanProgressBar(ctx.io, ctx.io.stderr.isTTY === true);
      const socialBar = new ScanProgressBar(ctx.io, ctx.io.stderr.isTTY === true, "items");
      const { summary, social, email, sites, cases, location } = await withStore(
        storeOptions,
        async (store) => {
          const summary = await scanDomains(files, {
            store,
            watchlist,
            now: ctx.now,
            onProgress: (p) => bar.update(p),
          });
          bar.stop();
          const social = await scanSocial([`${DEMO_DIR}${SOCIAL_EXPORT}`], {
            store,
            watchlist,
            photosDir: DEMO_DIR,
            seed: DEMO_SEED,
            divisiveIssues: watchlist.settings.social.divisiveIssues,
            now: ctx.now,
            onProgress: (p) => socialBar.update(p),
            onAnalysisProgress: () => socialBar.stop(),
          });
          socialBar.stop();
          const email = await scanEmail([`${DEMO_DIR}${MAILBOX}`], {
            store,
            watchlist,
            now: ctx.now,
          });
          const sites = await runDemoSites(ctx, store, watchlist, `${DEMO_DIR}sites/`);
          return {
            summary,
            social,
            email,
            sites,
            cases: await store.listCases(),
            location: `${store.location} (${store.engine})`,
          };
        },
      );
      if (opts.json) {
        writeJson(ctx.io, { store: location, summary, social, email, sites, cases });
        return;
      }
      const { stdout } = ctx.io;
      stdout.write(
        `Vigil demo: one day of candidate domains (${files.length} file) checked against ${watchlist.outlets.length} protected US outlets.\n\n`,
      );
      printSummary(ctx, summary, false);
      printSocial(ctx, social);
      printMail(ctx, email);
      printDemoSites(ctx, sites);
      stdout.write(`\nCases (findings grouped by whom they imitate, and coordinated networks):\n`);
      for (const c of cases)
        stdout.write(`  ${String(c.findingIds.length).padStart(3)}  ${c.title}\n`);
      stdout.write(
        `\nStored in ${location}.\n` +
          // Never echo a database URL: it may carry a password.
          `Every finding says why: vigil findings${storeOptions.path ? ` --db ${storeOptions.path}` : ""} --json\n`,
      );
    });
}

/** Reasons shown per finding: the strongest, which carry the score (all, in the demo's). */
const MAX_REASONS_SHOWN = 8;
/**
 * Reasons shown per flagged message: more than for other findings, so the hijacked
 * adviser's message shows the history rules (known-sender-new-reply-path and the others
 * come after the sender, link and lure rules) next to what fired before them.
 */
const MAX_MAIL_REASONS_SHOWN = 14;

/** The social half of the demo: the impersonation, the network and its narratives. */
function printSocial(ctx: CliContext, social: SocialScanSummary): void {
  const out = ctx.io.stdout;
  out.write(
    `\nA week of posts from a fictional X export (data/demo/${SOCIAL_EXPORT}): ` +
      `${social.accounts} accounts and ${social.posts} posts ` +
      `(${social.observationsAdded} new), ${social.problemCount} items skipped. Run ${social.runId}.\n`,
  );
  const impersonations = social.topFindings.filter((f) => f.kind === "persona-impersonation");
  out.write(`\nImpersonated people and outlets: ${impersonations.length}\n`);
  for (const f of impersonations) {
    out.write(
      `  ${f.score.toFixed(2)} ${f.severity.padEnd(6)} ${f.subject} imitates ${f.target?.name ?? "?"} (${f.target?.type ?? "?"})\n`,
    );
    printReasons(ctx, f.reasons);
    out.write(`         techniques: ${techniques(f)}\n`);
  }
  const result = social.coordination;
  if (result !== undefined) printNetworks(ctx, result);
  printProblems(ctx, social);
}

/** The mail half of the demo: every message's verdict, and why for the ones flagged. */
function printMail(ctx: CliContext, email: EmailScanSummary): void {
  const out = ctx.io.stdout;
  const { phishing, suspicious, clean } = email.verdicts;
  out.write(
    `\nA campaign mailbox (data/demo/${MAILBOX}/): ${email.messages} messages, ` +
      `${phishing} phishing, ${suspicious} suspicious, ${clean} clean. Run ${email.runId}.\n`,
  );
  for (const r of email.reports) {
    const file = r.source.slice(r.source.lastIndexOf("/") + 1);
    out.write(
      `  ${r.verdict.padEnd(10)} ${r.score.toFixed(2)}  ${file}: ${r.from ?? "(no sender)"}: "${truncate(r.subject, 70)}"\n`,
    );
    if (r.verdict === "clean") continue;
    printReasons(ctx, r.reasons, MAX_MAIL_REASONS_SHOWN);
    if (r.targetedPeople.length > 0)
      out.write(`         aimed at: ${r.targetedPeople.join(", ")}\n`);
    out.write(`         techniques: ${r.techniques.map((t) => `${t.id} ${t.name}`).join(", ")}\n`);
  }
  printProblems(ctx, email);
}

function printNetworks(ctx: CliContext, result: CoordinationResult): void {
  const out = ctx.io.stdout;
  const flagged = result.communities.filter((c) => c.flagged);
  out.write(
    `\nCoordinated accounts: ${result.stats.flaggedAccounts} of ${result.stats.accounts} accounts, in ` +
      `${flagged.length} flagged of ${result.communities.length} communities (pairs kept only where they ` +
      `beat the same accounts with their post times shuffled)\n`,
  );
  for (const c of flagged) {
    const handles = c.accounts.map((a) => (a.handle === undefined ? a.account : `@${a.handle}`));
    out.write(`  ${c.score.toFixed(2)} ${c.size} accounts: ${handles.join(" ")}\n`);
    printReasons(ctx, c.reasons);
    if (c.domains.length > 0) {
      out.write(
        `         amplifies: ${c.domains.map((d) => `${d.domain} (${d.posts} posts)`).join(", ")}\n`,
      );
    }
  }
  out.write(`\nNarratives: ${result.narratives.length}\n`);
  for (const n of result.narratives) {
    const issues = n.issues.length === 0 ? "" : `, on ${n.issues.map((i) => i.name).join(", ")}`;
    out.write(
      `  ${n.id}: ${n.posts} posts by ${n.accounts} accounts, ${Math.round(n.coordinatedShare * 100)}% from flagged communities${issues}\n` +
        `         "${truncate(n.exemplar.text, 110)}"\n`,
    );
  }
}

function printReasons(ctx: CliContext, reasons: readonly Reason[], max = MAX_REASONS_SHOWN): void {
  for (const r of reasons.slice(0, max)) {
    const weight = `${r.weight >= 0 ? "+" : ""}${r.weight.toFixed(2)}`;
    ctx.io.stdout.write(`         ${weight.padStart(6)} ${r.rule}: ${truncate(r.feature, 100)}\n`);
  }
  if (reasons.length > max)
    ctx.io.stdout.write(`         … and ${reasons.length - max} more: vigil findings --json\n`);
}

function techniques(f: Finding): string {
  return f.techniques.map((t) => `${t.id} ${t.name}`).join(", ");
}

/** `text` on one line, cut to `max` characters (code points: an emoji is not split). */
function truncate(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}
