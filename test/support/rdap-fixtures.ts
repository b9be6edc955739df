/**
 * RDAP answers (RFC 9083) for the site-enrichment and takedown tests, shaped like a gTLD
 * registry's: a registrar entity with an IANA id and a nested abuse contact, a redacted
 * registrant, events and statuses; and IP network answers as regional registries give
 * them. Served by a loopback `startSiteServer`. All names are fictional.
 */
import type { Answer, Handler } from "./site-server.js";

/** A registrant shown in full (no privacy service): its organisation and country. */
export interface FixtureRegistrant {
  organisation: string;
  /** ISO 3166-1 alpha-2, as the `cc` parameter of the vCard address. */
  country: string;
}

/** A registrar as the answer's registrar entity names it. */
export interface FixtureRegistrar {
  name: string;
  ianaId: string;
}

/**
 * A domain answer with the registrar "Example Registrar, LLC" (IANA id 9999) or the one
 * given, and a privacy-proxied registrant (Iceland, the service's), or the `registrant`
 * given, shown in full.
 */
export function rdapDomain(
  domain: string,
  created = "2024-07-30T12:00:00Z",
  registrant?: FixtureRegistrant,
  registrar: FixtureRegistrar = { name: "Example Registrar, LLC", ianaId: "9999" },
): object {
  return {
    objectClassName: "domain",
    rdapConformance: ["rdap_level_0", "icann_rdap_response_profile_1"],
    handle: `${domain.toUpperCase().replace(/\./g, "_")}-VRSN`,
    ldhName: domain.toUpperCase(),
    status: ["client transfer prohibited", "server hold"],
    events: [
      { eventAction: "registration", eventDate: created },
      { eventAction: "expiration", eventDate: "2025-07-30T12:00:00Z" },
      { eventAction: "last changed", eventDate: "2024-08-02T08:30:00Z" },
    ],
    nameservers: [
      { objectClassName: "nameserver", ldhName: "NS1.CHEAPHOST.TEST" },
      { objectClassName: "nameserver", ldhName: "NS2.CHEAPHOST.TEST" },
    ],
    entities: [
      {
        objectClassName: "entity",
        handle: registrar.ianaId,
        roles: ["registrar"],
        publicIds: [{ type: "IANA Registrar ID", identifier: registrar.ianaId }],
        links: [{ href: "https://registrar.test/", rel: "about" }],
        vcardArray: [
          "vcard",
          [
            ["version", {}, "text", "4.0"],
            ["fn", {}, "text", registrar.name],
          ],
        ],
        entities: [abuseEntity("Abuse desk", "tel:+1.5555550100", "abuse@registrar.test")],
      },
      {
        objectClassName: "entity",
        roles: ["registrant"],
        vcardArray: [
          "vcard",
          registrant === undefined
            ? [
                ["version", {}, "text", "4.0"],
                ["fn", {}, "text", "REDACTED FOR PRIVACY"],
                ["org", {}, "text", "Privacy service provided by Withheld for Privacy ehf"],
                ["adr", { cc: "IS" }, "text", ["", "", "", "", "", "", "Iceland"]],
              ]
            : [
                ["version", {}, "text", "4.0"],
                ["fn", {}, "text", registrant.organisation],
                ["org", {}, "text", registrant.organisation],
                ["adr", { cc: registrant.country }, "text", ["", "", "", "", "", "", ""]],
              ],
        ],
      },
    ],
  };
}

/**
 * An IP network answer (RFC 9083 §5.4) as a RIPE-style registry gives it: name, country,
 * range and the `cidr0` blocks, the holder (role `registrant`) with its abuse contact
 * nested. ARIN-style (`arin: true`): no `country` on the network, the holder's country in
 * its vCard address label only.
 */
export function rdapIpNetwork(
  start: string,
  end: string,
  network: { name: string; country: string; holder: string; prefix: number; arin?: boolean },
): object {
  return {
    objectClassName: "ip network",
    rdapConformance: ["rdap_level_0", "cidr0"],
    handle: `${network.name}-1`,
    startAddress: start,
    endAddress: end,
    ipVersion: start.includes(":") ? "v6" : "v4",
    name: network.name,
    type: "ASSIGNED PA",
    ...(network.arin === true ? {} : { country: network.country }),
    parentHandle: "PARENT-NET",
    status: ["active"],
    cidr0_cidrs: [{ v4prefix: start, length: network.prefix }],
    entities: [
      {
        objectClassName: "entity",
        handle: `${network.name}-ORG`,
        roles: ["registrant"],
        vcardArray: [
          "vcard",
          [
            ["version", {}, "text", "4.0"],
            ["fn", {}, "text", network.holder],
            ["kind", {}, "text", "org"],
            network.arin === true
              ? [
                  "adr",
                  { label: `1 Example Way\nExample City\n${network.country}` },
                  "text",
                  ["", "", "", "", "", "", ""],
                ]
              : ["adr", { cc: network.country }, "text", ["", "", "", "", "", "", ""]],
          ],
        ],
        entities: [abuseEntity("Abuse", "tel:+31.205550100", "abuse@hosting.test")],
      },
    ],
  };
}

/**
 * Routes of an RDAP server: `/domain/<name>` for each fixture domain, `/ip/<address>` for
 * each fixture network (keyed by the address asked).
 */
export function rdapRoutes(
  domains: Record<string, object>,
  extra: Record<string, Answer | Handler> = {},
  networks: Record<string, object> = {},
): Record<string, Answer | Handler> {
  const routes: Record<string, Answer | Handler> = { ...extra };
  for (const [name, doc] of Object.entries(domains)) {
    routes[`/domain/${name}`] = {
      headers: { "content-type": "application/rdap+json" },
      body: JSON.stringify(doc),
    };
  }
  for (const [address, doc] of Object.entries(networks)) {
    routes[`/ip/${address}`] = {
      headers: { "content-type": "application/rdap+json" },
      body: JSON.stringify(doc),
    };
  }
  return routes;
}

/** An abuse contact entity, as registrars and regional registries nest it. */
function abuseEntity(name: string, tel: string, email: string): object {
  return {
    objectClassName: "entity",
    roles: ["abuse"],
    vcardArray: [
      "vcard",
      [
        ["version", {}, "text", "4.0"],
        ["fn", {}, "text", name],
        ["tel", { type: "voice" }, "uri", tel],
        ["email", {}, "text", email],
      ],
    ],
  };
}
