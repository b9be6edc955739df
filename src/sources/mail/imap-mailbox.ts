import { ImapFlow } from "imapflow";
import { VigilError } from "../../errors.js";
import type { ImapAccount } from "./imap-account.js";

/** How long to wait for the TCP (and TLS) connection. */
export const IMAP_CONNECT_TIMEOUT_MS = 15_000;
/** How long to wait for the server's greeting. */
export const IMAP_GREETING_TIMEOUT_MS = 15_000;
/**
 * Longest silence on the connection before it is taken as dead. IDLE is restarted every
 * `IMAP_IDLE_RESTART_MS`, well inside this, so a quiet mailbox is not mistaken for one.
 */
export const IMAP_SOCKET_TIMEOUT_MS = 10 * 60_000;
/** IDLE is broken and restarted this often: servers may drop IDLE after 30 minutes (RFC 2177). */
export const IMAP_IDLE_RESTART_MS = 5 * 60_000;
/**
 * Longest response line read (a UID SEARCH answer of a big folder is one line: a million
 * UIDs is about 8 MB); a server that never ends its line is cut off here.
 */
export const MAX_IMAP_LINE_BYTES = 64 * 1024 * 1024;
/** UIDs triaged from one search: a larger backlog is worked through in later rounds. */
export const MAX_IMAP_UIDS_PER_ROUND = 100_000;

/** One message as fetched: the first `maxMessageBytes` of its source and its full size. */
export interface ImapMessage {
  uid: number;
  bytes: Buffer;
  size: number;
  /** When the server received it (INTERNALDATE), ISO 8601. */
  receivedAt?: string;
}

export interface ImapMailboxOptions {
  account: ImapAccount;
  folder: string;
  /**
   * Open with EXAMINE: the server itself then refuses any change to the folder (flags,
   * deletions). Only `--quarantine` needs it read-write, to move messages.
   */
  readOnly: boolean;
  /** Bytes of one message fetched (BODY.PEEK[]<0.n>, which never sets \Seen). */
  maxMessageBytes: number;
}

/**
 * One watched folder on its own IMAP connection (imapflow): selected, searched for UIDs
 * above a cursor, fetched a message at a time without changing flags, and waited on with
 * IDLE for new mail. The connection's limits bound what a hostile server can make it
 * hold. Errors are `VigilError`s: `VIGIL_ERR_MAIL_IMAP_AUTH` (wrong user or password),
 * `VIGIL_ERR_MAIL_IMAP_FOLDER` (no such folder, a refused move) and
 * `VIGIL_ERR_MAIL_IMAP_CONNECT` (anything else: worth reconnecting).
 */
export class ImapMailbox {
  readonly folder: string;
  readonly uidValidity: string;
  readonly #client: ImapFlow;
  readonly #maxMessageBytes: number;
  #changed = false;
  #closed: VigilError | undefined;
  #wake: (() => void) | undefined;

