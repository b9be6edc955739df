/**
 * RDAP answers (RFC 9083) for the site-enrichment and takedown tests, shaped like a gTLD
 * registry's: a registrar entity with an IANA id and a nested abuse contact, a redacted
 * registrant, events and statuses. Served by a loopback `startSiteServer`.
 */
import type { Answer, Handler } from "./site-server.js";

/** A domain answer with the registrar "Example Registrar, LLC" and a privacy-proxied registrant. */
export function rdapDomain(domain: string, created = "2024-07-30T12:00:00Z"): object {
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
        handle: "9999",
        roles: ["registrar"],
        publicIds: [{ type: "IANA Registrar ID", identifier: "9999" }],
        links: [{ href: "https://registrar.test/", rel: "about" }],
        vcardArray: [
          "vcard",
          [
            ["version", {}, "text", "4.0"],
            ["fn", {}, "text", "Example Registrar, LLC"],
          ],
        ],
        entities: [
          {
            objectClassName: "entity",
            roles: ["abuse"],
            vcardArray: [
              "vcard",
              [
                ["version", {}, "text", "4.0"],
                ["fn", {}, "text", "Abuse desk"],
                ["tel", { type: "voice" }, "uri", "tel:+1.5555550100"],
                ["email", {}, "text", "abuse@registrar.test"],
              ],
            ],
          },
        ],
      },
      {
        objectClassName: "entity",
        roles: ["registrant"],
        vcardArray: [
          "vcard",
          [
            ["version", {}, "text", "4.0"],
            ["fn", {}, "text", "REDACTED FOR PRIVACY"],
            ["org", {}, "text", "Privacy service provided by Withheld for Privacy ehf"],
            ["adr", { cc: "IS" }, "text", ["", "", "", "", "", "", "Iceland"]],
          ],
        ],
      },
    ],
  };
}

/** Routes of an RDAP server: `/domain/<name>` for each fixture domain. */
export function rdapRoutes(
  domains: Record<string, object>,
  extra: Record<string, Answer | Handler> = {},
): Record<string, Answer | Handler> {
  const routes: Record<string, Answer | Handler> = { ...extra };
  for (const [name, doc] of Object.entries(domains)) {
    routes[`/domain/${name}`] = {
      headers: { "content-type": "application/rdap+json" },
      body: JSON.stringify(doc),
    };
  }
  return routes;
}
