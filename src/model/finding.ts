import { z } from "zod";
import { stableId } from "./ids.js";

export const SeveritySchema = z.enum(["info", "low", "medium", "high", "critical"]);
export type Severity = z.infer<typeof SeveritySchema>;

/** One feature that fired, with the weight it added to the score. */
export const ReasonSchema = z.strictObject({
  /** Stable rule name, e.g. `tld-swap`. */
  rule: z.string().min(1).max(100),
  /** What was compared or measured, e.g. `label "washingtonpost" under suffix "pm"`. */
  feature: z.string().max(1000),
  /** Contribution to the score, -1..1. */
  weight: z.number().min(-1).max(1),
  /** One sentence a defender can read to a sceptic. */
  explanation: z.string().max(2000),
});
export type Reason = z.infer<typeof ReasonSchema>;

/** A DISARM (influence) or ATT&CK (intrusion) technique the finding evidences. */
export const TechniqueSchema = z.strictObject({
  framework: z.enum(["DISARM", "ATT&CK"]),
  id: z.string().regex(/^T\d{4}(\.\d{3})?$/),
  name: z.string().min(1).max(200),
});
export type Technique = z.infer<typeof TechniqueSchema>;

/** A fact the finding rests on. */
export const EvidenceSchema = z.strictObject({
  /** What kind of fact: `candidate-domain`, `protected-domain`, `observation`, … */
  type: z.string().min(1).max(100),
  value: z.string().max(4096),
  note: z.string().max(2000).optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/** Who or what on the watchlist the finding is about. */
export const TargetSchema = z.strictObject({
  type: z.enum(["outlet", "person", "organisation"]),
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(500),
});
export type Target = z.infer<typeof TargetSchema>;

export const FindingKindSchema = z.enum([
  "domain-lookalike",
  "persona-impersonation",
  "coordinated-accounts",
  "email-phishing",
  "site-clone",
  "fake-outlet",
  "site-network",
]);
export type FindingKind = z.infer<typeof FindingKindSchema>;

export const FindingSchema = z.strictObject({
  id: z.string().min(1).max(100),
  kind: FindingKindSchema,
  /** The thing found, e.g. the lookalike domain. */
  subject: z.string().min(1).max(2048),
  target: TargetSchema.optional(),
  score: z.number().min(0).max(1),
  severity: SeveritySchema,
  reasons: z.array(ReasonSchema).min(1),
  techniques: z.array(TechniqueSchema),
  evidence: z.array(EvidenceSchema),
  detector: z.string().min(1).max(100),
  detectorVersion: z.string().min(1).max(50),
  /** When the observation behind it was first seen. */
  observedAt: z.iso.datetime(),
  observationIds: z.array(z.string()).default([]),
});
export type Finding = z.infer<typeof FindingSchema>;

/** Maps a 0..1 score to a severity band. */
export function severityFor(score: number): Severity {
  if (score >= 0.9) return "high";
  if (score >= 0.7) return "medium";
  if (score >= 0.4) return "low";
  return "info";
}

/**
 * A finding's id: derived from its detector, subject and evidence only, so running the
 * same detector on the same input yields the same id (and re-ingest stores nothing new).
 */
export function findingId(
  detector: string,
  subject: string,
  evidence: readonly Evidence[],
): string {
  return stableId("fnd", detector, subject, evidence);
}
