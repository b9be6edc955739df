/**
 * `vigil watch imap` against a real Dovecot started by the test on a loopback port: mail
 * waiting before the start is triaged, mail arriving while watching (IDLE) is triaged, a
 * restart resumes after the last stored UID, a UIDVALIDITY change is said and the folder
 * triaged again, `--quarantine` moves phishing and nothing else is changed, a refused
 * login ends the watch at once.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ImapAccount,
  type ImapStatus,
  loadWatchlist,
  type Store,
  VigilError,
  type WatchImapSummary,
  type Watchlist,
  watchImap,
} from "../src/index.js";
import { CLI, cliEnv, exited, jsonOf } from "./support/cli-process.js";
import { type Dovecot, startDovecot } from "./support/dovecot.js";
import { useTempStores } from "./support/temp-stores.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/email/", import.meta.url));
const stores = useTempStores("vigil-imap-");
let dovecot: Dovecot;
let watchlist: Watchlist;
const raw: Record<string, string> = {};

beforeAll(async () => {
  dovecot = await startDovecot();
  watchlist = await loadWatchlist(join(FIXTURES, "vigil.yaml"));
  for (const name of ["interview-lure", "genuine", "payload"]) {
    const text = await readFile(join(FIXTURES, "messages", `${name}.eml`), "utf8");
    raw[name] = text.replace(/\r?\n/g, "\r\n");
  }
});
afterAll(async () => {
  await dovecot?.stop();
});

function account(password = dovecot.password): ImapAccount {
  return {
    host: dovecot.host,
    port: dovecot.port,
    security: "plain",
    user: dovecot.user,
    password,
  };
}

/** A message like a fixture with its own Message-ID and subject, so each is a new message. */
function variant(name: string, tag: string): string {
  return (raw[name] ?? "")
    .replace(/^Message-ID: <([^>]*)>/m, `Message-ID: <${tag}-$1>`)
    .replace(/^Subject: (.*)$/m, `Subject: $1 [${tag}]`);
}

async function watchOnce(store: Store, folders: string[], extra: { quarantine?: string } = {}) {
  const lines: ImapStatus[] = [];
  const summary = await watchImap({
    store,
    watchlist,
    account: account(),
    folders,
    once: true,
    onStatus: (s) => lines.push(s),
    ...extra,
  });
  return { summary, lines };
}

