/** A contact read from an RDAP entity's vCard (jCard, RFC 7095). */
export interface RdapContact {
  name?: string;
  organisation?: string;
  email?: string;
  phone?: string;
  country?: string;
}

/** The registration facts an abuse desk asks for, read from an RDAP domain answer. */
export interface RdapRegistration {
  /** The domain as the registry spells it (`ldhName`). */
  ldhName?: string;
  handle?: string;
  registrar?: { name?: string; ianaId?: string; url?: string };
  /** The registrar's abuse contact (its entity with role `abuse`), or the answer's own. */
  abuse?: { email?: string; phone?: string };
  /** `registration` event: when the domain was created. */
  created?: string;
  /** `expiration` event. */
  expires?: string;
  /** `last changed` event. */
  updated?: string;
  /** EPP statuses, e.g. `client transfer prohibited`. */
  status: string[];
  nameservers: string[];
  registrant?: RdapContact;
  /**
   * Whether the registrant is hidden behind a privacy or proxy service (or redacted, as
   * most gTLD registries do since 2018), with the words that showed it.
   */
  privacy: { proxied: boolean; evidence?: string };
}

/** The facts of the IP network that holds an address, read from an RDAP ip network answer. */
export interface RdapIpNetwork {
  handle?: string;
  /** The network's name (`CLOUDFLARENET`, `EXAMPLE-HOSTING-NL`). */
  name?: string;
  /** The allocation type (`ALLOCATED PA`, `DIRECT ALLOCATION`, `ASSIGNED PA`). */
  type?: string;
  /** RFC 9083 §5.4 `country`: the network's country, a two-letter code. */
  country?: string;
  startAddress?: string;
  endAddress?: string;
  /** The network's blocks as CIDR (the `cidr0` extension most registries add). */
  cidr: string[];
  parentHandle?: string;
  /** The organisation holding the network (its entity with role `registrant`). */
  organisation?: string;
  /** That organisation's country (its vCard address): ARIN's networks give no `country`. */
  organisationCountry?: string;
  /** The network's abuse contact: where a complaint about the hosting goes. */
  abuse?: { email?: string; phone?: string };
  status: string[];
}

/** Entities read from one answer, nested ones included: real answers have < 10. */
export const MAX_RDAP_ENTITIES = 100;
/** How deep entities nest (registrar → abuse contact is 2). */
export const MAX_RDAP_ENTITY_DEPTH = 4;
/** Statuses and name servers kept. */
export const MAX_RDAP_LIST = 32;
/** Characters kept of one field. */
export const MAX_RDAP_FIELD = 500;

/** Names and words of privacy and proxy services and of redaction. */
const PRIVACY =
  /privacy|proxy|redacted|withheld|whoisguard|domains by proxy|data protected|not disclosed|identity protect|contact protect|private registration|gdpr masked|perfect privacy|withheldforprivacy/i;

interface Entity {
  roles: string[];
  vcard: RdapContact;
  publicIds: Array<{ type: string; identifier: string }>;
  links: string[];
  remarks: string;
  children: Entity[];
}

/**
 * Reads the facts of an RDAP domain answer (RFC 9083 §5.3) defensively: any field may be
 * missing, mistyped or huge; what cannot be read is left out, never thrown.
 */
