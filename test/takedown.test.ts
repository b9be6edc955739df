/**
 * `vigil takedown` end to end: a lookalike of a protected outlet found by `scan domains`,
 * its (fictional) site captured from a loopback HTTPS server with DNS, RDAP and a
 * screenshot, then the packet written and read back: registrar and abuse contact, hosting
 * addresses, the outlet imitated, screenshots, WARC and page hashes, evidence-log entries.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseId, type EvidenceEntry, type TakedownPacket } from "../src/index.js";
import { jsonOf, runCli } from "./support/cli-process.js";
import { type DnsTestServer, startDnsServer } from "./support/dns-server.js";
import { rdapDomain, rdapIpNetwork, rdapRoutes } from "./support/rdap-fixtures.js";
import { type SiteServer, startSiteServer } from "./support/site-server.js";
import { multiDomainTls } from "./support/tls-certificate.js";

const LOOKALIKE = "washingtonpost-news.com";
const PAGE = `<!doctype html><html><head><title>The Washington Post — Democracy Dies in Darkness</title>
<link rel="icon" href="/favicon.ico"></head><body style="background:#fff;font-family:serif">
<h1>The Washington Post</h1><article><h2>Election officials warn of changes to polling places</h2>
<p>Voters in several states should check where to vote, officials said.</p></article></body></html>`;

describe("vigil takedown", () => {
  let dir = "";
  let site: SiteServer;
  let rdap: SiteServer;
  let dns: DnsTestServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-takedown-"));
    dns = await startDnsServer({
      [LOOKALIKE]: {
        a: ["203.0.113.50"],
        ns: ["ns1.bulletproof-host.test", "ns2.bulletproof-host.test"],
        mx: [{ exchange: "mail.bulletproof-host.test", priority: 10 }],
      },
    });
    rdap = await startSiteServer(
      rdapRoutes(
        { [LOOKALIKE]: rdapDomain(LOOKALIKE, "2024-08-20T09:00:00Z") },
        {},
        {
          // The capture comes from loopback: the fixture's hosting network answers for it.
          "127.0.0.1": rdapIpNetwork("127.0.0.0", "127.255.255.255", {
            name: "BULLETPROOF-HOST-NET",
            country: "SC",
            holder: "Example Bulletproof Hosting Ltd",
            prefix: 8,
          }),
        },
      ),
    );
    site = await startSiteServer(
      { "/": { body: PAGE } },
      { tls: multiDomainTls([LOOKALIKE, `www.${LOOKALIKE}`]) },
    );
  });
  afterAll(async () => {
    await site?.close();
    await rdap?.close();
    await dns?.close();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("writes per domain the facts an abuse desk needs, as Markdown and JSON", async () => {
    expect((await runCli(["init"], dir)).code).toBe(0);
    await writeFile(join(dir, "domains.txt"), `${LOOKALIKE}\nwashingtonpost.news\n`);
    const scan = await runCli(["scan", "domains", "domains.txt", "--json"], dir);
    expect(scan.code, scan.stderr).toBe(0);

    const capture = await runCli(
      [
        "scan",
        "site",
        site.url("/", LOOKALIKE),
        "--resolve",
        `${LOOKALIKE}=127.0.0.1`,
        "--allow-private-address",
        "127.0.0.1",
        "--dns-server",
        dns.server,
        "--rdap",
        rdap.url("/"),
        "--no-robots",
        "--host-interval",
        "0",
        "--json",
      ],
      dir,
    );
    expect(capture.code, capture.stderr).toBe(0);

    const id = caseId("same-target", "domain-lookalike:outlet:washington-post");
    const run = await runCli(["takedown", id, "--out", "packet", "--json"], dir);
    expect(run.code, run.stderr).toBe(0);
    const packet = jsonOf<TakedownPacket & { files: string[] }>(run);
    expect(packet.summary).toContain("The Washington Post");
    expect(packet.evidence).toMatchObject({ ok: true, entries: 1, screenshotsChecked: 1 });
    const lookalike = packet.domains.find((d) => d.domain === LOOKALIKE);
    expect(lookalike).toMatchObject({
      impersonates: [{ name: "The Washington Post", domains: ["washingtonpost.com"] }],
      registration: {
        outcome: "found",
        registrar: "Example Registrar, LLC",
        registrarIanaId: "9999",
        abuseEmail: "abuse@registrar.test",
        abusePhone: "+1.5555550100",
        created: "2024-08-20T09:00:00.000Z",
        privacyProxy: true,
      },
      hosting: {
        addresses: ["127.0.0.1", "203.0.113.50"],
        servedFrom: ["127.0.0.1"],
        nameServers: ["ns1.bulletproof-host.test", "ns2.bulletproof-host.test"],
        mailServers: ["mail.bulletproof-host.test"],
      },
    });
    expect(lookalike?.hosting.networks).toEqual([
      expect.objectContaining({
        address: "127.0.0.1",
        outcome: "found",
        name: "BULLETPROOF-HOST-NET",
        country: "SC",
        organisation: "Example Bulletproof Hosting Ltd",
        cidr: ["127.0.0.0/8"],
        abuseEmail: "abuse@hosting.test",
      }),
    ]);
    expect(lookalike?.hosting.network).toContain(
      "127.0.0.1: BULLETPROOF-HOST-NET, Example Bulletproof Hosting Ltd, SC",
    );
    expect(lookalike?.findings[0]?.reasons[0]).toContain("combosquatting");

    // Every hash in the packet is the hash of the file or log entry it names.
    const [c] = lookalike?.captures ?? [];
    expect(c?.title).toContain("The Washington Post");
    const warc = await readFile(join(dir, "evidence", c?.warc as string));
    expect(createHash("sha256").update(warc).digest("hex")).toBe(c?.warcSha256);
    const shot = await readFile(join(dir, "packet", c?.screenshot?.copiedTo as string));
    expect(createHash("sha256").update(shot).digest("hex")).toBe(c?.screenshot?.sha256);
    const entry = JSON.parse(
      (await readFile(join(dir, "evidence", "evidence-log.jsonl"), "utf8")).split(
        "\n",
      )[0] as string,
    ) as EvidenceEntry;
    expect(c).toMatchObject({
      evidenceSeq: entry.seq,
      evidenceHash: entry.hash,
      inEvidenceLog: true,
      certificate: { sans: [LOOKALIKE, `www.${LOOKALIKE}`] },
    });
    expect(entry.rdap?.outcome).toBe("found");

    // The other lookalike was never captured: the packet says so and how to fix it.
    const news = packet.domains.find((d) => d.domain === "washingtonpost.news");
    expect(news?.captures).toEqual([]);
    expect(news?.gaps.join(" ")).toContain("vigil scan site https://washingtonpost.news/");

    for (const name of ["takedown.md", "packet.json", `${LOOKALIKE}.md`, `${LOOKALIKE}.json`]) {
      expect(existsSync(join(dir, "packet", name)), name).toBe(true);
    }
    const markdown = await readFile(join(dir, "packet", `${LOOKALIKE}.md`), "utf8");
    expect(markdown.split("\n")[0]).toBe(`# Takedown request: ${LOOKALIKE}`);
    expect(markdown).toContain(packet.summary);
    expect(markdown).toContain("| Abuse contact | abuse@registrar.test, +1.5555550100 |");
    expect(markdown).toMatch(
      /\| Hosting network \| 127\.0\.0\.1: BULLETPROOF-HOST-NET.+abuse abuse@hosting\.test/,
    );
    expect(markdown).toContain(c?.warcSha256 as string);
    expect(markdown).toContain(c?.evidenceHash as string);
    expect(markdown).toContain(c?.screenshot?.sha256 as string);
  });

  it("names the known cases when the one asked for does not exist", async () => {
    const run = await runCli(["takedown", "case_nope"], dir);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("no case case_nope");
  });
});
