import type { Command } from "commander";
import {
  DEFAULT_TLDS,
  PERMUTATION_RULES,
  type PermutationRule,
  permute,
} from "../../detect/index.js";
import { VigilError } from "../../errors.js";
import type { CliContext } from "../context.js";
import { formatTable, writeJson } from "../output.js";

export function registerDomains(program: Command, ctx: CliContext): void {
  const domains = program
    .command("domains")
    .description("work with domain names (generation of lookalikes)");
  domains
    .command("permute")
    .description(
      "list lookalikes of a domain to pre-register or monitor, with the rule that makes each",
    )
    .argument("<domain>", "a protected domain, e.g. washingtonpost.com")
    .option(
      "--rules <list>",
      `comma-separated rules (default all): ${PERMUTATION_RULES.join(", ")}`,
    )
    .option(
      "--tlds <list>",
      "comma-separated suffixes for tld-swap and combosquats (default: a built-in list of 60)",
    )
    .option("--format <format>", "list (one domain a line), table or json", "list")
    .option("--json", "same as --format json")
    .addHelpText(
      "after",
      `
The names are generated, never resolved: feed them to a registrar, a blocklist or
\`vigil scan domains\`.

Examples:
  vigil domains permute washingtonpost.com > watch.txt
  vigil domains permute foxnews.com --rules tld-swap,hyphenation --format table
  vigil domains permute spiegel.de --tlds pm,ltd,top --json
`,
    )
    .action(
      (domain: string, opts: { rules?: string; tlds?: string; format: string; json?: boolean }) => {
        const rules = opts.rules
          ?.split(",")
          .map((r) => r.trim())
          .filter(Boolean);
        for (const rule of rules ?? []) {
          if (!PERMUTATION_RULES.includes(rule as PermutationRule)) {
            throw new VigilError(
              "VIGIL_ERR_CLI_USAGE",
              `unknown rule "${rule}"; rules: ${PERMUTATION_RULES.join(", ")}`,
            );
          }
        }
        const tlds = opts.tlds
          ?.split(",")
          .map((t) => t.trim().replace(/^\./, "").toLowerCase())
          .filter(Boolean);
        const format = opts.json ? "json" : opts.format;
        if (!["list", "table", "json"].includes(format)) {
          throw new VigilError(
            "VIGIL_ERR_CLI_USAGE",
            `--format must be list, table or json, not "${format}"`,
          );
        }
        let permutations: ReturnType<typeof permute>;
        try {
          permutations = permute(domain, {
            ...(rules ? { rules: rules as PermutationRule[] } : {}),
            tlds: tlds ?? DEFAULT_TLDS,
          });
        } catch (err) {
          throw new VigilError("VIGIL_ERR_CLI_USAGE", (err as Error).message, { cause: err });
        }
        if (format === "json") writeJson(ctx.io, permutations);
        else if (format === "table") {
          const rows = permutations.map((p) => [p.domain, p.unicode ?? "", p.rule]);
          ctx.io.stdout.write(
            `${formatTable(["DOMAIN", "DISPLAYED AS", "RULE"], rows, ctx.io.stdout.columns)}\n`,
          );
        } else ctx.io.stdout.write(permutations.map((p) => `${p.domain}\n`).join(""));
      },
    );
}
