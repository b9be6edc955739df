import { createHash, randomBytes } from "node:crypto";
import { VigilError } from "../errors.js";
import type { Finding, Organisation, Watchlist } from "../model/index.js";
import type {
  NoticeChannelName as ChannelName,
  NewNotice,
  NoticeDelivery,
  NoticeKind,
  NoticeProgress,
  Store,
  StoredNotice,
} from "../store/index.js";
import { defang } from "./defang.js";
import type { DeliveryOutcome, NoticeChannel } from "./notice-channel.js";
import { targetedPeople } from "./notice-recipients.js";
import { NoticeTemplates, type TemplateField } from "./notice-templates.js";
import type { NotifyConfig } from "./notify-config.js";
import { SmtpChannel } from "./smtp-channel.js";
import { WebhookChannel } from "./webhook-channel.js";

/** First wait before a failed delivery is tried again; it doubles with each attempt. */
export const DEFAULT_RETRY_BASE_MS = 60_000;
/** Longest wait between two attempts. */
export const DEFAULT_RETRY_MAX_MS = 60 * 60_000;
/** Attempts before a notice is marked `failed` (about 8 hours with the defaults). */
export const DEFAULT_MAX_ATTEMPTS = 12;
/** Notices delivered or escalated in one pass: a backlog is worked through over passes. */
export const MAX_NOTICES_PER_PASS = 200;
/** Reasons listed in a notice: the strongest ones say enough. */
const MAX_LISTED_REASONS = 6;
/** Link hosts and attachment names listed in a notice. */
const MAX_LISTED_ITEMS = 10;

/** The message a notice is about, as the notice quotes it (attacker-written: defanged when shown). */
export interface NoticeMessage {
  from?: string;
  subject: string;
  /** When the message arrived (IMAP internal date), ISO 8601. */
  receivedAt?: string;
  /** To and Cc addresses. */
  recipients: readonly string[];
  linkHosts: readonly string[];
  attachments: readonly string[];
}

/** One `phishing` or `suspicious` message, stored, with the case its finding belongs to. */
export interface PhishingCase {
  finding: Finding;
  caseId: string;
  caseTitle: string;
  verdict: "phishing" | "suspicious";
  message: NoticeMessage;
}

/** What `notify` did for one recipient. */
export interface NotifyOutcome {
  noticeId: string;
  kind: NoticeKind;
  recipient: string;
  /** `created`: a new notice; `copy`: counted on the open one; `seen`: this message was counted before. */
  outcome: "created" | "copy" | "seen";
}

/** What one delivery pass did for one notice. */
export interface DeliveryReport {
  noticeId: string;
  recipient: string;
  attempt: number;
  results: Array<{ channel: ChannelName } & DeliveryOutcome>;
  status: StoredNotice["status"];
  nextAttemptAt?: string;
}

/** What one escalation pass did for one overdue notice. */
export interface EscalationReport {
  noticeId: string;
  person: string;
  /** The escalation notice, when there was a security contact to send it to. */
  escalationId?: string;
  contact?: string;
  reason?: string;
}

export interface NotifierOptions {
  store: Store;
  watchlist: Watchlist;
  config: NotifyConfig;
  now?: () => Date;
  /** Channels to use instead of those built from `config` (embedders). */
  channels?: readonly NoticeChannel[];
  retryBaseMs?: number;
  retryMaxMs?: number;
  maxAttempts?: number;
}

/**
 * Tells the people targeted by phishing, and their organisation's security contact: one
 * notice per case and recipient however many copies arrive (later copies are counted on
 * the open notice; after it is acknowledged, a new copy opens a new one), delivered by
 * e-mail and/or signed webhook with retries and exponential backoff, acknowledged by link
 * or CLI, and escalated to the security contact when a targeted person has not
 * acknowledged in time. Every notice, delivery attempt, copy, acknowledgement and
 * escalation is recorded in the store.
 *
 * @example
 * const notifier = await Notifier.create({ store, watchlist, config });
 * await notifier.notify(phishingCase);
 * await notifier.tick(); // deliver what is due, escalate what is overdue
 */
