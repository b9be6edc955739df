import { describe, expect, it } from "vitest";
import { prng } from "../../test/support/random.js";
import { MAX_DOMAIN_INPUT_CHARS, parseDomain } from "./domain-name.js";

function ok(raw: string) {
  const result = parseDomain(raw);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(raw)} to parse: ${result.message}`);
  return result.domain;
}

function failure(raw: string) {
  const result = parseDomain(raw);
  if (result.ok) throw new Error(`expected ${JSON.stringify(raw)} to fail`);
  return result;
}

describe("parseDomain", () => {
  it("splits a bare name into the parts lookalike rules compare", () => {
    expect(ok("news.bbc.co.uk")).toEqual({
      ascii: "news.bbc.co.uk",
      unicode: "news.bbc.co.uk",
      registrable: "bbc.co.uk",
      label: "bbc",
      unicodeLabel: "bbc",
      suffix: "co.uk",
      subdomain: "news",
      isIdn: false,
    });
  });

  it.each([
    ["https://washingtonpost.pm/world/story.html?id=1#top", "washingtonpost.pm"],
    ["http://www.foxnews.com", "www.foxnews.com"],
    ["https://user:secret@spiegel.de:8443/x", "spiegel.de"],
    ["hxxp://foxnews.in/", "foxnews.in"],
    ["http:kaaltv.com", "kaaltv.com"],
    ["yahoo.com/news", "yahoo.com"],
    ["washingtonpost.com.", "washingtonpost.com"],
    ["*.washingtonpost.com", "washingtonpost.com"],
    ["WashingtonPost.PM", "washingtonpost.pm"],
    ["HTTPS://WWW.SPIEGEL.DE/", "www.spiegel.de"],
    ["  foxnews.com\t", "foxnews.com"],
    ["ｆｏｘｎｅｗｓ.com", "foxnews.com"],
  ])("reads %j as %j", (raw, ascii) => {
    expect(ok(raw).ascii).toBe(ascii);
  });

  it("keeps the public suffix whole and a private suffix counts", () => {
    expect(ok("www.example.co.uk")).toMatchObject({ label: "example", suffix: "co.uk" });
    expect(ok("foxnews.blogspot.com")).toMatchObject({
      label: "foxnews",
      suffix: "blogspot.com",
      registrable: "foxnews.blogspot.com",
    });
  });

  it("takes an IDN in Unicode and gives it back in punycode, with the Unicode label", () => {
    const d = ok("Bücher.de");
    expect(d.ascii).toBe("xn--bcher-kva.de");
    expect(d.unicode).toBe("bücher.de");
    expect(d.label).toBe("xn--bcher-kva");
    expect(d.unicodeLabel).toBe("bücher");
    expect(d.isIdn).toBe(true);
  });

  it("reads a punycode name the same as its Unicode form", () => {
    expect(ok("xn--bcher-kva.de")).toEqual(ok("bücher.de"));
    // Cyrillic а (U+0430): a homoglyph spelling, still a valid IDN.
    const homoglyph = ok("wаshingtonpost.com");
    expect(homoglyph.ascii).toMatch(/^xn--/);
    expect(homoglyph.unicodeLabel).toBe("wаshingtonpost");
    expect(homoglyph.isIdn).toBe(true);
  });

  it("marks a name IDN when only a subdomain label is", () => {
    const d = ok("bücher.example.com");
    expect(d.isIdn).toBe(true);
    expect(d.label).toBe("example");
    expect(d.unicodeLabel).toBe("example");
  });

  it.each(["xn--zz.com", "xn--a.com", "xn--.com"])("refuses invalid punycode %j", (raw) => {
    expect(failure(raw).reason).toBe("invalid");
  });

  it.each(["a..com", ".com", "foxnews..", "..", "."])("refuses empty labels in %j", (raw) => {
    expect(failure(raw).reason).toBe("invalid");
  });

  it.each(["-foxnews.com", "foxnews-.com", "fox news.com", "[::1]", "fox!news.com"])(
    "refuses the malformed label in %j",
    (raw) => {
      expect(failure(raw).reason).toBe("invalid");
    },
  );

  it("refuses a label longer than 63 characters", () => {
    expect(ok(`${"a".repeat(63)}.com`).label).toHaveLength(63);
    expect(failure(`${"a".repeat(64)}.com`).reason).toBe("invalid");
  });

  it("refuses empty input with a reason", () => {
    expect(failure("")).toMatchObject({ reason: "invalid" });
    expect(failure("   ")).toMatchObject({ reason: "invalid" });
    expect(failure("https://")).toMatchObject({ reason: "invalid" });
  });

  it("refuses a 300-label name as too long", () => {
    const raw = `${"a.".repeat(299)}com`;
    expect(raw.split(".")).toHaveLength(300);
    const result = failure(raw);
    expect(result.reason).toBe("too-long");
    expect(result.message).toContain("253");
  });

  it("refuses a 10 MB string quickly and without echoing it back", () => {
    const raw = "a".repeat(10 * 1024 * 1024);
    const started = performance.now();
    const result = failure(raw);
    const elapsed = performance.now() - started;
    expect(result.reason).toBe("too-long");
    expect(result.message.length).toBeLessThan(200);
    expect(elapsed).toBeLessThan(50);
    expect(failure(`${"a".repeat(MAX_DOMAIN_INPUT_CHARS)}.com`).reason).toBe("too-long");
  });

  it.each(["192.168.0.1", "http://8.8.8.8/", "1.2.3.4"])(
    "refuses the IP address %j as not registrable",
    (raw) => {
      expect(failure(raw).reason).toBe("not-registrable");
    },
  );

  it.each(["com", "co.uk", "uk", "blogspot.com", "localhost"])(
    "refuses the bare suffix %j as not registrable",
    (raw) => {
      expect(failure(raw).reason).toBe("not-registrable");
    },
  );

  it("quotes the input in its messages with control characters escaped", () => {
    const result = failure("bad\u0007name\n.com\u0000");
    const controls = [...result.message].filter((c) => (c.codePointAt(0) ?? 0) < 0x20);
    expect(controls).toEqual([]);
    expect(result.message).toContain("\\u0007");
  });

  it("gives the same answer for a plain lower-case host as the full path does (seeded)", () => {
    // A leading space sends the text through scheme stripping and UTS #46 mapping.
    const rand = prng(46);
    const pieces = ["a", "k", "z", "0", "7", "-", "_", ".", ".com", ".co.uk", "0x", "xn", "1."];
    for (let n = 0; n < 3000; n++) {
      let raw = "";
      const length = 1 + Math.floor(rand() * 12);
      for (let i = 0; i < length; i++) raw += pieces[Math.floor(rand() * pieces.length)];
      expect(parseDomain(raw), raw).toEqual(parseDomain(` ${raw}`));
    }
  });

  it("never throws and always returns a domain or a reason on random input (seeded fuzz)", () => {
    const rand = prng(0xd0_4a1_0);
    const pieces = [
      "a",
      "z",
      "0",
      "9",
      ".",
      "-",
      "_",
      "xn--",
      "http://",
      "https:",
      "/",
      ":",
      "@",
      "*.",
      "%",
      "?",
      "#",
      "[",
      "]",
      " ",
      "\t",
      "\u0000",
      "é",
      "ß",
      "а",
      "ο",
      "。",
      "．",
      "\u200d",
      "\ufeff",
      "😀",
      "\ud800",
      "\udfff",
      ".com",
      ".co.uk",
    ];
    const randomString = () => {
      const length = Math.floor(rand() * 40);
      let out = "";
      for (let i = 0; i < length; i++) {
        const r = rand();
        if (r < 0.5) out += pieces[Math.floor(rand() * pieces.length)];
        else if (r < 0.8)
          out += String.fromCharCode(Math.floor(rand() * 0x100)); // bytes as Latin-1
        else out += String.fromCharCode(Math.floor(rand() * 0x10000)); // any UTF-16 unit
      }
      return out;
    };
    let parsed = 0;
    for (let n = 0; n < 2000; n++) {
      const raw = randomString();
      let result: ReturnType<typeof parseDomain> | undefined;
      expect(() => {
        result = parseDomain(raw);
      }, JSON.stringify(raw)).not.toThrow();
      if (!result) throw new Error("no result");
      if (result.ok) {
        parsed++;
        const d = result.domain;
        expect(d.ascii).toMatch(/^[a-z0-9_.-]+$/);
        expect(d.ascii.length).toBeLessThanOrEqual(253);
        expect(d.registrable).toBe(`${d.label}.${d.suffix}`);
        expect(d.ascii.endsWith(d.registrable)).toBe(true);
        expect(d.isIdn).toBe(d.ascii.split(".").some((l) => l.startsWith("xn--")));
      } else {
        expect(["too-long", "invalid", "not-registrable"]).toContain(result.reason);
        expect(result.message.length).toBeGreaterThan(0);
      }
    }
    // The generator must also reach the success path, or the test proves little.
    expect(parsed).toBeGreaterThan(0);
  });
});
