/**
 * Telling the people targeted: notices by e-mail to a real SMTP server (smtp-server) and by
 * signed webhook to a local receiver that checks the signature, one notice per case and
 * recipient however many copies arrive, retries with backoff after a refused delivery,
 * acknowledgement by link (the endpoint) and by CLI, escalation to the security contact.
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  correlateByTarget,
  EmailDetector,
  type FlaggedMessage,
  loadWatchlist,
  MAX_WEBHOOK_SKEW_SECONDS,
  mailLimits,
  makeObservation,
  NoticeTemplates,
  Notifier,
  type NotifyConfig,
  notifyConfig,
  notifyFlagged,
  parseEmail,
  type Store,
  signWebhook,
  startAckServer,
  verifyWebhook,
  type Watchlist,
} from "../src/index.js";
import { CLI, cliEnv, exited, jsonOf, runCli } from "./support/cli-process.js";
import { type Dovecot, startDovecot } from "./support/dovecot.js";
import { startSmtpServer, type TestSmtpServer } from "./support/smtp-server.js";
import { useTempStores } from "./support/temp-stores.js";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/email/", import.meta.url));
const SECRET = "test-webhook-secret-0123456789";
const stores = useTempStores("vigil-notify-");
let smtp: TestSmtpServer;
let hook: WebhookReceiver;
let watchlist: Watchlist;
let lure = "";
let clock = new Date("2024-06-10T10:00:00.000Z");
const now = () => clock;

function yaml(extra = ""): string {
  return `version: 1
people:
  - name: Dana Whitfield
    emails: [dana.whitfield@harperforamerica.example]
    organisation: Harper for America
  - name: Marcus Ortega
    emails: [marcus@harperforamerica.example]
  - name: Lena Brooks
    emails: [lena@independent.example]
organisations:
  - name: Harper for America
    domains: [harperforamerica.example]
    securityContact: security@harperforamerica.example
outlets:
  - name: The Washington Post
    domains: [washingtonpost.com]
settings:
  notify:
    smtpUrl: ${smtp.url}
    from: Vigil <vigil@harperforamerica.example>
    webhookUrl: ${hook.url}
    webhookSecretEnv: VIGIL_TEST_WEBHOOK_SECRET
    escalateAfterMinutes: 60
${extra}`;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  hook = await startWebhookReceiver(SECRET, now);
  await mkdir(stores.dir, { recursive: true });
  await writeFile(join(stores.dir, "vigil.yaml"), yaml());
  watchlist = await loadWatchlist(join(stores.dir, "vigil.yaml"));
  lure = (await readFile(join(FIXTURES, "messages", "interview-lure.eml"), "utf8")).replace(
    /\r?\n/g,
    "\r\n",
  );
});
afterAll(async () => {
  await smtp?.close();
  await hook?.close();
});
beforeEach(() => {
  smtp.received.length = 0;
  hook.accepted.length = 0;
  hook.refused.length = 0;
  clock = new Date("2024-06-10T10:00:00.000Z");
});

function config(overrides: Partial<NotifyConfig> = {}): NotifyConfig {
  const c = notifyConfig(
    watchlist.settings.notify,
    { VIGIL_TEST_WEBHOOK_SECRET: SECRET },
    stores.dir,
  );
  if (c === undefined) throw new Error("no notify settings");
  return { ...c, ...overrides };
}

/** The lure fixture sent to `to`, tagged so each call is a distinct message (a copy). */
function lureTo(to: string, tag: string): string {
  return lure
    .replace(/^To: .*$/m, `To: ${to}`)
    .replace(/^Message-ID: <([^>]*)>/m, `Message-ID: <${tag}-$1>`);
}

/** Triages a raw message as the watch does and opens its notices. */
async function triageAndNotify(notifier: Notifier, raw: string) {
  const { message } = await parseEmail(
    { bytes: Buffer.from(raw), size: raw.length },
    mailLimits(),
    {},
  );
  const detector = new EmailDetector(watchlist);
  const observation = makeObservation({
    kind: "email",
    value: `email:${message.sha256}`,
    data: message,
    source: "test",
    observedAt: clock.toISOString(),
  });
  const assessment = detector.assess(message);
  const finding = detector.findingFor(observation, assessment, message);
  if (finding === undefined) throw new Error(`not flagged: ${assessment.verdict}`);
  const flagged: FlaggedMessage = { finding, assessment, message, receivedAt: clock.toISOString() };
  return notifyFlagged(notifier, [flagged], correlateByTarget([finding], clock.toISOString()));
}