export class Notifier {
  readonly #store: Store;
  readonly #watchlist: Watchlist;
  readonly #config: NotifyConfig;
  readonly #templates: NoticeTemplates;
  readonly #channels: readonly NoticeChannel[];
  readonly #now: () => Date;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #maxAttempts: number;
  /** The pass running now: passes run one at a time, so no notice is sent twice at once. */
  #pass: Promise<unknown> = Promise.resolve();

  private constructor(options: NotifierOptions, templates: NoticeTemplates) {
    this.#store = options.store;
    this.#watchlist = options.watchlist;
    this.#config = options.config;
    this.#templates = templates;
    this.#now = options.now ?? (() => new Date());
    this.#retryBaseMs = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
    this.#retryMaxMs = options.retryMaxMs ?? DEFAULT_RETRY_MAX_MS;
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const channels: NoticeChannel[] = [];
    if (options.channels !== undefined) channels.push(...options.channels);
    else {
      if (options.config.smtp !== undefined) channels.push(new SmtpChannel(options.config.smtp));
      if (options.config.webhook !== undefined)
        channels.push(new WebhookChannel(options.config.webhook));
    }
    this.#channels = channels;
  }

  /**
   * A notifier with its templates loaded and checked.
   * @throws VigilError `VIGIL_ERR_NOTIFY_CONFIG` when no channel is configured or a
   *   template is wrong.
   */
  static async create(options: NotifierOptions): Promise<Notifier> {
    if (
      options.channels === undefined &&
      options.config.smtp === undefined &&
      options.config.webhook === undefined
    ) {
      throw new VigilError(
        "VIGIL_ERR_NOTIFY_CONFIG",
        "settings.notify names no way to send notices: set smtpUrl (with from) or webhookUrl",
      );
    }
    for (const [name, value] of [
      ["retryBaseMs", options.retryBaseMs],
      ["retryMaxMs", options.retryMaxMs],
      ["maxAttempts", options.maxAttempts],
    ] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
        throw new VigilError("VIGIL_ERR_NOTIFY_CONFIG", `${name} must be a positive whole number`);
      }
    }
    return new Notifier(options, await NoticeTemplates.load(options.config.templatesDir));
  }

  /**
   * Makes the notices for one stored phishing or suspicious message: to each listed person
   * it was sent to, and to their organisation's security contact. Nothing is sent here;
   * `deliverDue` sends (notices are due at once).
   */
  async notify(c: PhishingCase): Promise<NotifyOutcome[]> {
    const at = this.#now().toISOString();
    const outcomes: NotifyOutcome[] = [];
    const contacts = new Map<string, { org: Organisation & { id: string }; person: string }>();
    const targeted = targetedPeople(this.#watchlist, c.message.recipients);
    for (const { person, address, organisation } of targeted) {
      const payload = basePayload(c, {
        person: { id: person.id, name: person.name, email: address },
        ...(organisation === undefined
          ? {}
          : { organisation: { id: organisation.id, name: organisation.name } }),
      });
      outcomes.push(
        await this.#open(c.finding.id, at, {
          kind: "target",
          dedupBase: `${c.caseId}|target|${person.id}`,
          caseId: c.caseId,
          recipientName: person.name,
          recipientEmail: address,
          personId: person.id,
          ...(organisation === undefined ? {} : { organisationId: organisation.id }),
          payload,
        }),
      );
      const contact = organisation?.securityContact;
      if (organisation !== undefined && contact !== undefined && contact !== address) {
        if (!contacts.has(contact))
          contacts.set(contact, { org: organisation, person: person.name });
      }
    }
    for (const [contact, { org }] of contacts) {
      const person = targeted.find((t) => t.organisation?.id === org.id);
      if (person === undefined) continue;
      outcomes.push(
        await this.#open(c.finding.id, at, {
          kind: "security-contact",
          dedupBase: `${c.caseId}|security-contact|${contact}`,
          caseId: c.caseId,
          recipientName: `Security contact of ${org.name}`,
          recipientEmail: contact,
          personId: person.person.id,
          organisationId: org.id,
          payload: basePayload(c, {
            person: { id: person.person.id, name: person.person.name, email: person.address },
            organisation: { id: org.id, name: org.name },
          }),
        }),
      );
    }
    return outcomes;
  }

  /** Delivers every notice whose next attempt is due, on each channel not yet delivered. */
  deliverDue(): Promise<DeliveryReport[]> {
    return this.#serial(() => this.#deliverDue());
  }

  async #deliverDue(): Promise<DeliveryReport[]> {
    const now = this.#now();
    const due = await this.#store.notices.due(now.toISOString(), MAX_NOTICES_PER_PASS);
    const reports: DeliveryReport[] = [];
    for (const notice of due) reports.push(await this.#deliver(notice, now));
    return reports;
  }

  /**
   * Escalates notices to targeted people that were not acknowledged within
   * `escalateAfterMinutes`: a notice to their organisation's security contact, or, with
   * none, a record that there was no one to escalate to.
   */
  escalateOverdue(): Promise<EscalationReport[]> {
    return this.#serial(() => this.#escalateOverdue());
  }

  async #escalateOverdue(): Promise<EscalationReport[]> {
    const now = this.#now();
    const cutoff = new Date(now.getTime() - this.#config.escalateAfterMs).toISOString();
    const overdue = await this.#store.notices.overdue(cutoff, MAX_NOTICES_PER_PASS);
    const reports: EscalationReport[] = [];
    const at = now.toISOString();
    for (const notice of overdue) {
      const org = this.#watchlist.organisations.find((o) => o.id === notice.organisationId);
      const contact = org?.securityContact;
      if (org === undefined || contact === undefined) {
        const reason =
          org === undefined
            ? `${notice.recipientName} belongs to no listed organisation`
            : `${org.name} has no securityContact`;
        await this.#store.notices.markEscalated(notice.id, at, "not-escalated", reason);
        reports.push({ noticeId: notice.id, person: notice.recipientName, reason });
        continue;
      }
      const opened = await this.#open(notice.findingId, at, {
        kind: "escalation",
        dedupBase: `${notice.id}|escalation|${contact}`,
        caseId: notice.caseId,
        recipientName: `Security contact of ${org.name}`,
        recipientEmail: contact,
        ...(notice.personId === undefined ? {} : { personId: notice.personId }),
        ...(org.id === undefined ? {} : { organisationId: org.id }),
        escalationOf: notice.id,
        payload: { ...notice.payload, escalationOf: notice.id },
      });
      await this.#store.notices.markEscalated(
        notice.id,
        at,
        "escalated",
        `to ${contact} as notice ${opened.noticeId}`,
      );
      reports.push({
        noticeId: notice.id,
        person: notice.recipientName,
        escalationId: opened.noticeId,
        contact,
      });
    }
    return reports;
  }

  /** Escalates what is overdue, then delivers what is due (escalations included). */
  tick(): Promise<{ escalated: EscalationReport[]; delivered: DeliveryReport[] }> {
    return this.#serial(async () => {
      const escalated = await this.#escalateOverdue();
      const delivered = await this.#deliverDue();
      return { escalated, delivered };
    });
  }

  /** Runs `pass` after the one running now (whatever its outcome). */
  #serial<T>(pass: () => Promise<T>): Promise<T> {
    const next = this.#pass.then(pass, pass);
    this.#pass = next.catch(() => {});
    return next;
  }

  async close(): Promise<void> {
    for (const channel of this.#channels) await channel.close();
  }

  /** Opens a notice for `dedupBase`, or counts a copy on the open one. */
  async #open(
    findingId: string,
    at: string,
    spec: Omit<
      NewNotice,
      | "id"
      | "generation"
      | "findingId"
      | "subject"
      | "body"
      | "channels"
      | "tokenHash"
      | "createdAt"
    >,
  ): Promise<NotifyOutcome> {
    const notices = this.#store.notices;
    const recipient = spec.recipientEmail ?? spec.recipientName;
    const latest = await notices.latest(spec.dedupBase);
    if (latest !== undefined && (await notices.covers(spec.dedupBase, findingId))) {
      return { noticeId: latest.id, kind: spec.kind, recipient, outcome: "seen" };
    }
    if (latest !== undefined && latest.acknowledgedAt === undefined) {
      await notices.recordCopy(latest.id, findingId, at, `finding ${findingId}`);
      return { noticeId: latest.id, kind: spec.kind, recipient, outcome: "copy" };
    }
    const id = `ntc_${randomBytes(8).toString("hex")}`;
    const token = randomBytes(32).toString("base64url");
    const channels = this.#channels.filter((ch) => ch.accepts(spec)).map((ch) => ch.name);
    const { subject, body } = this.#templates.render(
      spec.kind,
      this.#fields(spec.kind, id, token, spec.payload, spec.recipientName),
    );
    const { created, notice } = await notices.create(
      {
        ...spec,
        id,
        generation: (latest?.generation ?? 0) + 1,
        findingId,
        subject,
        body,
        channels,
        tokenHash: tokenHash(token),
        payload: { ...spec.payload, id, kind: spec.kind, createdAt: at, ...this.#ackLink(token) },
        createdAt: at,
      },
      at,
    );
    if (!created) {
      // Another run opened the same notice a moment ago: this message is a copy of it.
      await notices.recordCopy(notice.id, findingId, at, `finding ${findingId}`);
      return { noticeId: notice.id, kind: spec.kind, recipient, outcome: "copy" };
    }
    return { noticeId: id, kind: spec.kind, recipient, outcome: "created" };
  }

  async #deliver(notice: StoredNotice, now: Date): Promise<DeliveryReport> {
    const attempt = notice.attempts + 1;
    const at = now.toISOString();
    const deliveries: NoticeDelivery[] = [];
    const pending: ChannelName[] = [];
    for (const name of notice.pendingChannels) {
      const channel = this.#channels.find((c) => c.name === name);
      const outcome: DeliveryOutcome =
        channel === undefined
          ? { ok: false, detail: `the ${name} channel is not configured now` }
          : await channel.send(notice, now);
      deliveries.push({ noticeId: notice.id, channel: name, attempt, at, ...outcome });
      if (!outcome.ok) pending.push(name);
    }
    const progress: NoticeProgress = {
      pendingChannels: pending,
      status: "pending",
      attempts: attempt,
    };
    if (pending.length === 0) {
      progress.status = "sent";
      progress.sentAt = at;
    } else if (attempt >= this.#maxAttempts) {
      progress.status = "failed";
    } else {
      const wait = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** (attempt - 1));
      progress.nextAttemptAt = new Date(now.getTime() + wait).toISOString();
    }
    await this.#store.notices.recordDeliveries(notice.id, deliveries, progress);
    return {
      noticeId: notice.id,
      recipient: notice.recipientEmail ?? notice.recipientName,
      attempt,
      results: deliveries.map((d) => ({ channel: d.channel, ok: d.ok, detail: d.detail })),
      status: progress.status,
      ...(progress.nextAttemptAt === undefined ? {} : { nextAttemptAt: progress.nextAttemptAt }),
    };
  }

  #ackLink(token: string): { ackUrl?: string } {
    const base = this.#config.ackBaseUrl;
    return base === undefined ? {} : { ackUrl: `${base}/ack/${token}` };
  }

  #fields(
    kind: NoticeKind,
    id: string,
    token: string,
    payload: Record<string, unknown>,
    recipientName: string,
  ): Record<TemplateField, string> {
    const p = payload as unknown as BasePayload & { escalationOf?: string };
    const link = this.#ackLink(token).ackUrl;
    const ackInstructions =
      link === undefined
        ? `   Ask your Vigil administrator to run: vigil notify ack ${id}`
        : `   Open ${link}\n   and press "I have seen this" (or ask your Vigil administrator to run:\n   vigil notify ack ${id}).`;
    const hosts = p.message.linkHosts.slice(0, MAX_LISTED_ITEMS);
    const files = p.message.attachments.slice(0, MAX_LISTED_ITEMS);
    return {
      recipientName,
      personName: p.person.name,
      personEmail: p.person.email,
      organisationName: p.organisation?.name ?? "your organisation",
      verdict: p.verdict,
      score: p.score.toFixed(2),
      messageFrom: p.message.from ?? "(no sender)",
      messageSubject: p.message.subject || "(no subject)",
      receivedAt: p.message.receivedAt ?? "(unknown)",
      reasons:
        p.reasons.map((r) => `- ${r.explanation} (${r.feature})`).join("\n") || "- (none recorded)",
      links:
        hosts.length === 0
          ? ""
          : `- In particular, do not visit: ${hosts.join(", ")} (written so they cannot be clicked).\n`,
      attachments:
        files.length === 0 ? "" : `- Do not open the attachments: ${files.join(", ")}.\n`,
      ackInstructions,
      escalationDelay: describeDelay(this.#config.escalateAfterMs),
      noticeId: id,
      originalNoticeId: kind === "escalation" ? (p.escalationOf ?? "") : "",
      caseTitle: p.caseTitle,
    };
  }
}