  private constructor(client: ImapFlow, folder: string, uidValidity: string, max: number) {
    this.#client = client;
    this.folder = folder;
    this.uidValidity = uidValidity;
    this.#maxMessageBytes = max;
    client.on("exists", () => {
      this.#changed = true;
      this.#wake?.();
    });
    client.on("close", () => {
      this.#closed ??= new VigilError(
        "VIGIL_ERR_MAIL_IMAP_CONNECT",
        `the IMAP server closed the connection (${folder})`,
      );
      this.#wake?.();
    });
  }

  /** Connects, logs in and selects the folder. */
  static async open(options: ImapMailboxOptions): Promise<ImapMailbox> {
    const { account, folder } = options;
    const client = new ImapFlow({
      host: account.host,
      port: account.port,
      secure: account.security === "tls",
      // `starttls` must upgrade; `plain` (loopback only) must not try.
      doSTARTTLS:
        account.security === "starttls" ? true : account.security === "plain" ? false : undefined,
      auth: { user: account.user, pass: account.password },
      ...(account.ca === undefined ? {} : { tls: { ca: account.ca } }),
      // No log at all: imapflow's would go to stdout, and lines may name the user.
      logger: false,
      clientInfo: { name: "vigil" },
      connectionTimeout: IMAP_CONNECT_TIMEOUT_MS,
      greetingTimeout: IMAP_GREETING_TIMEOUT_MS,
      socketTimeout: IMAP_SOCKET_TIMEOUT_MS,
      maxIdleTime: IMAP_IDLE_RESTART_MS,
      // A message literal is at most the bytes asked for; a server sending more is cut off.
      maxLiteralSize: options.maxMessageBytes + 1024 * 1024,
      maxResponseSize: options.maxMessageBytes + MAX_IMAP_LINE_BYTES,
      maxLineLength: MAX_IMAP_LINE_BYTES,
      autoIdleDelay: 1_000,
    });
    // An 'error' event without a listener would crash the process; `close` follows it.
    client.on("error", () => {});
    try {
      await client.connect();
    } catch (err) {
      client.close();
      throw imapError(err, `cannot connect to ${account.host}:${account.port}`);
    }
    try {
      const mailbox = await client.mailboxOpen(folder, { readOnly: options.readOnly });
      return new ImapMailbox(client, folder, String(mailbox.uidValidity), options.maxMessageBytes);
    } catch (err) {
      await client.logout().catch(() => client.close());
      throw imapError(err, `cannot open the folder "${folder}"`, "VIGIL_ERR_MAIL_IMAP_FOLDER");
    }
  }

  /** UIDs above `lastUid`, in order, at most `MAX_IMAP_UIDS_PER_ROUND`. */
  async uidsAfter(lastUid: number): Promise<number[]> {
    this.#changed = false;
    this.#check();
    try {
      // `N:*` always includes the highest UID, even below N (RFC 3501 §6.4.8): filtered here.
      const found = await this.#client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
      const uids = (Array.isArray(found) ? found : []).filter((u) => u > lastUid);
      uids.sort((a, b) => a - b);
      return uids.slice(0, MAX_IMAP_UIDS_PER_ROUND);
    } catch (err) {
      throw imapError(err, `cannot search "${this.folder}"`);
    }
  }

  /** The message with `uid`, or undefined when it was removed meanwhile. */
  async fetch(uid: number): Promise<ImapMessage | undefined> {
    this.#check();
    let message: Awaited<ReturnType<ImapFlow["fetchOne"]>>;
    try {
      message = await this.#client.fetchOne(
        String(uid),
        { uid: true, size: true, internalDate: true, source: { maxLength: this.#maxMessageBytes } },
        { uid: true },
      );
    } catch (err) {
      throw imapError(err, `cannot fetch UID ${uid} of "${this.folder}"`);
    }
    if (message === false || message.source === undefined) return undefined;
    const date = message.internalDate;
    const receivedAt =
      date instanceof Date ? date : typeof date === "string" ? new Date(date) : undefined;
    return {
      uid,
      bytes: message.source,
      size: Math.max(message.size ?? 0, message.source.length),
      ...(receivedAt === undefined || Number.isNaN(receivedAt.getTime())
        ? {}
        : { receivedAt: receivedAt.toISOString() }),
    };
  }

  /** Moves one message to `destination`, creating that folder first when it is missing. */
  async move(uid: number, destination: string): Promise<void> {
    this.#check();
    try {
      const list = await this.#client.list();
      if (!list.some((m) => m.path === destination)) await this.#client.mailboxCreate(destination);
      const moved = await this.#client.messageMove(String(uid), destination, { uid: true });
      if (moved === false) throw new Error("the server refused the move");
    } catch (err) {
      throw imapError(
        err,
        `cannot move UID ${uid} of "${this.folder}" to "${destination}"`,
        "VIGIL_ERR_MAIL_IMAP_FOLDER",
      );
    }
  }

  /**
   * Waits (in IDLE, which imapflow enters on its own when the connection is quiet) until
   * new mail arrives, `ms` pass or `signal` aborts. Returns whether mail arrived.
   * @throws VigilError `VIGIL_ERR_MAIL_IMAP_CONNECT` when the connection closes.
   */
  async waitForMail(ms: number, signal?: AbortSignal): Promise<boolean> {
    this.#check();
    if (this.#changed) return true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const onAbort = () => done();
      signal?.addEventListener("abort", onAbort, { once: true });
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }
      this.#wake = done;
    });
    this.#wake = undefined;
    this.#check();
    return this.#changed;
  }

  async close(): Promise<void> {
    this.#closed ??= new VigilError("VIGIL_ERR_MAIL_IMAP_CONNECT", "closed");
    await this.#client.logout().catch(() => this.#client.close());
  }

  #check(): void {
    if (this.#closed !== undefined) throw this.#closed;
  }
}

/** Sorts an imapflow failure into a stable code; the message never holds the password. */
function imapError(
  err: unknown,
  what: string,
  folderCode:
    | "VIGIL_ERR_MAIL_IMAP_FOLDER"
    | "VIGIL_ERR_MAIL_IMAP_CONNECT" = "VIGIL_ERR_MAIL_IMAP_CONNECT",
): VigilError {
  if (err instanceof VigilError) return err;
  const e = err as Error & {
    authenticationFailed?: boolean;
    serverResponseCode?: string;
    responseText?: string;
    responseStatus?: string;
  };
  const detail = e.responseText || e.message || String(err);
  if (e.authenticationFailed === true) {
    return new VigilError(
      "VIGIL_ERR_MAIL_IMAP_AUTH",
      `${what}: the server refused the login (${detail})`,
      {
        cause: err,
      },
    );
  }
  // A NO answer to SELECT or MOVE (no such folder, no right): reconnecting will not help.
  const refused =
    e.serverResponseCode !== undefined || e.responseStatus === "NO" || e.responseStatus === "BAD";
  const code = refused ? folderCode : "VIGIL_ERR_MAIL_IMAP_CONNECT";
  return new VigilError(code, `${what}: ${detail}`, { cause: err });
}