export function readRdapDomain(doc: unknown): RdapRegistration {
  const root = record(doc);
  const top = readEntities(root.entities);
  const registrarEntity = top.find((e) => e.roles.includes("registrar"));
  const abuseEntity =
    registrarEntity?.children.find((e) => e.roles.includes("abuse")) ??
    top.find((e) => e.roles.includes("abuse"));
  const registrantEntity = top.find((e) => e.roles.includes("registrant"));
  const proxyEntity = top.find((e) => e.roles.includes("proxy"));

  const events = readEvents(root.events);

  const registrar = registrarEntity && {
    ...optional("name", registrarEntity.vcard.name ?? registrarEntity.vcard.organisation),
    ...optional(
      "ianaId",
      registrarEntity.publicIds.find((p) => /iana/i.test(p.type))?.identifier || undefined,
    ),
    ...optional("url", registrarEntity.links[0]),
  };
  const abuse = abuseEntity && {
    ...optional("email", abuseEntity.vcard.email),
    ...optional("phone", abuseEntity.vcard.phone),
  };
  const registrant = registrantEntity?.vcard;
  const privacyWords = [
    registrant?.name,
    registrant?.organisation,
    registrantEntity?.remarks,
    proxyEntity === undefined ? undefined : "proxy entity",
    remarksText(root.remarks),
  ]
    .filter((s): s is string => s !== undefined && s !== "")
    .find((s) => PRIVACY.test(s));

  return {
    ...optional("ldhName", text(root.ldhName)?.toLowerCase()),
    ...optional("handle", text(root.handle)),
    ...(registrar === undefined ? {} : { registrar }),
    ...(abuse === undefined || Object.keys(abuse).length === 0 ? {} : { abuse }),
    ...optional("created", events.get("registration")),
    ...optional("expires", events.get("expiration")),
    ...optional("updated", events.get("last changed")),
    status: strings(root.status).slice(0, MAX_RDAP_LIST),
    nameservers: Array.isArray(root.nameservers)
      ? root.nameservers
          .slice(0, MAX_RDAP_LIST)
          .map((n) => text(record(n).ldhName)?.toLowerCase().replace(/\.$/, ""))
          .filter((n): n is string => n !== undefined)
      : [],
    ...(registrant === undefined || Object.keys(registrant).length === 0 ? {} : { registrant }),
    privacy:
      privacyWords === undefined
        ? { proxied: false }
        : { proxied: true, evidence: privacyWords.slice(0, 200) },
  };
}

/**
 * Reads the facts of an RDAP ip network answer (RFC 9083 §5.4) defensively, as
 * `readRdapDomain` does: the network's name, country and range, its holder and abuse
 * contact (found on the holder's nested entities too, as RIRs nest them).
 */
export function readRdapIpNetwork(doc: unknown): RdapIpNetwork {
  const root = record(doc);
  const top = readEntities(root.entities);
  const all: Entity[] = [];
  const flatten = (list: Entity[]) => {
    for (const e of list) {
      all.push(e);
      flatten(e.children);
    }
  };
  flatten(top);
  const holder =
    top.find((e) => e.roles.includes("registrant")) ??
    all.find((e) => e.roles.includes("registrant"));
  const abuseEntity = all.find((e) => e.roles.includes("abuse"));
  const abuse = abuseEntity && {
    ...optional("email", abuseEntity.vcard.email),
    ...optional("phone", abuseEntity.vcard.phone),
  };
  const cidr = Array.isArray(root.cidr0_cidrs)
    ? root.cidr0_cidrs
        .slice(0, MAX_RDAP_LIST)
        .map((c) => {
          const r = record(c);
          const prefix = text(r.v4prefix) ?? text(r.v6prefix);
          return prefix === undefined || typeof r.length !== "number"
            ? undefined
            : `${prefix}/${r.length}`;
        })
        .filter((c): c is string => c !== undefined)
    : [];
  const country = text(root.country);
  return {
    ...optional("handle", text(root.handle)),
    ...optional("name", text(root.name)),
    ...optional("type", text(root.type)),
    ...optional("country", country === undefined ? undefined : country.toUpperCase()),
    ...optional("startAddress", text(root.startAddress)),
    ...optional("endAddress", text(root.endAddress)),
    cidr,
    ...optional("parentHandle", text(root.parentHandle)),
    ...optional("organisation", holder?.vcard.organisation ?? holder?.vcard.name),
    ...optional("organisationCountry", holder?.vcard.country),
    ...(abuse === undefined || Object.keys(abuse).length === 0 ? {} : { abuse }),
    status: strings(root.status).slice(0, MAX_RDAP_LIST),
  };
}