/** What every notice of a case records, in its webhook payload and for later escalations. */
interface BasePayload {
  caseId: string;
  caseTitle: string;
  findingId: string;
  verdict: "phishing" | "suspicious";
  score: number;
  person: { id: string; name: string; email: string };
  organisation?: { id: string; name: string };
  message: {
    from?: string;
    subject: string;
    receivedAt?: string;
    linkHosts: string[];
    attachments: string[];
  };
  reasons: Array<{ rule: string; weight: number; explanation: string; feature: string }>;
  techniques: string[];
}

function basePayload(
  c: PhishingCase,
  who: Pick<BasePayload, "person" | "organisation">,
): Record<string, unknown> {
  const payload: BasePayload = {
    caseId: c.caseId,
    caseTitle: c.caseTitle,
    findingId: c.finding.id,
    verdict: c.verdict,
    score: c.finding.score,
    ...who,
    message: {
      ...(c.message.from === undefined ? {} : { from: defang(c.message.from) }),
      subject: defang(c.message.subject),
      ...(c.message.receivedAt === undefined ? {} : { receivedAt: c.message.receivedAt }),
      linkHosts: [...new Set(c.message.linkHosts)]
        .slice(0, MAX_LISTED_ITEMS)
        .map((h) => defang(h, 253)),
      attachments: c.message.attachments.slice(0, MAX_LISTED_ITEMS).map((a) => defang(a, 200)),
    },
    reasons: c.finding.reasons
      .filter((r) => r.weight > 0)
      .sort((a, b) => b.weight - a.weight)
      .slice(0, MAX_LISTED_REASONS)
      .map((r) => ({
        rule: r.rule,
        weight: r.weight,
        explanation: r.explanation,
        feature: defang(r.feature, 200),
      })),
    techniques: c.finding.techniques.map((t) => t.id),
  };
  return payload as unknown as Record<string, unknown>;
}

/** SHA-256 (hex) of an acknowledgement token: what the store keeps and looks up by. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** `90 minutes`, `4 hours`, `2 days`. */
function describeDelay(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}