async function notifier(store: Store, overrides: Partial<NotifyConfig> = {}) {
  return Notifier.create({ store, watchlist, config: config(overrides), now });
}

describe("notices", () => {
  it("e-mails the person targeted and the security contact with guidance, and posts signed webhooks", async () => {
    const store = await stores.fresh();
    const n = await notifier(store, { ackBaseUrl: "http://127.0.0.1:8787" });
    const opened = await triageAndNotify(
      n,
      lureTo("Marcus Ortega <marcus@harperforamerica.example>", "a"),
    );
    expect(opened.map((o) => [o.kind, o.recipient, o.outcome])).toEqual([
      ["target", "marcus@harperforamerica.example", "created"],
      ["security-contact", "security@harperforamerica.example", "created"],
    ]);
    const delivered = await n.deliverDue();
    expect(delivered.map((d) => d.status)).toEqual(["sent", "sent"]);
    await n.close();

    await smtp.waitFor(2);
    const toMarcus = smtp.received.find((m) => m.to.includes("marcus@harperforamerica.example"));
    const toSecurity = smtp.received.find((m) =>
      m.to.includes("security@harperforamerica.example"),
    );
    expect(toMarcus?.to).toEqual(["marcus@harperforamerica.example"]);
    expect(toMarcus?.parsed.subject).toMatch(
      /phishing e-mail was sent to you — do not click its links/,
    );
    expect(toMarcus?.parsed.from?.address).toBe("vigil@harperforamerica.example");
    expect(toMarcus?.header("auto-submitted")).toBe("auto-generated");
    expect(toMarcus?.header("x-vigil-notice")).toBe(opened[0]?.noticeId);
    const text = toMarcus?.parsed.text ?? "";
    expect(text).toContain("Hello Marcus Ortega");
    expect(text).toContain("WHAT HAPPENED");
    expect(text).toContain("Do not click any link in the message");
    expect(text).toContain("WHAT TO DO NOW");
    expect(text).toContain("change that password now");
    // The phishing link is named but defanged: nothing in the notice can be clicked through.
    expect(text).toContain("washingtonpost-com[.]live");
    expect(text).not.toContain("washingtonpost-com.live");
    expect(text).toMatch(/http:\/\/127\.0\.0\.1:8787\/ack\/[A-Za-z0-9_-]{43}/);
    expect(text).toContain(`vigil notify ack ${opened[0]?.noticeId}`);
    expect(toSecurity?.parsed.subject).toMatch(/sent to Marcus Ortega of Harper for America/);
    expect(toSecurity?.parsed.text).toContain("block its sender");

    expect(hook.refused).toEqual([]);
    expect(hook.accepted).toHaveLength(2);
    const bodies = hook.accepted.map(
      (a) => a.body as { type: string; id: string; notice: Record<string, unknown> },
    );
    const body = bodies.find((b) => b.notice.kind === "target") ?? bodies[0];
    if (body === undefined) throw new Error("no webhook");
    expect(body.type).toBe("vigil.notice");
    expect(body.notice).toMatchObject({
      kind: "target",
      verdict: "phishing",
      person: { name: "Marcus Ortega", email: "marcus@harperforamerica.example" },
      organisation: { name: "Harper for America" },
    });
    expect(hook.accepted[0]?.headers["x-vigil-signature"]).toMatch(/^v1=[0-9a-f]{64}$/);

    const stored = (await store.notices.list()).find((x) => x.kind === "target");
    const deliveries = await store.notices.deliveries(stored?.id ?? "");
    expect(deliveries.map((d) => [d.channel, d.ok])).toEqual([
      ["email", true],
      ["webhook", true],
    ]);
    expect(deliveries[0]?.detail).toMatch(/^250/);
  });

  it("sends one notice per case and recipient however many copies arrive", async () => {
    const store = await stores.fresh();
    const n = await notifier(store);
    await triageAndNotify(n, lureTo("marcus@harperforamerica.example", "c1"));
    const copy = await triageAndNotify(n, lureTo("marcus@harperforamerica.example", "c2"));
    expect(copy.map((o) => o.outcome)).toEqual(["copy", "copy"]);
    const again = await triageAndNotify(n, lureTo("marcus@harperforamerica.example", "c2"));
    expect(again.map((o) => o.outcome)).toEqual(["seen", "seen"]);
    // Passes that overlap (the watch's timer and a batch) run one after the other.
    await Promise.all([n.deliverDue(), n.tick()]);
    await n.close();
    expect(smtp.received).toHaveLength(2);
    const notices = await store.notices.list();
    expect(notices).toHaveLength(2);
    expect(notices.map((x) => x.copies)).toEqual([2, 2]);
    const events = await store.notices.events(notices[0]?.id ?? "");
    expect(events.map((e) => e.type)).toEqual(["created", "copy"]);
  });

  it("retries a refused delivery with exponential backoff and records every attempt", async () => {
    const store = await stores.fresh();
    const { webhook: _none, ...smtpOnly } = config();
    const n = await Notifier.create({
      store,
      watchlist,
      config: smtpOnly,
      now,
      retryBaseMs: 60_000,
    });
    await triageAndNotify(n, lureTo("marcus@harperforamerica.example", "r"));
    smtp.failNext(1);
    const first = await n.deliverDue();
    const failed = first.find((d) => d.status === "pending");
    expect(failed?.results[0]).toMatchObject({ channel: "email", ok: false });
    expect(failed?.results[0]?.detail).toMatch(/451/);
    expect(failed?.nextAttemptAt).toBe("2024-06-10T10:01:00.000Z");
    // Not due yet.
    expect(await n.deliverDue()).toEqual([]);
    clock = new Date("2024-06-10T10:01:00.000Z");
    const second = await n.deliverDue();
    expect(second.map((d) => [d.noticeId, d.attempt, d.status])).toEqual([
      [failed?.noticeId, 2, "sent"],
    ]);
    // A second failure would have waited twice as long.
    smtp.failNext(2);
    await triageAndNotify(n, lureTo("lena@independent.example", "r2"));
    const lena = (await n.deliverDue())[0];
    expect(lena?.nextAttemptAt).toBe("2024-06-10T10:02:00.000Z");
    clock = new Date("2024-06-10T10:02:00.000Z");
    expect((await n.deliverDue())[0]?.nextAttemptAt).toBe("2024-06-10T10:04:00.000Z");
    await n.close();
    const deliveries = await store.notices.deliveries(failed?.noticeId ?? "");
    expect(deliveries.map((d) => [d.attempt, d.ok])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect((await store.notices.get(failed?.noticeId ?? ""))?.status).toBe("sent");
  });

  it("is acknowledged by the link (POST, not GET) and by the CLI, and escalates what is not", async () => {
    const db = join(stores.dir, "ack.db");
    const { openStore } = await import("../src/index.js");
    const store = stores.closeAfterTest(await openStore({ path: db }));
    const server = await startAckServer({ store, port: 0, now });
    try {
      const n = await notifier(store, { ackBaseUrl: server.url });
      const marcus = await triageAndNotify(n, lureTo("marcus@harperforamerica.example", "k1"));
      const dana = await triageAndNotify(
        n,
        lureTo("dana.whitfield@harperforamerica.example", "k2"),
      );
      const lena = await triageAndNotify(n, lureTo("lena@independent.example", "k3"));
      await n.deliverDue();
      const mail = smtp.received.find((m) => m.to.includes("marcus@harperforamerica.example"));
      const link = /(http:\/\/127\.0\.0\.1:\d+\/ack\/[A-Za-z0-9_-]{43})/.exec(
        mail?.parsed.text ?? "",
      )?.[1];
      expect(link).toBeDefined();

      // A mail scanner opening the link must not acknowledge it.
      const page = await fetch(link ?? "");
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("I have seen this");
      expect((await store.notices.get(marcus[0]?.noticeId ?? ""))?.acknowledgedAt).toBeUndefined();
      const posted = await fetch(link ?? "", { method: "POST" });
      expect(posted.status).toBe(200);
      expect((await store.notices.get(marcus[0]?.noticeId ?? ""))?.acknowledgedVia).toBe("link");
      expect((await fetch(`${server.url}/ack/${"x".repeat(43)}`)).status).toBe(404);

      // Lena acknowledges with the CLI.
      clock = new Date("2024-06-10T10:30:00.000Z");
      const ack = await runCli(
        ["--db", db, "notify", "ack", lena[0]?.noticeId ?? "", "--json"],
        stores.dir,
      );
      expect(ack.code, ack.stderr).toBe(0);
      expect(jsonOf<{ acknowledgedVia: string }>(ack).acknowledgedVia).toBe("cli");

      // Dana's is not acknowledged in time: it goes to the security contact.
      clock = new Date("2024-06-10T11:00:00.000Z");
      smtp.received.length = 0;
      const { escalated, delivered } = await n.tick();
      expect(escalated).toHaveLength(1);
      expect(escalated[0]).toMatchObject({
        noticeId: dana[0]?.noticeId,
        contact: "security@harperforamerica.example",
      });
      expect(delivered.map((d) => d.status)).toEqual(["sent"]);
      expect(smtp.received[0]?.to).toEqual(["security@harperforamerica.example"]);
      expect(smtp.received[0]?.parsed.subject).toMatch(/Not acknowledged: Dana Whitfield/);
      expect(smtp.received[0]?.parsed.text).toContain(`(notice ${dana[0]?.noticeId})`);
      // Escalated once only.
      clock = new Date("2024-06-10T12:00:00.000Z");
      expect((await n.tick()).escalated).toEqual([]);
      await n.close();

      const listed = await runCli(["--db", db, "notify", "list", "--json"], stores.dir);
      const notices =
        jsonOf<Array<{ kind: string; escalatedAt?: string; acknowledgedVia?: string }>>(listed);
      expect(notices.filter((x) => x.kind === "escalation")).toHaveLength(1);
      expect(notices.some((x) => "body" in x)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it("opens a new notice for a new copy once the last one was acknowledged", async () => {
    const store = await stores.fresh();
    const n = await notifier(store);
    const [first] = await triageAndNotify(n, lureTo("marcus@harperforamerica.example", "g1"));
    await store.notices.acknowledge({ id: first?.noticeId ?? "" }, clock.toISOString(), "cli");
    const [next] = await triageAndNotify(n, lureTo("marcus@harperforamerica.example", "g2"));
    expect(next?.outcome).toBe("created");
    expect((await store.notices.get(next?.noticeId ?? ""))?.generation).toBe(2);
    await n.close();
  });

  it("uses templates from the override folder, and refuses unknown placeholders", async () => {
    const dir = join(stores.dir, "templates");
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, "notice-target.txt"),
      "Subject: Heads up, {{recipientName}}\n\nDo not open {{messageSubject}}.\n{{ackInstructions}}\n",
    );
    const store = await stores.fresh();
    const n = await notifier(store, { templatesDir: dir });
    await triageAndNotify(n, lureTo("marcus@harperforamerica.example", "t"));
    const [target] = (await store.notices.list()).filter((x) => x.kind === "target");
    expect(target?.subject).toBe("Heads up, Marcus Ortega");
    expect(target?.body).toContain("Do not open Podcast invitation");
    await n.close();
    await writeFile(join(dir, "notice-escalation.txt"), "Subject: x {{password}}\n\nbody\n");
    await expect(NoticeTemplates.load(dir)).rejects.toMatchObject({
      code: "VIGIL_ERR_NOTIFY_CONFIG",
    });
  });
});

describe("verifyWebhook", () => {
  const body = JSON.stringify({ type: "vigil.notice", id: "ntc_0" });
  const at = new Date("2024-06-10T10:00:00Z");
  const ts = Math.floor(at.getTime() / 1000);
  const signature = signWebhook(SECRET, body, ts);

  it("accepts a fresh, correctly signed body", () => {
    expect(
      verifyWebhook({ secret: SECRET, body, timestamp: String(ts), signature, now: at }),
    ).toEqual({
      ok: true,
      timestamp: ts,
    });
  });
  it("refuses old timestamps, changed bodies, other secrets and missing headers", () => {
    const late = new Date(at.getTime() + (MAX_WEBHOOK_SKEW_SECONDS + 1) * 1000);
    expect(
      verifyWebhook({ secret: SECRET, body, timestamp: String(ts), signature, now: late }),
    ).toEqual({
      ok: false,
      reason: "stale",
    });
    expect(
      verifyWebhook({
        secret: SECRET,
        body: `${body} `,
        timestamp: String(ts),
        signature,
        now: at,
      }),
    ).toMatchObject({ reason: "bad-signature" });
    // The timestamp is signed: a fresh one on an old signature does not pass.
    expect(
      verifyWebhook({ secret: SECRET, body, timestamp: String(ts + 60), signature, now: at }),
    ).toMatchObject({ reason: "bad-signature" });
    expect(
      verifyWebhook({
        secret: "another-secret-0123456789",
        body,
        timestamp: String(ts),
        signature,
        now: at,
      }),
    ).toMatchObject({ reason: "bad-signature" });
    expect(
      verifyWebhook({ secret: SECRET, body, timestamp: undefined, signature, now: at }),
    ).toMatchObject({
      reason: "missing-headers",
    });
  });
});

describe("notify settings", () => {
  const base = { webhookSecretEnv: "S", escalateAfterMinutes: 60 };
  it("requires STARTTLS to a remote SMTP server, and refuses passwords in URLs and plain remote webhooks", () => {
    const remote = notifyConfig(
      { ...base, smtpUrl: "smtp://mail.example.org:587", from: "v@example.org" },
      {},
      "/",
    );
    expect(remote?.smtp?.requireTls).toBe(true);
    expect(() =>
      notifyConfig(
        { ...base, smtpUrl: "smtp://u:secret@mail.example.org", from: "v@example.org" },
        {},
        "/",
      ),
    ).toThrow(/must not hold a password/);
    expect(() =>
      notifyConfig({ ...base, webhookUrl: "http://hooks.example.org/x" }, { S: SECRET }, "/"),
    ).toThrow(/https/);
    expect(() =>
      notifyConfig({ ...base, webhookUrl: "https://hooks.example.org/x" }, {}, "/"),
    ).toThrow(/environment variable S/);
  });
});

describe("scan email --notify", () => {
  async function scanCli(extra: string[], name: string) {
    const file = join(stores.dir, `${name}.eml`);
    await writeFile(file, lureTo("Marcus Ortega <marcus@harperforamerica.example>", name));
    const child = spawn(
      process.execPath,
      [
        CLI,
        "--config",
        join(stores.dir, "vigil.yaml"),
        "--db",
        join(stores.dir, `${name}.db`),
        "scan",
        "email",
        file,
        "--no-dns",
        "--json",
        ...extra,
      ],
      {
        env: { ...cliEnv(), VIGIL_TEST_WEBHOOK_SECRET: SECRET },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    return exited(child, 60_000);
  }

  it("tells the person targeted and the security contact, with vigil.yaml's settings", async () => {
    // The CLI signs webhooks with the real clock.
    clock = new Date();
    const run = await scanCli(["--notify"], "scan-notify");
    expect(run.code, run.stderr).toBe(0);
    const summary = jsonOf<{
      verdicts: { phishing: number };
      notices: { created: number; delivered: number; failed: number };
    }>(run);
    expect(summary.verdicts.phishing).toBe(1);
    expect(summary.notices).toMatchObject({ created: 2, delivered: 2, failed: 0 });
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([
      "marcus@harperforamerica.example",
      "security@harperforamerica.example",
    ]);
    expect(smtp.received.find((m) => m.to[0] === "marcus@harperforamerica.example")?.raw).toContain(
      "vigil notify ack",
    );
    expect(hook.accepted.length).toBeGreaterThan(0);
    expect(run.stderr).not.toContain(SECRET);
  });

  it("sends nothing without --notify, even with settings.notify", async () => {
    const run = await scanCli([], "scan-quiet");
    expect(run.code, run.stderr).toBe(0);
    expect(jsonOf<{ notices?: unknown }>(run).notices).toBeUndefined();
    expect(smtp.received).toHaveLength(0);
    expect(hook.accepted).toHaveLength(0);
  });
});

describe("watch imap with notices", () => {
  let dovecot: Dovecot;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it("tells the person a phishing message reached, from the CLI with vigil.yaml's settings", async () => {
    // The CLI signs webhooks with the real clock.
    clock = new Date();
    await dovecot.append("INBOX", lureTo("Marcus Ortega <marcus@harperforamerica.example>", "w1"));
    await dovecot.append("INBOX", lureTo("Marcus Ortega <marcus@harperforamerica.example>", "w2"));
    const child = spawn(
      process.execPath,
      [
        CLI,
        "--config",
        join(stores.dir, "vigil.yaml"),
        "--db",
        join(stores.dir, "watch.db"),
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
        "--once",
        "--no-dns",
        "--json",
      ],
      {
        env: {
          ...cliEnv(),
          VIGIL_IMAP_PASSWORD: dovecot.password,
          VIGIL_TEST_WEBHOOK_SECRET: SECRET,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const run = await exited(child, 60_000);
    expect(run.code, run.stderr).toBe(0);
    const summary = jsonOf<{
      messages: number;
      notices: { created: number; copies: number; delivered: number };
    }>(run);
    expect(summary.messages).toBe(2);
    // Two copies of one lure: one notice to Marcus and one to the security contact.
    expect(summary.notices).toMatchObject({ created: 2, copies: 2, delivered: 2 });
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([
      "marcus@harperforamerica.example",
      "security@harperforamerica.example",
    ]);
    expect(run.stderr).not.toContain(SECRET);
    expect(run.stderr).not.toContain(dovecot.password);
  });
});
