import type { ErrorCode } from "../errors.js";
import type { Finding, Observation, ObservationKind } from "../model/index.js";

/** A problem with one input item: reported, never thrown, so the run goes on. */
export interface ItemProblem {
  /** What the item was, e.g. `line 12 of domains.txt` or the observation id. */
  item: string;
  code: ErrorCode;
  message: string;
}

export interface DetectResult {
  findings: Finding[];
  problems: ItemProblem[];
}

/**
 * A detector: a pure function of observations and the context it was built with (its
 * indexes). No I/O, no clock, no unseeded randomness; it throws only on programmer error.
 */
export interface Detector {
  readonly name: string;
  readonly version: string;
  /** The observation kinds it looks at; others are not passed to it. */
  readonly kinds: readonly ObservationKind[];
  detect(observations: readonly Observation[]): DetectResult;
}
