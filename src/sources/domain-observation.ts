import {
  type DomainParseResult,
  makeObservation,
  type Observation,
  parseDomain,
} from "../model/index.js";

/** Why a name read by a source is not a domain name, as `parseDomain` says it. */
export type DomainParseFailure = Extract<DomainParseResult, { ok: false }>;

/**
 * The step every domain source takes for one name it read: parse it, and make a `domain`
 * observation of its ASCII form, unless `seen` (updated here) already holds that form, in
 * which case the result is `undefined`. A name that is not a domain name comes back as
 * the parse failure, for the source to report as it reports problems.
 */
export function domainObservation(
  name: string,
  seen: Set<string>,
  context: { source: string; observedAt: string; data?: Record<string, unknown> },
): { observation: Observation } | { failure: DomainParseFailure } | undefined {
  const parsed = parseDomain(name);
  if (!parsed.ok) return { failure: parsed };
  const ascii = parsed.domain.ascii;
  if (seen.has(ascii)) return undefined;
  seen.add(ascii);
  return { observation: makeObservation({ kind: "domain", value: ascii, ...context }) };
}
