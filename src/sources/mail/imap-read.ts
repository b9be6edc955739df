import type { ItemProblem } from "../../detect/index.js";
import { type EmailMessage, makeObservation, type Observation } from "../../model/index.js";
import type { ImapMessage } from "./imap-mailbox.js";
import type { MailAuthOptions } from "./mail-authenticator.js";
import type { MailLimits } from "./mail-limits.js";
import { parseEmail } from "./read-email.js";

export interface ReadImapMessageOptions {
  /** `imap://user@host:port/Folder` of the folder (see `imapFolderUrl`). */
  folderUrl: string;
  uidValidity: string;
  observedAt: string;
  limits: MailLimits;
  auth: MailAuthOptions;
}

/**
 * One fetched IMAP message read exactly as `vigil scan email` reads a file: parsed under
 * the same limits, authenticated, normalised into an `email` observation. Its source is
 * the message's IMAP URL (RFC 5092: `…/INBOX;UIDVALIDITY=v/;UID=n`), which also names it
 * in problems. Never throws on the message's content.
 */
export async function readImapMessage(
  fetched: ImapMessage,
  options: ReadImapMessageOptions,
): Promise<{
  observation: Observation;
  message: EmailMessage;
  problems: ItemProblem[];
  item: string;
}> {
  const item = `${options.folderUrl};UIDVALIDITY=${options.uidValidity}/;UID=${fetched.uid}`;
  const { message, problems } = await parseEmail(
    { bytes: fetched.bytes, size: fetched.size },
    options.limits,
    options.auth,
  );
  return {
    item,
    message,
    problems: problems.map((p) => ({ ...p, item })),
    observation: makeObservation({
      kind: "email",
      value: `email:${message.sha256}`,
      data: message,
      source: item,
      observedAt: options.observedAt,
    }),
  };
}
