import { setTimeout as sleep } from "node:timers/promises";
import { EmailDetector, type ItemProblem } from "../detect/index.js";
import { toVigilError, VigilError } from "../errors.js";
import type { Finding, Observation, Watchlist } from "../model/index.js";
import type { Notifier } from "../notify/index.js";
import {
  formatImapCursor,
  type ImapAccount,
  ImapMailbox,
  imapFolderUrl,
  type MailAuthOptions,
  type MailLimits,
  mailLimits,
  parseImapCursor,
  readImapMessage,
  reconnectDelay,
} from "../sources/index.js";
import type { CorrespondenceRecord, Store } from "../store/index.js";
import { correlateByTarget } from "./correlate-by-target.js";
import { CorrespondentTracker } from "./correspondent-tracker.js";
import { type FlaggedMessage, notifyFlagged } from "./notify-step.js";

/** Messages triaged per transaction: a backlog is stored (and its cursor moved) in steps this big. */
export const DEFAULT_IMAP_BATCH_SIZE = 50;
/** How often notices due are delivered and overdue ones escalated while watching. */
export const DEFAULT_NOTIFY_EVERY_MS = 30_000;
/** How long one wait for new mail lasts before the watch looks again (IDLE goes on meanwhile). */
export const IMAP_WAIT_SLICE_MS = 30_000;

/** One status line: what a folder's watch is doing, for people watching it run. */
export interface ImapStatus {
  folder?: string;
  event:
    | "connected"
    | "resume"
    | "uidvalidity"
    | "flagged"
    | "quarantined"
    | "notice"
    | "idle"
    | "reconnect"
    | "problem";
  message: string;
}

export interface WatchImapOptions {
  store: Store;
  watchlist: Watchlist;
  account: ImapAccount;
  folders: readonly string[];
  /** Move `phishing` messages to this folder (created when missing). Unset: nothing is changed. */
  quarantine?: string;
  limits?: Partial<MailLimits>;
  auth?: MailAuthOptions;
  /** Tells the people targeted; unset: no notices. */
  notifier?: Notifier;
  /** Triage what is waiting and stop, instead of watching with IDLE. */
  once?: boolean;
  signal?: AbortSignal;
  now?: () => Date;
  batchSize?: number;
  notifyEveryMs?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  onStatus?: (status: ImapStatus) => void;
}

/** Where one folder stands at the end. */
export interface ImapFolderState {
  folder: string;
  uidValidity?: string;
  lastUid?: number;
}

export interface WatchImapSummary {
  runId: string;
  status: "ok" | "failed";
  messages: number;
  verdicts: { phishing: number; suspicious: number; clean: number };
  findingsAdded: number;
  quarantined: number;
  notices: {
    created: number;
    copies: number;
    delivered: number;
    failed: number;
    escalated: number;
  };
  reconnects: number;
  problemCount: number;
  problems: ItemProblem[];
  folders: ImapFolderState[];
}

/** Problems kept in the summary; all are stored with the run. */
const MAX_PROBLEMS_REPORTED = 1000;

/**
 * Watches IMAP folders for spear-phishing as one run: each folder on its own connection
 * triages every message above the UID stored for it (the whole folder the first time, or
 * again after its UIDVALIDITY changed), then waits in IDLE for new mail. Messages are read
 * as `vigil scan email` reads files (same limits, authentication and detector), fetched
 * with BODY.PEEK so no flag changes, and the folder is opened read-only unless
 * `quarantine` is set, in which case `phishing` messages are moved there after their
 * findings are stored. Findings, each folder's cursor and the correspondent history of
 * every message (header facts only; docs/email-report.md) are stored in one transaction
 * per batch, so a restart resumes after the last stored message. Notices are opened
 * before the batch is stored (they are deduplicated, so a crash re-opens nothing) and
 * delivered after. A dropped connection is reopened with exponential backoff; a refused
 * login or a missing folder ends the watch with an error.
 */
