import { describe, expect, it } from "vitest";
import { parseRdapBootstrap } from "./rdap-bootstrap.js";
import { readRdapDomain } from "./rdap-facts.js";

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

describe("parseRdapBootstrap", () => {
  it("refuses what is not IANA's format", () => {
    expect(() => parseRdapBootstrap({ services: [["com", "x"]] })).toThrow(/service 1/);
    expect(() => parseRdapBootstrap([])).toThrow(/no services/);
  });
});
