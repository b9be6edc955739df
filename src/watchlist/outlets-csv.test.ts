import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { vigilError } from "../../test/support/errors.js";
import { parseDomain } from "../model/index.js";
import { parseOutletsCsv } from "./outlets-csv.js";

const US_CSV = new URL("../../../shared/data/outlets/us-news-domains.csv", import.meta.url);
const INTL_CSV = new URL("../../../shared/data/outlets/international-outlets.csv", import.meta.url);

const csv = (text: string) => new TextEncoder().encode(text);

describe("parseOutletsCsv on the real outlet lists", () => {
  it("reads the US news domain list (domain column, no names)", async () => {
    const result = parseOutletsCsv(await readFile(US_CSV), "us-news-domains.csv");
    expect(result.problems).toEqual([]);
    expect(result.columns).toEqual({ domain: "domain" });
    expect(result.outlets.length).toBeGreaterThan(5000);
    // Rows without a name are named after their domain.
    const cnn = result.outlets.find((o) => o.domains.includes("cnn.com"));
    expect(cnn?.name).toBe("cnn.com");
    for (const outlet of result.outlets) {
      for (const domain of outlet.domains) {
        expect(parseDomain(domain).ok, domain).toBe(true);
        expect(domain).toBe(domain.toLowerCase());
      }
    }
  });

  it("keeps the path of a portal section (yahoo.com/news)", async () => {
    const { outlets } = parseOutletsCsv(await readFile(US_CSV), "us-news-domains.csv");
    const yahoo = outlets.find((o) => o.domains.some((d) => d.startsWith("yahoo.com")));
    expect(yahoo?.domains).toEqual(["yahoo.com/news"]);
  });

  it("reads the malformed `http:kaaltv.com` row as kaaltv.com", async () => {
    const { outlets } = parseOutletsCsv(await readFile(US_CSV), "us-news-domains.csv");
    const all = outlets.flatMap((o) => o.domains);
    expect(all).toContain("kaaltv.com");
    expect(all.some((d) => d.includes("http"))).toBe(false);
  });

  it("reads the international list with names, several domains and countries", async () => {
    const result = parseOutletsCsv(await readFile(INTL_CSV), "international-outlets.csv");
    expect(result.problems).toEqual([]);
    expect(result.columns).toEqual({ domain: "domains", name: "name", country: "country" });
    expect(result.outlets).toHaveLength(50);
    expect(result.outlets.find((o) => o.name === "BBC")).toEqual({
      name: "BBC",
      aliases: [],
      domains: ["bbc.co.uk", "bbc.com"],
      handles: [],
      country: "GB",
    });
    expect(result.outlets.find((o) => o.name === "Der Spiegel")?.domains).toEqual(["spiegel.de"]);
    // A short form in brackets is kept as an alias: lookalikes spell it (rbk.media).
    expect(result.outlets.find((o) => o.domains.includes("rbc.ua"))?.aliases).toEqual(["RBK"]);
  });
});

