import { describe, expect, it } from "vitest";
import { parseRdapBootstrap } from "./rdap-bootstrap.js";
import {
  MAX_RDAP_ENTITIES,
  MAX_RDAP_FIELD,
  MAX_RDAP_LIST,
  readRdapDomain,
  readRdapIpNetwork,
} from "./rdap-facts.js";

/** A seeded generator of odd JSON values: RDAP answers come from servers we do not trust. */
function randomJson(seed: number): () => unknown {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const keys = [
    "entities",
    "roles",
    "vcardArray",
    "events",
    "eventAction",
    "eventDate",
    "status",
    "nameservers",
    "ldhName",
    "publicIds",
    "remarks",
    "links",
    "cidr0_cidrs",
    "v4prefix",
    "length",
    "country",
    "name",
  ];
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 5 || r < 0.2)
      return [null, 1, -1e308, "", "registrar", "vcard", true][Math.floor(next() * 7)];
    if (r < 0.5) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 5); i > 0; i--)
      o[keys[Math.floor(next() * keys.length)] as string] = value(depth + 1);
    return o;
  };
  return () => value(0);
}

describe("readRdapDomain", () => {
  it("never throws on odd shapes and always returns lists", () => {
    const gen = randomJson(7);
    for (let i = 0; i < 2_000; i++) {
      const facts = readRdapDomain(gen());
      expect(Array.isArray(facts.status)).toBe(true);
      expect(Array.isArray(facts.nameservers)).toBe(true);
      expect(typeof facts.privacy.proxied).toBe("boolean");
    }
  });

  it("finds the abuse contact at the top level when the registrar has none", () => {
    const facts = readRdapDomain({
      entities: [
        { roles: ["registrar"], vcardArray: ["vcard", [["fn", {}, "text", "R"]]] },
        { roles: ["abuse"], vcardArray: ["vcard", [["email", {}, "text", "mailto:a@r.test"]]] },
      ],
    });
    expect(facts.registrar?.name).toBe("R");
    expect(facts.abuse).toEqual({ email: "a@r.test" });
    expect(facts.privacy.proxied).toBe(false);
  });
});

describe("readRdapIpNetwork", () => {
  it("never throws on odd shapes and always returns lists", () => {
    const gen = randomJson(11);
    for (let i = 0; i < 2_000; i++) {
      const facts = readRdapIpNetwork(gen());
      expect(Array.isArray(facts.cidr)).toBe(true);
      expect(Array.isArray(facts.status)).toBe(true);
    }
    for (const doc of [null, undefined, 42, "network", [], [{ country: "NL" }]]) {
      expect(readRdapIpNetwork(doc)).toEqual({ cidr: [], status: [] });
    }
  });

  it("bounds what a hostile answer can make it keep", () => {
    const long = "x".repeat(1_000_000);
    let nested: unknown[] = [];
    for (let depth = 0; depth < 10_000; depth++) {
      nested = [
        {
          roles: ["abuse"],
          vcardArray: ["vcard", [["email", {}, "text", long]]],
          entities: nested,
        },
      ];
    }
    const facts = readRdapIpNetwork({
      name: long,
      country: long,
      status: Array.from({ length: 100_000 }, () => long),
      cidr0_cidrs: Array.from({ length: 100_000 }, () => ({ v4prefix: "192.0.2.0", length: 24 })),
      entities: [
        ...Array.from({ length: 10 * MAX_RDAP_ENTITIES }, () => ({ roles: ["registrant"] })),
        ...nested,
      ],
    });
    expect(facts.name).toHaveLength(MAX_RDAP_FIELD);
    expect(facts.country).toHaveLength(MAX_RDAP_FIELD);
    expect(facts.status).toHaveLength(MAX_RDAP_LIST);
    expect(facts.cidr).toHaveLength(MAX_RDAP_LIST);
    expect(facts.cidr[0]).toBe("192.0.2.0/24");
    // The entity budget is spent on the first entities: the deep nest is never walked.
    expect(facts.abuse).toBeUndefined();
  });
});

describe("parseRdapBootstrap", () => {
  it("refuses what is not IANA's format", () => {
    expect(() => parseRdapBootstrap({ services: [["com", "x"]] })).toThrow(/service 1/);
    expect(() => parseRdapBootstrap([])).toThrow(/no services/);
  });
});
