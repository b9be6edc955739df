import type { StoredNotice } from "../store/index.js";
import type { DeliveryOutcome, NoticeChannel } from "./notice-channel.js";
import type { NotifyConfig } from "./notify-config.js";
import {
  signWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from "./webhook-signature.js";

/** How long one webhook POST may take, answer included, before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Notices as signed webhooks: a JSON POST (`{"type":"vigil.notice","id":…,"notice":…}`)
 * with `X-Vigil-Timestamp` (Unix seconds) and `X-Vigil-Signature` (`v1=` HMAC-SHA256 of
 * `timestamp.body`, see `verifyWebhook`). A 2xx answer is delivered; anything else,
 * redirects included (they are not followed), is a failure to retry.
 */
export class WebhookChannel implements NoticeChannel {
  readonly name = "webhook" as const;
  readonly #url: string;
  readonly #secret: string;

  constructor(config: NonNullable<NotifyConfig["webhook"]>) {
    this.#url = config.url;
    this.#secret = config.secret;
  }

  accepts(): boolean {
    return true;
  }

  async send(notice: StoredNotice, now: Date): Promise<DeliveryOutcome> {
    const body = JSON.stringify({
      type: "vigil.notice",
      id: notice.id,
      sentAt: now.toISOString(),
      notice: notice.payload,
    });
    const timestamp = Math.floor(now.getTime() / 1000);
    try {
      const response = await fetch(this.#url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "vigil-notify",
          [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(this.#secret, body, timestamp),
        },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      // The answer's body is not needed, and a hostile receiver could make it endless.
      await response.body?.cancel().catch(() => {});
      const detail = `HTTP ${response.status}`;
      return { ok: response.status >= 200 && response.status < 300, detail };
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause;
      return { ok: false, detail: `${(err as Error).message}${cause ? `: ${cause.message}` : ""}` };
    }
  }

  async close(): Promise<void> {}
}
