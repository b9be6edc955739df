import { type Options, SingleBar } from "cli-progress";
import type { PipelineProgress } from "../pipeline/index.js";
import type { Io } from "./output.js";

type ScanProgress = PipelineProgress & { bytes: number; totalBytes?: number };

/** Redraws at most this often, so the bar does not slow the scan it reports on. */
const REDRAW_MS = 100;

/** How a line looks, fixed by the first update: its format, total and any extra bar options. */
interface BarLayout {
  format: string;
  total: number;
  options?: Options;
}

/**
 * What the scan bar and the watch line share: a `SingleBar` on stderr made on the first
 * update, redraws throttled to `REDRAW_MS`, and rates counted from construction. Off
 * (every update a no-op) unless `enabled`.
 */
abstract class ThrottledBar<P> {
  private bar: SingleBar | undefined;
  private readonly started = Date.now();
  private last = 0;

  constructor(
    private readonly io: Io,
    private readonly enabled: boolean,
  ) {}

  /** The bar's fields for `p`, with `seconds` since the start (never 0) for rates. */
  protected abstract payload(p: P, seconds: number): Record<string, unknown>;
  /** The bar's look, asked once, on the first update. */
  protected abstract layout(p: P): BarLayout;
  /** Where the bar stands for `p`, out of the layout's total. */
  protected abstract value(p: P): number;

  update(p: P): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < REDRAW_MS && this.bar) return;
    this.last = now;
    const payload = this.payload(p, Math.max(0.001, (now - this.started) / 1000));
    if (!this.bar) {
      const { format, total, options } = this.layout(p);
      this.bar = new SingleBar({
        stream: this.io.stderr as NodeJS.WriteStream,
        format,
        hideCursor: true,
        clearOnComplete: true,
        noTTYOutput: true,
        notTTYSchedule: 2000,
        fps: 10,
        ...options,
      });
      this.bar.start(total, 0, payload);
    }
    this.bar.update(this.value(p), payload);
  }

  stop(): void {
    this.bar?.stop();
  }
}

/**
 * A progress bar on stderr for long scans: bytes read of the total (or a running count
 * for standard input), items per second and findings so far. Off when stderr is not a
 * terminal, unless forced, so pipes and logs stay clean.
 */
export class ScanProgressBar extends ThrottledBar<ScanProgress> {
  /** `unit` names what is counted: `names` for domains, `items` for social exports. */
  constructor(
    io: Io,
    enabled: boolean,
    private readonly unit = "names",
  ) {
    super(io, enabled);
  }

  protected override payload(p: ScanProgress, seconds: number): Record<string, unknown> {
    return {
      names: p.read,
      rate: Math.round(p.read / seconds),
      findings: p.findings,
      problems: p.problems,
      mib: (p.bytes / 1048576).toFixed(1),
    };
  }

  protected override layout(p: ScanProgress): BarLayout {
    const known = p.totalBytes !== undefined && p.totalBytes > 0;
    return {
      format: known
        ? `scanning [{bar}] {percentage}% | {names} ${this.unit} | {rate}/s | {findings} findings | {problems} problems`
        : `scanning {mib} MiB | {names} ${this.unit} | {rate}/s | {findings} findings | {problems} problems`,
      total: known ? (p.totalBytes as number) : 1,
      options: { etaBuffer: 50 },
    };
  }

  protected override value(p: ScanProgress): number {
    return p.totalBytes ? Math.min(p.bytes, p.totalBytes) : 0;
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
export class WatchProgressLine extends ThrottledBar<WatchProgress> {
  constructor(
    io: Io,
    enabled: boolean,
    private readonly label: string,
  ) {
    super(io, enabled);
  }

  protected override payload(p: WatchProgress, seconds: number): Record<string, unknown> {
    return {
      label: this.label,
      entries: p.entries,
      entryRate: Math.round(p.entries / seconds),
      names: p.names,
      nameRate: Math.round(p.names / seconds),
      findings: p.findings,
      problems: p.problems,
      behind: p.behind === undefined ? "" : ` | ${p.behind} behind`,
    };
  }

  protected override layout(): BarLayout {
    return {
      format:
        "{label} {entries} entries ({entryRate}/s) | {names} names ({nameRate}/s) | {findings} findings | {problems} problems{behind}",
      total: 1,
    };
  }

  protected override value(): number {
    return 0;
  }
}

/** What the generator of synthetic data reports: posts written of the total. */
export interface SynthProgress {
  done: number;
  total: number;
}

/** A progress bar on stderr for `vigil synth`: posts written, of the total, per second. */
export class SynthProgressBar extends ThrottledBar<SynthProgress> {
  protected override payload(p: SynthProgress, seconds: number): Record<string, unknown> {
    return { done: p.done, rate: Math.round(p.done / seconds) };
  }

  protected override layout(p: SynthProgress): BarLayout {
    return {
      format: "generating [{bar}] {percentage}% | {done}/{total} posts | {rate}/s",
      total: Math.max(1, p.total),
    };
  }

  protected override value(p: SynthProgress): number {
    return p.done;
  }
}
