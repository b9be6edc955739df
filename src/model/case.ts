import { z } from "zod";
import { stableId } from "./ids.js";

/** ICD 203 confidence words. */
export const ConfidenceSchema = z.enum(["low", "moderate", "high"]);
export type Confidence = z.infer<typeof ConfidenceSchema>;

/** Findings that belong together, with an attribution hypothesis when there is one. */
export const CaseSchema = z.strictObject({
  id: z.string().min(1).max(100),
  title: z.string().min(1).max(500),
  /** Why these findings are grouped, e.g. `same-target-outlet`. */
  grouping: z.string().min(1).max(100),
  /** The key they share under that grouping, e.g. the outlet id. */
  key: z.string().min(1).max(500),
  findingIds: z.array(z.string()),
  actor: z.string().max(200).optional(),
  confidence: ConfidenceSchema.optional(),
  rationale: z.string().max(4000).optional(),
  createdAt: z.iso.datetime(),
});
export type Case = z.infer<typeof CaseSchema>;

/** A case's id depends only on how it groups and on what key. */
export function caseId(grouping: string, key: string): string {
  return stableId("case", grouping, key);
}
