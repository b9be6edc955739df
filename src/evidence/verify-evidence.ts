import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isAbsolute, join, normalize } from "node:path";
import { VigilError } from "../errors.js";
import { type EvidenceEntry, entryHash, GENESIS_HASH, readEvidenceLines } from "./evidence-log.js";
import { checkWarcDigests, MAX_WARC_BYTES, readWarc } from "./warc-reader.js";

/** The first entry that does not check out, and why. */
export interface BrokenEntry {
  /** 1-based line of the log. */
  line: number;
  /** The entry's own `seq`, when it could be read. */
  seq?: number;
  url?: string;
  reason: string;
}

export interface EvidenceVerification {
  ok: boolean;
  entries: number;
  /** WARC files whose digests were checked. */
  warcsChecked: number;
  /** Screenshots whose SHA-256 was checked (entries written before screenshots have none). */
  screenshotsChecked: number;
  /** The hash of the last entry that checked out (what a later verify can be pinned to). */
  headHash: string;
  broken?: BrokenEntry;
}

/**
 * Checks an evidence folder: every entry's hash, the chain of `prevHash` links and
 * sequence numbers, and for each entry its WARC file (SHA-256 of the file as logged,
 * then every record's block and payload digests). Stops at the first entry that fails
 * and names it: what follows a break cannot be trusted to be in its place.
 *
 * @throws VigilError `VIGIL_ERR_EVIDENCE_READ` when the log cannot be read at all.
 */
export async function verifyEvidence(dir: string): Promise<EvidenceVerification> {
  const lines = await readEvidenceLines(dir);
  let prev = GENESIS_HASH;
  let warcsChecked = 0;
  let screenshotsChecked = 0;
  const result = (broken?: BrokenEntry): EvidenceVerification => ({
    ok: broken === undefined,
    entries: lines.length,
    warcsChecked,
    screenshotsChecked,
    headHash: prev,
    ...(broken === undefined ? {} : { broken }),
  });
  for (const [i, text] of lines.entries()) {
    const line = i + 1;
    let entry: EvidenceEntry;
    try {
      entry = JSON.parse(text) as EvidenceEntry;
    } catch {
      return result({ line, reason: "not JSON" });
    }
    const named = {
      line,
      ...(typeof entry.seq === "number" ? { seq: entry.seq } : {}),
      ...(typeof entry.url === "string" ? { url: entry.url } : {}),
    };
    if (entry.seq !== i)
      return result({ ...named, reason: `sequence number ${entry.seq}, expected ${i}` });
    if (entry.prevHash !== prev)
      return result({
        ...named,
        reason:
          "prevHash does not match the previous entry's hash (an entry was removed, added or reordered)",
      });
    if (entry.hash !== entryHash(entry))
      return result({
        ...named,
        reason: "hash does not match the entry's contents (the entry was changed)",
      });
    const warcProblem = await checkWarc(dir, entry);
    if (warcProblem !== undefined) return result({ ...named, reason: warcProblem });
    if (entry.screenshot !== undefined) {
      const shotProblem = await checkScreenshot(dir, entry.screenshot);
      if (shotProblem !== undefined) return result({ ...named, reason: shotProblem });
      screenshotsChecked++;
    }
    warcsChecked++;
    prev = entry.hash;
  }
  return result();
}

/** Largest screenshot verified: a 1280×1024 PNG is well under this. */
export const MAX_SCREENSHOT_BYTES = 64 * 1024 * 1024;

async function checkScreenshot(
  dir: string,
  shot: { file?: unknown; sha256?: unknown },
): Promise<string | undefined> {
  const relative = normalize(typeof shot.file === "string" ? shot.file : "");
  if (relative === "" || relative === "." || isAbsolute(relative) || relative.startsWith("..")) {
    return `screenshot path ${JSON.stringify(shot.file)} is not inside the evidence folder`;
  }
  let file: Buffer;
  try {
    file = await readFile(join(dir, relative));
  } catch (err) {
    return `screenshot ${relative} cannot be read: ${(err as Error).message}`;
  }
  if (file.length > MAX_SCREENSHOT_BYTES)
    return `screenshot ${relative} is over ${MAX_SCREENSHOT_BYTES} bytes`;
  const sha = createHash("sha256").update(file).digest("hex");
  return sha === shot.sha256
    ? undefined
    : `screenshot ${relative}: SHA-256 ${sha} is not the ${String(shot.sha256)} logged`;
}

async function checkWarc(dir: string, entry: EvidenceEntry): Promise<string | undefined> {
  const relative = normalize(entry.warc ?? "");
  // Only files inside the folder: a doctored entry must not send verify elsewhere.
  if (relative === "" || isAbsolute(relative) || relative.startsWith("..")) {
    return `WARC path ${JSON.stringify(entry.warc)} is not inside the evidence folder`;
  }
  let file: Buffer;
  try {
    file = await readFile(join(dir, relative));
  } catch (err) {
    return `WARC ${relative} cannot be read: ${(err as Error).message}`;
  }
  if (file.length > MAX_WARC_BYTES) return `WARC ${relative} is over ${MAX_WARC_BYTES} bytes`;
  const sha = createHash("sha256").update(file).digest("hex");
  if (sha !== entry.warcSha256)
    return `WARC ${relative}: SHA-256 ${sha} is not the ${entry.warcSha256} logged`;
  try {
    const problem = checkWarcDigests(readWarc(file));
    return problem === undefined ? undefined : `WARC ${relative}: ${problem}`;
  } catch (err) {
    if (err instanceof VigilError) return `WARC ${relative}: ${err.message}`;
    throw err;
  }
}