export async function watchImap(options: WatchImapOptions): Promise<WatchImapSummary> {
  const { store, watchlist, account, notifier } = options;
  const now = options.now ?? (() => new Date());
  const limits = mailLimits(options.limits);
  const batchSize = options.batchSize ?? DEFAULT_IMAP_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new VigilError("VIGIL_ERR_CLI_USAGE", "the batch size must be from 1 to 10000");
  }
  const detector = new EmailDetector(watchlist);
  // Correspondent history: every message's header facts, clean ones too (docs/email-report.md).
  const tracker = new CorrespondentTracker(store);
  await store.syncWatchlist(watchlist);
  const runId = await store.startRun(
    `watch imap (${account.user}@${account.host}: ${options.folders.join(", ")})`,
    now().toISOString(),
  );
  const summary: WatchImapSummary = {
    runId,
    status: "ok",
    messages: 0,
    verdicts: { phishing: 0, suspicious: 0, clean: 0 },
    findingsAdded: 0,
    quarantined: 0,
    notices: { created: 0, copies: 0, delivered: 0, failed: 0, escalated: 0 },
    reconnects: 0,
    problemCount: 0,
    problems: [],
    folders: options.folders.map((folder) => ({ folder })),
  };
  const status = (s: ImapStatus) => options.onStatus?.(s);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted === true) stop.abort();
  const signal = stop.signal;

  const noteProblems = async (problems: ItemProblem[]) => {
    if (problems.length === 0) return;
    summary.problemCount += problems.length;
    for (const p of problems)
      if (summary.problems.length < MAX_PROBLEMS_REPORTED) summary.problems.push(p);
    const at = now().toISOString();
    await store.persistBatch({
      runId,
      observations: [],
      findings: [],
      cases: [],
      problems: problems.map((p) => ({ ...p, at })),
    });
  };

  const tickNotifier = async () => {
    if (notifier === undefined) return;
    try {
      const { escalated, delivered } = await notifier.tick();
      for (const e of escalated) {
        summary.notices.escalated += e.escalationId === undefined ? 0 : 1;
        status({
          event: "notice",
          message:
            e.escalationId === undefined
              ? `notice ${e.noticeId} to ${e.person} not acknowledged; not escalated: ${e.reason ?? ""}`
              : `notice ${e.noticeId} to ${e.person} not acknowledged: escalated to ${e.contact} (${e.escalationId})`,
        });
      }
      for (const d of delivered) {
        const failed = d.results.filter((r) => !r.ok);
        if (failed.length === 0) summary.notices.delivered++;
        else if (d.status === "failed") summary.notices.failed++;
        status({
          event: "notice",
          message:
            failed.length === 0
              ? `notice ${d.noticeId} delivered to ${d.recipient} (${d.results.map((r) => r.channel).join(", ")})`
              : `notice ${d.noticeId} to ${d.recipient}: ${failed.map((r) => `${r.channel} failed (${r.detail})`).join("; ")}${d.nextAttemptAt === undefined ? "" : `; next attempt at ${d.nextAttemptAt}`}`,
        });
      }
    } catch (err) {
      status({ event: "problem", message: `notices: ${toVigilError(err).message}` });
    }
  };

  /** Triages `uids` of one folder in batches: notices opened, batch stored, then moved. */
  const triage = async (mailbox: ImapMailbox, source: string, uids: readonly number[]) => {
    for (let start = 0; start < uids.length && !signal.aborted; start += batchSize) {
      const chunk = uids.slice(start, start + batchSize);
      const observedAt = now().toISOString();
      const observations: Observation[] = [];
      const findings: Finding[] = [];
      const problems: ItemProblem[] = [];
      const flagged: Array<FlaggedMessage & { uid: number; item: string }> = [];
      const correspondence: CorrespondenceRecord[] = [];
      let lastUid: number | undefined;
      let read = 0;
      for (const uid of chunk) {
        if (signal.aborted) break;
        const fetched = await mailbox.fetch(uid);
        lastUid = uid;
        if (fetched === undefined) continue;
        const r = await readImapMessage(fetched, {
          folderUrl: source,
          uidValidity: mailbox.uidValidity,
          observedAt,
          limits,
          auth: options.auth ?? {},
        });
        read++;
        problems.push(...r.problems);
        const receivedAt = fetched.receivedAt;
        const seenAt =
          receivedAt !== undefined && !Number.isNaN(Date.parse(receivedAt))
            ? receivedAt
            : observedAt;
        const { history, record } = await tracker.track(r.message, seenAt);
        if (record !== undefined) correspondence.push(record);
        const assessment = detector.assess(r.message, history);
        summary.verdicts[assessment.verdict]++;
        const finding = detector.findingFor(r.observation, assessment, r.message);
        if (finding === undefined) continue;
        observations.push(r.observation);
        findings.push(finding);
        flagged.push({
          uid,
          item: r.item,
          finding,
          assessment,
          message: r.message,
          ...(fetched.receivedAt === undefined ? {} : { receivedAt: fetched.receivedAt }),
        });
      }
      if (lastUid === undefined) return;
      const at = now().toISOString();
      const cases = correlateByTarget(findings, at);
      if (notifier !== undefined && flagged.length > 0) {
        for (const o of await notifyFlagged(notifier, flagged, cases)) {
          if (o.outcome === "created") summary.notices.created++;
          if (o.outcome === "copy") summary.notices.copies++;
          if (o.outcome !== "seen") {
            status({
              folder: mailbox.folder,
              event: "notice",
              message: `${o.outcome === "created" ? "notice" : "copy counted on notice"} ${o.noticeId} (${o.kind}) for ${o.recipient}`,
            });
          }
        }
      }
      const added = await store.persistBatch({
        runId,
        observations,
        findings,
        cases,
        problems: problems.map((p) => ({ ...p, at })),
        correspondence,
        cursors: [
          {
            source,
            position: formatImapCursor({ uidValidity: mailbox.uidValidity, lastUid }),
          },
        ],
      });
      summary.messages += read;
      summary.findingsAdded += added.findingsAdded;
      summary.problemCount += problems.length;
      for (const p of problems)
        if (summary.problems.length < MAX_PROBLEMS_REPORTED) summary.problems.push(p);
      const state = summary.folders.find((f) => f.folder === mailbox.folder);
      if (state !== undefined) {
        state.uidValidity = mailbox.uidValidity;
        state.lastUid = lastUid;
      }
      for (const f of flagged) {
        status({
          folder: mailbox.folder,
          event: "flagged",
          message: `UID ${f.uid}: ${f.assessment.verdict} ${f.assessment.score.toFixed(2)} — ${(f.message.from?.address ?? "(no sender)").slice(0, 100)}: ${f.message.subject.slice(0, 100)}`,
        });
        if (options.quarantine === undefined || f.assessment.verdict !== "phishing") continue;
        try {
          await mailbox.move(f.uid, options.quarantine);
          summary.quarantined++;
          status({
            folder: mailbox.folder,
            event: "quarantined",
            message: `UID ${f.uid} moved to ${options.quarantine}`,
          });
        } catch (err) {
          const e = toVigilError(err, "VIGIL_ERR_MAIL_IMAP_FOLDER");
          if (e.code === "VIGIL_ERR_MAIL_IMAP_CONNECT") throw e;
          await noteProblems([{ item: f.item, code: e.code, message: e.message }]);
          status({ folder: mailbox.folder, event: "problem", message: e.message });
        }
      }
      if (notifier !== undefined && flagged.length > 0) await tickNotifier();
    }
  };

  /** One folder: connect, catch up, wait for mail; reconnect with backoff when dropped. */
  const watchFolder = async (folder: string) => {
    const source = imapFolderUrl(account, folder);
    let attempt = 0;
    while (!signal.aborted) {
      let mailbox: ImapMailbox | undefined;
      try {
        mailbox = await ImapMailbox.open({
          account,
          folder,
          readOnly: options.quarantine === undefined,
          maxMessageBytes: limits.maxMessageBytes,
        });
        attempt = 0;
        status({
          folder,
          event: "connected",
          message: `connected to ${account.host}:${account.port} (${account.security}) as ${account.user}, ${options.quarantine === undefined ? "read-only" : `moving phishing to ${options.quarantine}`}`,
        });
        let first = true;
        for (;;) {
          const cursor = parseImapCursor(await store.getCursor(source));
          let last = cursor?.lastUid ?? 0;
          if (cursor !== undefined && cursor.uidValidity !== mailbox.uidValidity) {
            status({
              folder,
              event: "uidvalidity",
              message: `UIDVALIDITY changed from ${cursor.uidValidity} to ${mailbox.uidValidity}: the server renumbered the folder, so it is triaged again from the start (stored findings and notices are not repeated)`,
            });
            last = 0;
            // Stored at once, so a restart before any message is triaged does not say it again.
            await store.persistBatch({
              runId,
              observations: [],
              findings: [],
              cases: [],
              problems: [],
              cursors: [
                {
                  source,
                  position: formatImapCursor({ uidValidity: mailbox.uidValidity, lastUid: 0 }),
                },
              ],
            });
          }
          const uids = await mailbox.uidsAfter(last);
          if (first) {
            status({
              folder,
              event: "resume",
              message:
                cursor === undefined
                  ? `UIDVALIDITY ${mailbox.uidValidity}, first watch: ${uids.length} messages to triage`
                  : `UIDVALIDITY ${mailbox.uidValidity}, resuming after UID ${last}: ${uids.length} new`,
            });
            first = false;
          }
          await triage(mailbox, source, uids);
          if (signal.aborted) return;
          if (uids.length > 0) continue;
          if (options.once === true) return;
          status({ folder, event: "idle", message: "up to date; waiting for new mail (IDLE)" });
          while (!signal.aborted && !(await mailbox.waitForMail(IMAP_WAIT_SLICE_MS, signal))) {}
          if (signal.aborted) return;
        }
      } catch (err) {
        const e = toVigilError(err, "VIGIL_ERR_MAIL_IMAP_CONNECT");
        if (e.code === "VIGIL_ERR_MAIL_IMAP_AUTH" || e.code === "VIGIL_ERR_MAIL_IMAP_FOLDER")
          throw e;
        if (signal.aborted) return;
        attempt++;
        summary.reconnects++;
        const wait = reconnectDelay(attempt, options.reconnectBaseMs, options.reconnectMaxMs);
        status({
          folder,
          event: "reconnect",
          message: `${e.message} [${e.code}]; reconnecting in ${(wait / 1000).toFixed(1)} s (attempt ${attempt})`,
        });
        await sleep(wait, undefined, { signal }).catch(() => {});
      } finally {
        await mailbox?.close();
      }
    }
  };

  let fatal: unknown;
  const ticker =
    notifier === undefined || options.once === true
      ? undefined
      : (async () => {
          while (!signal.aborted) {
            await sleep(options.notifyEveryMs ?? DEFAULT_NOTIFY_EVERY_MS, undefined, {
              signal,
            }).catch(() => {});
            if (!signal.aborted) await tickNotifier();
          }
        })();
  try {
    await Promise.all(
      options.folders.map((folder) =>
        watchFolder(folder).catch((err) => {
          fatal ??= err;
          stop.abort();
        }),
      ),
    );
    if (fatal === undefined) await tickNotifier();
  } finally {
    stop.abort();
    await ticker;
    options.signal?.removeEventListener("abort", onAbort);
    if (fatal !== undefined) summary.status = "failed";
    await store.finishRun(runId, summary.status, now().toISOString(), {
      read: summary.messages,
      findingsAdded: summary.findingsAdded,
      quarantined: summary.quarantined,
      notices: summary.notices.created,
      problems: summary.problemCount,
      reconnects: summary.reconnects,
    });
  }
  if (fatal !== undefined) throw fatal;
  return summary;
}