/** The entities of an answer, nested ones as children, within the count and depth limits. */
function readEntities(value: unknown): Entity[] {
  let budget = MAX_RDAP_ENTITIES;
  const entities = (value: unknown, depth: number): Entity[] => {
    if (depth > MAX_RDAP_ENTITY_DEPTH || !Array.isArray(value)) return [];
    const out: Entity[] = [];
    for (const item of value) {
      if (budget-- <= 0) break;
      const e = record(item);
      out.push({
        roles: strings(e.roles).map((r) => r.toLowerCase()),
        vcard: readVcard(e.vcardArray),
        publicIds: Array.isArray(e.publicIds)
          ? e.publicIds.slice(0, MAX_RDAP_LIST).map((p) => ({
              type: text(record(p).type) ?? "",
              identifier: text(record(p).identifier) ?? "",
            }))
          : [],
        links: Array.isArray(e.links)
          ? e.links
              .slice(0, MAX_RDAP_LIST)
              .map((l) => text(record(l).href))
              .filter((h): h is string => h !== undefined)
          : [],
        remarks: remarksText(e.remarks),
        children: entities(e.entities, depth + 1),
      });
    }
    return out;
  };
  return entities(value, 1);
}

/** `eventAction` → ISO date of an answer's events (the first of each action). */
function readEvents(value: unknown): Map<string, string> {
  const events = new Map<string, string>();
  if (!Array.isArray(value)) return events;
  for (const ev of value.slice(0, MAX_RDAP_LIST)) {
    const action = text(record(ev).eventAction)?.toLowerCase();
    const date = isoDate(record(ev).eventDate);
    if (action !== undefined && date !== undefined && !events.has(action)) events.set(action, date);
  }
  return events;
}

/** jCard: `["vcard", [[name, params, type, value…], …]]`. */
function readVcard(value: unknown): RdapContact {
  if (!Array.isArray(value) || value[0] !== "vcard" || !Array.isArray(value[1])) return {};
  const contact: RdapContact = {};
  for (const property of value[1].slice(0, 100)) {
    if (!Array.isArray(property) || typeof property[0] !== "string") continue;
    const name = property[0].toLowerCase();
    const raw = property[3];
    const first = text(
      Array.isArray(raw) ? raw.find((v) => typeof v === "string" && v !== "") : raw,
    );
    if (name === "fn" && contact.name === undefined && first !== undefined) contact.name = first;
    if (name === "org" && contact.organisation === undefined && first !== undefined)
      contact.organisation = first;
    if (name === "email" && contact.email === undefined && first !== undefined)
      contact.email = first.replace(/^mailto:/i, "");
    if (name === "tel" && contact.phone === undefined && first !== undefined)
      contact.phone = first.replace(/^tel:/i, "");
    if (name === "adr" && Array.isArray(raw)) {
      // ADR's last component is the country name (RFC 6350 §6.3.1); `cc` param is the code.
      // ARIN leaves the components empty and writes the address in the `label` parameter,
      // its last line the country.
      const params = record(property[1]);
      const label = text(params.label)
        ?.split(/\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "")
        .pop();
      const country = text(params.cc) ?? text(raw[6]) ?? label;
      if (country !== undefined && country !== "") contact.country = country;
    }
  }
  return contact;
}

function remarksText(value: unknown): string {
  if (!Array.isArray(value)) return "";
  return value
    .slice(0, 10)
    .map((r) => [text(record(r).title), ...strings(record(r).description).slice(0, 5)].join(" "))
    .join(" ")
    .slice(0, 2000);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const s = value.trim().slice(0, MAX_RDAP_FIELD);
  return s === "" ? undefined : s;
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value
        .slice(0, MAX_RDAP_LIST)
        .map(text)
        .filter((s): s is string => s !== undefined)
    : [];
}

function isoDate(value: unknown): string | undefined {
  const s = text(value);
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
