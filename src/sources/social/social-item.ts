import {
  makeObservationWithDataJson,
  type SocialAccount,
  SocialAccountSchema,
  type SocialKind,
  type SocialPost,
  SocialPostSchema,
  socialObservationValue,
} from "../../model/index.js";
import type { SourceItem } from "../source-item.js";
import { fastSocialRecord } from "./fast-social-record.js";
import { describeIssues } from "./social-problem.js";
import { socialRecordJson } from "./social-record-json.js";

/** What every social reader is told. */
export interface SocialReaderOptions {
  /** Name shown in problems and stored as the observations' source (a file path, `stdin`). */
  name: string;
  /** ISO time stamped on observations (passed in: sources take a clock). */
  observedAt: string;
  /** Called with the size of each chunk read, for a progress bar. */
  onBytes?: (n: number) => void;
}

/**
 * Account observations remembered per input to skip repeats (a Telegram export names the
 * sender on every message, X repeats `includes.users` on every page). Past this many the
 * memory is dropped and repeats go through: the store ignores them, so only time is lost.
 */
export const MAX_REMEMBERED_ITEMS = 1_000_000;

/**
 * Validates an account or post a reader built and makes its observation, or a problem
 * naming `item` when it does not fit the schema. With `seen`, an observation already in
 * it (the same record read before from this input) gives `undefined`.
 */
export function socialItem(
  kind: SocialKind,
  candidate: unknown,
  context: SocialItemContext,
): SourceItem | undefined {
  const record = fastSocialRecord(kind, candidate);
  return record === undefined
    ? socialItemBySchema(kind, candidate, context)
    : socialRecordItem(kind, record, context);
}

/** Where an item was read, and the repeats to skip (see `socialItem`). */
export interface SocialItemContext {
  item: string;
  observedAt: string;
  seen?: Set<string>;
}

/**
 * `socialItem` by the schema alone: for a candidate `fastSocialRecord` did not take,
 * which the schema normalises or refuses.
 */
export function socialItemBySchema(
  kind: SocialKind,
  candidate: unknown,
  context: SocialItemContext,
): SourceItem | undefined {
  const schema = kind === "account" ? SocialAccountSchema : SocialPostSchema;
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) {
    return {
      problem: {
        item: context.item,
        code: "VIGIL_ERR_SOCIAL_RECORD",
        message: `not a valid ${kind}: ${describeIssues(parsed.error)}`,
      },
    };
  }
  return socialRecordItem(kind, parsed.data, context);
}

/** The observation of a validated, normalised record, or `undefined` for a repeat. */
export function socialRecordItem(
  kind: SocialKind,
  record: SocialAccount | SocialPost,
  context: SocialItemContext,
): SourceItem | undefined {
  const observation = makeObservationWithDataJson({
    kind,
    value: socialObservationValue(kind, record.platform, record.id),
    data: record,
    dataJson: socialRecordJson(kind, record),
    source: context.item,
    observedAt: context.observedAt,
  });
  const { seen } = context;
  if (seen !== undefined) {
    if (seen.has(observation.id)) return undefined;
    if (seen.size >= MAX_REMEMBERED_ITEMS) seen.clear();
    seen.add(observation.id);
  }
  return { observation };
}
