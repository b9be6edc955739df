/**
 * The two peers of bench/email, each started by the benchmark with its own configuration
 * in a temporary folder and asked one message at a time over a local socket:
 *
 * - SpamAssassin's spamd with `-L` (local tests only: no DNS blocklists, Razor, Pyzor or
 *   DCC), Bayes and auto-whitelisting off, Debian's shipped rules, one child process,
 *   spoken to in the SPAMC/1.5 protocol (`CHECK`); spam when its score reaches
 *   `required_score` (5.0).
 * - rspamd with the Debian rules and a minimal top-level configuration of our own (one
 *   normal worker, no controller, no proxy, modules that only query the network turned
 *   off), asked with its HTTP API (`POST /checkv2`); flagged when its action is `add
 *   header`, `rewrite subject` or `reject` (score ≥ 6 with the default actions): what a
 *   user sees as spam. `greylist` is a delivery delay, not a verdict, and is not counted.
 *
 * Both run inside a network namespace of their own (`unshare --net`, which has only a
 * loopback device that is down), so no lookup can leave the machine whatever a rule
 * tries; they listen on Unix sockets in the temporary folder, the loopback that crosses
 * the namespace. Hostile messages never reach anything that fetches.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** How long a peer may take to start (spamd compiles its rules first). */
const START_TIMEOUT_MS = 180_000;
/** How long one message may take before the peer is counted as failing on it. */
const MESSAGE_TIMEOUT_MS = 60_000;

export interface PeerVerdict {
  flagged: boolean;
  score: number;
  error?: string;
}

export interface Peer {
  name: string;
  version: string;
  setup: string;
  check(message: Buffer): Promise<PeerVerdict>;
  /** Stops the daemon and waits for it to exit. */
  stop(): Promise<void>;
}

/** The Debian packages the benchmark needs: installed with apt-get when missing and root. */
export function ensurePackages(log: (m: string) => void): void {
  const missing = [
    ["spamd", "spamd"],
    ["rspamd", "rspamd"],
  ].filter(([bin]) => spawnSync("sh", ["-c", `command -v ${bin}`]).status !== 0);
  if (missing.length === 0) return;
  // Debian 12 ships the daemon in its own package, spamd.
  const packages = ["spamassassin", "spamd", "spamc", "rspamd"];
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing ${missing.map(([b]) => b).join(", ")}: run as root, or install them first: apt-get install ${packages.join(" ")}`,
    );
  }
  log(
    `installing ${packages.join(", ")} with apt-get (missing: ${missing.map(([b]) => b).join(", ")})`,
  );
  const result = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", ...packages], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) {
    throw new Error(
      `apt-get install ${packages.join(" ")} failed (${result.status}); install them by hand and run again`,
    );
  }
}

/** Whether `unshare --net` works here (root, or a kernel that allows user namespaces). */
export function canIsolate(): boolean {
  return spawnSync("unshare", ["--net", "true"]).status === 0;
}

function isolated(command: string, args: readonly string[]): [string, string[]] {
  return ["unshare", ["--net", command, ...args]];
}

function version(command: string, args: readonly string[], pattern: RegExp): string {
  const out = spawnSync(command, args, { encoding: "utf8" });
  return pattern.exec(`${out.stdout}${out.stderr}`)?.[1] ?? "unknown";
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function waitForSocket(path: string, child: ChildProcess, name: string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < START_TIMEOUT_MS) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} at start`);
    if (existsSync(path)) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect({ path }, () => {
          s.end();
          resolve(true);
        });
        s.on("error", () => resolve(false));
      });
      if (ok) return;
    }
    await sleep(200);
  }
  throw new Error(`${name} did not open ${path} within ${START_TIMEOUT_MS / 1000} s`);
}

/** Starts spamd in `dir` and returns the peer that asks it. */
export async function startSpamAssassin(dir: string): Promise<Peer> {
  const site = join(dir, "sa-site");
  mkdirSync(site, { recursive: true });
  // Debian's plugin loading (*.pre) as shipped; our own local.cf in place of the system's.
  for (const f of readdirSync("/etc/spamassassin")) {
    if (f.endsWith(".pre")) copyFileSync(join("/etc/spamassassin", f), join(site, f));
  }
  writeFileSync(
    join(site, "local.cf"),
    [
      "# bench/email: local rules only, nothing learnt between messages",
      "use_bayes 0",
      "bayes_auto_learn 0",
      "use_auto_whitelist 0",
      "use_txrep 0",
      "skip_rbl_checks 1",
      "use_razor2 0",
      "use_pyzor 0",
      "dns_available no",
      "required_score 5.0",
      "",
    ].join("\n"),
  );
  const socket = join(dir, "spamd.sock");
  const args = [
    "-L",
    "--socketpath",
    socket,
    "--siteconfigpath",
    site,
    "--nouser-config",
    "--max-children",
    "1",
    "--min-children",
    "1",
    "--min-spare",
    "1",
    "--max-spare",
    "1",
    "--pidfile",
    join(dir, "spamd.pid"),
    "--syslog",
    join(dir, "spamd.log"),
    "-u",
    "nobody",
  ];
  const [command, full] = isolated("spamd", args);
  const child = spawn(command, full, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  try {
    await waitForSocket(socket, child, "spamd");
  } catch (err) {
    child.kill("SIGTERM");
    throw new Error(`${(err as Error).message}: ${stderr}`);
  }
  return {
    name: "SpamAssassin",
    version: version("spamassassin", ["-V"], /SpamAssassin version (\S+)/),
    setup:
      "spamd -L (local tests only), Bayes/AWL/TxRep off, Debian rules, 1 child, SPAMC CHECK over a Unix socket, own network namespace; spam at score >= 5.0",
    check: (message) => spamcCheck(socket, message),
    stop: () => stopChild(child),
  };
}

/** One `CHECK` in the SPAMC/1.5 protocol: `Spam: True ; 7.3 / 5.0`. */
function spamcCheck(path: string, message: Buffer): Promise<PeerVerdict> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ path });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ flagged: false, score: 0, error: "timeout" });
    }, MESSAGE_TIMEOUT_MS);
    socket.on("connect", () => {
      socket.write(`CHECK SPAMC/1.5\r\nContent-length: ${message.length}\r\n\r\n`);
      socket.write(message);
      socket.end();
    });
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", (err) => {
      clearTimeout(timer);
      resolve({ flagged: false, score: 0, error: err.message });
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const reply = Buffer.concat(chunks).toString("latin1");
      const m = /Spam: (True|False|Yes|No) ; (-?[\d.]+) \/ (-?[\d.]+)/i.exec(reply);
      if (m === null) {
        resolve({ flagged: false, score: 0, error: reply.split("\r\n")[0] || "no reply" });
        return;
      }
      resolve({ flagged: /true|yes/i.test(m[1] ?? ""), score: Number(m[2]) });
    });
  });
}

