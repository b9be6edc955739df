import { z } from "zod";
import { canonicalJson, sha256Hex } from "./ids.js";

/**
 * Kinds of raw input Vigil understands; later sources add theirs here. `account` and
 * `post` hold a normalised `SocialAccount` or `SocialPost` as their data, `email` a
 * normalised `EmailMessage`, `page` one capture of a web page (its value the final URL,
 * its data the page's features and where its evidence is: see `scanSites`).
 */
export const ObservationKindSchema = z.enum(["domain", "account", "post", "email", "page"]);
export type ObservationKind = z.infer<typeof ObservationKindSchema>;

/** One normalised input item, identified by its content so re-ingest is a no-op. */
export const ObservationSchema = z.strictObject({
  id: z.string().min(1).max(100),
  kind: ObservationKindSchema,
  /**
   * The normalised value the item is known by: for a domain its ASCII form, for an
   * account or post `<platform>:account:<id>` or `<platform>:post:<id>`.
   */
  value: z.string().min(1).max(2048),
  data: z.record(z.string(), z.unknown()),
  /** SHA-256 of kind, value and data in canonical JSON. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Where it came from, e.g. `file:domains.txt:12` (not part of the identity). */
  source: z.string().max(2048),
  observedAt: z.iso.datetime(),
});
export type Observation = z.infer<typeof ObservationSchema>;

/**
 * Builds an observation with its content hash and id filled in: the hash is SHA-256 of
 * `canonicalJson({ kind, value, data })` and the id `stableId("obs", kind, contentHash)`.
 */
export function makeObservation(input: {
  kind: ObservationKind;
  value: string;
  data?: Record<string, unknown>;
  source: string;
  observedAt: string;
}): Observation {
  const data = input.data ?? {};
  return makeObservationWithDataJson({ ...input, data, dataJson: canonicalJson(data) });
}

/**
 * `makeObservation` for a source that writes its data's canonical JSON faster than the
 * generic `canonicalJson` can, knowing the data's shape (a social record). `dataJson`
 * must be exactly `canonicalJson(data)`, or the observation's id is not its identity.
 */
export function makeObservationWithDataJson(input: {
  kind: ObservationKind;
  value: string;
  data: Record<string, unknown>;
  dataJson: string;
  source: string;
  observedAt: string;
}): Observation {
  const kind = JSON.stringify(input.kind);
  // Both texts are written out here rather than by canonicalJson, as every observation of
  // a scan pays for them: sorted keys put `data` before `kind` before `value`, and the id
  // hashes its parts (not its prefix), two strings, the second one hex. The same bytes,
  // so the same ids (checked against the definition in the tests).
  const contentHash = sha256Hex(
    `{"data":${input.dataJson},"kind":${kind},"value":${JSON.stringify(input.value)}}`,
  );
  return {
    id: `obs_${sha256Hex(`[${kind},"${contentHash}"]`).slice(0, 24)}`,
    kind: input.kind,
    value: input.value,
    data: input.data,
    contentHash,
    source: input.source,
    observedAt: input.observedAt,
  };
}
