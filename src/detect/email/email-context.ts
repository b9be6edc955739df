import { type DomainName, parseDomain, type Watchlist } from "../../model/index.js";
import {
  LookalikeIndex,
  type LookalikeMatch,
  nameKey,
  type ProtectedOutlet,
} from "../domains/index.js";
import { nameTokens } from "../personas/index.js";
import { FREEMAIL_DOMAINS } from "./service-domains.js";

/** A protected person as the email rules know them. */
export interface MailPerson {
  id: string;
  name: string;
  emails: ReadonlySet<string>;
}

/** A watchlist entry a lookalike or claim points at. */
export interface MailTarget {
  type: "person" | "organisation" | "outlet";
  id: string;
  name: string;
}

/**
 * What the email rules need from the watchlist, built once: people by the sorted words
 * of their names and aliases, every listed address, the registrable domains the
 * watchlist owns (outlets', organisations', and people's non-freemail addresses'), the
 * names of organisations and outlets, and a `LookalikeIndex` over all those domains —
 * the domains detector's, so a lookalike sender is judged as a lookalike name is.
 */
export class EmailContext {
  readonly people: readonly MailPerson[];
  private readonly byNameKey = new Map<string, MailPerson[]>();
  private readonly byAddress = new Map<string, MailPerson>();
  private readonly owned = new Map<string, MailTarget>();
  /** Organisation and outlet names as word keys, for display names that claim them. */
  readonly organisationNames: ReadonlyArray<{ words: string[]; target: MailTarget }>;
  readonly index: LookalikeIndex;
  private readonly targets: MailTarget[] = [];
  readonly threshold: number;

  constructor(watchlist: Watchlist) {
    this.threshold = watchlist.settings.domains.threshold;
    const protectedDomains: ProtectedOutlet[] = [];
    const names: Array<{ words: string[]; target: MailTarget }> = [];
    const own = (raw: string, target: MailTarget) => {
      const parsed = parseDomain(raw);
      if (parsed.ok && !this.owned.has(parsed.domain.registrable))
        this.owned.set(parsed.domain.registrable, target);
    };
    for (const outlet of watchlist.outlets) {
      const target: MailTarget = {
        type: "outlet",
        id: outlet.id ?? nameKey(outlet.name),
        name: outlet.name,
      };
      this.targets.push(target);
      for (const d of outlet.domains) own(d, target);
      protectedDomains.push({
        id: `${this.targets.length - 1}`,
        name: outlet.name,
        domains: outlet.domains,
        aliases: outlet.aliases,
      });
      names.push({ words: nameTokens(outlet.name), target });
    }
    for (const org of watchlist.organisations) {
      const target: MailTarget = {
        type: "organisation",
        id: org.id ?? nameKey(org.name),
        name: org.name,
      };
      this.targets.push(target);
      for (const d of org.domains) own(d, target);
      if (org.domains.length > 0)
        protectedDomains.push({
          id: `${this.targets.length - 1}`,
          name: org.name,
          domains: org.domains,
        });
      names.push({ words: nameTokens(org.name), target });
    }
    const people: MailPerson[] = [];
    for (const person of watchlist.people) {
      const target: MailTarget = {
        type: "person",
        id: person.id ?? nameKey(person.name),
        name: person.name,
      };
      const mailPerson: MailPerson = {
        id: target.id,
        name: person.name,
        emails: new Set(person.emails),
      };
      people.push(mailPerson);
      for (const name of [person.name, ...person.aliases]) {
        const tokens = nameTokens(name);
        // One word ("Dana") is anyone's name: a person is matched on two words or more.
        if (tokens.length < 2) continue;
        const key = [...tokens].sort().join(" ");
        const list = this.byNameKey.get(key) ?? [];
        if (!list.includes(mailPerson)) list.push(mailPerson);
        this.byNameKey.set(key, list);
      }
      const domains = new Set<string>();
      for (const email of person.emails) {
        this.byAddress.set(email, mailPerson);
        const domain = email.slice(email.lastIndexOf("@") + 1);
        const parsed = parseDomain(domain);
        if (
          parsed.ok &&
          !FREEMAIL_DOMAINS.has(parsed.domain.registrable) &&
          !this.owned.has(parsed.domain.registrable)
        ) {
          domains.add(domain);
          this.targets.push(target);
          own(domain, target);
        }
      }
      if (domains.size > 0)
        protectedDomains.push({
          id: `${this.targets.length - 1}`,
          name: person.name,
          domains: [...domains],
        });
    }
    this.people = people;
    this.organisationNames = names.filter((n) => n.words.length > 0);
    this.index = new LookalikeIndex(protectedDomains, {
      allow: watchlist.settings.domains.allow,
      known: watchlist.settings.domains.known,
    });
  }

  /** People whose name (or alias) the display name is, word for word in any order. */
  peopleNamed(displayName: string): MailPerson[] {
    const tokens = nameTokens(displayName);
    if (tokens.length < 2) return [];
    return this.byNameKey.get([...tokens].sort().join(" ")) ?? [];
  }

  /** The listed person an address belongs to. */
  personByAddress(address: string): MailPerson | undefined {
    return this.byAddress.get(address.toLowerCase());
  }

  /** The watchlist entry owning a registrable domain, if any. */
  ownerOf(registrable: string): MailTarget | undefined {
    return this.owned.get(registrable);
  }

  /** Lookalikes of protected domains, best first, with the watchlist entry each imitates. */
  lookalikes(d: DomainName): Array<{ match: LookalikeMatch; target: MailTarget }> {
    const out: Array<{ match: LookalikeMatch; target: MailTarget }> = [];
    for (const match of this.index.match(d, this.threshold)) {
      const target = this.targets[Number(match.outlet.id)];
      if (target !== undefined) out.push({ match, target });
    }
    return out;
  }
}