describe("watch imap against Dovecot", () => {
  it("triages mail waiting before the start, resumes after a restart without re-triaging, and changes nothing", async () => {
    const folder = "Resume";
    await dovecot.append(folder, variant("interview-lure", "r1"));
    await dovecot.append(folder, variant("genuine", "r1"));
    await dovecot.append(folder, variant("payload", "r1"));
    const before = await dovecot.messages(folder);
    const store = await stores.fresh();

    const first = await watchOnce(store, [folder]);
    expect(first.summary.messages).toBe(3);
    expect(first.summary.verdicts.clean).toBe(1);
    expect(first.summary.verdicts.phishing + first.summary.verdicts.suspicious).toBe(2);
    expect(first.summary.findingsAdded).toBe(2);
    expect(first.lines.map((l) => l.message).join("\n")).toMatch(/first watch: 3 messages/);
    const findings = await store.listFindings({ kind: "email-phishing" });
    expect(findings).toHaveLength(2);
    expect((await store.listRuns(1))[0]?.command).toMatch(/^watch imap/);

    // Restarted: nothing new is triaged; one new message is.
    const second = await watchOnce(store, [folder]);
    expect(second.summary.messages).toBe(0);
    expect(second.lines.map((l) => l.message).join("\n")).toMatch(/resuming after UID 3: 0 new/);
    await dovecot.append(folder, variant("genuine", "r2"));
    const third = await watchOnce(store, [folder]);
    expect(third.summary.messages).toBe(1);
    expect(third.summary.folders[0]).toMatchObject({ folder, lastUid: 4 });

    // Read-only: no flag set (not even \Seen), nothing deleted.
    const after = await dovecot.messages(folder);
    expect(after.slice(0, 3)).toEqual(before);
    // \Recent is the server's session flag, not one a client sets.
    expect(after.every((m) => m.flags.filter((f) => f !== "\\Recent").length === 0)).toBe(true);
  });

  it("records every message's correspondent history and flags a known contact's new reply path", async () => {
    const folder = "History";
    const headers = (extra: string) =>
      `From: Robert Vance <robert@vance-advisory.example>\r\nTo: Dana Whitfield <dana.whitfield@harperforamerica.example>\r\n${extra}MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n`;
    await dovecot.append(
      folder,
      `${headers("Subject: Catching up\r\nMessage-ID: <h1@vance-advisory.example>\r\n")}<p>Good to see you. Robert</p>\r\n`,
    );
    const store = await stores.fresh();
    const first = await watchOnce(store, [folder]);
    expect(first.summary.verdicts.clean).toBe(1);
    // The clean message left its header facts, not a finding.
    expect(await store.listFindings({ kind: "email-phishing" })).toHaveLength(0);
    const seen = await store.correspondence({
      messageKey: "0".repeat(64),
      sender: "robert@vance-advisory.example",
    });
    expect(seen.correspondents).toMatchObject([
      { recipient: "dana.whitfield@harperforamerica.example", messages: 1 },
    ]);

    await dovecot.append(
      folder,
      `${headers("Subject: Re: Catching up\r\nMessage-ID: <h2@vance-advisory.example>\r\nIn-Reply-To: <h1@vance-advisory.example>\r\nReply-To: Robert Vance <robert.vance.private@gmail.com>\r\n")}<p>The notes: <a href="https://vance-notes-share.example/signin">notes</a></p>\r\n`,
    );
    const second = await watchOnce(store, [folder]);
    expect(second.summary.messages).toBe(1);
    const [finding] = await store.listFindings({ kind: "email-phishing" });
    expect(finding?.reasons.map((r) => r.rule)).toEqual(
      expect.arrayContaining([
        "known-sender-new-reply-path",
        "thread-new-reply-path",
        "known-sender-new-link-domain",
      ]),
    );
    expect(finding?.techniques.map((t) => t.id)).toContain("T1586");
  });

  it("triages a message that arrives while it waits in IDLE", async () => {
    const folder = "Idle";
    await dovecot.append(folder, variant("genuine", "i1"));
    const store = await stores.fresh();
    const controller = new AbortController();
    const lines: ImapStatus[] = [];
    let onLine: ((s: ImapStatus) => void) | undefined;
    const watching = watchImap({
      store,
      watchlist,
      account: account(),
      folders: [folder],
      signal: controller.signal,
      onStatus: (s) => {
        lines.push(s);
        onLine?.(s);
      },
    });
    const waitFor = (event: ImapStatus["event"]) =>
      new Promise<ImapStatus>((resolve, reject) => {
        const found = lines.find((l) => l.event === event);
        if (found) return resolve(found);
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no "${event}" status; got:\n${lines.map((l) => l.message).join("\n")}`),
            ),
          20_000,
        );
        onLine = (s) => {
          if (s.event === event) {
            clearTimeout(timer);
            resolve(s);
          }
        };
      });
    await waitFor("idle");
    await dovecot.append(folder, variant("interview-lure", "i1"));
    const flagged = await waitFor("flagged");
    expect(flagged.message).toMatch(/UID 2: phishing/);
    controller.abort();
    const summary = await watching;
    expect(summary.status).toBe("ok");
    expect(summary.messages).toBe(2);
    expect(summary.findingsAdded).toBe(1);
    expect(
      await store.getCursor(
        `imap://${encodeURIComponent(dovecot.user)}@127.0.0.1:${dovecot.port}/${folder}`,
      ),
    ).toMatch(/^\d+:2$/);
  });

  it("moves phishing to the quarantine folder with --quarantine, and nothing else", async () => {
    const folder = "Quarantined";
    await dovecot.append(folder, variant("interview-lure", "q1"));
    await dovecot.append(folder, variant("genuine", "q1"));
    const store = await stores.fresh();
    const { summary, lines } = await watchOnce(store, [folder], { quarantine: "Phish" });
    expect(summary.quarantined).toBe(1);
    expect(lines.some((l) => l.event === "quarantined")).toBe(true);
    const left = await dovecot.messages(folder);
    expect(left.map((m) => m.subject)).toEqual(["Thursday schedule [q1]"]);
    expect(left[0]?.flags.filter((f) => f !== "\\Recent")).toEqual([]);
    const moved = await dovecot.messages("Phish");
    expect(moved.map((m) => m.subject)).toEqual(["Podcast invitation - a quick favour [q1]"]);
  });

  it("says when UIDVALIDITY changed and triages the folder again", async () => {
    const folder = "Renumbered";
    await dovecot.append(folder, variant("interview-lure", "u1"));
    const store = await stores.fresh();
    await watchOnce(store, [folder]);
    await dovecot.recreate(folder);
    await dovecot.append(folder, variant("interview-lure", "u1"));
    await dovecot.append(folder, variant("genuine", "u2"));
    const again = await watchOnce(store, [folder]);
    const uv = again.lines.find((l) => l.event === "uidvalidity");
    expect(uv?.message).toMatch(/UIDVALIDITY changed from \d+ to \d+/);
    expect(again.summary.messages).toBe(2);
    // The same message again is the same finding: nothing is added twice.
    expect(again.summary.findingsAdded).toBe(0);
  });

  it("watches several folders at once", async () => {
    await dovecot.append("Multi-A", variant("genuine", "m1"));
    await dovecot.append("Multi-B", variant("payload", "m1"));
    const store = await stores.fresh();
    const { summary } = await watchOnce(store, ["Multi-A", "Multi-B"]);
    expect(summary.messages).toBe(2);
    expect(summary.folders.map((f) => f.lastUid)).toEqual([1, 1]);
  });

  it("stops at once on a refused login, and on a missing folder", async () => {
    const store = await stores.fresh();
    const refused = watchImap({
      store,
      watchlist,
      account: account("wrong-password"),
      folders: ["INBOX"],
      once: true,
    });
    await expect(refused).rejects.toMatchObject({ code: "VIGIL_ERR_MAIL_IMAP_AUTH" });
    await expect(refused).rejects.toBeInstanceOf(VigilError);
    const missing = watchImap({
      store,
      watchlist,
      account: account(),
      folders: ["No-Such-Folder"],
      once: true,
    });
    await expect(missing).rejects.toMatchObject({ code: "VIGIL_ERR_MAIL_IMAP_FOLDER" });
    expect((await store.listRuns(1))[0]?.status).toBe("failed");
  });

  it("reconnects with backoff when the server is not there yet", async () => {
    const store = await stores.fresh();
    const controller = new AbortController();
    const lines: ImapStatus[] = [];
    const watching = watchImap({
      store,
      watchlist,
      account: { ...account(), port: 1 },
      folders: ["INBOX"],
      signal: controller.signal,
      reconnectBaseMs: 20,
      reconnectMaxMs: 50,
      onStatus: (s) => {
        lines.push(s);
        if (lines.filter((l) => l.event === "reconnect").length >= 3) controller.abort();
      },
    });
    const summary = await watching;
    expect(summary.reconnects).toBeGreaterThanOrEqual(3);
    expect(lines[0]?.message).toMatch(/ECONNREFUSED.*reconnecting in \d+\.\d s \(attempt 1\)/);
  });

  it("connects with STARTTLS and with IMAPS to a server whose certificate it is told to trust", async () => {
    const secured = await startDovecot({ tls: true });
    try {
      await secured.append("INBOX", variant("interview-lure", "t1"));
      const base = {
        host: "127.0.0.1",
        user: secured.user,
        password: secured.password,
        ...(secured.ca === undefined ? {} : { ca: secured.ca }),
      };
      for (const account of [
        { ...base, port: secured.port, security: "starttls" as const },
        { ...base, port: secured.tlsPort ?? 0, security: "tls" as const },
      ]) {
        const store = await stores.fresh();
        const lines: ImapStatus[] = [];
        const summary = await watchImap({
          store,
          watchlist,
          account,
          folders: ["INBOX"],
          once: true,
          onStatus: (s) => lines.push(s),
        });
        expect(summary.verdicts.phishing).toBe(1);
        expect(lines[0]?.message).toContain(`(${account.security})`);
      }
      // Not told to trust it: the self-signed certificate is refused, and the watch says why.
      const controller = new AbortController();
      const lines: ImapStatus[] = [];
      await watchImap({
        store: await stores.fresh(),
        watchlist,
        account: {
          host: "127.0.0.1",
          port: secured.port,
          security: "starttls",
          user: secured.user,
          password: secured.password,
        },
        folders: ["INBOX"],
        signal: controller.signal,
        onStatus: (s) => {
          lines.push(s);
          controller.abort();
        },
      });
      expect(lines[0]?.event).toBe("reconnect");
      expect(lines[0]?.message).toMatch(/certificate/i);
    } finally {
      await secured.stop();
    }
  });

  it("runs from the CLI with the password from the environment, never printing it", async () => {
    const folder = "Cli";
    await dovecot.append(folder, variant("interview-lure", "c1"));
    const child = spawn(
      process.execPath,
      [
        CLI,
        "--config",
        join(FIXTURES, "vigil.yaml"),
        "--db",
        join(stores.dir, "cli.db"),
        "watch",
        "imap",
        "--host",
        "127.0.0.1",
        "--port",
        String(dovecot.port),
        "--security",
        "plain",
        "--user",
        dovecot.user,
        "--folder",
        folder,
        "--once",
        "--no-dns",
        "--json",
      ],
      {
        env: { ...cliEnv(), VIGIL_IMAP_PASSWORD: dovecot.password },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const run = await exited(child, 60_000);
    expect(run.code, run.stderr).toBe(0);
    const summary = jsonOf<WatchImapSummary>(run);
    expect(summary.messages).toBe(1);
    expect(summary.verdicts.phishing).toBe(1);
    expect(run.stderr).toMatch(/Cli: UID 1: phishing/);
    expect(run.stderr + run.stdout).not.toContain(dovecot.password);
  });
});
