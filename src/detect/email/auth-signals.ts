import type { AuthVerdict, EmailMessage } from "../../model/index.js";
import type { EmailContext } from "./email-context.js";
import { type EmailSignal, EMAIL_RULE_WEIGHTS as W } from "./email-features.js";
import { addressDomain } from "./sender-signals.js";

/** `dmarc=fail (trusted header of mx.example.org)`, for a reason's feature. */
function describe(name: string, verdict: AuthVerdict): string {
  const source =
    verdict.source === "trusted-header"
      ? `Authentication-Results of ${verdict.authservId}`
      : "checked by Vigil";
  return `${name}=${verdict.result}${verdict.domain ? ` (${verdict.domain})` : ""}, ${source}`;
}

/**
 * Signals from sender authentication: DMARC, SPF and DKIM failures, a protected domain
 * in From that fails them (spoofing), and — scored down — a protected domain that passes
 * DMARC, which is the genuine sender. Verdicts that were not checked say nothing.
 */
export function authSignals(message: EmailMessage, context: EmailContext): EmailSignal[] {
  const out: EmailSignal[] = [];
  const { spf, dkim, dmarc } = message.auth;
  const fromDomain = addressDomain(message.from?.address);
  const owner = fromDomain === undefined ? undefined : context.ownerOf(fromDomain.registrable);
  const failed: string[] = [];
  if (dmarc.result === "fail") {
    const enforced = dmarc.policy === "reject" || dmarc.policy === "quarantine";
    const rule = enforced ? "dmarc-fail-enforced" : "dmarc-fail";
    failed.push(describe("dmarc", dmarc));
    out.push({
      rule,
      feature: describe("dmarc", dmarc) + (dmarc.policy ? `, policy ${dmarc.policy}` : ""),
      weight: W[rule],
      explanation: enforced
        ? "The From domain's owner asks receivers to refuse mail that fails DMARC, and this message fails it."
        : "The message fails DMARC: neither SPF nor DKIM vouches for its From domain.",
      techniques: ["impersonation"],
    });
  }
  if (spf.result === "fail" || spf.result === "softfail") {
    const rule = spf.result === "fail" ? "spf-fail" : "spf-softfail";
    failed.push(describe("spf", spf));
    out.push({
      rule,
      feature: describe("spf", spf),
      weight: W[rule],
      explanation: "The server that sent the message is not one the sender's domain allows.",
      techniques: ["impersonation"],
    });
  }
  if (dkim.result === "fail") {
    failed.push(describe("dkim", dkim));
    out.push({
      rule: "dkim-fail",
      feature: describe("dkim", dkim),
      weight: W["dkim-fail"],
      explanation: "A DKIM signature does not match the message: it was altered or forged.",
      techniques: ["impersonation"],
    });
  }
  if (owner !== undefined && fromDomain !== undefined) {
    if (failed.length > 0) {
      out.push({
        rule: "spoofed-protected-domain",
        feature: `From ${fromDomain.registrable} (${owner.name}) fails ${failed.join("; ")}`,
        weight: W["spoofed-protected-domain"],
        explanation: `The message claims to come from ${owner.name}'s own domain but fails authentication: it is forged.`,
        techniques: ["impersonation"],
        target: owner,
      });
    } else if (dmarc.result === "pass") {
      out.push({
        rule: "authenticated-protected-sender",
        feature: `From ${fromDomain.registrable} (${owner.name}) passes ${describe("dmarc", dmarc)}`,
        weight: W["authenticated-protected-sender"],
        explanation: `The message is authenticated as coming from ${owner.name}'s own domain.`,
        techniques: [],
      });
    }
  }
  return out;
}
