import type { SeededRandom } from "./seeded-random.js";

const MINUTE_MS = 60_000;

/**
 * Relative posting rate by hour of the day (UTC), for an audience mostly in the
 * Americas: busiest in their evening, quietest in their small hours.
 */
export const HOURLY_RATE: readonly number[] = [
  1.0, 0.92, 0.78, 0.58, 0.4, 0.27, 0.19, 0.15, 0.17, 0.25, 0.38, 0.55, 0.7, 0.8, 0.86, 0.9, 0.92,
  0.95, 0.97, 1.0, 1.02, 1.05, 1.05, 1.03,
];
/** Weekends are a little quieter. */
const WEEKEND_RATE = 0.9;

/**
 * `count` instants in increasing order over `days` from `start`, spread by the daily
 * rhythm: each instant takes the next equal slice of the rhythm's cumulative share (per
 * minute), with a random offset inside it. Memory is one number a minute.
 */
export class RhythmTimes {
  private readonly cumulative: Float64Array;
  private cell = 0;
  private i = 0;

  constructor(
    private readonly start: number,
    days: number,
    private readonly count: number,
    private readonly random: SeededRandom,
  ) {
    const minutes = days * 1440;
    this.cumulative = new Float64Array(minutes);
    let sum = 0;
    for (let m = 0; m < minutes; m++) {
      const at = new Date(start + m * MINUTE_MS);
      const day = at.getUTCDay();
      sum +=
        (HOURLY_RATE[at.getUTCHours()] as number) * (day === 0 || day === 6 ? WEEKEND_RATE : 1);
      this.cumulative[m] = sum;
    }
    for (let m = 0; m < minutes; m++) this.cumulative[m] = (this.cumulative[m] as number) / sum;
  }

  /** The next instant, in milliseconds. */
  next(): number {
    const u = (this.i++ + this.random.next()) / this.count;
    while (this.cell < this.cumulative.length - 1 && (this.cumulative[this.cell] as number) < u)
      this.cell++;
    const before = this.cell === 0 ? 0 : (this.cumulative[this.cell - 1] as number);
    const share = (this.cumulative[this.cell] as number) - before;
    const within = share > 0 ? ((u - before) / share) * MINUTE_MS : 0;
    return (
      this.start + this.cell * MINUTE_MS + Math.min(MINUTE_MS - 1, Math.max(0, Math.floor(within)))
    );
  }
}
