import { SingleBar } from "cli-progress";
import type { PipelineProgress } from "../pipeline/index.js";
import type { Io } from "./output.js";

type ScanProgress = PipelineProgress & { bytes: number; totalBytes?: number };

/** Redraws at most this often, so the bar does not slow the scan it reports on. */
const REDRAW_MS = 100;

/**
 * A progress bar on stderr for long scans: bytes read of the total (or a running count
 * for standard input), names per second and findings so far. Off when stderr is not a
 * terminal, unless forced, so pipes and logs stay clean.
 */
export class ScanProgressBar {
  private bar: SingleBar | undefined;
  private readonly started = Date.now();
  private last = 0;

  constructor(
    private readonly io: Io,
    private readonly enabled: boolean,
  ) {}

  update(p: ScanProgress): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < REDRAW_MS && this.bar) return;
    this.last = now;
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const payload = {
      names: p.read,
      rate: Math.round(p.read / seconds),
      findings: p.findings,
      problems: p.problems,
      mib: (p.bytes / 1048576).toFixed(1),
    };
    if (!this.bar) {
      const known = p.totalBytes !== undefined && p.totalBytes > 0;
      this.bar = new SingleBar({
        stream: this.io.stderr as NodeJS.WriteStream,
        format: known
          ? "scanning [{bar}] {percentage}% | {names} names | {rate}/s | {findings} findings | {problems} problems"
          : "scanning {mib} MiB | {names} names | {rate}/s | {findings} findings | {problems} problems",
        hideCursor: true,
        clearOnComplete: true,
        noTTYOutput: true,
        notTTYSchedule: 2000,
        fps: 10,
        etaBuffer: 50,
      });
      this.bar.start(known ? (p.totalBytes as number) : 1, 0, payload);
    }
    this.bar.update(p.totalBytes ? Math.min(p.bytes, p.totalBytes) : 0, payload);
  }

  stop(): void {
    this.bar?.stop();
  }
}

/** What a live watch reports: entries (certificates) and names read, and what came of them. */
export interface WatchProgress {
  entries: number;
  names: number;
  findings: number;
  problems: number;
  /** Entries the followed logs hold that are not read yet, when known. */
  behind?: number;
}

/**
 * A status line on stderr for `vigil watch`: entries and names per second since the
 * start, findings and problems so far, and how far behind the logs it is. A live feed
 * has no total, so there is no bar. Off when stderr is not a terminal, unless forced.
 */
export class WatchProgressLine {
  private bar: SingleBar | undefined;
  private readonly started = Date.now();
  private last = 0;

  constructor(
    private readonly io: Io,
    private readonly enabled: boolean,
    private readonly label: string,
  ) {}

  update(p: WatchProgress): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < REDRAW_MS && this.bar) return;
    this.last = now;
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const payload = {
      label: this.label,
      entries: p.entries,
      entryRate: Math.round(p.entries / seconds),
      names: p.names,
      nameRate: Math.round(p.names / seconds),
      findings: p.findings,
      problems: p.problems,
      behind: p.behind === undefined ? "" : ` | ${p.behind} behind`,
    };
    if (!this.bar) {
      this.bar = new SingleBar({
        stream: this.io.stderr as NodeJS.WriteStream,
        format:
          "{label} {entries} entries ({entryRate}/s) | {names} names ({nameRate}/s) | {findings} findings | {problems} problems{behind}",
        hideCursor: true,
        clearOnComplete: true,
        noTTYOutput: true,
        notTTYSchedule: 2000,
        fps: 10,
      });
      this.bar.start(1, 0, payload);
    }
    this.bar.update(0, payload);
  }

  stop(): void {
    this.bar?.stop();
  }
}
