import nodemailer, { type Transporter } from "nodemailer";
import type { StoredNotice } from "../store/index.js";
import type { DeliveryOutcome, NoticeChannel } from "./notice-channel.js";
import type { NotifyConfig } from "./notify-config.js";

/** How long to wait for the TCP (and TLS) connection to the SMTP server. */
export const SMTP_CONNECT_TIMEOUT_MS = 10_000;
/** How long to wait for the server's greeting once connected. */
export const SMTP_GREETING_TIMEOUT_MS = 10_000;
/** Longest silence from the server during a delivery before it is given up (retried later). */
export const SMTP_SOCKET_TIMEOUT_MS = 30_000;

/**
 * Notices by e-mail, over SMTP with nodemailer: plain text (nothing to render, nothing
 * to load), marked `Auto-Submitted: auto-generated` (RFC 3834) so auto-responders stay
 * quiet, with the notice and case ids in `X-Vigil-Notice` and `X-Vigil-Case` headers.
 * `smtp://` to a host that is not loopback must upgrade with STARTTLS; certificates are
 * checked. One connection is kept while notices go out.
 */
export class SmtpChannel implements NoticeChannel {
  readonly name = "email" as const;
  readonly #transport: Transporter;
  readonly #from: string;

  constructor(config: NonNullable<NotifyConfig["smtp"]>) {
    const url = new URL(config.url);
    const user = decodeURIComponent(url.username);
    this.#from = config.from;
    this.#transport = nodemailer.createTransport({
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port === "" ? (url.protocol === "smtps:" ? 465 : 587) : Number(url.port),
      secure: url.protocol === "smtps:",
      requireTLS: config.requireTls,
      ...(user === "" ? {} : { auth: { user, pass: config.password ?? "" } }),
      connectionTimeout: SMTP_CONNECT_TIMEOUT_MS,
      greetingTimeout: SMTP_GREETING_TIMEOUT_MS,
      socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
      // Nodemailer logs nothing unless asked; credentials never reach a log.
      logger: false,
    });
  }

  accepts(notice: Pick<StoredNotice, "recipientEmail">): boolean {
    return notice.recipientEmail !== undefined;
  }

  async send(notice: StoredNotice): Promise<DeliveryOutcome> {
    if (notice.recipientEmail === undefined) return { ok: false, detail: "no e-mail address" };
    try {
      const info = await this.#transport.sendMail({
        from: this.#from,
        to: { name: notice.recipientName, address: notice.recipientEmail },
        subject: notice.subject,
        text: notice.body,
        headers: {
          "Auto-Submitted": "auto-generated",
          "X-Vigil-Notice": notice.id,
          "X-Vigil-Case": notice.caseId,
        },
      });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length > 0) {
        return { ok: false, detail: `rejected ${rejected.join(", ")}: ${info.response ?? ""}` };
      }
      return { ok: true, detail: String(info.response ?? "accepted") };
    } catch (err) {
      const e = err as Error & { responseCode?: number; code?: string };
      const code = e.responseCode ?? e.code;
      return { ok: false, detail: `${code === undefined ? "" : `${code} `}${e.message}` };
    }
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}
