/**
 * A real Dovecot IMAP server for tests: its own config, passwd-file user and Maildir in a
 * temporary folder, listening on a free loopback port, stopped (and the folder removed)
 * by `stop()`. No system authentication and no system mail is touched. Needs the Debian
 * package dovecot-imapd (.ci/run installs it); without it, `startDovecot` fails with a
 * message saying so: the IMAP tests never skip silently.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import { selfSignedTls } from "./tls-certificate.js";

export const DOVECOT_BIN = process.env.VIGIL_TEST_DOVECOT ?? "/usr/sbin/dovecot";

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The server's temporary folder (config, log, Maildir). */
  dir: string;
  /** With `tls`: the IMAPS port and the self-signed certificate (PEM) to trust. */
  tlsPort?: number;
  ca?: string;
  /** A logged-in imapflow client for the test's own appends and checks (close it). */
  client(): Promise<ImapFlow>;
  /** Appends a message to `folder` (created when missing); returns its UID. */
  append(folder: string, raw: string): Promise<number>;
  /** Every message of `folder`: UID, flags and Subject. */
  messages(folder: string): Promise<Array<{ uid: number; flags: string[]; subject: string }>>;
  /** Deletes and re-creates `folder`, so the server gives it a new UIDVALIDITY. */
  recreate(folder: string): Promise<void>;
  /** The server's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts Dovecot; fails with a clear message when it is not installed. With `tls`, the
 * test makes a self-signed certificate for 127.0.0.1 (openssl), offers STARTTLS on the
 * IMAP port and listens for IMAPS on a second one.
 */
