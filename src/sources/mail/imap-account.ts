import { isIP } from "node:net";
import { VigilError } from "../../errors.js";

/** How the IMAP connection is protected. */
export type ImapSecurity = "tls" | "starttls" | "plain";

/** Where and how to reach a mailbox. The password is never printed or stored. */
export interface ImapAccount {
  host: string;
  port: number;
  /** `tls` (IMAPS, port 993), `starttls` (required upgrade, port 143) or `plain` (loopback only). */
  security: ImapSecurity;
  user: string;
  password: string;
  /** PEM CA certificates to trust instead of the system's (a self-signed server). */
  ca?: string;
}

/** Folders watched at once: each holds a connection of its own (for IDLE). */
export const MAX_IMAP_FOLDERS = 20;
/** Longest folder name accepted (IMAP names are short; this bounds a bad option). */
const MAX_FOLDER_CHARS = 1000;

/**
 * Checks an account before any connection: a host name or address, a port, a user, a
 * password, and plain text only to this machine (so a password never crosses a network
 * unencrypted, whatever the server offers).
 * @throws VigilError `VIGIL_ERR_CLI_USAGE` naming what is wrong (never the password).
 */
export function checkImapAccount(account: ImapAccount): ImapAccount {
  const host = account.host.trim();
  if (!/^[A-Za-z0-9.:_[\]-]{1,253}$/.test(host)) {
    throw usage(`the IMAP host "${host.slice(0, 100)}" is not a host name or address`);
  }
  if (!Number.isInteger(account.port) || account.port < 1 || account.port > 65_535) {
    throw usage(`the IMAP port must be from 1 to 65535, not ${account.port}`);
  }
  if (account.user === "") throw usage("the IMAP user is not set (--user or VIGIL_IMAP_USER)");
  if (account.password === "") {
    throw usage("the IMAP password is not set (the variable named by --password-env)");
  }
  if (account.security === "plain" && !isLoopback(host)) {
    throw usage(
      `--security plain sends the password unencrypted: allowed to a loopback address only, not ${host}`,
    );
  }
  return { ...account, host };
}

/** Checks the folders to watch: one or more, each once, at most `MAX_IMAP_FOLDERS`. */
export function checkImapFolders(folders: readonly string[], quarantine?: string): string[] {
  const list = [...new Set(folders.map((f) => f.trim()))];
  if (list.length === 0) throw usage("name at least one folder to watch");
  if (list.length > MAX_IMAP_FOLDERS) {
    throw usage(`at most ${MAX_IMAP_FOLDERS} folders can be watched at once`);
  }
  for (const folder of [...list, ...(quarantine === undefined ? [] : [quarantine])]) {
    if (folder === "" || folder.length > MAX_FOLDER_CHARS || /[\r\n\0]/.test(folder)) {
      throw usage(`"${folder.slice(0, 100)}" is not a folder name`);
    }
  }
  if (quarantine !== undefined && list.some((f) => f.toLowerCase() === quarantine.toLowerCase())) {
    throw usage(`the quarantine folder "${quarantine}" cannot also be watched`);
  }
  return list;
}

/** `imap://user@host:port/Folder` (RFC 5092 form, no password): the cursor's source name. */
export function imapFolderUrl(
  account: Pick<ImapAccount, "host" | "port" | "user">,
  folder: string,
): string {
  const host = isIP(account.host) === 6 ? `[${account.host}]` : account.host;
  return `imap://${encodeURIComponent(account.user)}@${host}:${account.port}/${encodeURIComponent(folder).replace(/%2F/g, "/")}`;
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || (isIP(h) === 4 && h.startsWith("127."));
}

function usage(message: string): VigilError {
  return new VigilError("VIGIL_ERR_CLI_USAGE", message);
}
