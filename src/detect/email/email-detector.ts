import {
  type EmailMessage,
  EmailMessageSchema,
  type Evidence,
  type Finding,
  findingId,
  type Observation,
  type Reason,
  severityFor,
  type Technique,
  type Watchlist,
} from "../../model/index.js";
import type { Detector, DetectResult, ItemProblem } from "../detector.js";
import { attachmentSignals } from "./attachment-signals.js";
import { authSignals } from "./auth-signals.js";
import { brandSignals } from "./brand-signals.js";
import type { CorrespondentHistory } from "./correspondent-history.js";
import { EmailContext } from "./email-context.js";
import {
  EMAIL_RULE_WEIGHTS,
  EMAIL_TECHNIQUES,
  type EmailSignal,
  type EmailTechnique,
  type EmailVerdict,
  MAX_LURE_WEIGHT,
  round,
  verdictFor,
} from "./email-features.js";
import { historySignals } from "./history-signals.js";
import { linkSignals } from "./link-signals.js";
import { findLures, type LureCategory, type LureMatch } from "./lure-language.js";
import { obfuscationSignals } from "./obfuscation-signals.js";
import { senderSignals } from "./sender-signals.js";

export const EMAIL_DETECTOR_NAME = "email";
/** Bump when rules or weights change, so stored findings say which scoring made them. */
export const EMAIL_DETECTOR_VERSION = "0.4.0";

/** The triage of one message: its verdict, score and the reasons that make it up. */
export interface EmailAssessment {
  verdict: EmailVerdict;
  score: number;
  /** The rules that fired; their weights add up to the score. */
  reasons: Reason[];
  techniques: Technique[];
  /** Who on the watchlist is imitated or targeted, when someone is. */
  target?: Finding["target"];
  /** Listed people the message was sent to. */
  targetedPeople: string[];
  evidence: Evidence[];
}

/**
 * Triage of e-mail messages for spear-phishing: pure, built once from the watchlist.
 * Each message gets a verdict (`phishing` ≥ 0.7, `suspicious` ≥ 0.4, else `clean`) from
 * named, weighted rules about its sender, authentication, links, attachments and lure
 * language; `phishing` and `suspicious` messages become `email-phishing` findings with
 * their ATT&CK techniques.
 */
export class EmailDetector implements Detector {
  readonly name = EMAIL_DETECTOR_NAME;
  readonly version = EMAIL_DETECTOR_VERSION;
  readonly kinds = ["email"] as const;
  readonly context: EmailContext;

  constructor(watchlist: Watchlist) {
    this.context = new EmailContext(watchlist);
  }

  /**
   * The triage of one normalised message. With `history` (what the store knew of its
   * sender and recipients before it; see `CorrespondentHistory`) the first-contact and
   * hijacked-account rules run too; without it they do not.
   */
  assess(message: EmailMessage, history?: CorrespondentHistory): EmailAssessment {
    const lures = findLures(message.subject, message.text);
    const signals: EmailSignal[] = [
      ...senderSignals(message, this.context),
      ...authSignals(message, this.context),
      ...brandSignals(message, new Set<LureCategory>(lures.map((l) => l.category))),
      ...linkSignals(message, this.context),
      ...obfuscationSignals(message),
      ...attachmentSignals(message),
      ...lureSignals(message, lures),
    ];
    signals.push(...historySignals(message, history, this.context, signals));
    const reasons: Reason[] = signals.map((s) => ({
      rule: s.rule,
      feature: s.feature.slice(0, 1000),
      weight: s.weight,
      explanation: s.explanation,
    }));
    let total = round(reasons.reduce((sum, r) => sum + r.weight, 0));
    if (total > 1) {
      reasons.push({
        rule: "score-cap",
        feature: `rules add up to ${total.toFixed(2)}`,
        weight: round(1 - total),
        explanation: "A score cannot pass 1; the rules above add up to more.",
      });
      total = 1;
    } else if (total < 0) {
      reasons.push({
        rule: "score-floor",
        feature: `rules add up to ${total.toFixed(2)}`,
        weight: round(-total),
        explanation: "A score cannot fall below 0.",
      });
      total = 0;
    }
    const techniqueKeys = new Set<EmailTechnique>(signals.flatMap((s) => s.techniques));
    const techniques = [...techniqueKeys].sort().map((k) => ({ ...EMAIL_TECHNIQUES[k] }));
    const targetedPeople = [...message.to, ...message.cc]
      .map((r) => this.context.personByAddress(r.address))
      .filter((p) => p !== undefined)
      .map((p) => p.name);
    const imitated = signals.find((s) => s.target !== undefined)?.target;
    const targeted = [...message.to, ...message.cc]
      .map((r) => this.context.personByAddress(r.address))
      .find((p) => p !== undefined);
    const target =
      imitated ??
      (targeted === undefined
        ? undefined
        : { type: "person" as const, id: targeted.id, name: targeted.name });
    const evidence: Evidence[] = [
      {
        type: "message",
        value: `sha256:${message.sha256}`,
        ...(message.messageId ? { note: `Message-ID ${message.messageId.slice(0, 500)}` } : {}),
      },
      ...(message.from
        ? [
            {
              type: "from",
              value: message.from.address.slice(0, 500),
              note: `display name "${message.from.name.slice(0, 200)}"`,
            },
          ]
        : []),
      { type: "subject", value: message.subject.slice(0, 500) },
      ...[...new Set(targetedPeople)].map((name) => ({ type: "targeted-person", value: name })),
      ...signals.flatMap((s) => s.evidence ?? []),
    ];
    return {
      verdict: verdictFor(total),
      score: round(total),
      reasons,
      techniques,
      ...(target === undefined ? {} : { target }),
      targetedPeople: [...new Set(targetedPeople)],
      evidence: dedupe(evidence).slice(0, 50),
    };
  }

