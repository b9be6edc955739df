import { setTimeout as delay } from "node:timers/promises";

/** How retries wait: exponential from `baseMs`, capped at `maxMs`, with jitter. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Random source in [0, 1) (passed in, so tests are repeatable). */
  random?: () => number;
}

/**
 * The wait before retry number `attempt` (0 for the first retry): a random time between
 * half and all of `min(maxMs, baseMs × 2^attempt)` ("equal jitter"), so clients that
 * failed together do not retry together, yet each waits long enough to help the server.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Waits `ms`, or less if `signal` aborts; never rejects. Returns false if aborted, so a
 * caller's loop can end cleanly.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted === true) return false;
  try {
    await delay(ms, undefined, signal === undefined ? {} : { signal });
    return true;
  } catch {
    return false;
  }
}