export async function startDovecot(options: { tls?: boolean } = {}): Promise<Dovecot> {
  if (!existsSync(DOVECOT_BIN)) {
    throw new Error(
      `Dovecot is not installed (${DOVECOT_BIN} is missing): the IMAP tests need it. ` +
        'Install it with "apt-get update && apt-get install -y dovecot-imapd" (.ci/run does), or set VIGIL_TEST_DOVECOT to the binary.',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), "vigil-dovecot-"));
  // Dovecot's processes run as other users: they must be able to reach the folder.
  await chmod(dir, 0o755);
  const mail = join(dir, "mail");
  await mkdir(mail);
  await mkdir(join(dir, "run"));
  const root = process.getuid?.() === 0;
  const me = userInfo();
  const owner = root ? systemUser("dovecot") : { uid: me.uid, gid: me.gid };
  if (root) await chown(mail, owner.uid, owner.gid);
  const user = "alice@vigil.test";
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  await writeFile(join(dir, "passwd"), `${user}:{PLAIN}${password}::::${mail}/alice\n`);
  const ca = options.tls === true ? selfSignedCertificate(dir) : undefined;
  let lastError = "";
  for (let tries = 0; tries < 3; tries++) {
    const port = await freePort();
    const tlsPort = ca === undefined ? undefined : await freePort();
    const conf = join(dir, "dovecot.conf");
    await writeFile(conf, config(dir, port, owner, root ? undefined : me.username, tlsPort));
    const child = spawn(DOVECOT_BIN, ["-F", "-c", conf], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (output += b.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    if (await listening(port, child)) {
      return {
        ...server(dir, port, user, password, child, exited),
        ...(tlsPort === undefined || ca === undefined ? {} : { tlsPort, ca }),
      };
    }
    child.kill("SIGKILL");
    await exited;
    lastError = `${output}\n${readLog(dir)}`;
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`Dovecot did not start:\n${lastError}`);
}

function server(
  dir: string,
  port: number,
  user: string,
  password: string,
  child: ChildProcess,
  exited: Promise<void>,
): Dovecot {
  const host = "127.0.0.1";
  const client = async () => {
    const c = new ImapFlow({
      host,
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass: password },
      logger: false,
    });
    c.on("error", () => {});
    await c.connect();
    return c;
  };
  const withClient = async <T>(work: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = await client();
    try {
      return await work(c);
    } finally {
      await c.logout().catch(() => c.close());
    }
  };
  return {
    host,
    port,
    user,
    password,
    dir,
    client,
    append: (folder, raw) =>
      withClient(async (c) => {
        const list = await c.list();
        if (!list.some((m) => m.path === folder)) await c.mailboxCreate(folder);
        const result = await c.append(folder, raw);
        if (result === false || result.uid === undefined) throw new Error("append gave no UID");
        return result.uid;
      }),
    messages: (folder) =>
      withClient(async (c) => {
        const list = await c.list();
        if (!list.some((m) => m.path === folder)) return [];
        const lock = await c.getMailboxLock(folder, { readOnly: true });
        try {
          const out: Array<{ uid: number; flags: string[]; subject: string }> = [];
          if ((c.mailbox === false ? 0 : c.mailbox.exists) === 0) return out;
          for await (const m of c.fetch("1:*", { uid: true, flags: true, envelope: true })) {
            out.push({
              uid: m.uid,
              flags: [...(m.flags ?? [])].sort(),
              subject: m.envelope?.subject ?? "",
            });
          }
          return out;
        } finally {
          lock.release();
        }
      }),
    recreate: (folder) =>
      withClient(async (c) => {
        await c.mailboxDelete(folder).catch(() => {});
        await c.mailboxCreate(folder).catch(() => {});
      }),
    log: () => readLog(dir),
    stop: async () => {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function config(
  dir: string,
  port: number,
  owner: { uid: number; gid: number },
  unprivilegedUser: string | undefined,
  tlsPort: number | undefined,
): string {
  const tls =
    tlsPort === undefined
      ? "ssl = no"
      : `ssl = yes\nssl_cert = <${dir}/cert.pem\nssl_key = <${dir}/key.pem`;
  return `# Written by the test suite: a throw-away server on loopback.
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = vigil-test-${port}
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
${tls}
# Loopback only: plain-text login is what the tests exercise.
disable_plaintext_auth = no
auth_mechanisms = plain login
# Refused logins are answered at once (the default waits 2 s).
auth_failure_delay = 0
mail_location = maildir:${dir}/mail/%n
first_valid_uid = ${Math.min(owner.uid, 500)}
${unprivilegedUser === undefined ? "" : `default_internal_user = ${unprivilegedUser}\ndefault_login_user = ${unprivilegedUser}\n`}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/mail/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${tlsPort ?? 0}
  }
}
`;
}

/** A self-signed certificate for 127.0.0.1 in `dir` (cert.pem, key.pem); returns the PEM. */
function selfSignedCertificate(dir: string): string {
  let tls: { cert: string; key: string };
  try {
    tls = selfSignedTls(["IP:127.0.0.1"], "127.0.0.1");
  } catch (err) {
    throw new Error(`cannot make a test certificate with openssl: ${(err as Error).message}`);
  }
  writeFileSync(join(dir, "key.pem"), tls.key);
  writeFileSync(join(dir, "cert.pem"), tls.cert);
  return tls.cert;
}

/** A user's uid and gid from /etc/passwd (the dovecot package creates `dovecot`). */
function systemUser(name: string): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  const fields = line?.split(":");
  if (fields?.[2] === undefined || fields[3] === undefined) {
    throw new Error(`no "${name}" user: reinstall dovecot-imapd, which creates it`);
  }
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, "dovecot.log"), "utf8");
  } catch {
    return "(no log)";
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Whether the server greets on `port` within 10 s (false as soon as it exits). */
async function listening(port: number, child: ChildProcess): Promise<boolean> {
  let gone = false;
  child.once("exit", () => {
    gone = true;
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !gone) {
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      let data = "";
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1_000, () => done(false));
      socket.on("data", (b) => {
        data += b.toString();
        if (/\* OK .*ready/.test(data)) done(true);
      });
      socket.on("error", () => done(false));
    });
    if (greeted) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
