import { createHash } from "node:crypto";
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DnsFacts, RdapFacts } from "../enrich/index.js";
import { VigilError } from "../errors.js";
import { canonicalJson } from "../model/index.js";
import type { TlsSummary } from "../sources/index.js";

/** The log file in an evidence folder, one JSON entry a line. */
export const EVIDENCE_LOG_FILE = "evidence-log.jsonl";
/** The sub-folder of WARC files. */
export const WARC_FOLDER = "warc";
/** The sub-folder of screenshots (PNG), named like the WARC of the same capture. */
export const SCREENSHOT_FOLDER = "screenshots";
/** What the first entry's `prevHash` is: there is nothing before it. */
export const GENESIS_HASH = "0".repeat(64);
/** A lock older than this is taken to be left by a process that died. */
export const STALE_LOCK_MS = 60_000;
/** How long an append waits for another writer's lock. */
export const LOCK_WAIT_MS = 10_000;

/** What one capture adds to the log, before it is chained. */
export interface EvidenceFacts {
  capturedAt: string;
  url: string;
  finalUrl: string;
  /** The address the final answer came from (the one the guard checked). */
  address: string;
  status: number;
  /** Every hop: URL, address and status. */
  hops: Array<{ url: string; address: string; status: number }>;
  tls: TlsSummary | null;
  /** The WARC file, relative to the evidence folder, and its SHA-256. */
  warc: string;
  warcSha256: string;
  /** Free notes: a redirect not followed, a problem with the page. */
  notes: string[];
  /**
   * The page's screenshot (PNG, relative to the evidence folder) and its SHA-256. Absent
   * in entries written before screenshots were taken, or when none could be.
   */
  screenshot?: { file: string; sha256: string };
  /** What DNS answered for the host at capture time (absent when not looked up). */
  dns?: DnsFacts;
  /** What RDAP answered for the host's domain at capture time (absent when not looked up). */
  rdap?: RdapFacts;
}

/** One line of the log: the facts, their place, and the chain. */
export interface EvidenceEntry extends EvidenceFacts {
  seq: number;
  /** The previous entry's `hash` (`GENESIS_HASH` for the first). */
  prevHash: string;
  /** SHA-256 of the canonical JSON of every other field, `prevHash` included. */
  hash: string;
}

/** The hash an entry must carry: of its canonical JSON without `hash`. */
export function entryHash(entry: Omit<EvidenceEntry, "hash"> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = entry;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex");
}

/**
 * An evidence folder: WARC files under `warc/` and an append-only log whose entries are
 * hash-chained (each entry's hash covers the previous entry's hash), so changing,
 * removing or reordering an entry, or a byte of a WARC it names, is detected by
 * `verifyEvidence`. A file beside the WARCs rather than a table in the store: the folder
 * is what is handed to a registrar, a court or another team, and checks out on its own.
 * Appends take a lock file, so two captures running at once cannot fork the chain.
 */
export class EvidenceLog {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * Writes the WARC bytes (and the screenshot, when given, as `screenshots/<name>.png`)
   * and appends the entry that names them with their SHA-256; returns the entry.
   */
  async append(
    warc: Buffer,
    facts: Omit<EvidenceFacts, "warc" | "warcSha256" | "screenshot">,
    name: string,
    attachments: { screenshot?: Buffer } = {},
  ): Promise<EvidenceEntry> {
    const warcSha256 = createHash("sha256").update(warc).digest("hex");
    const relative = `${WARC_FOLDER}/${name}`;
    await this.#writeFile(WARC_FOLDER, relative, warc);
    let screenshot: EvidenceFacts["screenshot"];
    if (attachments.screenshot !== undefined) {
      const file = `${SCREENSHOT_FOLDER}/${name.replace(/\.warc(\.gz)?$/, "")}.png`;
      await this.#writeFile(SCREENSHOT_FOLDER, file, attachments.screenshot);
      screenshot = {
        file,
        sha256: createHash("sha256").update(attachments.screenshot).digest("hex"),
      };
    }
    return this.#locked(async () => {
      const last = await this.#lastEntry();
      const unchained = {
        ...facts,
        ...(screenshot === undefined ? {} : { screenshot }),
        warc: relative,
        warcSha256,
        seq: last === undefined ? 0 : last.seq + 1,
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const entry: EvidenceEntry = { ...unchained, hash: entryHash(unchained) };
      const handle = await open(join(this.dir, EVIDENCE_LOG_FILE), "a");
      try {
        await handle.write(`${JSON.stringify(entry)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return entry;
    });
  }

  async #writeFile(folder: string, relative: string, bytes: Buffer): Promise<void> {
    try {
      await mkdir(join(this.dir, folder), { recursive: true });
      // Written under a temporary name and renamed: a crash leaves no half file behind.
      const temporary = join(this.dir, `${relative}.partial`);
      await writeFile(temporary, bytes, { flag: "wx" });
      await rename(temporary, join(this.dir, relative));
    } catch (err) {
      throw new VigilError(
        "VIGIL_ERR_EVIDENCE_WRITE",
        `cannot write ${relative} in ${this.dir}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  /** The last entry of the log, read from its tail. */
  async #lastEntry(): Promise<EvidenceEntry | undefined> {
    const path = join(this.dir, EVIDENCE_LOG_FILE);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      return undefined;
    }
    const handle = await open(path, "r");
    try {
      // Entries are a few KiB; read back until a whole last line is in hand.
      for (let span = 64 * 1024; ; span *= 4) {
        const start = Math.max(0, size - span);
        const buffer = Buffer.alloc(size - start);
        await handle.read(buffer, 0, buffer.length, start);
        const text = buffer.toString("utf8").trimEnd();
        const cut = text.lastIndexOf("\n");
        if (cut === -1 && start > 0) continue;
        const line = text.slice(cut + 1);
        if (line === "") return undefined;
        try {
          return JSON.parse(line) as EvidenceEntry;
        } catch (err) {
          throw new VigilError(
            "VIGIL_ERR_EVIDENCE_BROKEN",
            `the last line of ${path} is not JSON: run vigil evidence verify`,
            { cause: err },
          );
        }
      }
    } finally {
      await handle.close();
    }
  }

  async #locked<T>(work: () => Promise<T>): Promise<T> {
    const lock = join(this.dir, `${EVIDENCE_LOG_FILE}.lock`);
    const started = Date.now();
    for (;;) {
      try {
        await writeFile(lock, String(process.pid), { flag: "wx" });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
          throw new VigilError(
            "VIGIL_ERR_EVIDENCE_WRITE",
            `cannot lock ${lock}: ${(err as Error).message}`,
            { cause: err },
          );
        }
        const age = await stat(lock).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > STALE_LOCK_MS) {
          await rm(lock, { force: true });
          continue;
        }
        if (Date.now() - started > LOCK_WAIT_MS) {
          throw new VigilError(
            "VIGIL_ERR_EVIDENCE_WRITE",
            `${lock} is held by another capture (remove it if none is running)`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    try {
      return await work();
    } finally {
      await rm(lock, { force: true });
    }
  }
}

/** Reads the log's lines (for verification); a missing log is an empty one. */
export async function readEvidenceLines(dir: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(dir, EVIDENCE_LOG_FILE), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new VigilError(
      "VIGIL_ERR_EVIDENCE_READ",
      `cannot read ${join(dir, EVIDENCE_LOG_FILE)}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