/** Modules that only look things up on the network, off (they would only fail). */
const RSPAMD_NETWORK_MODULES = [
  "rbl",
  "fuzzy_check",
  "rspamd_update",
  "dcc",
  "asn",
  "emails",
  "mx_check",
  "external_services",
  "antivirus",
  "p0f",
  "metadata_exporter",
  "clickhouse",
  "elastic",
];

/** Starts rspamd in `dir` and returns the peer that asks it. */
export async function startRspamd(dir: string): Promise<Peer> {
  const local = join(dir, "rspamd-local");
  mkdirSync(join(local, "local.d"), { recursive: true });
  for (const m of RSPAMD_NETWORK_MODULES) {
    writeFileSync(join(local, "local.d", `${m}.conf`), "enabled = false;\n");
  }
  const socket = join(dir, "rspamd.sock");
  const conf = join(dir, "rspamd.conf");
  writeFileSync(
    conf,
    [
      "# bench/email: the Debian rules, one normal worker on a Unix socket, no other workers",
      '.include "$CONFDIR/common.conf"',
      "options {",
      '  pidfile = "$RUNDIR/rspamd.pid";',
      '  .include "$CONFDIR/options.inc"',
      "  dns { timeout = 0.1s; retransmits = 0; }",
      "}",
      'logging { type = "file"; filename = "$LOGDIR/rspamd.log"; level = "error"; }',
      'worker "normal" {',
      `  bind_socket = "${socket} mode=0666";`,
      "  count = 1;",
      '  .include "$CONFDIR/worker-normal.inc"',
      "}",
      "",
    ].join("\n"),
  );
  const args = [
    "-f",
    "-i",
    "-u",
    "root",
    "-g",
    "root",
    "-c",
    conf,
    "--var",
    `LOCAL_CONFDIR=${local}`,
    "--var",
    `RUNDIR=${dir}`,
    "--var",
    `DBDIR=${dir}`,
    "--var",
    `LOGDIR=${dir}`,
  ];
  const [command, full] = isolated("rspamd", args);
  const child = spawn(command, full, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  try {
    await waitForSocket(socket, child, "rspamd");
  } catch (err) {
    child.kill("SIGTERM");
    const log = existsSync(join(dir, "rspamd.log"))
      ? readFileSync(join(dir, "rspamd.log"), "utf8").slice(-2000)
      : "";
    throw new Error(`${(err as Error).message}: ${stderr}${log}`);
  }
  return {
    name: "rspamd",
    version: version("rspamd", ["--version"], /version (\S+)/),
    setup: `rspamd -f with Debian rules, own top-level config, 1 normal worker, POST /checkv2 over a Unix socket, own network namespace, modules off: ${RSPAMD_NETWORK_MODULES.join(", ")}; flagged at action add header / rewrite subject / reject`,
    check: (message) => rspamdCheck(socket, message),
    stop: () => stopChild(child),
  };
}

const RSPAMD_FLAGGED = new Set(["add header", "rewrite subject", "reject"]);

function rspamdCheck(socketPath: string, message: Buffer): Promise<PeerVerdict> {
  return new Promise((resolve) => {
    const req = request(
      {
        socketPath,
        method: "POST",
        path: "/checkv2",
        headers: { "Content-Length": message.length },
        timeout: MESSAGE_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => {
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
              action?: string;
              score?: number;
            };
            resolve({
              flagged: RSPAMD_FLAGGED.has(body.action ?? ""),
              score: body.score ?? 0,
              ...(body.action === undefined ? { error: "no action in reply" } : {}),
            });
          } catch (err) {
            resolve({ flagged: false, score: 0, error: (err as Error).message });
          }
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (err) => resolve({ flagged: false, score: 0, error: err.message }));
    req.end(message);
  });
}
