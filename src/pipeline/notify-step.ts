import type { EmailAssessment } from "../detect/index.js";
import type { Case, EmailMessage, Finding } from "../model/index.js";
import type { Notifier, NotifyOutcome } from "../notify/index.js";

/** A triaged message behind a finding, as the notify step needs it. */
export interface FlaggedMessage {
  finding: Finding;
  assessment: EmailAssessment;
  message: EmailMessage;
  /** When the mail server received it, if known. */
  receivedAt?: string;
}

/**
 * The act step for triaged mail: each `phishing` or `suspicious` message sent to people
 * on the watchlist opens (or counts a copy on) the notices of the case its finding
 * belongs to. Messages whose finding is in no case (no watchlist target) notify no one.
 * Notices are only recorded here; the notifier delivers them (`deliverDue`).
 */
export async function notifyFlagged(
  notifier: Notifier,
  flagged: readonly FlaggedMessage[],
  cases: readonly Case[],
): Promise<NotifyOutcome[]> {
  const outcomes: NotifyOutcome[] = [];
  for (const { finding, assessment, message, receivedAt } of flagged) {
    if (assessment.verdict === "clean") continue;
    const c = cases.find((x) => x.findingIds.includes(finding.id));
    if (c === undefined) continue;
    outcomes.push(
      ...(await notifier.notify({
        finding,
        caseId: c.id,
        caseTitle: c.title,
        verdict: assessment.verdict,
        message: {
          ...(message.from === undefined
            ? {}
            : {
                from:
                  message.from.name === ""
                    ? message.from.address
                    : `${message.from.name} <${message.from.address}>`,
              }),
          subject: message.subject,
          ...(receivedAt === undefined ? {} : { receivedAt }),
          recipients: [...message.to, ...message.cc].map((r) => r.address),
          linkHosts: message.links.flatMap((l) => {
            try {
              return [new URL(l.href).hostname];
            } catch {
              return [];
            }
          }),
          attachments: message.attachments.flatMap((a) =>
            a.filename === undefined ? [] : [a.filename],
          ),
        },
      })),
    );
  }
  return outcomes;
}
