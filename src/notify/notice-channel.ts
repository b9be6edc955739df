import type { NoticeChannelName as ChannelName, StoredNotice } from "../store/index.js";

/** What one delivery attempt gave: delivered or not, and the other side's answer or the error. */
export interface DeliveryOutcome {
  ok: boolean;
  detail: string;
}

/** A way a notice travels (e-mail, webhook). `send` never throws: failures are outcomes. */
export interface NoticeChannel {
  readonly name: ChannelName;
  /** Whether this channel can carry `notice` (e-mail needs an address). */
  accepts(notice: Pick<StoredNotice, "recipientEmail">): boolean;
  send(notice: StoredNotice, now: Date): Promise<DeliveryOutcome>;
  close(): Promise<void>;
}
