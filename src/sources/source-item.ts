import type { ItemProblem } from "../detect/index.js";
import type { Observation } from "../model/index.js";

/**
 * How far a source has got, so a later run can go on from there: `source` names the
 * stream (`ct:https://log.example/2024/`), `position` is opaque to everything but that
 * source (for a CT log, the index of the next entry to fetch).
 */
export interface SourceCursor {
  source: string;
  position: string;
}

/**
 * What a source hands the pipeline: an observation, or a problem with one item, or only
 * a cursor. A cursor says that everything the source yielded before it, *and the item it
 * rides on*, has been handed over: the pipeline stores it in the same transaction as the
 * batch holding those items, so a crash never skips what was not stored.
 */
export type SourceItem =
  | { observation: Observation; cursor?: SourceCursor }
  | { problem: ItemProblem; cursor?: SourceCursor }
  | { cursor: SourceCursor };
