import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loadRdapBootstrap,
  MAX_RDAP_BOOTSTRAP_BYTES,
  MAX_RDAP_SERVICES,
  parseRdapBootstrap,
  rdapBaseFor,
  SHIPPED_RDAP_BOOTSTRAP,
} from "./rdap-bootstrap.js";
import { parseRdapIpBootstrap } from "./rdap-ip-bootstrap.js";

describe("the shipped dns.json", () => {
  const text = readFileSync(SHIPPED_RDAP_BOOTSTRAP, "utf8");
  const doc = JSON.parse(text) as { services: [string[], string[]][]; version: string };

  it("is in IANA's format and within the loader's limits", () => {
    expect(doc.version).toBe("1.0");
    expect(Buffer.byteLength(text)).toBeLessThan(MAX_RDAP_BOOTSTRAP_BYTES);
    expect(doc.services.length).toBeLessThan(MAX_RDAP_SERVICES);
    expect(() => parseRdapBootstrap(doc)).not.toThrow();
  });

  it("names each TLD once, in lower case, and only https servers", () => {
    const seen = new Set<string>();
    for (const [labels, urls] of doc.services) {
      expect(urls.length).toBeGreaterThan(0);
      for (const label of labels) {
        expect(label).toMatch(/^[a-z0-9-]+$/);
        // A label in two services would silently take the later one's server.
        expect(seen.has(label), label).toBe(false);
        seen.add(label);
      }
      for (const url of urls) expect(url).toMatch(/^https:\/\/[^/]+\/(.*\/)?$/);
    }
    expect(seen.size).toBeGreaterThan(1000);
  });

  it("groups TLDs that share a server list into one service", () => {
    const lists = doc.services.map(([, urls]) => urls.join(" "));
    expect(new Set(lists).size).toBe(lists.length);
  });
});

describe("loadRdapBootstrap", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-rdap-bootstrap-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a file of one's own, preferring https and the longest suffix", async () => {
    const path = join(dir, "own.json");
    await writeFile(
      path,
      JSON.stringify({
        services: [
          [["Example."], ["http://plain.test/rdap", "https://tls.test/rdap"]],
          [["co.example"], ["https://co.test/"]],
          [["gone"], ["ftp://old.test/"]],
        ],
      }),
    );
    const own = loadRdapBootstrap(path);
    expect(rdapBaseFor(own, "news.example")).toBe("https://tls.test/rdap/");
    expect(rdapBaseFor(own, "WWW.News.Co.Example.")).toBe("https://co.test/");
    // A service with no http(s) server is no service.
    expect(rdapBaseFor(own, "x.gone")).toBeUndefined();
  });

  it("refuses a file that is missing, not JSON or too big, with a config error", async () => {
    const notJson = join(dir, "not-json.json");
    await writeFile(notJson, "{ services: ");
    const big = join(dir, "big.json");
    await writeFile(big, Buffer.alloc(MAX_RDAP_BOOTSTRAP_BYTES + 1, 0x20));
    for (const [path, message] of [
      [join(dir, "missing.json"), /cannot be read/],
      [notJson, /not in IANA's dns.json format/],
      [big, /over \d+ bytes/],
    ] as const) {
      expect(() => loadRdapBootstrap(path)).toThrow(
        expect.objectContaining({
          code: "VIGIL_ERR_CONFIG_INVALID",
          message: expect.stringMatching(message),
        }),
      );
    }
  });
});

describe("bootstrap documents of the wrong shape", () => {
  const tooMany = Array.from({ length: MAX_RDAP_SERVICES + 1 }, () => [[], []]);
  it.each([
    ["a list", [], /no services array/],
    ["a string", "services", /not a JSON object/],
    ["null", null, /not a JSON object/],
    ["no services", { description: "x" }, /no services array/],
    ["services not a list", { services: { a: 1 } }, /no services array/],
    ["too many services", { services: tooMany }, /over \d+ services/],
  ])("refuses %s, naming what is wrong, for domains and addresses", (_, doc, message) => {
    expect(() => parseRdapBootstrap(doc)).toThrow(message);
    expect(() => parseRdapIpBootstrap(doc)).toThrow(message);
  });

  it("names the service that is not [[entries…], [urls…]], by what its entries are", () => {
    const services = [
      [["com"], ["https://ok.test/"]],
      [["net"], "https://not-a-list.test/"],
    ];
    expect(() => parseRdapBootstrap({ services })).toThrow("service 2 is not [[labels…], [urls…]]");
    expect(() => parseRdapIpBootstrap({ services })).toThrow(
      "service 2 is not [[prefixes…], [urls…]]",
    );
    expect(() => parseRdapBootstrap({ services: [[["com", 7], ["https://x.test/"]]] })).toThrow(
      "service 1 is not [[labels…], [urls…]]",
    );
  });
});