  detect(observations: readonly Observation[]): DetectResult {
    const findings: Finding[] = [];
    const problems: ItemProblem[] = [];
    for (const observation of observations) {
      if (observation.kind !== "email") continue;
      const parsed = EmailMessageSchema.safeParse(observation.data);
      if (!parsed.success) {
        problems.push({
          item: observation.source,
          code: "VIGIL_ERR_MAIL_PARSE",
          message: `not a normalised message: ${parsed.error.issues[0]?.message ?? "invalid"}`,
        });
        continue;
      }
      const finding = this.findingFor(observation, this.assess(parsed.data), parsed.data);
      if (finding !== undefined) findings.push(finding);
    }
    return { findings, problems };
  }

  /** The finding for an assessed message, when its verdict is `phishing` or `suspicious`. */
  findingFor(
    observation: Observation,
    assessment: EmailAssessment,
    message: EmailMessage,
  ): Finding | undefined {
    if (assessment.verdict === "clean") return undefined;
    const from = message.from?.address || "(no sender)";
    const subject = `${from}: ${message.subject || "(no subject)"}`.slice(0, 300);
    return {
      id: findingId(this.name, observation.value, assessment.evidence),
      kind: "email-phishing",
      subject,
      ...(assessment.target === undefined ? {} : { target: assessment.target }),
      score: assessment.score,
      severity: severityFor(assessment.score),
      reasons: assessment.reasons,
      techniques: assessment.techniques,
      evidence: assessment.evidence,
      detector: this.name,
      detectorVersion: this.version,
      observedAt: observation.observedAt,
      observationIds: [observation.id],
    };
  }
}

/**
 * Lure-language reasons, capped at `MAX_LURE_WEIGHT`, halved with nothing to click or
 * open; then `lure-pressure` (outside the cap) when urgency comes with an account,
 * document or money pretext and something to act on.
 */
function lureSignals(message: EmailMessage, lures: readonly LureMatch[]): EmailSignal[] {
  if (lures.length === 0) return [];
  // A reply path to another domain is the way to act for an advance-fee lure.
  const fromDomain = message.from?.address.split("@")[1]?.toLowerCase();
  const actionable =
    message.links.length > 0 ||
    message.attachments.some((a) => a.filename !== undefined) ||
    message.replyTo.some((r) => r.address.split("@")[1]?.toLowerCase() !== fromDomain);
  const out: EmailSignal[] = lures.map(({ category, phrase }) => {
    const rule = `lure-${category}` as const;
    return {
      rule,
      feature: `"${phrase}"${actionable ? "" : " (nothing to click or open: half weight)"}`,
      weight: round(EMAIL_RULE_WEIGHTS[rule] * (actionable ? 1 : 0.5)),
      explanation: LURE_EXPLANATIONS[category],
      techniques: category === "account-security" ? ["information"] : [],
    };
  });
  const sum = round(out.reduce((s, x) => s + x.weight, 0));
  if (sum > MAX_LURE_WEIGHT) {
    out.push({
      rule: "lure-cap",
      feature: `lure language adds up to ${sum.toFixed(2)}`,
      weight: round(MAX_LURE_WEIGHT - sum),
      explanation: `Words alone never add more than ${MAX_LURE_WEIGHT}.`,
      techniques: [],
    });
  }
  const categories = new Set(lures.map((l) => l.category));
  const pretext = (["account-security", "money", "document"] as const).find((c) =>
    categories.has(c),
  );
  if (actionable && categories.has("urgency") && pretext !== undefined) {
    out.push({
      rule: "lure-pressure",
      feature: `urgency with a pretext of ${pretext} and ${message.links.length > 0 ? "a link" : message.attachments.length > 0 ? "an attachment" : "a reply path elsewhere"} to act on`,
      weight: EMAIL_RULE_WEIGHTS["lure-pressure"],
      explanation:
        "The message presses for haste about an account, document or money and hands over the means to act, the shape of a phishing lure rather than of news.",
      techniques: [],
    });
  }
  return out;
}

const LURE_EXPLANATIONS = {
  interview:
    "The message invites the reader to an interview, podcast or event, the rapport-building pretext of spear-phishing against campaigns and newsrooms.",
  document:
    "The message points the reader at a shared or secure document, the usual way to a fake login page or a payload.",
  "account-security":
    "The message is an account-security alert asking the reader to act on their account, the pretext of credential phishing.",
  money:
    "The message is about money the reader must pay or may claim: gift cards, wallets, wire transfers, prizes, inheritances, large sums.",
  urgency: "The message presses the reader to act at once, so they do not stop and check.",
} as const;

function dedupe(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const key = `${e.type} ${e.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
