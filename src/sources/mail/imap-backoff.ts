/** First wait before reconnecting to a server that dropped or refused the connection. */
export const IMAP_RECONNECT_BASE_MS = 1_000;
/** Longest wait between reconnection attempts. */
export const IMAP_RECONNECT_MAX_MS = 5 * 60_000;

/**
 * The wait before reconnection attempt `attempt` (1, 2, …): doubling from `baseMs` up to
 * `maxMs`, with up to a fifth added at random so many watchers that lost one server do
 * not all come back in the same second.
 */
export function reconnectDelay(
  attempt: number,
  baseMs = IMAP_RECONNECT_BASE_MS,
  maxMs = IMAP_RECONNECT_MAX_MS,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
  return Math.round(exp * (1 + random() * 0.2));
}
