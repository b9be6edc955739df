import {
  type Finding,
  findingId,
  type Observation,
  parseDomain,
  severityFor,
  type Technique,
  type Watchlist,
} from "../../model/index.js";
import type { Detector, DetectResult, ItemProblem } from "../detector.js";
import { LookalikeIndex } from "./lookalike-index.js";

/** Techniques a lookalike news domain evidences. */
export const LOOKALIKE_TECHNIQUES: readonly Technique[] = [
  { framework: "DISARM", id: "T0149.003", name: "Lookalike Domain" },
  { framework: "DISARM", id: "T0097.202", name: "News Outlet Persona" },
  { framework: "ATT&CK", id: "T1583.001", name: "Acquire Infrastructure: Domains" },
];

export const DOMAINS_DETECTOR_NAME = "domains";
/** Bump when rules or weights change, so stored findings say which scoring made them. */
export const DOMAINS_DETECTOR_VERSION = "1.5.0";

/**
 * Flags candidate domains that imitate a protected outlet's domain. Pure: the index is
 * built once from the watchlist; `detect` only reads it.
 */
export class DomainsDetector implements Detector {
  readonly name = DOMAINS_DETECTOR_NAME;
  readonly version = DOMAINS_DETECTOR_VERSION;
  readonly kinds = ["domain"] as const;
  readonly index: LookalikeIndex;
  private readonly threshold: number;

  constructor(watchlist: Watchlist) {
    this.index = LookalikeIndex.fromWatchlist(watchlist);
    this.threshold = watchlist.settings.domains.threshold;
  }

  detect(observations: readonly Observation[]): DetectResult {
    const findings: Finding[] = [];
    const problems: ItemProblem[] = [];
    for (const observation of observations) {
      if (observation.kind !== "domain") continue;
      const parsed = parseDomain(observation.value);
      if (!parsed.ok) {
        problems.push({
          item: observation.source,
          code: "VIGIL_ERR_INPUT_DOMAIN",
          message: parsed.message,
        });
        continue;
      }
      const d = parsed.domain;
      for (const match of this.index.match(d, this.threshold)) {
        const evidence = [
          {
            type: "candidate-domain",
            value: d.ascii,
            ...(d.isIdn ? { note: `displayed as ${d.unicode}` } : {}),
          },
          {
            type: "protected-domain",
            value: match.protectedDomain,
            note: `owned by ${match.outlet.name}`,
          },
        ];
        findings.push({
          id: findingId(this.name, d.ascii, evidence),
          kind: "domain-lookalike",
          subject: d.ascii,
          target: { type: "outlet", id: match.outlet.id, name: match.outlet.name },
          score: match.score,
          severity: severityFor(match.score),
          reasons: match.reasons,
          techniques: [...LOOKALIKE_TECHNIQUES],
          evidence,
          detector: this.name,
          detectorVersion: this.version,
          observedAt: observation.observedAt,
          observationIds: [observation.id],
        });
      }
    }
    return { findings, problems };
  }
}
