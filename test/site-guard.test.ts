/**
 * The SSRF guard without any traffic: which addresses are refused, how odd URL spellings
 * are read, and that a refused URL is never connected to.
 */
import { describe, expect, it } from "vitest";
import {
  AddressPolicy,
  parseSafeUrl,
  RobotsPolicy,
  SafeFetcher,
  staticResolver,
  VigilError,
} from "../src/index.js";

const policy = new AddressPolicy();

describe("AddressPolicy", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["169.254.169.254", "cloud metadata"],
    ["169.254.1.1", "link-local"],
    ["100.100.100.200", "cloud metadata"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["198.18.0.1", "benchmarking"],
    ["192.0.2.10", "documentation"],
    ["198.51.100.1", "documentation"],
    ["203.0.113.1", "documentation"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "unique local"],
    ["fd00:ec2::254", "cloud metadata"],
    ["fe80::1", "link-local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "cloud metadata"],
    ["::ffff:8.8.8.8", "IPv4-mapped"],
    ["::127.0.0.1", "loopback"],
    ["64:ff9b::7f00:1", "NAT64 of 127.0.0.1: loopback"],
    ["64:ff9b::a00:1", "private"],
    ["64:ff9b:1::1", "local-use NAT64"],
    ["2002:7f00:1::1", "6to4 of 127.0.0.1"],
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo of 127.0.0.1"],
    ["2001:db8::1", "documentation"],
    ["3fff::1", "documentation"],
    ["2001:2::1", "benchmarking"],
  ])("refuses %s (%s)", (address, reason) => {
    expect(policy.refusal(address)).toContain(reason);
  });

  it.each(["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "64:ff9b::808:808"])(
    "lets public %s through",
    (address) => {
      expect(policy.refusal(address)).toBeUndefined();
    },
  );

  it("lets through only what the test-only allow option names", () => {
    const lab = new AddressPolicy(["127.0.0.1"]);
    expect(lab.refusal("127.0.0.1")).toBeUndefined();
    expect(lab.refusal("127.0.0.2")).toContain("loopback");
    expect(lab.refusal("::1")).toContain("loopback");
    expect(() => new AddressPolicy(["not-an-ip"])).toThrow(VigilError);
  });
});

describe("parseSafeUrl", () => {
  it.each([
    "http://2130706433/",
    "http://0x7f.1/",
    "http://017700000001/",
    "http://127.1/",
    "http://0x7f000001/",
    "http://127.0.0.1./",
  ])("reads %s as 127.0.0.1", (text) => {
    expect(parseSafeUrl(text).hostname).toBe("127.0.0.1");
  });

  it.each([
    ["ftp://files.example/x", "VIGIL_ERR_WEB_REFUSED"],
    ["file:///etc/passwd", "VIGIL_ERR_WEB_REFUSED"],
    ["gopher://x.example/", "VIGIL_ERR_WEB_REFUSED"],
    ["http://user:secret@news.example/", "VIGIL_ERR_WEB_REFUSED"],
    ["http://localhost:8080/", "VIGIL_ERR_WEB_REFUSED"],
    ["http://a.localhost/", "VIGIL_ERR_WEB_REFUSED"],
    ["http://metadata.google.internal/", "VIGIL_ERR_WEB_REFUSED"],
    ["not a url", "VIGIL_ERR_WEB_URL"],
  ])("refuses %s", (text, code) => {
    expect(() => parseSafeUrl(text)).toThrow(expect.objectContaining({ code }));
  });
});

describe("SafeFetcher refuses before connecting", () => {
  // No resolver answers for real and nothing listens: a connection attempt would fail
  // with VIGIL_ERR_WEB_CONNECT, so VIGIL_ERR_WEB_REFUSED shows the guard stopped it first.
  const fetcher = new SafeFetcher({
    resolver: staticResolver({
      "inside.test": ["127.0.0.1"],
      "mixed.test": ["8.8.8.8", "10.0.0.1"],
    }),
    limits: { timeoutMs: 2000 },
  });

  it.each([
    "http://2130706433/",
    "http://0x7f.1/",
    "http://017700000001/",
    "http://127.1/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/",
    "http://inside.test/",
    "http://mixed.test/",
  ])("%s", async (url) => {
    await expect(fetcher.get(url)).rejects.toMatchObject({ code: "VIGIL_ERR_WEB_REFUSED" });
  });
});

describe("RobotsPolicy", () => {
  const text = `
# comment
User-agent: *
Disallow: /private
Allow: /private/open
Disallow: /*.pdf$

User-agent: vigil-capture
User-agent: other
Disallow: /no-vigil
Crawl-delay: 120
`;
  it("follows the group naming the crawler, longest match first", () => {
    const robots = RobotsPolicy.parse(text, "vigil-capture/0.1");
    expect(robots.allows("/no-vigil/page")).toBe(false);
    expect(robots.allows("/private")).toBe(true);
    expect(robots.crawlDelaySeconds).toBe(30);
  });
  it("falls back to *, with wildcards and anchors", () => {
    const robots = RobotsPolicy.parse(text, "someone-else/1.0");
    expect(robots.allows("/private/x")).toBe(false);
    expect(robots.allows("/private/open/x")).toBe(true);
    expect(robots.allows("/docs/a.pdf")).toBe(false);
    expect(robots.allows("/docs/a.pdf?x=1")).toBe(true);
    expect(robots.allows("/robots.txt")).toBe(true);
  });
});
