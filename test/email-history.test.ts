/**
 * Correspondent history end to end: `vigil scan email` records every message's header
 * facts, and a later scan says first-contact for a stranger and flags a known contact's
 * message with a new reply path and a link to a new domain as a hijacked account; a
 * re-scan gives the same verdicts and adds nothing. The demo mailbox's hijacked adviser.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type EmailReport,
  type EmailScanSummary,
  loadWatchlist,
  openStore,
  scanEmail,
} from "../src/index.js";
import { jsonOf, runCli } from "./support/cli-process.js";

const DEMO = fileURLToPath(new URL("../data/demo/", import.meta.url));
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vigil-history-"));
  await mkdir(join(dir, "mail"));
  await writeFile(
    join(dir, "vigil.yaml"),
    `version: 1
people:
  - name: Dana Whitfield
    emails: [dana@harper.example]
organisations:
  - name: Harper for America
    domains: [harper.example]
`,
  );
});
afterAll(async () => {
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

function eml(headers: string, body: string): string {
  return `${headers}\nMessage-ID: <${Math.random().toString(36).slice(2)}@test>\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n${body}\n`;
}

const FIRST = eml(
  "From: Robert Vance <robert@vance-advisory.example>\nTo: Dana Whitfield <dana@harper.example>\nSubject: Catching up",
  "<p>Dana, good to see you last week. Let us talk again after the debate. Robert</p>",
);
const HIJACKED = eml(
  "From: Robert Vance <robert@vance-advisory.example>\nReply-To: Robert Vance <robert.vance.private@gmail.com>\nTo: Dana Whitfield <dana@harper.example>\nSubject: Re: Catching up\nIn-Reply-To: <earlier@vance-advisory.example>",
  '<p>Dana, the notes we discussed are here: <a href="https://vance-notes-share.example/view">debate notes</a>. Robert</p>',
);
const STRANGER = eml(
  "From: Ellen Marsh <ellen@newsroom-daily.example>\nTo: Dana Whitfield <dana@harper.example>\nSubject: A question about the rally",
  "<p>Dear Ms Whitfield, could you tell me when the rally starts? Ellen</p>",
);

async function scan(file: string, content: string): Promise<EmailScanSummary> {
  await writeFile(join(dir, "mail", file), content);
  const run = await runCli(
    [
      "--config",
      join(dir, "vigil.yaml"),
      "--db",
      join(dir, "history.db"),
      "scan",
      "email",
      join(dir, "mail", file),
      "--no-dns",
      "--json",
    ],
    dir,
  );
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return jsonOf<EmailScanSummary>(run);
}

const rules = (r: EmailReport | undefined) => r?.reasons.map((x) => x.rule) ?? [];
const HISTORY_RULES = [
  "first-contact",
  "known-sender-new-reply-path",
  "thread-new-reply-path",
  "known-sender-new-link-domain",
];

describe("correspondent history through vigil scan email", () => {
  it("flags a known contact's hijacked account and a stranger's first contact", async () => {
    const first = await scan("1-first.eml", FIRST);
    expect(first.reports[0]?.verdict).toBe("clean");
    // Nothing on record for Dana yet: no history rule can fire.
    for (const rule of HISTORY_RULES) expect(rules(first.reports[0])).not.toContain(rule);
    // A clean message leaves only its header facts behind, not a finding.
    expect(first.findingsAdded).toBe(0);

    const second = await scan("2-hijacked.eml", HIJACKED);
    const hijacked = second.reports[0];
    expect(rules(hijacked)).toEqual(
      expect.arrayContaining([
        "reply-to-freemail",
        "known-sender-new-reply-path",
        "thread-new-reply-path",
        "known-sender-new-link-domain",
      ]),
    );
    expect(rules(hijacked)).not.toContain("first-contact");
    expect(hijacked?.verdict).not.toBe("clean");
    expect(hijacked?.techniques.map((t) => t.id)).toEqual(
      expect.arrayContaining(["T1566", "T1656", "T1586"]),
    );
    const reason = hijacked?.reasons.find((r) => r.rule === "known-sender-new-reply-path");
    expect(reason?.feature).toContain("gmail.com");
    expect(reason?.feature).toContain("robert@vance-advisory.example (1 earlier message)");
    const sum = hijacked?.reasons.reduce((s, r) => s + r.weight, 0) ?? 0;
    expect(sum).toBeCloseTo(hijacked?.score ?? -1, 2);

    const third = await scan("3-stranger.eml", STRANGER);
    const stranger = third.reports[0];
    expect(rules(stranger)).toContain("first-contact");
    expect(stranger?.reasons.find((r) => r.rule === "first-contact")?.weight).toBe(0.1);
    expect(stranger?.verdict).toBe("clean");

    // All three again in one scan: counted before, so each sees the history as it stood
    // before it and gets the same verdict; nothing new is stored.
    const run = await runCli(
      [
        "--config",
        join(dir, "vigil.yaml"),
        "--db",
        join(dir, "history.db"),
        "scan",
        "email",
        join(dir, "mail"),
        "--no-dns",
        "--json",
      ],
      dir,
    );
    const again = jsonOf<EmailScanSummary>(run);
    expect(again.reports.map((r) => [r.verdict, r.score])).toEqual([
      [first.reports[0]?.verdict, first.reports[0]?.score],
      [hijacked?.verdict, hijacked?.score],
      [stranger?.verdict, stranger?.score],
    ]);
    expect(again.findingsAdded).toBe(0);
  });

  it("sees a contact's first message in the same scan, before its batch is stored", async () => {
    const store = await openStore({ path: join(dir, "one-run.db") });
    try {
      const watchlist = await loadWatchlist(join(dir, "vigil.yaml"));
      await writeFile(
        join(dir, "mbox"),
        `From a@b Mon Jun 10 09:00:00 2024\n${FIRST}\nFrom a@b Mon Jun 10 10:00:00 2024\n${HIJACKED}`,
      );
      const summary = await scanEmail([join(dir, "mbox")], { store, watchlist, batchSize: 1 });
      expect(rules(summary.reports[0])).not.toContain("known-sender-new-reply-path");
      expect(rules(summary.reports[1])).toContain("known-sender-new-reply-path");
    } finally {
      await store.close();
    }
  });

  it("shows the demo's hijacked adviser with the hijack reason", async () => {
    const store = await openStore({ path: join(dir, "demo.db") });
    try {
      const watchlist = await loadWatchlist(join(DEMO, "vigil.yaml"));
      const summary = await scanEmail([join(DEMO, "mail")], { store, watchlist });
      const by = (name: string) => summary.reports.find((r) => r.source.endsWith(name));
      expect(rules(by("01-castellano-podcast.eml"))).not.toContain("first-contact");
      expect(rules(by("02-castellano-login.eml"))).toEqual(
        expect.arrayContaining(["known-sender-new-reply-path", "thread-new-reply-path"]),
      );
      expect(by("02-castellano-login.eml")?.verdict).toBe("phishing");
      // Clean mail stays clean with first-contact's 0.1; colleagues are not strangers.
      expect(rules(by("07-volunteer.eml"))).toContain("first-contact");
      expect(by("07-volunteer.eml")?.verdict).toBe("clean");
      expect(rules(by("05-schedule.eml"))).not.toContain("first-contact");
    } finally {
      await store.close();
    }
    const demo = await runCli(["demo"], dir);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain("known-sender-new-reply-path");
  }, 60_000);
});
