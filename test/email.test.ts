/**
 * `vigil scan email` end to end through the built CLI, and the email detector through the
 * public API: watchlist impersonation caught, the genuine person not flagged, reasons
 * adding up to the score, findings stored, folders, mbox and standard input read.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EmailDetector,
  type EmailMessage,
  type EmailScanSummary,
  WatchlistSchema,
} from "../src/index.js";
import { jsonOf, runCli } from "./support/cli-process.js";
import { parsedMessage } from "./support/mail-fixtures.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/email/", import.meta.url));
const MESSAGES = join(FIXTURES, "messages");
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vigil-email-"));
});
afterAll(async () => {
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

const base = (cmd: string[], db: string) => [
  "--config",
  join(FIXTURES, "vigil.yaml"),
  "--db",
  join(dir, db),
  ...cmd,
];

describe("vigil scan email", () => {
  it("flags the impersonation and the payload, not the genuine message, and stores the findings", async () => {
    const run = await runCli(base(["scan", "email", MESSAGES, "--no-dns", "--json"], "a.db"), dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const summary = jsonOf<EmailScanSummary>(run);
    expect(summary.messages).toBe(3);
    const by = (name: string) => summary.reports.find((r) => r.source.endsWith(name));
    const lure = by("interview-lure.eml");
    expect(lure?.verdict).toBe("phishing");
    const rules = lure?.reasons.map((r) => r.rule) ?? [];
    expect(rules).toEqual(
      expect.arrayContaining([
        "watchlist-name-other-address",
        "reply-to-elsewhere",
        "lookalike-link-domain",
        "link-text-mismatch",
        "lure-interview",
      ]),
    );
    expect(lure?.target).toMatchObject({ type: "person", name: "Dana Whitfield" });
    expect(lure?.targetedPeople).toEqual(["Marcus Ortega"]);
    expect(lure?.techniques.map((t) => t.id)).toEqual(
      expect.arrayContaining(["T1656", "T1566.002", "T1583.001"]),
    );
    // The weights of the reasons add up to the score.
    const sum = lure?.reasons.reduce((s, r) => s + r.weight, 0) ?? 0;
    expect(sum).toBeCloseTo(lure?.score ?? -1, 2);
    expect(lure?.auth.dkim.source).toBe("not-checked");

    const payload = by("payload.eml");
    expect(payload?.verdict).not.toBe("clean");
    expect(payload?.reasons.map((r) => r.rule)).toEqual(
      expect.arrayContaining(["risky-attachment", "double-extension"]),
    );
    expect(payload?.techniques.map((t) => t.id)).toContain("T1566.001");

    expect(by("genuine.eml")).toMatchObject({ verdict: "clean", score: 0, reasons: [] });
    expect(summary.findingsAdded).toBe(2);

    const listed = await runCli(
      base(["findings", "--kind", "email-phishing", "--json"], "a.db"),
      dir,
    );
    const findings = jsonOf<Array<{ kind: string; score: number }>>(listed);
    expect(findings).toHaveLength(2);
    // Re-scanning adds nothing: ids derive from content.
    const again = jsonOf<EmailScanSummary>(
      await runCli(base(["scan", "email", MESSAGES, "--no-dns", "--json"], "a.db"), dir),
    );
    expect(again.findingsAdded).toBe(0);
  });

  it("reads an mbox from standard input and prints a readable summary", async () => {
    const lure = await readFile(join(MESSAGES, "interview-lure.eml"), "utf8");
    const genuine = await readFile(join(MESSAGES, "genuine.eml"), "utf8");
    const mbox = `From x@y Mon Jun 10 09:12:00 2024\n${lure}\nFrom z@w Mon Jun 10 10:00:00 2024\n${genuine}`;
    const run = await runCli(base(["scan", "email", "-", "--no-dns"], "b.db"), dir, {
      input: mbox,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("phishing");
    expect(run.stdout).toContain("stdin message 1 (line 1)");
    expect(run.stdout).toMatch(/2 messages: 1 phishing, 0 suspicious, 1 clean/);
  });

  it("reports a message over a limit, triages it, and exits 3", async () => {
    const big = `From: a@b.example\nSubject: big\n\n${"x".repeat(1_300_000)}\n`;
    await writeFile(join(dir, "big.eml"), big);
    const run = await runCli(
      base(
        ["scan", "email", join(dir, "big.eml"), "--no-dns", "--max-message-mb", "1", "--json"],
        "c.db",
      ),
      dir,
    );
    expect(run.code).toBe(3);
    const summary = jsonOf<EmailScanSummary>(run);
    expect(summary.problems[0]).toMatchObject({
      code: "VIGIL_ERR_MAIL_LIMIT",
      item: join(dir, "big.eml"),
    });
    expect(summary.reports[0]).toMatchObject({ outcome: "limited", subject: "big" });
    expect(summary.reports[0]?.limits[0]).toMatchObject({
      limit: "message-bytes",
      max: 1024 * 1024,
    });
  });

  it("rejects bad options with a usage error", async () => {
    const run = await runCli(
      base(["scan", "email", MESSAGES, "--client-ip", "not an ip"], "d.db"),
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--client-ip");
  });
});

describe("EmailDetector", () => {
  const watchlist = WatchlistSchema.parse({
    people: [{ name: "Dana Whitfield", emails: ["dana@campaign.example"] }],
    organisations: [{ name: "Harper for America", domains: ["harperforamerica.com"] }],
  });
  const detector = new EmailDetector(watchlist);
  const message = (over: Partial<EmailMessage>): EmailMessage =>
    parsedMessage({ size: 100, ...over });

  it("catches lookalikes of the organisation's domain in the sender, and leaves its own alone", () => {
    const fake = detector.assess(
      message({ from: { name: "Press Office", address: "press@harperforarnerica.com" } }),
    );
    expect(fake.reasons.map((r) => r.rule)).toContain("lookalike-sender-domain");
    expect(fake.target).toMatchObject({ type: "organisation", name: "Harper for America" });
    const own = detector.assess(
      message({ from: { name: "Press Office", address: "press@harperforamerica.com" } }),
    );
    expect(own.reasons).toEqual([]);
  });

  it("flags free mail that speaks for a listed organisation and display names hiding another address", () => {
    const claims = detector.assess(
      message({ from: { name: "Harper for America", address: "harper.hq@gmail.com" } }),
    );
    expect(claims.reasons.map((r) => r.rule)).toContain("freemail-claims-watchlist");
    expect(claims.techniques.map((t) => t.id)).toContain("T1566.003");
    const hidden = detector.assess(
      message({ from: { name: "support@bank.example", address: "x@mailer.example" } }),
    );
    expect(hidden.reasons.map((r) => r.rule)).toContain("display-name-address");
  });

  it("judges links: IP hosts, punycode, shorteners, redirectors, forms, login paths", () => {
    const m = detector.assess(
      message({
        links: [
          { href: "http://192.0.2.1/login", from: "html" },
          { href: "https://xn--80ak6aa92e.com/", from: "html" },
          { href: "https://bit.ly/abc", from: "text" },
          { href: "https://www.google.com/url?q=https://evil.example/x", from: "html" },
          { href: "https://docs.google.com/forms/d/e/1/viewform", from: "html" },
        ],
      }),
    );
    expect(m.reasons.map((r) => r.rule)).toEqual(
      expect.arrayContaining([
        "ip-literal-link",
        "punycode-link",
        "url-shortener",
        "redirector-link",
        "form-service-link",
        "credential-path-link",
      ]),
    );
    expect(m.techniques.map((t) => t.id)).toEqual(expect.arrayContaining(["T1566.002", "T1598"]));
    expect(m.score).toBeLessThanOrEqual(1);
    expect(m.reasons.reduce((s, r) => s + r.weight, 0)).toBeCloseTo(m.score, 2);
  });

  it("judges attachments: macros, archives holding scripts, encryption, disguised types", () => {
    const m = detector.assess(
      message({
        attachments: [
          { filename: "budget.xlsm", mimeType: "application/vnd.ms-excel", size: 10 },
          {
            filename: "invoice.pdf",
            mimeType: "application/pdf",
            size: 10,
            sniffed: "pe-executable",
          },
          {
            filename: "files.zip",
            mimeType: "application/zip",
            size: 10,
            sniffed: "zip",
            archive: {
              format: "zip",
              entries: [{ name: "run.js", size: 1, compressedSize: 1, encrypted: true, depth: 1 }],
              entryCount: 1,
              declaredSize: 1,
              ratio: 0,
              encrypted: true,
              bomb: [],
            },
          },
        ],
      }),
    );
    expect(m.reasons.map((r) => r.rule)).toEqual(
      expect.arrayContaining([
        "macro-document",
        "extension-mismatch",
        "risky-attachment",
        "archive-risky-content",
        "encrypted-archive",
      ]),
    );
    expect(m.verdict).toBe("phishing");
  });

  it("counts lure words at half weight with nothing to click, and never past the lure cap", () => {
    const words = detector.assess(
      message({
        subject: "Action required: verify your account",
        text: "Unusual sign-in activity. Your password will expire. Review the shared document immediately.",
      }),
    );
    expect(words.verdict).toBe("clean");
    expect(words.score).toBeLessThanOrEqual(0.35);
  });
});
