import { quote } from "../../model/index.js";
import { domainObservation } from "../domain-observation.js";
import type { SourceItem } from "../source-item.js";

/** Bad names quoted in one problem; the count says how many there were. */
const MAX_BAD_NAMES_SHOWN = 3;

/**
 * Turns the names of one certificate into `domain` observations (ASCII, wildcards
 * stripped, each name once) and, if some are not domain names, one problem for the
 * certificate that counts and quotes them. `item` names the certificate in problems and
 * is the observations' source; `data` identifies the sighting (log and index).
 */
export function* domainItems(
  names: readonly string[],
  context: { item: string; data: Record<string, unknown>; observedAt: string },
): Generator<SourceItem> {
  const seen = new Set<string>();
  const bad: string[] = [];
  for (const name of names) {
    const result = domainObservation(name, seen, {
      source: context.item,
      observedAt: context.observedAt,
      data: context.data,
    });
    if (result === undefined) continue;
    if ("failure" in result) bad.push(`${quote(name, 100)} (${result.failure.message})`);
    else yield result;
  }
  if (bad.length > 0) {
    const more =
      bad.length > MAX_BAD_NAMES_SHOWN ? `; and ${bad.length - MAX_BAD_NAMES_SHOWN} more` : "";
    yield {
      problem: {
        item: context.item,
        code: "VIGIL_ERR_INPUT_DOMAIN",
        message: `${bad.length === 1 ? "a name is not a domain name" : `${bad.length} names are not domain names`}: ${bad.slice(0, MAX_BAD_NAMES_SHOWN).join("; ")}${more}`,
      },
    };
  }
}