describe("parseOutletsCsv", () => {
  it("recognises columns by header, in any order and case", () => {
    const result = parseOutletsCsv(
      csv(
        "Country,Outlet Name,Handles,Website\nDE,Der Spiegel,@derspiegel;@spiegelonline,https://www.spiegel.de/\n",
      ),
      "x.csv",
    );
    expect(result.columns).toEqual({
      domain: "Website",
      name: "Outlet Name",
      country: "Country",
      handles: "Handles",
    });
    expect(result.outlets).toEqual([
      {
        name: "Der Spiegel",
        aliases: [],
        domains: ["www.spiegel.de"],
        handles: ["@derspiegel", "@spiegelonline"],
        country: "DE",
      },
    ]);
  });

  it("reads aliases from an aliases column and from a name's brackets", () => {
    const result = parseOutletsCsv(
      csv('name,domain,aka\n"RBC-Ukraine (RBK)",rbc.ua,РБК;RBK\nThe Post,thepost.example,\n'),
      "x.csv",
    );
    expect(result.columns.aliases).toBe("aka");
    expect(result.outlets.map((o) => o.aliases)).toEqual([["RBK", "РБК"], []]);
  });

  it("splits domains on ; or |, normalises them and drops duplicates", () => {
    const { outlets } = parseOutletsCsv(
      csv('name,domains\nBBC,"BBC.co.uk; bbc.com | bbc.co.uk."\n'),
      "x.csv",
    );
    expect(outlets[0]?.domains).toEqual(["bbc.co.uk", "bbc.com"]);
  });

  it("reads a byte-order mark, CRLF line ends and quoted commas", () => {
    const { outlets, problems } = parseOutletsCsv(
      csv('\uFEFFname,domain\r\n"Spiegel, Der",spiegel.de\r\n\r\nBild,bild.de\r\n'),
      "x.csv",
    );
    expect(problems).toEqual([]);
    expect(outlets.map((o) => o.name)).toEqual(["Spiegel, Der", "Bild"]);
  });

  it("turns IDN domains into punycode", () => {
    const { outlets } = parseOutletsCsv(csv("domain\nbücher.de\n"), "x.csv");
    expect(outlets[0]?.domains).toEqual(["xn--bcher-kva.de"]);
  });

  it("refuses a header without a domain column, naming line 1", () => {
    const err = vigilError(() => parseOutletsCsv(csv("name,country\nBBC,GB\n"), "outlets.csv"));
    expect(err.code).toBe("VIGIL_ERR_WATCHLIST_CSV");
    expect(err.message).toMatch(/^outlets\.csv line 1: /);
    expect(err.message).toContain("domain");
  });

  it("refuses an empty file", () => {
    const err = vigilError(() => parseOutletsCsv(csv(""), "empty.csv"));
    expect(err.code).toBe("VIGIL_ERR_WATCHLIST_CSV");
    expect(err.message).toContain("empty.csv");
  });

  it("reports bad rows by line and field and keeps the good ones", () => {
    const { outlets, problems } = parseOutletsCsv(
      csv(
        [
          "name,domain,country",
          "Fox News,foxnews.com,US",
          "Broken,-bad.com,US",
          "",
          "No Domain,,US",
          "Mixed,mixed.com;x..com,US",
          "Bild,bild.de,DE",
          "IP,10.0.0.1,US",
        ].join("\n"),
      ),
      "outlets.csv",
    );
    expect(outlets.map((o) => o.name)).toEqual(["Fox News", "Mixed", "Bild"]);
    expect(outlets.find((o) => o.name === "Mixed")?.domains).toEqual(["mixed.com"]);
    expect(problems.map(({ line, field }) => ({ line, field }))).toEqual([
      { line: 3, field: "domain" },
      { line: 5, field: "domain" },
      { line: 6, field: "domain" },
      { line: 8, field: "domain" },
    ]);
    expect(problems[0]?.message).toContain("-bad");
    expect(problems[1]?.message).toBe("no domain");
  });

  it("counts lines correctly after a quoted field spanning lines", () => {
    const { problems } = parseOutletsCsv(
      csv('name,domain\n"Two\nLines",two.com\nBad,bad..com\n'),
      "x.csv",
    );
    expect(problems).toEqual([expect.objectContaining({ line: 4, field: "domain" })]);
  });

  it("reports a name that is too long instead of storing it", () => {
    const { outlets, problems } = parseOutletsCsv(
      csv(`name,domain\n${"n".repeat(501)},long.com\nok,ok.com\n`),
      "x.csv",
    );
    expect(outlets.map((o) => o.name)).toEqual(["ok"]);
    expect(problems).toEqual([expect.objectContaining({ line: 2, field: "name" })]);
  });

  it("refuses binary garbage, naming the line", () => {
    const bytes = new Uint8Array([
      ...csv("name,domain\nA,a.com\n"),
      0x00,
      0x01,
      0x02,
      0xff,
      0x00,
      ...csv("\nB,b.com\n"),
    ]);
    const err = vigilError(() => parseOutletsCsv(bytes, "garbage.csv"));
    expect(err.message).toMatch(/^garbage\.csv line 3: /);
  });

  it("refuses invalid UTF-8, naming the line", () => {
    const bytes = new Uint8Array([
      ...csv("name,domain\nA,a.com\nB,b.com\nC,c"),
      0xc3,
      0x28, // an invalid two-byte sequence
      ...csv(".com\nD,d.com\n"),
    ]);
    const err = vigilError(() => parseOutletsCsv(bytes, "latin1.csv"));
    expect(err.message).toMatch(/^latin1\.csv line 4: /);
    expect(err.message).toContain("UTF-8");
  });

  it("refuses a quote left open, naming the line", () => {
    const err = vigilError(() =>
      parseOutletsCsv(csv('name,domain\nA,a.com\n"B,b.com\nC,c.com\n'), "open.csv"),
    );
    expect(err.code).toBe("VIGIL_ERR_WATCHLIST_CSV");
    expect(err.message).toMatch(/^open\.csv line \d+: /);
  });

  it("refuses a record over the size limit instead of buffering it", () => {
    const err = vigilError(() =>
      parseOutletsCsv(csv(`name,domain\n"${"x".repeat(100_000)}",a.com\n`), "huge.csv"),
    );
    expect(err.code).toBe("VIGIL_ERR_WATCHLIST_CSV");
    expect(err.message).toContain("huge.csv");
  });
});
