import type { Organisation, Person, Watchlist } from "../model/index.js";

/** A listed person a message was sent to, with the address it reached and their organisation. */
export interface TargetedPerson {
  person: Person & { id: string };
  /** The recipient address of theirs the message was sent to. */
  address: string;
  organisation?: Organisation & { id: string };
}

/** Recipients looked at in one message: more is a mass mailing, not one person targeted. */
export const MAX_NOTICE_RECIPIENTS = 200;

/**
 * The watchlist's people among a message's recipients (To and Cc), each once, with their
 * organisation: the one their `organisation` field names (by id or name), else the one
 * owning their address's domain. People without an id (a watchlist not loaded through
 * `loadWatchlist`) are skipped: notices are keyed by id.
 */
export function targetedPeople(
  watchlist: Watchlist,
  recipients: readonly string[],
): TargetedPerson[] {
  const byAddress = new Map<string, Person & { id: string }>();
  for (const person of watchlist.people) {
    if (person.id === undefined) continue;
    for (const email of person.emails)
      byAddress.set(email.toLowerCase(), { ...person, id: person.id });
  }
  const seen = new Set<string>();
  const out: TargetedPerson[] = [];
  for (const raw of recipients.slice(0, MAX_NOTICE_RECIPIENTS)) {
    const address = raw.trim().toLowerCase();
    const person = byAddress.get(address);
    if (person === undefined || seen.has(person.id)) continue;
    seen.add(person.id);
    const organisation = organisationOf(watchlist, person, address);
    out.push({ person, address, ...(organisation === undefined ? {} : { organisation }) });
  }
  return out;
}

function organisationOf(
  watchlist: Watchlist,
  person: Person,
  address: string,
): (Organisation & { id: string }) | undefined {
  const withId = watchlist.organisations.filter(
    (o): o is Organisation & { id: string } => o.id !== undefined,
  );
  const named = person.organisation?.trim().toLowerCase();
  if (named !== undefined && named !== "") {
    const found = withId.find((o) => o.id === named || o.name.toLowerCase() === named);
    if (found !== undefined) return found;
  }
  const domain = address.slice(address.lastIndexOf("@") + 1);
  return withId.find((o) =>
    o.domains.some((d) => {
      const owned = d.toLowerCase().replace(/^\*\./, "");
      return domain === owned || domain.endsWith(`.${owned}`);
    }),
  );
}
