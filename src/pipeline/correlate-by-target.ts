import { type Case, caseId, type Finding } from "../model/index.js";

const KIND_TITLES: Record<Finding["kind"], string> = {
  "domain-lookalike": "Lookalike domains of",
  "coordinated-accounts": "Coordinated accounts around",
  "persona-impersonation": "Impersonations of",
  "email-phishing": "Phishing mail involving",
  "site-clone": "Clones of",
  "fake-outlet": "Fake outlets posing as",
  "site-network": "Site networks around",
};

/**
 * The first correlation: findings of one kind aimed at the same protected outlet, person
 * or organisation form one case ("Lookalike domains of The Washington Post"). Case ids
 * depend only on kind and target, so later batches add to the same case.
 */
export function correlateByTarget(findings: readonly Finding[], now: string): Case[] {
  const cases = new Map<string, Case>();
  for (const finding of findings) {
    if (!finding.target) continue;
    const key = `${finding.kind}:${finding.target.type}:${finding.target.id}`;
    let c = cases.get(key);
    if (!c) {
      c = {
        id: caseId("same-target", key),
        title: `${KIND_TITLES[finding.kind]} ${finding.target.name}`,
        grouping: "same-target",
        key,
        findingIds: [],
        rationale: `Findings of kind ${finding.kind} that imitate the same protected ${finding.target.type}.`,
        createdAt: now,
      };
      cases.set(key, c);
    }
    c.findingIds.push(finding.id);
  }
  return [...cases.values()];
}
